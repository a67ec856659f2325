"""Who is calling: API keys in `Authorization: Bearer <key>`, and what each scope may do.

One rule for the whole app, checked before any view runs: a request that changes data (POST,
PUT, PATCH, DELETE) needs a key with the `write` scope; reads need none unless
REQUIRE_AUTH_FOR_READS is set, and nor do the POSTs of COMPUTING_BLUEPRINTS, which compute an
answer from what they are sent and store nothing; a key that is presented must be valid,
wherever it is sent.
Keys are read only from the Authorization header, never from the query string.
"""

from flask import current_app, g, request
from flask_smorest import abort

from models import ApiKey

BEARER_SCHEME = "bearerAuth"  # the security scheme's name in the OpenAPI description
REALM = 'Bearer realm="claims-api"'
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Probes, the contract and its docs page answer everyone, with or without REQUIRE_AUTH_FOR_READS.
PUBLIC_BLUEPRINTS = frozenset({"operations", "docs", "api-docs"})
# Their POSTs only compute (POST, as the input can be long), so they are scoped as reads.
COMPUTING_BLUEPRINTS = frozenset({"extractions"})
UNRESOLVED = object()


def current_key() -> ApiKey | None:
    """The valid key this request presents, or None (no key, or a key that is not valid)."""
    if g.get("api_key", UNRESOLVED) is UNRESOLVED:
        credentials = request.authorization
        presented = credentials is not None
        key = None
        if presented and credentials.type == "bearer" and credentials.token:
            key = ApiKey.authenticate(credentials.token)
        g.api_key, g.credentials_refused = key, presented and key is None
    return g.api_key


def key_prefix() -> str | None:
    """The prefix of the key this request presents, for revision history and logs."""
    key = current_key()
    return key.prefix if key else None


def required_scope(method: str, blueprint: str | None, app=None) -> str | None:
    """The scope a request needs, or None if anyone may make it."""
    if blueprint in PUBLIC_BLUEPRINTS:
        return None
    if method in WRITE_METHODS and blueprint not in COMPUTING_BLUEPRINTS:
        return "write"
    return "read" if (app or current_app).config["REQUIRE_AUTH_FOR_READS"] else None


def authorize() -> None:
    """before_request: refuse bad keys (401), missing keys (401) and weak scopes (403)."""
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return
    key = current_key()
    if g.credentials_refused:
        abort(
            401,
            message="The API key is not valid: unknown, malformed or revoked. "
            "Send `Authorization: Bearer <key>` with a key from `claims-api keys create`.",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    scope = required_scope(request.method, request.blueprint)
    if scope is None or request.routing_exception is not None:  # 404 and 405 say more
        return
    if key is None:
        abort(
            401,
            message=f"This operation needs an API key with the `{scope}` scope: "
            "send `Authorization: Bearer <key>`.",
            headers={"WWW-Authenticate": REALM},
        )
    if not key.allows(scope):
        abort(
            403,
            message=f"The API key {key.prefix} has the `{key.scope}` scope; "
            f"this operation needs `{scope}`.",
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="{scope}"'},
        )
