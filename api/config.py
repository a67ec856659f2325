"""Configuration from the environment, checked once at start-up."""

import os
from urllib.parse import urlsplit

from limits import parse_many

from api.request_body import MAX_JSON_DEPTH, MAX_NUMBER_LENGTH

# `+pool`: connections kept open and reused by each process (playhouse.pool).
DATABASE_SCHEMES = (
    "sqlite",
    "postgres",
    "postgresql",
    "sqlite+pool",
    "postgres+pool",
    "postgresql+pool",
)
REDIS_SCHEMES = ("redis", "rediss", "unix")
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


class ConfigError(ValueError):
    """One or more settings are unusable; the message names each and says what is expected."""


class Config:
    """Settings for a served instance. Every value can be set by an environment variable of the
    same name (see ENVIRONMENT); `from_env` refuses values it cannot use."""

    DATABASE_URL = "sqlite:///claims.db"
    REDIS_URL = ""  # rate-limit counters shared by every worker and machine
    # This machine's counters (rate limits without Redis, export slots): a SQLite file of its
    # own, shared by every worker; empty: beside a SQLite database, else in the temp directory.
    COUNTERS_FILE = ""
    REQUIRE_AUTH_FOR_READS = False
    # Requests per client, by the scope of its key; clients without a key count by address.
    RATE_LIMIT_ANONYMOUS = "300/minute"
    RATE_LIMIT_READ = "1200/minute"
    RATE_LIMIT_WRITE = "1200/minute"
    RATE_LIMIT_ADMIN = "1200/minute"
    MAX_BODY_BYTES = 1024 * 1024
    QUERY_TIME_BUDGET_MS = 5000
    # How long a SQLite write waits for another writer's lock before answering 503.
    DATABASE_BUSY_TIMEOUT_MS = 5000
    EXPORT_BATCH_ROWS = 1000  # rows per query while streaming an NDJSON or CSV export
    # Streamed exports at once per key or address, and on the machine in all (every worker):
    # each holds a thread while the client reads, and the default server has 8.
    EXPORT_CONCURRENCY = 2
    EXPORT_MACHINE_CONCURRENCY = 4
    EXPORT_ANONYMOUS_MAX_ROWS = 10_000  # claims an export without a key may hold; 0: keys only
    IMPORT_MAX_LINES = 1000  # lines per POST /v1/imports; larger files via `claims-api import`
    IMPORT_MAX_BYTES = 16 * 1024 * 1024
    # What one extraction may read (code points; an article body's maximum) and take (ms).
    EXTRACTION_MAX_CHARACTERS = 200_000
    EXTRACTION_TIME_BUDGET_MS = 10_000
    CORS_ORIGINS = ""  # comma-separated origins allowed to call from a browser; none if empty
    TRUSTED_PROXIES = 0  # reverse proxies in front whose X-Forwarded-For names the client
    # Where clients reach the API (scheme, host, port): every absolute URL in an answer
    # (Location, Link, JSON-LD ids) is built on it, never on the Host header a client sent.
    # The default is what `make serve` binds; the Makefile passes its PORT as PUBLIC_URL.
    PUBLIC_URL = "http://127.0.0.1:8000"

    DEBUG = False  # never from FLASK_DEBUG: the debugger must not reach a served instance
    API_TITLE = "Claims API"
    API_VERSION = "1.0.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/docs/assets/"  # served by the app itself: no CDN
    JSON_SORT_KEYS = False
    API_SPEC_OPTIONS = {
        "info": {
            "description": "Who said what, where it was reported: attributed statements "
            "anchored in the verbatim text of published news articles.\n\n"
            "Writes: bodies are JSON objects of the fields a response shows, with references "
            "as `outlet_id`, `article_id`, `speaker_id`, `via_outlet_id`. Unknown and "
            "read-only fields are refused; text is refused, never repaired, when it is empty, "
            "too long, holds control characters, holds format characters (zero-width, "
            "bidirectional; allowed only in an article body and a claim text) or (except an "
            "article body) begins or ends with whitespace. A body is read whole or not at all "
            "(one shorter than its `Content-Length` is 400) and as UTF-8 (another declared "
            f"`charset` is 415); JSON nested more than {MAX_JSON_DEPTH} levels deep, or with "
            f"a number longer than {MAX_NUMBER_LENGTH} characters, is 400, as malformed JSON "
            "is. Changes and deletes need `If-Match` with the item's `ETag`; creates accept "
            "an `Idempotency-Key`.",
            "contact": {"name": "Claims API team"},
        },
        # Relative: requests go to the host that serves this description.
        "servers": [{"url": "/", "description": "The host serving this description"}],
    }

    ENVIRONMENT = (
        "DATABASE_URL",
        "REDIS_URL",
        "COUNTERS_FILE",
        "REQUIRE_AUTH_FOR_READS",
        "RATE_LIMIT_ANONYMOUS",
        "RATE_LIMIT_READ",
        "RATE_LIMIT_WRITE",
        "RATE_LIMIT_ADMIN",
        "MAX_BODY_BYTES",
        "QUERY_TIME_BUDGET_MS",
        "DATABASE_BUSY_TIMEOUT_MS",
        "EXPORT_CONCURRENCY",
        "EXPORT_MACHINE_CONCURRENCY",
        "EXPORT_ANONYMOUS_MAX_ROWS",
        "EXTRACTION_MAX_CHARACTERS",
        "EXTRACTION_TIME_BUDGET_MS",
        "CORS_ORIGINS",
        "TRUSTED_PROXIES",
        "PUBLIC_URL",
    )

    @classmethod
    def from_env(cls, environ=os.environ) -> "Config":
        """The configuration the environment asks for; ConfigError lists every bad value."""
        config, problems = cls(), []
        for name in cls.ENVIRONMENT:
            if name not in environ:
                continue
            default = getattr(cls, name)
            try:
                value = READERS[type(default)](environ[name].strip())
                CHECKS.get(name, lambda value: None)(value)
            except ValueError as error:
                problems.append(f"{name}={environ[name]!r}: {error}")
            else:
                setattr(config, name, value)
        if problems:
            raise ConfigError("; ".join(problems))
        return config

    @property
    def MAX_CONTENT_LENGTH(self) -> int:
        """Flask's name for the body limit: larger bodies are refused with 413."""
        return self.MAX_BODY_BYTES


