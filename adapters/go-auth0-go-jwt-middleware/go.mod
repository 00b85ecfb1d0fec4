module audcheck/adapters/go-auth0-go-jwt-middleware

go 1.25.0

require (
	github.com/auth0/go-jwt-middleware/v2 v2.3.1
	gopkg.in/go-jose/go-jose.v2 v2.6.3
)

require golang.org/x/crypto v0.45.0 // indirect
