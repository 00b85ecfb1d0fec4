package main

// A copy of adapters/go-golang-jwt/golangjwt.go for golang-jwt v5.2.2, changed only where
// 5.2.2's API differs: its jwt.WithAudience takes ONE string (WithAudience(aud string);
// the list form WithAudience(aud ...string) and WithAllAudiences came in v5.2.3), so the
// capability is "single" and the +all-audiences variant does not exist. An empty list is
// passed as WithAudience(""), an audience left empty in the configuration: 5.2.2's
// documentation says an empty string disables the aud check (validator.go:
// `if v.expectedAud != ""`), which is the published bug (golang-jwt/jwt issue #454,
// changed by commit 497a38e in v5.2.3).

import (
	"errors"

	"github.com/golang-jwt/jwt/v5"
)

// golang-jwt v5.2.2: jwt.Parse with WithAudience (one audience).
var lib = library{
	name: "golang-jwt", module: "github.com/golang-jwt/jwt/v5",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "single",
	options: map[string]bool{},
	verify: func(r *request, opts map[string]bool) verdict {
		parserOpts := []jwt.ParserOption{jwt.WithValidMethods([]string{r.Alg}), jwt.WithTimeFunc(r.now)}
		if r.Issuer != nil {
			parserOpts = append(parserOpts, jwt.WithIssuer(*r.Issuer))
		}
		if r.Audience != nil {
			aud := ""
			if len(r.Audience) > 0 {
				aud = r.Audience[0]
			}
			parserOpts = append(parserOpts, jwt.WithAudience(aud))
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