def read_bool(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise ValueError("expected true or false (1/0, yes/no, on/off)")


def read_count(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("expected a whole number") from None


READERS = {str: str, bool: read_bool, int: read_count}


def check_url(schemes: tuple[str, ...], example: str):
    def check(url: str) -> None:
        if not url and "redis" in schemes:
            return
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 -- parsing the port is what finds a malformed one
        except ValueError as error:
            raise ValueError(f"not a URL ({error}); expected e.g. {example}") from None
        if parts.scheme not in schemes:
            raise ValueError(f"the scheme must be one of {', '.join(schemes)}, e.g. {example}")

    return check


def check_rate_limit(text: str) -> None:
    try:
        parse_many(text)
    except ValueError:
        raise ValueError('expected a rate such as "100/minute" or "10/second;1000/day"') from None


def check_at_least(minimum: int):
    def check(value: int) -> None:
        if value < minimum:
            raise ValueError(f"must be at least {minimum}")

    return check


def check_origins(text: str) -> None:
    for origin in filter(None, (part.strip() for part in text.split(","))):
        parts = urlsplit(origin)
        if origin != "*" and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValueError(f"{origin!r} is not an origin such as https://example.org")


def check_public_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- parsing the port is what finds a malformed one
    except ValueError as error:
        raise ValueError(f"not a URL ({error}); expected e.g. https://claims.example.org") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("expected http:// or https:// and a host, e.g. https://claims.example.org")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username is not None:
        raise ValueError(
            "expected only a scheme, host and port, e.g. https://claims.example.org:8443 "
            "(an app served under a path prefix learns it from SCRIPT_NAME)"
        )


CHECKS = {
    "DATABASE_URL": check_url(DATABASE_SCHEMES, "sqlite:///claims.db or postgresql://host/db"),
    "REDIS_URL": check_url(REDIS_SCHEMES, "redis://127.0.0.1:6379/0"),
    "RATE_LIMIT_ANONYMOUS": check_rate_limit,
    "RATE_LIMIT_READ": check_rate_limit,
    "RATE_LIMIT_WRITE": check_rate_limit,
    "RATE_LIMIT_ADMIN": check_rate_limit,
    "MAX_BODY_BYTES": check_at_least(1),
    "QUERY_TIME_BUDGET_MS": check_at_least(1),
    "DATABASE_BUSY_TIMEOUT_MS": check_at_least(0),
    "EXPORT_CONCURRENCY": check_at_least(1),
    "EXPORT_MACHINE_CONCURRENCY": check_at_least(1),
    "EXPORT_ANONYMOUS_MAX_ROWS": check_at_least(0),
    "EXTRACTION_MAX_CHARACTERS": check_at_least(1),
    "EXTRACTION_TIME_BUDGET_MS": check_at_least(1),
    "CORS_ORIGINS": check_origins,
    "TRUSTED_PROXIES": check_at_least(0),
    "PUBLIC_URL": check_public_url,
}


class TestConfig(Config):
    TESTING = True
    # Tests make many requests from one address; the rate-limit tests set their own limits.
    RATE_LIMIT_ANONYMOUS = RATE_LIMIT_READ = RATE_LIMIT_WRITE = RATE_LIMIT_ADMIN = "100000/minute"
    PUBLIC_URL = "http://localhost"  # the host the test client sends
    # The test client closes a streamed response only when asked, so slots would stay taken.
    EXPORT_CONCURRENCY = EXPORT_MACHINE_CONCURRENCY = 100000
