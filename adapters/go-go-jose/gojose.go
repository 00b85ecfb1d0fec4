package main

import (
	"errors"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// go-jose v4: jwt.ParseSigned, Claims with the key, then Validate against jwt.Expected
// with AnyAudience.
var lib = library{
	name: "go-jose", module: "github.com/go-jose/go-jose/v4",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "any-of",
	verify: func(r *request, _ map[string]bool) verdict {
		tok, err := jwt.ParseSigned(r.Token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(r.Alg)})
		if err != nil {
			return verdict{"malformed", err}
		}
		var key any = r.secret()
		if r.Alg != "HS256" {
			if key, err = r.publicKey(); err != nil {
				return verdict{"config", err}
			}
		}
		var claims jwt.Claims
		if err := tok.Claims(key, &claims); err != nil {
			if errors.Is(err, jose.ErrCryptoFailure) {
				return verdict{"signature", err}
			}
			return verdict{"malformed", err}
		}
		expected := jwt.Expected{Time: r.now()}
		if r.Issuer != nil {
			expected.Issuer = *r.Issuer
		}
		if r.Audience != nil {
			expected.AnyAudience = r.Audience
		}
		err = claims.ValidateWithLeeway(expected, 0)
		return verdict{goJoseReason(err), err}
	},
}

func goJoseReason(err error) string {
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
	}
	return "other"
}
