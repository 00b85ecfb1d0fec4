module audcheck/adapters/go-golang-jwt-5.2.2

go 1.25.0

require github.com/golang-jwt/jwt/v5 v5.2.2
