#!/usr/bin/env python3
"""A test-only service for audcheck's HTTP transport tests; not a validator.

It judges aud itself (exact any-of match against AUDCHECK_AUDIENCES, no signature check)
so the tests can see every other case keep its verdict while the service misbehaves.
Modes (AUDCHECK_OPTIONS "mode"): ok, odd-status (500 for an aud naming "admin"),
never-ready (the ready path never answers 200), dies (exits on its 5th request),
small-headers (431, as a web server does, for an Authorization header over 8 KiB),
slow (half a second a request).

POST /audcheck/configure takes a new configuration (docs/http.md, "Reconfigured services").
Modes for it: refuses-admin (400 for a configuration naming "admin"), moves (each
configuration served on a port of its own, named by `url`; the control port then refuses
cases), elsewhere (names a non-loopback `url`), dies-configured (on its first start only,
exits on the first case after a configuration). Option "starts": a file that gets a line
each time the service starts.

Mode port-taken: on its first start, another process (in a session of its own) takes the
port first and answers every request with 200 for three seconds; the service, slower,
then fails to bind it.
"""
import base64, json, os, socket, subprocess, sys, threading, time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

OPTIONS = json.loads(os.environ.get("AUDCHECK_OPTIONS", "{}"))
AUDIENCES = json.loads(os.environ["AUDCHECK_AUDIENCES"])
seen = 0
cases_server = None
configured = False
first_start = True
if OPTIONS.get("starts"):
    first_start = not os.path.exists(OPTIONS["starts"])
    with open(OPTIONS["starts"], "a") as f:
        f.write("started\n")


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

    def do_POST(self):
        global AUDIENCES, configured
        mode = OPTIONS.get("mode", "ok")
        config = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/audcheck/configure":
            return self.reply(404, {"error": "not found"})
        if mode == "refuses-admin" and any("admin" in a for a in config["audiences"]):
            return self.reply(400, {"error": "admin audiences refused on purpose"})
        AUDIENCES = config["audiences"]
        configured = True
        if mode == "elsewhere":
            return self.reply(200, {"url": "http://192.0.2.1:8080"})
        if mode == "moves":
            cases_server.shutdown()
            serve_cases()
            return self.reply(200, {"url": f"http://127.0.0.1:{cases_server.server_address[1]}"})
        self.reply(200, {})

    def do_GET(self):
        global seen
        mode = OPTIONS.get("mode", "ok")
        if mode == "moves" and self.path == "/protected" and self.server is control:
            return self.reply(404, {"error": "cases go to the configured url"})
        if self.path == "/ready":
            if mode == "never-ready":
                return self.reply(503, {"ready": False})
            where = {"url": f"http://127.0.0.1:{cases_server.server_address[1]}"} if cases_server else {}
            return self.reply(200, {"library": "odd", "version": "0", **where})
        seen += 1
        if mode == "small-headers" and len(self.headers.get("Authorization", "")) > 8192:
            return self.reply(431, {"error": "Request Header Fields Too Large"})
        if mode == "slow":
            time.sleep(0.5)
        if (mode == "dies" and seen == 5) or (mode == "dies-configured" and first_start and configured):
            print("dying on purpose", flush=True)
            # As a service shutting down does: its connections close a moment before it exits.
            self.connection.shutdown(socket.SHUT_RDWR)
            time.sleep(0.05)
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


def serve_cases():
    global cases_server
    cases_server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=cases_server.serve_forever, daemon=True).start()


IMPOSTER = '''
import os, threading
from http.server import BaseHTTPRequestHandler, HTTPServer
class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")
threading.Timer(3, os._exit, [0]).start()
HTTPServer(("127.0.0.1", int(os.environ["AUDCHECK_PORT"])), Handler).serve_forever()
'''

if OPTIONS.get("mode") == "moves":
    serve_cases()
if OPTIONS.get("mode") == "port-taken" and first_start:
    subprocess.Popen([sys.executable, "-c", IMPOSTER], start_new_session=True)
    time.sleep(2)
control = ThreadingHTTPServer(("127.0.0.1", int(os.environ["AUDCHECK_PORT"])), Handler)
control.serve_forever()
