"""Rate limits (flask-limiter): one budget per API key, or per client address without a key.

The budget depends on the key's scope (RATE_LIMIT_ANONYMOUS, _READ, _WRITE, _ADMIN) and is shared
by every route. Counters live in the process by default, in Redis when REDIS_URL is set, so that
all gunicorn workers and machines draw on one budget. Every limited response carries the IETF
`RateLimit-Policy` and `RateLimit` header fields (draft-ietf-httpapi-ratelimit-headers); a 429 also
carries `Retry-After`, and is a problem document like every error.
"""

import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit, Limiter, RequestLimit

from api.auth import PUBLIC_BLUEPRINTS, current_key


def client_identity() -> str:
    """Whose budget a request draws on: its valid key's, else its address's."""
    key = current_key()
    return f"key:{key.prefix}" if key else f"address:{request.remote_addr}"


def client_tier() -> str:
    """The name of the budget a request draws on: its key's scope, or `anonymous`."""
    key = current_key()
    return key.scope if key else "anonymous"


def tier_limit() -> str:
    return current_app.config[f"RATE_LIMIT_{client_tier().upper()}"]


def init_rate_limits(app: Flask) -> Limiter:
    """Attach the limiter to `app`; call after the database hooks and before `authorize`."""
    limiter = Limiter(
        client_identity,
        storage_uri=app.config["REDIS_URL"] or "memory://",
        application_limits=[
            ApplicationLimit(
                tier_limit,
                exempt_when=lambda: request.blueprint in PUBLIC_BLUEPRINTS,
                error_message=exceeded_message,
            )
        ],
        key_prefix="claims-api",
        # Unrouted requests (404s) count too: flask-limiter would exempt them.
        request_identifier=lambda: request.endpoint or "unrouted",
        headers_enabled=False,  # flask-limiter writes X-RateLimit-*; we write the IETF fields
        in_memory_fallback_enabled=True,  # Redis down: count in the process rather than fail
    )
    limiter.init_app(app)
    app.after_request(lambda response: add_rate_limit_headers(limiter, response))
    return limiter


def exceeded_message() -> str:
    return f"Too many requests: the limit is {tier_limit()} per client; see Retry-After."


def add_rate_limit_headers(limiter: Limiter, response: Response) -> Response:
    """RateLimit-Policy for each limit that applied, RateLimit for the nearest one, and
    Retry-After once it is exhausted."""
    limits = limiter.current_limits
    if not limits:
        return response
    response.headers["RateLimit-Policy"] = ", ".join(
        f'"{policy_name(limit)}";q={limit.limit.amount};w={limit.limit.get_expiry()}'
        for limit in limits
    )
    nearest = limiter.current_limit or limits[0]
    seconds_left = max(1, math.ceil(nearest.window.reset_time - time.time()))
    response.headers["RateLimit"] = (
        f'"{policy_name(nearest)}";r={max(0, nearest.remaining)};t={seconds_left}'
    )
    if response.status_code == 429:
        response.headers["Retry-After"] = str(seconds_left)
    return response


def policy_name(limit: RequestLimit) -> str:
    return f"{client_tier()}-{limit.limit.get_expiry()}s"
