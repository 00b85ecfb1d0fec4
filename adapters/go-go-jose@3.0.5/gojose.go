package main

// A copy of adapters/go-go-jose/gojose.go for go-jose v3.0.5, changed only where v3's API
// differs from v4's: jwt.ParseSigned takes no list of allowed algorithms (the key's type
// and the header's alg decide, as in v3's README), and jwt.Expected has no AnyAudience:
// v3's field is Expected.Audience, which its documentation describes as matching "the values
// in aud claim" and which requires EVERY configured audience in aud (validation.go). So the
// capability is "all-of". That is the published interoperability bug: configuring several
// accepted audiences rejects a token that names one of them (go-jose PR #81 renamed the
// field to AnyAudience with any-of semantics in v4).

import (
	"errors"

	"github.com/go-jose/go-jose/v3"
	"github.com/go-jose/go-jose/v3/jwt"
)

// go-jose v3: jwt.ParseSigned, Claims with the key, then Validate against jwt.Expected
// with Audience.
var lib = library{
	name: "go-jose", module: "github.com/go-jose/go-jose/v3",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "all-of",
	verify: func(r *request, _ map[string]bool) verdict {
		tok, err := jwt.ParseSigned(r.Token)
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
			expected.Audience = r.Audience
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
