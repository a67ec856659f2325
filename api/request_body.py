"""How a request body is read: whole or not at all, as UTF-8, into JSON of bounded shape.

- The body of every write (POST, PUT, PATCH, DELETE) is read before the view acts on it
  (after the request is authorised, so that refused clients cost no reading); reads ignore
  bodies. A body shorter than its `Content-Length` (the client half-closed, or the connection
  broke) is then a 400, so no write applies part of a body: gunicorn frames bodies itself
  (`wsgi.input_terminated`), and werkzeug then reads to the end of whatever arrived without
  comparing it with the declared length.
- A body that declares a charset other than UTF-8 is a 415: JSON and NDJSON are UTF-8
  (RFC 8259 §8.1), and decoding latin-1 bytes as UTF-8 would store other characters.
- JSON is parsed with limits (RFC 8259 §9 lets a parser set them): nesting depth and the
  length of a number literal. Beyond them the text is refused as malformed JSON is (400),
  never handed to a parser that would recurse or compute without bound.
"""

import json

from flask import request
from flask_smorest import abort

# The deepest document the API reads is an import line's claim's speaker's aliases (5 levels);
# 32 leaves room for any future field and stays far below Python's recursion limit (~1000).
MAX_JSON_DEPTH = 32
# No field holds a number of more than 10 digits (ids and offsets are 32-bit); 100 characters
# leave room for any spelling of such a number (3.000e0) while Python's int() stays linear.
MAX_NUMBER_LENGTH = 100
UTF_8 = ("utf-8", "utf8")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def read_whole_body() -> None:
    """Read a write's body now, all of it (a before_request function): 400 if it is shorter
    than its `Content-Length`, 415 if it declares a charset other than UTF-8."""
    if request.method not in WRITE_METHODS:
        return
    body = request.get_data(cache=True)
    declared = request.content_length
    if declared is not None and len(body) < declared:
        abort(
            400,
            message=f"The body ended after {len(body)} of the {declared} bytes its "
            "Content-Length declares; nothing was done. Send the whole body again.",
        )
    charset = request.mimetype_params.get("charset")
    if body and charset is not None and charset.lower() not in UTF_8:
        abort(
            415,
            message=f"The body declares `charset={charset}`; send it as UTF-8 "
            "(`charset=utf-8`, or no charset).",
        )


class UnreadableJson(ValueError):
    """A text that is not JSON, or JSON beyond the parser's limits; the message says which."""


def parse_json(data: bytes):
    """The JSON value of `data` (UTF-8): nested at most MAX_JSON_DEPTH deep, numbers at most
    MAX_NUMBER_LENGTH characters long, and no NaN or Infinity (which are not JSON)."""
    try:
        value = json.loads(
            data.decode("utf-8"),
            parse_int=bounded(int),
            parse_float=bounded(float),
            parse_constant=not_json,
        )
    except UnicodeDecodeError as error:
        raise UnreadableJson(f"the bytes are not UTF-8 ({error.reason} at {error.start})") from None
    except RecursionError:
        raise too_deep() from None
    except UnreadableJson:
        raise
    except ValueError as error:
        raise UnreadableJson(str(error)) from None
    # Only a text with that many brackets can be that deep: most bodies need no walk.
    if data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH and deeper_than(value, MAX_JSON_DEPTH):
        raise too_deep()
    return value


def bounded(convert):
    def parse(literal: str):
        if len(literal) > MAX_NUMBER_LENGTH:
            raise UnreadableJson(
                f"a number is {len(literal)} characters long; at most {MAX_NUMBER_LENGTH} are read"
            )
        return convert(literal)

    return parse


def not_json(constant: str):
    raise UnreadableJson(f"`{constant}` is not a JSON value")


def too_deep() -> UnreadableJson:
    return UnreadableJson(f"arrays and objects nest more than {MAX_JSON_DEPTH} levels deep")


def deeper_than(value, limit: int) -> bool:
    """Whether arrays and objects nest in `value` more than `limit` levels deep."""
    level, depth = [value], 0
    while level := [item for item in level if isinstance(item, (dict, list))]:
        depth += 1
        if depth > limit:
            return True
        level = [
            child
            for container in level
            for child in (container.values() if isinstance(container, dict) else container)
        ]
    return False
