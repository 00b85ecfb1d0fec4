module audcheck/adapters/go-dgrijalva-jwt-go-3.2.0

go 1.25.0

require github.com/dgrijalva/jwt-go v3.2.0+incompatible
