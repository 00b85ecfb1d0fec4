#!/usr/bin/env python3
"""A test-only service for audcheck's HTTP transport tests; not a validator.

It judges aud itself (exact any-of match against AUDCHECK_AUDIENCES, no signature check)
so the tests can see every other case keep its verdict while the service misbehaves.
Modes (AUDCHECK_OPTIONS "mode"): ok, odd-status (500 for an aud naming "admin"),
never-ready (the ready path never answers 200), dies (exits on its 5th request),
small-headers (431, as a web server does, for an Authorization header over 8 KiB),
slow (half a second a request).
"""
import base64, json, os, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer

OPTIONS = json.loads(os.environ.get("AUDCHECK_OPTIONS", "{}"))
AUDIENCES = json.loads(os.environ["AUDCHECK_AUDIENCES"])
seen = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        print("request", self.path, flush=True)

    def reply(self, status, body, challenge=None):
        self.send_response(status)
        if challenge:
            self.send_header("WWW-Authenticate", challenge)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def do_GET(self):
        global seen
        mode = OPTIONS.get("mode", "ok")
        if self.path == "/ready":
            if mode == "never-ready":
                return self.reply(503, {"ready": False})
            return self.reply(200, {"library": "odd", "version": "0"})
        seen += 1
        if mode == "small-headers" and len(self.headers.get("Authorization", "")) > 8192:
            return self.reply(431, {"error": "Request Header Fields Too Large"})
        if mode == "slow":
            time.sleep(0.5)
        if mode == "dies" and seen == 5:
            print("dying on purpose", flush=True)
            os._exit(9)
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token.count(".") != 2:
            return self.reply(401, {"error": "invalid_request"}, 'Bearer error="invalid_request"')
        part = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        aud = claims.get("aud")
        members = aud if isinstance(aud, list) else [aud]
        if mode == "odd-status" and any(isinstance(m, str) and "admin" in m for m in members):
            return self.reply(500, {"error": "odd on purpose"})
        if "aud" in claims and all(isinstance(m, str) for m in members) and any(m in AUDIENCES for m in members):
            return self.reply(200, {"ok": True})
        self.reply(401, {"error": "invalid_token"}, 'Bearer error="invalid_token", error_description="aud mismatch"')


HTTPServer(("127.0.0.1", int(os.environ["AUDCHECK_PORT"])), Handler).serve_forever()
