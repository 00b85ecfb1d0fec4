"""audcheck adapter for google-auth: google.oauth2.id_token.verify_token(id_token, request,
audience=..., certs_url=...) as its documentation describes it, reporting the library's
own verdict. Protocol: docs/protocol.md.

verify_token fetches the keys from certs_url on every call. This adapter serves the case's
test public key itself, on 127.0.0.1, in one of the two shapes verify_token documents for
that URL:

  python-google-auth+pem-certs  {"<kid>": "<PEM>"}: verified by google.auth.jwt.decode.
                                The test keys are committed as SPKI public keys, not
                                certificates; google.auth.crypt's verifiers take "the public
                                key in PEM format or the x509 public key certificate".
  python-google-auth+jwks       {"keys": [<JWK>]}: verify_token then decodes with PyJWT.

verify_token checks no issuer (google.oauth2.id_token.verify_oauth2_token does, against
Google's own issuers only), so the wrong-issuer control is accepted by this library.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import google.auth
import google.auth.exceptions
import google.auth.transport.requests
import jwt as pyjwt
import requests
from google.oauth2 import id_token

options = {}
served = {"body": b"{}"}


class Certs(BaseHTTPRequestHandler):
    def do_GET(self):
        body = served["body"]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Certs)
threading.Thread(target=server.serve_forever, daemon=True).start()
CERTS_URL = f"http://127.0.0.1:{server.server_address[1]}/certs"

session = requests.Session()
session.trust_env = False  # the certs server is on loopback: no proxy
request = google.auth.transport.requests.Request(session=session)


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def reason(err):
    text = str(err)
    if isinstance(err, pyjwt.PyJWTError):
        for cls, name in [(pyjwt.MissingRequiredClaimError, "missing-aud"), (pyjwt.InvalidAudienceError, "audience"),
                          (pyjwt.ExpiredSignatureError, "expired"), (pyjwt.ImmatureSignatureError, "not-yet-valid"),
                          (pyjwt.InvalidSignatureError, "signature"), (pyjwt.InvalidAlgorithmError, "signature"),
                          (pyjwt.PyJWKClientError, "signature"), (pyjwt.DecodeError, "malformed")]:
            if isinstance(err, cls):
                return name
        return "other"
    if "wrong audience" in text:
        return "audience"
    if "Token expired" in text:
        return "expired"
    if "Token used too early" in text:
        return "not-yet-valid"
    if "signature" in text or "Certificate for key id" in text or "algorithm" in text:
        return "signature"
    if isinstance(err, google.auth.exceptions.MalformedError) or "Wrong number of segments" in text:
        return "malformed"
    return "other"


def certs_for(msg):
    jwk = msg["key"]["jwk"]
    if options["certs"] == "jwks":
        return {"keys": [jwk]}
    return {jwk["kid"]: msg["key"]["pem"]}


def verify(msg):
    served["body"] = json.dumps(certs_for(msg)).encode()
    try:
        id_token.verify_token(msg["token"], request, audience=msg["audience"], certs_url=CERTS_URL)
        return {"op": "verify", "id": msg["id"], "accepted": True}
    except (ValueError, google.auth.exceptions.GoogleAuthError, pyjwt.PyJWTError) as err:
        # The documented failures: ValueError (google.auth's InvalidValue and MalformedError
        # are ValueErrors) and, for a JWK Set, PyJWT's errors.
        return {"op": "verify", "id": msg["id"], "accepted": False, "reason": reason(err),
                "error": f"{type(err).__name__}: {err}"}
    except Exception as err:  # noqa: BLE001 - an exception escaping the library: a crash
        return {"op": "error", "id": msg["id"], "error": f"{type(err).__name__} escaped verify_token: {err}"}


def hello(msg):
    global options
    opts = msg.get("options", {})
    if set(opts) != {"certs"} or opts["certs"] not in ("pem", "jwks"):
        return {"op": "error", "id": None, "error": f"options must be {{'certs': 'pem' | 'jwks'}}, got {opts!r}"}
    options = opts
    # The PEM map goes through google.auth.jwt.decode (RS256, ES256); the JWK Set through
    # PyJWT with the algorithm the key implies (RS256 for RSA, ES256, EdDSA).
    algs = ["RS256", "ES256"] if opts["certs"] == "pem" else ["RS256", "ES256", "EdDSA"]
    return {"op": "hello", "protocol": 1, "library": "google-auth", "version": google.auth.__version__,
            "language": "python", "capabilities": {"algorithms": algs, "audience": "any-of"}}


def main():
    for line in sys.stdin:
        try:
            msg = json.loads(line)
        except ValueError as e:
            send({"op": "error", "id": None, "error": f"not JSON: {e}"})
            continue
        if msg.get("op") == "hello":
            send(hello(msg))
        elif msg.get("op") == "verify":
            send(verify(msg))
        else:
            send({"op": "error", "id": msg.get("id"), "error": f"unknown op {msg.get('op')!r}"})


if __name__ == "__main__":
    main()
