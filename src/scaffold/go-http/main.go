// Command adapter is an HTTP service for audcheck: {{library}} protects /protected,
// configured the way its documentation tells users to (see audcheck's docs/http.md).
// audcheck starts it with the port, the expected audiences, the issuer and the key
// server's URLs in its environment.
package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
)

const library = "{{library}}"

var version = "unknown" // read it with runtime/debug.ReadBuildInfo

type config struct {
	Audiences    []string
	Issuer       string
	JWKSURL      string
	DiscoveryURL string
}

// validate is the one place to change: validate the token with the library configured
// from c. Return nil when it accepts, else the library's error.
func validate(c *config, token string) error {
	// AUDCHECK-BEGIN library call
	return fmt.Errorf("audcheck skeleton: call the library here")
	// AUDCHECK-END library call
}

func main() {
	c := &config{Issuer: os.Getenv("AUDCHECK_ISSUER"), JWKSURL: os.Getenv("AUDCHECK_JWKS_URL"), DiscoveryURL: os.Getenv("AUDCHECK_DISCOVERY_URL")}
	_ = json.Unmarshal([]byte(os.Getenv("AUDCHECK_AUDIENCES")), &c.Audiences)
	reply := func(w http.ResponseWriter, status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
	http.HandleFunc("/ready", func(w http.ResponseWriter, r *http.Request) {
		reply(w, 200, map[string]string{"library": library, "version": version})
	})
	http.HandleFunc("/protected", func(w http.ResponseWriter, r *http.Request) {
		token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if err := validate(c, token); err != nil {
			description := strings.NewReplacer(`"`, " ", `\`, " ", "\n", " ").Replace(err.Error())
			w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Bearer error="invalid_token", error_description="%s"`, description))
			reply(w, 401, map[string]string{"error": "invalid_token"})
			return
		}
		reply(w, 200, map[string]bool{"ok": true})
	})
	_ = http.ListenAndServe("127.0.0.1:"+os.Getenv("AUDCHECK_PORT"), nil)
}
