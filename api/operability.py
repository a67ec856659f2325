"""What an operator needs from every request: an id, one JSON log line, safe headers, limits.

- `X-Request-ID`: taken from the request when well formed, generated otherwise; echoed in the
  response and in problem documents, and logged.
- One JSON line per request on the `claims_api.requests` logger (stderr): time, request id,
  method, route, status, duration and the prefix of the API key (never the key).
- `X-Content-Type-Options: nosniff` and friends on every response.
- Bodies over MAX_BODY_BYTES are refused with 413 before anything reads them.
- CORS only for the origins in CORS_ORIGINS (none by default).
"""

import io
import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, request
from flask_cors import CORS
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from api.problems import problem

REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # uuids, trace ids; nothing that splits a log
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
# What a browser script may send and read when CORS is on.
CORS_REQUEST_HEADERS = ["Authorization", "Content-Type", "If-Match", "If-None-Match",
                        "Idempotency-Key", "X-Request-ID"]  # fmt: skip
CORS_RESPONSE_HEADERS = ["ETag", "Link", "Location", "Retry-After", "RateLimit",
                         "RateLimit-Policy", "X-Request-ID"]  # fmt: skip

request_log = logging.getLogger("claims_api.requests")


def init_operability(app: Flask) -> None:
    """Register the request id, size check, log line and headers; call before other hooks."""
    if app.config["TRUSTED_PROXIES"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["TRUSTED_PROXIES"])
    if not request_log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        request_log.addHandler(handler)
        request_log.setLevel(logging.INFO)
    app.before_request(start_request)
    app.after_request(finish_request)
    app.register_error_handler(RequestEntityTooLarge, body_too_large)
    origins = [origin.strip() for origin in app.config["CORS_ORIGINS"].split(",") if origin.strip()]
    if origins:
        CORS(
            app,
            origins=origins,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
        )


def request_id() -> str:
    """This request's id: the client's X-Request-ID if well formed, else a new one."""
    if "request_id" not in g:
        offered = request.headers.get("X-Request-ID", "")
        g.request_id = offered if REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    return g.request_id


def start_request() -> None:
    g.started = time.perf_counter()
    request_id()
    limit = request.max_content_length  # MAX_CONTENT_LENGTH, unless a blueprint raised it
    if request.content_length is not None:
        if request.content_length > limit:
            raise RequestEntityTooLarge()
    elif request.environ.get("wsgi.input_terminated"):
        # A streamed (chunked) body has no length to check, and werkzeug would cut it at the
        # limit without a word: read it now, one byte past the limit.
        body = request.environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            raise RequestEntityTooLarge()
        request.environ["wsgi.input"] = io.BytesIO(body)


def body_too_large(error: RequestEntityTooLarge):
    limit = request.max_content_length
    detail = f"The request body is larger than the limit of {limit} bytes."
    # A view that refuses what the body holds (abort(413, message=...)) says what it refused.
    return problem(413, (getattr(error, "data", None) or {}).get("message", detail))


def finish_request(response: Response) -> Response:
    response.headers["X-Request-ID"] = request_id()
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    started = g.get("started", time.perf_counter())
    entry = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "request_id": request_id(),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "key_prefix": g.api_key.prefix if g.get("api_key") else None,
    }
    request_log.info(json.dumps(entry))
    return response
