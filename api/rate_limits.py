"""Rate limits: one budget per API key, or per client address without a key.

The budget depends on the key's scope (RATE_LIMIT_ANONYMOUS, _READ, _WRITE, _ADMIN) and is shared
by every route, unrouted requests (404s) included. Counters are fixed windows. They live in
Redis when REDIS_URL is set, so that every worker of every machine draws on one budget, and
otherwise in this machine's counters file (api/counters.py), shared by all its workers. While
Redis is unreachable, requests are counted in the machine's file (a warning is logged once per
retry interval and `/readyz` reports `degraded`), never refused or failed for it. Every limited
response carries the IETF `RateLimit-Policy` and `RateLimit` header fields
(draft-ietf-httpapi-ratelimit-headers); a 429 also carries `Retry-After`, and is a problem
document like every error.

This is a before_request hook of a few lines rather than flask-limiter, whose per-route
machinery we did not use and which cost more than reading a claim.
"""

import math
import sqlite3
import time

from flask import Flask, Response, current_app, g, request
from flask_smorest import abort
from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string

from api.auth import PUBLIC_BLUEPRINTS, current_key
from api.counters import MachineCounters, default_counters_file

KEY_PREFIX = "claims-api"
REDIS_RETRY_SECONDS = 30  # after a Redis failure, count on the machine this long, then retry
REDIS_TIMEOUT_SECONDS = 0.5  # a Redis that does not answer in this time counts as down
UNREACHABLE_REDIS = (
    "rate-limit counters: Redis (REDIS_URL) does not answer; each machine counts its own "
    "requests until it does"
)


class RateLimits:
    """The app's budgets and where their counters live."""

    def __init__(self, app: Flask, machine: MachineCounters):
        self.tiers = {
            tier: parse_many(app.config[f"RATE_LIMIT_{tier.upper()}"])
            for tier in ("anonymous", "read", "write", "admin")
        }
        self.machine = machine
        redis_url = app.config["REDIS_URL"]
        self.redis = self._redis(redis_url) if redis_url else None
        self.redis_down_until = 0.0
        self.machine_failed_at = -math.inf
        self.logger = app.logger

    @staticmethod
    def _redis(url: str) -> Storage:
        timeouts = {"socket_timeout": REDIS_TIMEOUT_SECONDS,
                    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS}  # fmt: skip
        return storage_from_string(url, key_prefix=KEY_PREFIX, wrap_exceptions=True, **timeouts)

    def spend(self) -> None:
        """before_request: count this request against its client's budgets; 429 once one is
        spent."""
        if request.blueprint in PUBLIC_BLUEPRINTS:
            return
        key = current_key()
        tier = key.scope if key else "anonymous"
        client = f"key:{key.prefix}" if key else f"address:{request.remote_addr}"
        try:
            states = self._count(tier, client)
        except sqlite3.Error as error:  # the machine's own file failed: serve, uncounted
            if time.monotonic() - self.machine_failed_at >= REDIS_RETRY_SECONDS:
                self.machine_failed_at = time.monotonic()
                self.logger.error("rate limits: the counters file failed (%s)", error)
            return
        g.rate_limits = (tier, states)
        if not all(allowed for _, allowed, _, _ in states):
            limit = current_app.config[f"RATE_LIMIT_{tier.upper()}"]
            message = f"Too many requests: the limit is {limit} per client; see Retry-After."
            abort(429, message=message)

    def _count(self, tier: str, client: str) -> list[tuple]:
        """(limit, allowed, remaining, reset time) for each of the tier's limits, counted in
        Redis if it is configured and answers, else in the machine's file."""
        items = self.tiers[tier]
        if self.redis is not None and time.monotonic() >= self.redis_down_until:
            try:
                return [self._state(item, *self._spend_in_redis(item.key_for(tier, client),
                                                                item.get_expiry()))
                        for item in items]  # fmt: skip
            except StorageError as error:
                self.redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
                self.logger.warning(
                    "%s (%s); retrying in %d s", UNREACHABLE_REDIS, error, REDIS_RETRY_SECONDS
                )
        return [
            self._state(item, *self.machine.spend(item.key_for(tier, client), item.get_expiry()))
            for item in items
        ]

    def _spend_in_redis(self, key: str, seconds: int) -> tuple[int, float]:
        hits = self.redis.incr(key, seconds)
        return hits, self.redis.get_expiry(key)

    @staticmethod
    def _state(item: RateLimitItem, hits: int, ends_at: float) -> tuple:
        return item, hits <= item.amount, item.amount - hits, ends_at

    def health(self) -> list[str]:
        """Why the budgets are not held where they are configured to be (empty when they
        are): for the readiness probe."""
        reasons = []
        if self.redis is not None and not self.redis.check():
            reasons.append(UNREACHABLE_REDIS)
        if (failure := self.machine.check()) is not None:
            reasons.append(f"rate-limit and export counters: unusable file {failure}")
        return reasons


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
    if response.status_code == 429:  # unless refused by another budget (exports)
        response.headers.setdefault("Retry-After", str(seconds_left))
    return response


def init_rate_limits(app: Flask) -> RateLimits:
    """Attach the machine's counters and the limits to `app`; call after the database hooks
    and before `authorize`."""
    path = app.config["COUNTERS_FILE"] or default_counters_file(app.config["DATABASE_URL"])
    machine = app.extensions["machine_counters"] = MachineCounters(path)
    limits = RateLimits(app, machine)
    app.extensions["rate_limits"] = limits
    app.before_request(limits.spend)
    app.after_request(add_rate_limit_headers)
    return limits
