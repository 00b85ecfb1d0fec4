package main

// A copy of adapters/go-jwx/jwx.go for jwx v3.3.0, the release before v4: v3's import paths
// (github.com/lestrrat-go/jwx/v3) and its sentinel-error functions (jwt.TokenExpiredError()
// and so on; v4 made them struct types). v3 decodes the claims with its own JSON decoder,
// which keeps the last of duplicate "aud" members; v4 decodes with encoding/json/v2, which
// rejects a token with duplicate member names.

import (
	"errors"
	"strings"
	"time"

	"github.com/lestrrat-go/jwx/v3/jwa"
	"github.com/lestrrat-go/jwx/v3/jwk"
	"github.com/lestrrat-go/jwx/v3/jwt"
)

type fixedClock int64

func (c fixedClock) Now() time.Time { return time.Unix(int64(c), 0) }

// lestrrat-go/jwx v3: jwt.Parse with WithKey and one WithAudience per expected audience
// (each must be present: all-of).
var lib = library{
	name: "jwx", module: "github.com/lestrrat-go/jwx/v3",
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
	case errors.Is(err, jwt.InvalidAudienceError()):
		return "audience"
	case errors.Is(err, jwt.MissingRequiredClaimError()):
		return "missing-aud"
	case errors.Is(err, jwt.TokenExpiredError()):
		return "expired"
	case errors.Is(err, jwt.TokenNotYetValidError()):
		return "not-yet-valid"
	case errors.Is(err, jwt.InvalidIssuerError()):
		return "issuer"
	case errors.Is(err, jwt.ValidateError()):
		return "other"
	case errors.Is(err, jwt.ParseError()) && strings.Contains(err.Error(), "verif"):
		return "signature"
	case errors.Is(err, jwt.ParseError()):
		return "malformed"
	}
	return "other"
}
