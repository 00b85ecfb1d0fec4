package main

import (
	"context"
	"crypto"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
)

// go-oidc v3: an IDTokenVerifier for one client id (Config.ClientID), keys from a
// StaticKeySet. With no audience configured the library's own rule applies: it demands
// ClientID or SkipClientIDCheck.
var lib = library{
	name: "go-oidc", module: "github.com/coreos/go-oidc/v3",
	algorithms: []string{"RS256", "PS256", "ES256", "EdDSA"}, audience: "single",
	verify: func(r *request, _ map[string]bool) verdict {
		pub, err := r.publicKey()
		if err != nil {
			return verdict{"config", err}
		}
		config := &oidc.Config{SupportedSigningAlgs: []string{r.Alg}, Now: r.now}
		if len(r.Audience) > 0 {
			config.ClientID = r.Audience[0]
		}
		issuer := ""
		if r.Issuer != nil {
			issuer = *r.Issuer
		} else {
			config.SkipIssuerCheck = true
		}
		v := oidc.NewVerifier(issuer, &oidc.StaticKeySet{PublicKeys: []crypto.PublicKey{pub}}, config)
		_, err = v.Verify(context.Background(), r.Token)
		return verdict{goOIDCReason(err), err}
	},
}

func goOIDCReason(err error) string {
	if err == nil {
		return ""
	}
	if _, ok := err.(*oidc.TokenExpiredError); ok {
		return "expired"
	}
	m := err.Error()
	switch {
	case strings.Contains(m, "expected audience"):
		return "audience"
	case strings.Contains(m, "clientID must be provided"):
		return "config"
	case strings.Contains(m, "id token issued by a different provider"):
		return "issuer"
	case strings.Contains(m, "failed to verify signature"), strings.Contains(m, "signing algorithm"):
		return "signature"
	case strings.Contains(m, "malformed"), strings.Contains(m, "failed to unmarshal claims"):
		return "malformed"
	case strings.Contains(m, "before the nbf"):
		return "not-yet-valid"
	}
	return "other"
}
