package main

import (
	"context"
	"errors"
	"strings"

	"github.com/auth0/go-jwt-middleware/v2/validator"
	"gopkg.in/go-jose/go-jose.v2/jwt"
)

// auth0/go-jwt-middleware v2: validator.New(keyFunc, algorithm, issuerURL, audience) and
// ValidateToken, as the middleware's README shows. The audience is a list: a token
// naming any of them passes. New refuses an empty issuer or audience; that refusal is
// the library's answer for a case with none configured.
var lib = library{
	name: "go-jwt-middleware", module: "github.com/auth0/go-jwt-middleware/v2",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "any-of",
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
