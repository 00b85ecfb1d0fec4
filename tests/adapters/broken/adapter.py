#!/usr/bin/env python3
"""A deliberately broken adapter, for audcheck's transport tests only.

It judges aud itself (exact any-of match, no signature check): it stands in for a
library so the tests can see every other case keep a verdict while one case breaks
the protocol. Modes (option "mode"):
  accept-all   accepts every token (its controls fail: untrusted)
  crash-third  exits on its third verify request, once (option "marker": a file it creates)
  hang         never answers the case named by option "case"
  garbage      prints a line that is not JSON for that case
  wrong-id     answers that case with another id
  no-hello     exits without answering hello
  die-always   exits on every verify request
  hang-all     never answers any verify request
  flood        writes 4 MiB to stderr before every answer, and a 64 MiB line to stdout
               instead of answering the case named by option "case"
  slow         answers correctly, one case at a time, after option "ms" milliseconds each
"""
import base64, json, os, sys, time

def aud_of(token):
    part = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims.get("aud", None), "aud" in claims

def judge(msg):
    aud, present = aud_of(msg["token"])
    expected = msg["audience"] or []
    members = aud if isinstance(aud, list) else [aud]
    ok = present and all(isinstance(m, str) for m in members) and any(m in expected for m in members)
    return {"op": "verify", "id": msg["id"], "accepted": ok} if ok else \
        {"op": "verify", "id": msg["id"], "accepted": False, "reason": "audience", "error": "aud mismatch"}

def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()

options, seen = {}, 0
for line in sys.stdin:
    msg = json.loads(line)
    if msg["op"] == "hello":
        options = msg["options"]
        if options.get("mode") == "no-hello":
            sys.exit(3)
        send({"op": "hello", "protocol": 1, "library": "broken", "version": "0", "language": "python",
              "capabilities": {"algorithms": ["HS256", "RS256", "PS256", "ES256", "EdDSA"], "audience": "any-of"}})
        continue
    seen += 1
    mode, case = options.get("mode"), options.get("case")
    print(f"verify {msg['id']}", file=sys.stderr, flush=True)
    if mode == "accept-all":
        send({"op": "verify", "id": msg["id"], "accepted": True})
    elif mode == "crash-third" and seen == 3 and not os.path.exists(options["marker"]):
        open(options["marker"], "w").close()
        print("crashing on purpose", file=sys.stderr, flush=True)
        os._exit(7)
    elif mode == "die-always":
        os._exit(9)
    elif mode == "hang-all":
        time.sleep(3600)
    elif mode == "slow":
        time.sleep(options.get("ms", 200) / 1000)
        send(judge(msg))
    elif mode == "flood":
        for _ in range(4):
            sys.stderr.write("e" * (1 << 20))
        sys.stderr.write("\n"); sys.stderr.flush()
        if msg["id"] == case:
            chunk = "x" * (1 << 20)
            for _ in range(64):
                sys.stdout.write(chunk)
            sys.stdout.write("\n"); sys.stdout.flush()
        else:
            send(judge(msg))
    elif mode == "hang" and msg["id"] == case:
        time.sleep(3600)
    elif mode == "garbage" and msg["id"] == case:
        sys.stdout.write("this is not json\n"); sys.stdout.flush()
    elif mode == "wrong-id" and msg["id"] == case:
        send({"op": "verify", "id": "no-such-case", "accepted": True})
    else:
        send(judge(msg))
