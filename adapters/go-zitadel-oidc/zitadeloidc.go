package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// zitadel/oidc v3, relying party side: rp.NewIDTokenVerifier(issuer, clientID, keySet)
// and rp.VerifyIDToken, as its documentation shows. The key set is the library's own
// rp.NewRemoteKeySet; its HTTP client answers the JWKS request from memory with the
// case's public JWK (no network), so the library's own key matching and verification run.
// The verifier takes one client id; its default AZP verifier applies. audcheck's protocol
// carries no expected nonce (the nonce a relying party sent at login, which rp.WithNonce
// returns in an RP's flow), so the verifier is given none with rp.WithNonce(nil), which
// VerifyIDToken reads as "no nonce to check"; every other check is the library's default.
var lib = library{
	name: "zitadel-oidc", module: "github.com/zitadel/oidc/v3",
	algorithms: []string{"RS256", "PS256", "ES256", "EdDSA"}, audience: "single",
	verify: func(r *request, _ map[string]bool) verdict {
		jwks := append(append([]byte(`{"keys":[`), r.Key.JWK...), ']', '}')
		keySet := rp.NewRemoteKeySet(&http.Client{Transport: jwksFromMemory(jwks)}, "https://keys.audcheck.invalid/jwks.json")
		clientID := ""
		if len(r.Audience) > 0 {
			clientID = r.Audience[0]
		}
		issuer := ""
		if r.Issuer != nil {
			issuer = *r.Issuer
		}
		v := rp.NewIDTokenVerifier(issuer, clientID, keySet, rp.WithSupportedSigningAlgorithms(r.Alg), rp.WithNonce(nil))
		_, err := rp.VerifyIDToken[*oidc.IDTokenClaims](context.Background(), r.Token, v)
		return verdict{zitadelReason(err), err}
	},
}

// jwksFromMemory answers every request with the given JWKS document.
type jwksFromMemory []byte

func (j jwksFromMemory) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": []string{"application/json"}}, Body: io.NopCloser(bytes.NewReader(j)),
		ContentLength: int64(len(j)), Request: req}, nil
}

func zitadelReason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, oidc.ErrAudience), errors.Is(err, oidc.ErrAzpMissing), errors.Is(err, oidc.ErrAzpInvalid):
		return "audience"
	case errors.Is(err, oidc.ErrExpired):
		return "expired"
	case errors.Is(err, oidc.ErrIatInFuture):
		return "not-yet-valid"
	case errors.Is(err, oidc.ErrIssuerInvalid):
		return "issuer"
	case errors.Is(err, oidc.ErrSignatureInvalid), errors.Is(err, oidc.ErrSignatureUnsupportedAlg),
		errors.Is(err, oidc.ErrSignatureMissing), errors.Is(err, oidc.ErrSignatureMultiple), errors.Is(err, oidc.ErrSignatureInvalidPayload):
		return "signature"
	case errors.Is(err, oidc.ErrParse):
		return "malformed"
	}
	return "other"
}
