"""Pieces every resource shares: references, list envelopes, list parameters, problems."""

import base64
import binascii
import json
import re

from marshmallow import Schema, ValidationError, fields, validate

from models.article import AmbiguousText

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # ids are 32-bit in PostgreSQL; larger ones can only be unknown


class Pattern(validate.Regexp):
    """A regular expression the whole value must match. marshmallow's Regexp matches only a
    prefix, and `$` also matches before a final line break (`"US\\n"`); the pattern is still
    written `^...$` for the OpenAPI description, where `$` means the end (ECMA-262)."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class AsciiInteger(fields.Integer):
    """An integer, and if written as text (a query parameter), in ASCII digits only: int()
    would also read other scripts' digits ("\\uff15" as 5), spaces and underscores."""

    DIGITS = re.compile("-?[0-9]+")

    def _validated(self, value):
        if isinstance(value, str) and not self.DIGITS.fullmatch(value):
            raise self.make_error("invalid")
        return super()._validated(value)


def Id(**kwargs) -> fields.Integer:
    """A reference to a stored resource by its integer id."""
    return AsciiInteger(strict=False, validate=validate.Range(1, MAX_ID), **kwargs)


# Control characters (NUL above all, which PostgreSQL refuses) have no place in search text;
# as a pattern, so that the description states the rule for clients and fuzzers.
NO_CONTROL_CHARACTERS = Pattern(
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$", error="Must not contain control characters."
)


def SearchText(max_length: int, **kwargs) -> fields.String:
    """A short user-typed string used to filter a list."""
    return fields.String(validate=[validate.Length(1, max_length), NO_CONTROL_CHARACTERS], **kwargs)


class Cursor(fields.String):
    """An opaque keyset cursor: the last id of the previous page, encoded."""

    ALPHABET = re.compile("[A-Za-z0-9_-]{1,64}")

    def __init__(self, **kwargs):
        # `format: cursor` tells readers and fuzzers that only cursors this API issued are valid.
        super().__init__(metadata={"format": "cursor", **kwargs.pop("metadata", {})}, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return encode_cursor(value)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not self.ALPHABET.fullmatch(text):  # b64decode would silently drop other characters
                raise ValueError(text)
            after = json.loads(base64.urlsafe_b64decode(text.encode() + b"==="))["after"]
        except (ValueError, KeyError, TypeError, binascii.Error) as error:
            raise ValidationError("Not a cursor this API issued.") from error
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
            raise ValidationError("Not a cursor this API issued.")
        return after


def encode_cursor(after: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


class PageQuery(Schema):
    """Keyset pagination parameters shared by every list."""

    limit = AsciiInteger(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(1, MAX_PAGE_SIZE),
        metadata={"description": f"Items per page, 1 to {MAX_PAGE_SIZE}."},
    )
    cursor = Cursor(
        metadata={"description": "`next_cursor` of the previous page; omit for the first page."}
    )


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """The list envelope `{"data": [...], "next_cursor": ...}` for `item_schema`."""
    return Schema.from_dict(
        {
            "data": fields.List(fields.Nested(item_schema), required=True),
            "next_cursor": fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null on the last."},
            ),
        },
        name=name,
    )


class Stored(Schema):
    """Fields every stored resource carries."""

    id = fields.Integer(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True)


class OutletRef(Schema):
    id = fields.Integer(required=True, metadata={"example": 2})
    name = fields.String(required=True, metadata={"example": "Voice of America"})


class SpeakerRef(Schema):
    id = fields.Integer(required=True, metadata={"example": 1})
    name = fields.String(required=True, metadata={"example": "Hilal Khashan"})


class ArticleRef(Schema):
    id = fields.Integer(required=True, metadata={"example": 2})
    headline = fields.String(
        required=True,
        metadata={"example": "Syrian Government Forces Recapture Key Border Crossing"},
    )
    url = fields.String(
        required=True, metadata={"example": "urn:claims-api:seed:001_6a3fc99cb0af5862"}
    )


class ProblemItem(Schema):
    pointer = fields.String(metadata={"description": "JSON Pointer into the request body."})
    parameter = fields.String(metadata={"description": "Name of the offending parameter."})
    detail = fields.String(required=True)
    offsets = fields.List(
        fields.Integer(),
        validate=validate.Length(max=AmbiguousText.SHOWN),
        metadata={
            "description": "Where an ambiguous claim text occurs, the `start` to choose: the "
            f"first {AmbiguousText.SHOWN} offsets, in order (`occurrences` counts them all)."
        },
    )
    occurrences = fields.Integer(
        metadata={"description": "How many times an ambiguous claim text occurs in the body."}
    )
    claim_id = fields.Integer(
        metadata={"description": "The claim that a changed article body cannot hold."}
    )
    line = fields.Integer(
        metadata={"description": "The line of an NDJSON import body; `pointer` points into it."}
    )


class ProblemSchema(Schema):
    """An RFC 9457 problem document."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True)
    instance = fields.String(required=True, metadata={"example": "/v1/claims"})
    request_id = fields.String(
        allow_none=True,
        metadata={"description": "The request's X-Request-ID, as logged; quote it to operators."},
    )
    errors = fields.List(fields.Nested(ProblemItem))
