package main

import (
	"errors"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v4/jwa"
	"github.com/lestrrat-go/jwx/v4/jwk"
	"github.com/lestrrat-go/jwx/v4/jwt"
)

type fixedClock int64

func (c fixedClock) Now() time.Time { return time.Unix(int64(c), 0) }

// lestrrat-go/jwx v4: jwt.Parse with WithKey and one WithAudience per expected audience
// (each must be present: all-of).
// v4 uses encoding/json/v2, which Go 1.26 has behind GOEXPERIMENT=jsonv2 (jwx's README), so
// the install step builds with it; from Go 1.27 on the experiment is to be left unset.
var lib = library{
	name: "jwx", module: "github.com/lestrrat-go/jwx/v4",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, audience: "all-of",
	verify: func(r *request, _ map[string]bool) verdict {
		alg, ok := jwa.LookupSignatureAlgorithm(r.Alg)
		if !ok {
			return verdict{"config", errors.New("unknown algorithm " + r.Alg)}
		}
		key, err := jwk.ParseKey(r.Key.JWK)
		if err != nil {
			return verdict{"config", err}
		}
		opts := []jwt.ParseOption{jwt.WithKey(alg, key), jwt.WithValidate(true), jwt.WithClock(fixedClock(r.Now))}
		if r.Issuer != nil {
			opts = append(opts, jwt.WithIssuer(*r.Issuer))
		}
		for _, a := range r.Audience {
			opts = append(opts, jwt.WithAudience(a))
		}
		_, err = jwt.Parse([]byte(r.Token), opts...)
		return verdict{jwxReason(err), err}
	},
}

func jwxReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, jwt.InvalidAudienceError{}):
		return "audience"
	case errors.Is(err, jwt.MissingRequiredClaimError{}):
		return "missing-aud"
	case errors.Is(err, jwt.TokenExpiredError{}):
		return "expired"
	case errors.Is(err, jwt.TokenNotYetValidError{}):
		return "not-yet-valid"
	case errors.Is(err, jwt.InvalidIssuerError{}):
		return "issuer"
	case errors.Is(err, jwt.ValidationError{}):
		return "other"
	case errors.Is(err, jwt.ParseError{}) && strings.Contains(err.Error(), "verif"):
		return "signature"
	case errors.Is(err, jwt.ParseError{}):
		return "malformed"
	}
	return "other"
}
