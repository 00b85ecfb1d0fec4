"""An HTTP service for audcheck: {{library}} protects /protected, configured the way its
documentation tells users to (see audcheck's docs/http.md). audcheck starts it with the
port, the expected audiences, the issuer and the key server's URLs in its environment.
"""
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

CONFIG = {
    "audiences": json.loads(os.environ.get("AUDCHECK_AUDIENCES", "[]")),
    "issuer": os.environ.get("AUDCHECK_ISSUER"),
    "jwks_url": os.environ.get("AUDCHECK_JWKS_URL"),
    "discovery_url": os.environ.get("AUDCHECK_DISCOVERY_URL"),
}
LIBRARY = "{{library}}"
VERSION = "unknown"  # read it from the library, say <module>.__version__


def validate(token):
    """The one place to change: validate the token with the library configured from CONFIG.
    Return None when it accepts, else the library's own message."""
    # AUDCHECK-BEGIN library call
    return "audcheck skeleton: call the library here"
    # AUDCHECK-END library call


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(json.dumps(body).encode())

    def do_GET(self):
        if self.path == "/ready":
            return self.reply(200, {"library": LIBRARY, "version": VERSION})
        if self.path != "/protected":
            return self.reply(404, {"error": "not found"})
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            problem = validate(token)
        except Exception as e:
            problem = f"{type(e).__name__}: {e}"
        if problem is None:
            return self.reply(200, {"ok": True})
        description = str(problem).replace('"', " ").replace("\\", " ").replace("\n", " ")
        self.reply(401, {"error": "invalid_token"},
                   [("WWW-Authenticate", f'Bearer error="invalid_token", error_description="{description}"')])


HTTPServer(("127.0.0.1", int(os.environ["AUDCHECK_PORT"])), Handler).serve_forever()
