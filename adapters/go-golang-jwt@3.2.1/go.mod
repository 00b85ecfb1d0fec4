module audcheck/adapters/go-golang-jwt-3.2.1

go 1.25.0

require github.com/golang-jwt/jwt v3.2.1+incompatible
