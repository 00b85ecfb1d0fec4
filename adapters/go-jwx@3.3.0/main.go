// Command adapter speaks audcheck's adapter protocol (docs/protocol.md) for the one Go JWT
// library of this folder. The library file configures it the way the library's
// documentation tells users to and reports its verdict; this file only carries messages.
package main

import (
	"bufio"
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"runtime/debug"
	"time"
)

// request is one verify message.
type request struct {
	Op       string         `json:"op"`
	ID       string         `json:"id"`
	Token    string         `json:"token"`
	Alg      string         `json:"alg"`
	Key      keyMsg         `json:"key"`
	Audience []string       `json:"audience"`
	Issuer   *string        `json:"issuer"`
	Now      int64          `json:"now"`
	Options  map[string]any `json:"options"`
	Protocol int            `json:"protocol"`
}

type keyMsg struct {
	JWK json.RawMessage `json:"jwk"`
	PEM string          `json:"pem"`
}

// verdict is the library's answer: nil error means accepted.
type verdict struct {
	reason string
	err    error
}

// library is the Go JWT library behind the protocol, defined by the library file as lib.
type library struct {
	name, module string
	algorithms   []string
	audience     string // any-of, all-of or single
	options      map[string]bool
	verify       func(r *request, opts map[string]bool) verdict
}

// audienceNull tells "audience": null apart from a list.
func (r *request) audienceNull(raw map[string]json.RawMessage) bool {
	return string(raw["audience"]) == "null"
}

func (r *request) now() time.Time { return time.Unix(r.Now, 0) }

// secret is the HS256 key from the oct JWK.
func (r *request) secret() []byte {
	var k struct {
		K string `json:"k"`
	}
	_ = json.Unmarshal(r.Key.JWK, &k)
	b, _ := base64.RawURLEncoding.DecodeString(k.K)
	return b
}

// publicKey is the SPKI PEM parsed by the standard library.
func (r *request) publicKey() (crypto.PublicKey, error) {
	block, _ := pem.Decode([]byte(r.Key.PEM))
	if block == nil {
		return nil, fmt.Errorf("no PEM block")
	}
	return x509.ParsePKIXPublicKey(block.Bytes)
}

// version is the library's version as go.mod pinned it, read from the binary's build
// information, so hello reports what was actually built.
func version(module string) string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if d.Path == module {
				return d.Version
			}
		}
	}
	return "unknown"
}

func main() {
	out := json.NewEncoder(os.Stdout)
	out.SetEscapeHTML(false)
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	opts := map[string]bool{}
	for in.Scan() {
		line := in.Bytes()
		var r request
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(line, &r); err != nil || json.Unmarshal(line, &raw) != nil {
			_ = out.Encode(map[string]any{"op": "error", "id": nil, "error": fmt.Sprintf("not JSON: %v", err)})
			continue
		}
		switch r.Op {
		case "hello":
			bad := ""
			for k, v := range r.Options {
				if b, isBool := v.(bool); !isBool || !b || !lib.options[k] {
					bad = fmt.Sprintf("unknown option %s=%v", k, v)
				} else {
					opts[k] = true
				}
			}
			if bad != "" {
				_ = out.Encode(map[string]any{"op": "error", "id": nil, "error": bad})
				continue
			}
			_ = out.Encode(map[string]any{"op": "hello", "protocol": 1, "library": lib.name, "version": version(lib.module), "language": "go",
				"capabilities": map[string]any{"algorithms": lib.algorithms, "audience": lib.audience}})
		case "verify":
			if r.audienceNull(raw) {
				r.Audience = nil
			} else if r.Audience == nil {
				r.Audience = []string{}
			}
			v := lib.verify(&r, opts)
			if v.err == nil {
				_ = out.Encode(map[string]any{"op": "verify", "id": r.ID, "accepted": true})
			} else {
				_ = out.Encode(map[string]any{"op": "verify", "id": r.ID, "accepted": false, "reason": v.reason, "error": v.err.Error()})
			}
		default:
			_ = out.Encode(map[string]any{"op": "error", "id": r.ID, "error": "unknown op " + r.Op})
		}
	}
}
