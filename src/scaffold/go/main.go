// Command adapter is an audcheck adapter for {{library}} (the protocol: audcheck's
// docs/protocol.md). It reads one JSON request a line on stdin and answers one a line on
// stdout. Configure the library the way its documentation tells users to, and report its
// own verdict: never check anything here yourself.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

// The library under test: `go get <module>@<version>` pins it in go.mod and go.sum.
const library = "{{library}}"

// version is the library's, for the report: read it with runtime/debug.ReadBuildInfo.
var version = "unknown"

type request struct {
	Op       string          `json:"op"`
	ID       *string         `json:"id"`
	Token    string          `json:"token"`
	Alg      string          `json:"alg"`
	Key      key             `json:"key"`
	Audience []string        `json:"audience"` // nil: configure no expected audience
	Issuer   *string         `json:"issuer"`
	Now      int64           `json:"now"`
	Options  map[string]any  `json:"options"`
}

type key struct {
	JWK json.RawMessage `json:"jwk"` // the public JWK; an "oct" JWK holding the secret for HS256
	PEM string          `json:"pem"` // the SPKI PEM (none for HS256)
}

// verdict is what the library said: accepted, or rejected with a reason class (audience,
// missing-aud, signature, expired, not-yet-valid, issuer, malformed, config, other) and
// its own message.
type verdict struct {
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason,omitempty"`
	Error    string `json:"error,omitempty"`
}

// verify is the one place to change: verify r.Token with the library, configured with
// r.Alg, r.Key, r.Audience, r.Issuer and the time r.Now.
func verify(r *request) verdict {
	// AUDCHECK-BEGIN library call
	return verdict{Accepted: false, Reason: "other", Error: "audcheck skeleton: call the library here"}
	// AUDCHECK-END library call
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		var r request
		if err := json.Unmarshal(in.Bytes(), &r); err != nil {
			_ = out.Encode(map[string]any{"op": "error", "id": nil, "error": "not JSON: " + err.Error()})
			continue
		}
		switch r.Op {
		case "hello":
			if len(r.Options) > 0 {
				_ = out.Encode(map[string]any{"op": "error", "id": nil, "error": "this adapter takes no options"})
				continue
			}
			_ = out.Encode(map[string]any{
				"op": "hello", "protocol": 1, "library": library, "version": version, "language": "go",
				// The algorithms the library verifies, and how it takes several expected audiences.
				"capabilities": map[string]any{"algorithms": []string{"HS256", "RS256", "PS256", "ES256", "EdDSA"}, "audience": "any-of"},
			})
		case "verify":
			_ = out.Encode(answer(&r))
		default:
			_ = out.Encode(map[string]any{"op": "error", "id": r.ID, "error": fmt.Sprintf("unknown op %q", r.Op)})
		}
	}
}

// answer verifies one request; a library that panics where it should reject is reported
// as an error of the adapter, never a crash.
func answer(r *request) (reply map[string]any) {
	defer func() {
		if p := recover(); p != nil {
			reply = map[string]any{"op": "error", "id": r.ID, "error": fmt.Sprint("panic: ", p)}
		}
	}()
	v := verify(r)
	reply = map[string]any{"op": "verify", "id": r.ID, "accepted": v.Accepted}
	if !v.Accepted {
		reply["reason"], reply["error"] = v.Reason, v.Error
	}
	return reply
}
