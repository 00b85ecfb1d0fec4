#!/usr/bin/env bash
# Makes the audcheck TEST keys in this folder. Run by hand, once; never by tests or runs.
# These keys are public test material: they protect nothing and must never be used
# for anything but audcheck's test tokens. Each key has a "wrong" twin for the controls.
set -euo pipefail
cd "$(dirname "$0")"

b64url() { basenc --base64url -w0 | tr -d '='; }

# HMAC: 32 random bytes, kept as an oct JWK only.
hmac() { # name
  local k; k=$(openssl rand 32 | b64url)
  printf '{"kty":"oct","kid":"audcheck-test-%s","alg":"HS256","k":"%s"}\n' "$1" "$k" > "$1.jwk.json"
}

rsa() { # name
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1.key.pem" 2>/dev/null
  openssl pkey -in "$1.key.pem" -pubout -out "$1.pub.pem"
  local n; n=$(openssl rsa -pubin -in "$1.pub.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
  printf '{"kty":"RSA","kid":"audcheck-test-%s","use":"sig","n":"%s","e":"AQAB"}\n' "$1" "$n" > "$1.jwk.json"
}

ec() { # name
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key.tmp" 2>/dev/null
  openssl pkcs8 -topk8 -nocrypt -in "$1.key.tmp" -out "$1.key.pem" && rm "$1.key.tmp"
  openssl pkey -in "$1.key.pem" -pubout -out "$1.pub.pem"
  local pt; pt=$(openssl pkey -pubin -in "$1.pub.pem" -outform DER | tail -c 64 | xxd -p -c 64)
  local x y; x=$(echo "${pt:0:64}" | xxd -r -p | b64url); y=$(echo "${pt:64:64}" | xxd -r -p | b64url)
  printf '{"kty":"EC","kid":"audcheck-test-%s","use":"sig","crv":"P-256","x":"%s","y":"%s"}\n' "$1" "$x" "$y" > "$1.jwk.json"
}

ed() { # name
  openssl genpkey -algorithm ED25519 -out "$1.key.pem"
  openssl pkey -in "$1.key.pem" -pubout -out "$1.pub.pem"
  local x; x=$(openssl pkey -pubin -in "$1.pub.pem" -outform DER | tail -c 32 | b64url)
  printf '{"kty":"OKP","kid":"audcheck-test-%s","use":"sig","crv":"Ed25519","x":"%s"}\n' "$1" "$x" > "$1.jwk.json"
}

for twin in "" "-wrong"; do
  hmac "hmac$twin"; rsa "rsa$twin"; ec "ec$twin"; ed "ed25519$twin"
done
