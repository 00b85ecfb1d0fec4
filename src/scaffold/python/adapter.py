"""audcheck adapter for {{library}} (the protocol: audcheck's docs/protocol.md).

It reads one JSON request a line on stdin and answers one a line on stdout. Configure the
library the way its documentation tells users to, and report its own verdict: never check
anything here yourself.
"""
import json
import sys

# The library under test: pin it in requirements.txt (name==version), then import it here.
LIBRARY = "{{library}}"
VERSION = "unknown"  # read it from the library, say <module>.__version__


def send(msg):
    sys.stdout.write(json.dumps(msg) + "\n")
    sys.stdout.flush()


def verify(msg):
    """The one place to change: verify msg["token"] with the library.

    msg["alg"]: "RS256"...; msg["key"]["jwk"]: the public JWK (an "oct" JWK holding the
    secret for HS256); msg["key"]["pem"]: the SPKI PEM; msg["audience"]: the expected
    audiences, or None for "configure none"; msg["issuer"]: the expected issuer;
    msg["now"]: the Unix time to check at. Return {"accepted": True}, or {"accepted": False,
    "reason": ..., "error": ...} with reason one of audience, missing-aud, signature,
    expired, not-yet-valid, issuer, malformed, config, other (or leave it out) and error the
    library's own message.
    """
    # AUDCHECK-BEGIN library call
    return {"accepted": False, "reason": "other", "error": "audcheck skeleton: call the library here"}
    # AUDCHECK-END library call


for line in sys.stdin:
    try:
        msg = json.loads(line)
    except ValueError as e:
        send({"op": "error", "id": None, "error": f"not JSON: {e}"})
        continue
    if msg.get("op") == "hello":
        if msg.get("options"):
            send({"op": "error", "id": None, "error": f"unknown option {next(iter(msg['options']))!r}; this adapter takes none"})
            continue
        send({"op": "hello", "protocol": 1, "library": LIBRARY, "version": VERSION, "language": "python",
              # The algorithms the library verifies, and how it takes several expected audiences.
              "capabilities": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"], "audience": "any-of"}})
    elif msg.get("op") == "verify":
        try:
            send({"op": "verify", "id": msg["id"], **verify(msg)})
        except Exception as e:  # a library that raises where it should reject: say so, never crash
            send({"op": "error", "id": msg["id"], "error": f"{type(e).__name__}: {e}"})
    else:
        send({"op": "error", "id": msg.get("id"), "error": f"unknown op {msg.get('op')!r}"})
