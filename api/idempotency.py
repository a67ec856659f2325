"""`Idempotency-Key` on creates (IETF httpapi draft "The Idempotency-Key HTTP Header Field").

The first request with a key runs and its successful answer is stored; a retry with the same
key and the same request gets that answer again, a retry with a different request gets 422,
and a retry while the first still runs gets 409. A first request that fails (any 4xx or 5xx)
stores nothing, so its retry runs afresh. Keys are scoped to the API key that sends them and
expire 24 hours after first use.
"""

import hashlib
import json
import re
from functools import wraps

from flask import Response, request
from flask_smorest import abort

from api.auth import key_prefix
from api.request_body import UnreadableJson, parse_json
from models import IdempotencyRecord, KeyInProgress, KeyReused
from models.idempotency import KEY_LIFETIME

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,254}")  # printable ASCII, 1 to 255
REPLAYED_HEADERS = ("Content-Type", "Location", "ETag")
KEY_HOURS = int(KEY_LIFETIME.total_seconds() // 3600)

PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": "Makes retrying this create safe: a retry with the same key and body gets "
    "the first answer again instead of creating a second resource. The same key with a "
    "different body is 422; a retry while the first request still runs is 409. Keys are "
    f"kept for {KEY_HOURS} hours after first use; a failed request keeps nothing.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": f"^{KEY_PATTERN.pattern}$",  # unanchored, JSON Schema would match anywhere
    },
}


def fingerprint() -> str | None:
    """What identifies the request behind a key: method, path and body (JSON compared by
    value, so that key order and spacing do not matter); None if the body is not JSON that
    the API reads: the create refuses it, so no record of the key is written at all."""
    body = request.get_data(cache=True)
    if body:
        try:
            body = json.dumps(parse_json(body), sort_keys=True, separators=(",", ":")).encode()
        except UnreadableJson:
            return None
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def idempotent(view):
    """Decorate a create (outermost, so that it sees the finished response)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            abort(
                422,
                message=f"`{HEADER}` must be 1 to 255 printable ASCII characters.",
                errors=[{"parameter": HEADER, "detail": "Not a valid idempotency key."}],
            )
        request_print = fingerprint()
        if request_print is None:
            return view(*args, **kwargs)  # answers 400 for the body, as without a key
        owner = key_prefix() or ""
        try:
            first = IdempotencyRecord.begin(owner, key, request_print)
        except KeyReused:
            abort(
                422,
                message=f"This `{HEADER}` was first used with a different request; "
                "use a new key for a new request.",
                errors=[{"parameter": HEADER, "detail": "Used before with another request."}],
            )
        except KeyInProgress:
            abort(
                409,
                message=f"The first request with this `{HEADER}` is still running; "
                "retry when it has finished.",
                headers={"Retry-After": "1"},
            )
        if first is not None:
            return Response(first.body, status=first.status, headers=first.headers)
        try:
            response = view(*args, **kwargs)
        except BaseException:
            IdempotencyRecord.release(owner, key)
            raise
        if 200 <= response.status_code < 300:
            headers = {name: response.headers[name] for name in REPLAYED_HEADERS}
            IdempotencyRecord.finish(
                owner, key, response.status_code, response.get_data(as_text=True), headers
            )
        else:
            IdempotencyRecord.release(owner, key)
        return response

    return wrapper
