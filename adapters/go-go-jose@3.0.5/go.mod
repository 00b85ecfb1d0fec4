module audcheck/adapters/go-go-jose-3.0.5

go 1.25.0

require github.com/go-jose/go-jose/v3 v3.0.5

require golang.org/x/crypto v0.19.0 // indirect
