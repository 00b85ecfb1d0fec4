package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"google.golang.org/api/idtoken"
	"google.golang.org/api/option"
)

// google.golang.org/api/idtoken: idtoken.NewValidator(ctx, option.WithHTTPClient(client)),
// then Validator.Validate(ctx, token, audience) with one audience ("" when none is
// configured: the package then skips the audience check, as its documentation says).
//
// Validate fetches the keys from Google's fixed certificate URLs (RS256: the OAuth2 v3
// certs; ES256: the IAP JWK Set) through the HTTP client given with WithHTTPClient. Here
// that client's RoundTripper answers those two URLs from memory with the case's public test
// key in the shape Google publishes ({"keys": [jwk]} with alg), and refuses every other
// URL: no network, and no key is generated.
//
// Validate checks no issuer and reads the clock with time.Now (audcheck's run clock is the
// system clock).
const (
	saCertsURL  = "https://www.googleapis.com/oauth2/v3/certs"
	iapCertsURL = "https://www.gstatic.com/iap/verify/public_key-jwk"
)

// certs answers the certificate URLs with the current case's key.
type certs struct{ rs256, es256 []byte }

func (c *certs) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	switch req.URL.String() {
	case saCertsURL:
		body = c.rs256
	case iapCertsURL:
		body = c.es256
	default:
		return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("")),
			Header: http.Header{}, Request: req}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(bytes.NewReader(body)),
		Header: http.Header{"Content-Type": {"application/json"}}, Request: req}, nil
}

// jwkSet is {"keys": [the case's JWK with alg]} for the URL that serves alg, else no key.
func jwkSet(r *request, alg string) []byte {
	if r.Alg != alg {
		return []byte(`{"keys":[]}`)
	}
	var k map[string]any
	_ = json.Unmarshal(r.Key.JWK, &k)
	k["alg"] = alg
	b, _ := json.Marshal(map[string]any{"keys": []any{k}})
	return b
}

var lib = library{
	name: "google.golang.org/api/idtoken", module: "google.golang.org/api",
	algorithms: []string{"RS256", "ES256"}, audience: "single",
	verify: func(r *request, _ map[string]bool) verdict {
		ctx := context.Background()
		client := &http.Client{Transport: &certs{rs256: jwkSet(r, "RS256"), es256: jwkSet(r, "ES256")}}
		v, err := idtoken.NewValidator(ctx, option.WithHTTPClient(client))
		if err != nil {
			return verdict{"config", err}
		}
		audience := ""
		if len(r.Audience) > 0 {
			audience = r.Audience[0]
		}
		_, err = v.Validate(ctx, r.Token, audience)
		return verdict{idtokenReason(err), err}
	},
}

func idtokenReason(err error) string {
	if err == nil {
		return ""
	}
	m := err.Error()
	switch {
	case strings.Contains(m, "audience provided does not match"):
		return "audience"
	case strings.Contains(m, "token expired"):
		return "expired"
	case strings.Contains(m, "verification error"), strings.Contains(m, "signature not valid"),
		strings.Contains(m, "could not find matching cert"), strings.Contains(m, "expected JWT signed with"):
		return "signature"
	case strings.Contains(m, "unable to unmarshal"), strings.Contains(m, "invalid token"), strings.Contains(m, "illegal base64"):
		return "malformed"
	}
	return "other"
}
