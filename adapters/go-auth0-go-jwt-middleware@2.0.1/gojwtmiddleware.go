package main

// A copy of adapters/go-auth0-go-jwt-middleware/gojwtmiddleware.go for go-jwt-middleware
// v2.0.1, changed only where that release differs: v2.0.1 validates with
// gopkg.in/square/go-jose.v2 (v2.3.1 with gopkg.in/go-jose/go-jose.v2), so the error
// values for the reason come from that import; and its validator passes the audience list
// to go-jose v2's jwt.Expected.Audience, which requires EVERY configured audience in aud, so
// the capability is "all-of". validator.New and ValidateToken are called exactly as the
// README at v2.0.1 shows. That all-of check is the published bug (go-jwt-middleware issue
// #148, fixed in v2.1.0): several configured audiences reject a token naming one of them.

import (
	"context"
	"errors"
	"strings"

	"github.com/auth0/go-jwt-middleware/v2/validator"
	"gopkg.in/square/go-jose.v2/jwt"
)

// auth0/go-jwt-middleware v2: validator.New(keyFunc, algorithm, issuerURL, audience) and
// ValidateToken, as the middleware's README shows. The audience is a list: in v2.0.1 a
// token must name all of them. New refuses an empty issuer or a nil audience; that refusal
// is the library's answer for a case with none configured (v2.0.1 accepts an empty list,
// and then checks no aud; the refusal of an empty list came in v2.1.0).
var lib = library{
	name: "go-jwt-middleware", module: "github.com/auth0/go-jwt-middleware/v2",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "all-of",
	verify: func(r *request, _ map[string]bool) verdict {
		keyFunc := func(context.Context) (interface{}, error) {
			if r.Alg == "HS256" {
				return r.secret(), nil
			}
			return r.publicKey()
		}
		issuer := ""
		if r.Issuer != nil {
			issuer = *r.Issuer
		}
		v, err := validator.New(keyFunc, validator.SignatureAlgorithm(r.Alg), issuer, r.Audience)
		if err != nil {
			return verdict{"config", err}
		}
		_, err = v.ValidateToken(context.Background(), r.Token)
		return verdict{middlewareReason(err), err}
	},
}

func middlewareReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, jwt.ErrInvalidAudience):
		return "audience"
	case errors.Is(err, jwt.ErrExpired):
		return "expired"
	case errors.Is(err, jwt.ErrNotValidYet), errors.Is(err, jwt.ErrIssuedInTheFuture):
		return "not-yet-valid"
	case errors.Is(err, jwt.ErrInvalidIssuer):
		return "issuer"
	case strings.Contains(err.Error(), "signing method is invalid"), strings.Contains(err.Error(), "error in cryptographic primitive"):
		return "signature"
	case strings.Contains(err.Error(), "invalid token format"), strings.Contains(err.Error(), "could not parse the token"):
		return "malformed"
	}
	return "other"
}
