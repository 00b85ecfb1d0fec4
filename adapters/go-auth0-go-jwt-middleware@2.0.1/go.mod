module audcheck/adapters/go-auth0-go-jwt-middleware-2.0.1

go 1.25.0

require (
	github.com/auth0/go-jwt-middleware/v2 v2.0.1
	gopkg.in/square/go-jose.v2 v2.6.0
)

require (
	github.com/pkg/errors v0.9.1 // indirect
	golang.org/x/crypto v0.0.0-20220315160706-3147a52a75dd // indirect
)
