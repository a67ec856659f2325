"""Rate limits: one budget per API key, or per client address without a key.

The budget depends on the key's scope (RATE_LIMIT_ANONYMOUS, _READ, _WRITE, _ADMIN) and is shared
by every route, unrouted requests (404s) included. Counters (fixed windows, from the `limits`
library) live in the process by default, in Redis when REDIS_URL is set, so that all gunicorn
workers and machines draw on one budget; while Redis is unreachable they are counted in the
process rather than fail. Every limited response carries the IETF `RateLimit-Policy` and
`RateLimit` header fields (draft-ietf-httpapi-ratelimit-headers); a 429 also carries
`Retry-After`, and is a problem document like every error.

This is a before_request hook of a few lines rather than flask-limiter, whose per-route
machinery we did not use and which cost more than reading a claim.
"""

import math
import time

from flask import Flask, Response, current_app, g, request
from flask_smorest import abort
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from api.auth import PUBLIC_BLUEPRINTS, current_key

KEY_PREFIX = "claims-api"
REDIS_RETRY_SECONDS = 30  # after a Redis failure, count in the process this long before retrying


class RateLimits:
    """The app's budgets and where their counters live."""

    def __init__(self, app: Flask):
        self.tiers = {
            tier: parse_many(app.config[f"RATE_LIMIT_{tier.upper()}"])
            for tier in ("anonymous", "read", "write", "admin")
        }
        self.in_process = FixedWindowRateLimiter(MemoryStorage())
        redis_url = app.config["REDIS_URL"]
        self.shared = FixedWindowRateLimiter(self._redis(redis_url)) if redis_url else None
        self.shared_down_until = 0.0

    @staticmethod
    def _redis(url: str) -> Storage:
        return storage_from_string(url, key_prefix=KEY_PREFIX, wrap_exceptions=True)

    def counter(self) -> FixedWindowRateLimiter:
        if self.shared is not None and time.monotonic() >= self.shared_down_until:
            return self.shared
        return self.in_process

    def spend(self) -> None:
        """before_request: count this request against its client's budgets; 429 once one is
        spent."""
        if request.blueprint in PUBLIC_BLUEPRINTS:
            return
        key = current_key()
        tier = key.scope if key else "anonymous"
        client = f"key:{key.prefix}" if key else f"address:{request.remote_addr}"
        try:
            states = self._hit(self.counter(), tier, client)
        except StorageError:  # Redis is away
            self.shared_down_until = time.monotonic() + REDIS_RETRY_SECONDS
            states = self._hit(self.in_process, tier, client)
        g.rate_limits = (tier, states)
        if not all(allowed for _, allowed, _, _ in states):
            limit = current_app.config[f"RATE_LIMIT_{tier.upper()}"]
            message = f"Too many requests: the limit is {limit} per client; see Retry-After."
            abort(429, message=message)

    def _hit(self, counter, tier: str, client: str) -> list[tuple]:
        """(limit, allowed, remaining, reset time) for each of the tier's limits."""
        states = []
        for item in self.tiers[tier]:
            allowed = counter.hit(item, tier, client)
            stats = counter.get_window_stats(item, tier, client)
            states.append((item, allowed, stats.remaining, stats.reset_time))
        return states


def policy_name(tier: str, item: RateLimitItem) -> str:
    return f"{tier}-{item.get_expiry()}s"


def add_rate_limit_headers(response: Response) -> Response:
    """RateLimit-Policy for each limit that applied, RateLimit for the nearest one (the one
    refused, else the one with the least left), and Retry-After once it is exhausted."""
    if "rate_limits" not in g:
        return response
    tier, states = g.rate_limits
    response.headers["RateLimit-Policy"] = ", ".join(
        f'"{policy_name(tier, item)}";q={item.amount};w={item.get_expiry()}'
        for item, _, _, _ in states
    )
    item, _, remaining, reset_time = min(states, key=lambda state: (state[1], state[2]))
    seconds_left = max(1, math.ceil(reset_time - time.time()))
    response.headers["RateLimit"] = (
        f'"{policy_name(tier, item)}";r={max(0, remaining)};t={seconds_left}'
    )
    if response.status_code == 429:
        response.headers["Retry-After"] = str(seconds_left)
    return response


def init_rate_limits(app: Flask) -> RateLimits:
    """Attach the limits to `app`; call after the database hooks and before `authorize`."""
    limits = RateLimits(app)
    app.extensions["rate_limits"] = limits
    app.before_request(limits.spend)
    app.after_request(add_rate_limit_headers)
    return limits
