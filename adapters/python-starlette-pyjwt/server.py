"""A Starlette API whose endpoint validates the bearer token with PyJWT's PyJWKClient, as
PyJWT's documentation shows: the signing key from the JWKS URL, then jwt.decode with the
expected audience and issuer. audcheck starts it with those in the environment, then gives
each further configuration at its configure endpoint (docs/http.md)."""
import json
import os

import jwt
import uvicorn
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def ready(request):
    return JSONResponse({"library": "pyjwt", "version": jwt.__version__})


def make_app(config):
    """The API for one configuration: {audiences, issuer, jwks_url} (docs/http.md)."""
    audiences, issuer = config["audiences"], config["issuer"]
    jwks_client = jwt.PyJWKClient(config["jwks_url"])

    async def protected(request):
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return JSONResponse({"error": "invalid_request"}, 401, {"WWW-Authenticate": 'Bearer error="invalid_request"'})
        token = auth.removeprefix("Bearer ")
        try:
            key = jwks_client.get_signing_key_from_jwt(token)
            claims = jwt.decode(token, key.key, algorithms=["RS256", "PS256", "ES256", "EdDSA"],
                                audience=audiences, issuer=issuer)
        except jwt.PyJWTError as err:
            description = f"{type(err).__name__}: {err}".replace('"', "'")
            return JSONResponse({"error": "invalid_token", "error_description": description}, 401,
                                {"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'})
        return JSONResponse({"ok": True, "sub": claims.get("sub")})

    return Starlette(routes=[Route("/ready", ready), Route("/protected", protected)])


current = make_app({"audiences": json.loads(os.environ["AUDCHECK_AUDIENCES"]), "issuer": os.environ["AUDCHECK_ISSUER"],
                    "jwks_url": os.environ["AUDCHECK_JWKS_URL"]})


async def configure(request):
    """audcheck's configure endpoint ("Reconfigured services"): a fresh app, built as above."""
    global current
    try:
        current = make_app(await request.json())
    except Exception as err:  # a configuration the app refuses: audcheck reports the message
        return JSONResponse({"error": f"{type(err).__name__}: {err}"}, 400)
    return JSONResponse({})


control = Starlette(routes=[Route("/audcheck/configure", configure, methods=["POST"])])


async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/audcheck/configure":
        return await control(scope, receive, send)
    await current(scope, receive, send)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["AUDCHECK_PORT"]), log_level="warning", h11_max_incomplete_event_size=4 << 20)
