package main

// A copy of adapters/go-golang-jwt/golangjwt.go for the v3 API (github.com/golang-jwt/jwt
// v3.2.1, the first golang-jwt release, which continues github.com/dgrijalva/jwt-go
// v3.2.0), changed only where v3 differs: v3 has no parser options for the audience or
// the issuer, and no EdDSA. The documented v3 usage is to parse (jwt.Parse validates
// signature, exp, iat and nbf; the clock is the package variable jwt.TimeFunc, as v3's
// example_test.go sets it), then call the claims' own checks:
// token.Claims.(jwt.MapClaims).VerifyAudience(aud, false) and VerifyIssuer(iss, false),
// "false" meaning the claim is not required. That is how Auth0's Go quickstart and the
// go-jwt-middleware v1 README had users check aud with jwt-go. VerifyAudience takes one
// audience, so the capability is "single"; an empty list is passed as "". The adapter adds
// no check of its own: a false from VerifyAudience or VerifyIssuer is the library's verdict.
// The program is the same as adapters/go-dgrijalva-jwt-go@3.2.0's but for the import.
//
// v3.2.1 fixes CVE-2020-26160 (GHSA-w73w-5m7g-f7qc): MapClaims.VerifyAudience reads an aud
// array ([]interface{}) as its strings and requires one to match.

import (
	"fmt"

	"github.com/golang-jwt/jwt"
)

// golang-jwt v3.2.1: jwt.Parser{ValidMethods}.Parse, then MapClaims.VerifyAudience(aud, false).
var lib = library{
	name: "golang-jwt", module: "github.com/golang-jwt/jwt",
	algorithms: []string{"HS256", "RS256", "PS256", "ES256"}, audience: "single",
	options: map[string]bool{},
	verify: func(r *request, opts map[string]bool) verdict {
		jwt.TimeFunc = r.now
		parser := jwt.Parser{ValidMethods: []string{r.Alg}}
		token, err := parser.Parse(r.Token, func(*jwt.Token) (interface{}, error) {
			if r.Alg == "HS256" {
				return r.secret(), nil
			}
			return r.publicKey()
		})
		if err != nil {
			return verdict{jwtGoReason(err), err}
		}
		claims := token.Claims.(jwt.MapClaims)
		if r.Issuer != nil && !claims.VerifyIssuer(*r.Issuer, false) {
			return verdict{"issuer", fmt.Errorf("MapClaims.VerifyIssuer(%q, false) returned false", *r.Issuer)}
		}
		if r.Audience != nil {
			aud := ""
			if len(r.Audience) > 0 {
				aud = r.Audience[0]
			}
			if !claims.VerifyAudience(aud, false) {
				return verdict{"audience", fmt.Errorf("MapClaims.VerifyAudience(%q, false) returned false", aud)}
			}
		}
		return verdict{"", nil}
	},
}

func jwtGoReason(err error) string {
	ve, ok := err.(*jwt.ValidationError)
	if !ok {
		return "other"
	}
	switch {
	case ve.Errors&jwt.ValidationErrorMalformed != 0:
		return "malformed"
	case ve.Errors&(jwt.ValidationErrorSignatureInvalid|jwt.ValidationErrorUnverifiable) != 0:
		return "signature"
	case ve.Errors&jwt.ValidationErrorAudience != 0:
		return "audience"
	case ve.Errors&jwt.ValidationErrorExpired != 0:
		return "expired"
	case ve.Errors&(jwt.ValidationErrorNotValidYet|jwt.ValidationErrorIssuedAt) != 0:
		return "not-yet-valid"
	case ve.Errors&jwt.ValidationErrorIssuer != 0:
		return "issuer"
	}
	return "other"
}
