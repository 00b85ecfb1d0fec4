package main

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

// golang-jwt v5: jwt.Parse with WithAudience (any of) or, as a variant, WithAllAudiences.
var lib = library{
	name: "golang-jwt", module: "github.com/golang-jwt/jwt/v5",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "any-of",
	options: map[string]bool{"all_audiences": true},
	verify: func(r *request, opts map[string]bool) verdict {
		parserOpts := []jwt.ParserOption{jwt.WithValidMethods([]string{r.Alg}), jwt.WithTimeFunc(r.now)}
		if r.Issuer != nil {
			parserOpts = append(parserOpts, jwt.WithIssuer(*r.Issuer))
		}
		if r.Audience != nil {
			if opts["all_audiences"] {
				parserOpts = append(parserOpts, jwt.WithAllAudiences(r.Audience...))
			} else {
				parserOpts = append(parserOpts, jwt.WithAudience(r.Audience...))
			}
		}
		_, err := jwt.Parse(r.Token, func(*jwt.Token) (any, error) {
			if r.Alg == "HS256" {
				return r.secret(), nil
			}
			return r.publicKey()
		}, parserOpts...)
		return verdict{golangJWTReason(err), err}
	},
}

func golangJWTReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return "audience"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "missing-aud"
	case errors.Is(err, jwt.ErrTokenExpired):
		return "expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return "not-yet-valid"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "issuer"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "signature"
	case errors.Is(err, jwt.ErrTokenMalformed), errors.Is(err, jwt.ErrInvalidType):
		return "malformed"
	}
	return "other"
}
