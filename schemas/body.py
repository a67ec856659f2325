"""What every request body obeys, and the fields that writes share.

Text rules, one for all writes: strings are refused, never repaired. A value that is empty,
begins or ends with whitespace, is longer than its documented maximum or holds a control
character is a 422; nothing is trimmed or cut before it is stored. Only an article's `body` (a
verbatim published text) may begin or end with whitespace and hold line breaks and tabs, as
may descriptions and notes; names, titles, slugs, cues and URLs are single lines.
"""

import math
import re
import unicodedata

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from slugify import slugify

from schemas.common import MAX_ID

LINE_BREAKS = "\t\n\r"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# The same rules as JSON Schema patterns, so that the OpenAPI description states them too.
CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
CONTROL_BUT_BREAKS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
SPACE = r"\t\n\r \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"  # str.isspace(), less controls
LINE_PATTERN = rf"^[^{SPACE}{CONTROL}](?:[^{CONTROL}]*[^{SPACE}{CONTROL}])?$"
PROSE_PATTERN = rf"^[^{SPACE}{CONTROL}](?:[^{CONTROL_BUT_BREAKS}]*[^{SPACE}{CONTROL}])?$"
VERBATIM_PATTERN = rf"^[{SPACE}]*[^{SPACE}{CONTROL}][^{CONTROL_BUT_BREAKS}]*$"


def no_control_characters(multiline: bool):
    """Control characters (NUL above all) and lone surrogates have no place in stored text;
    line breaks and tabs only where `multiline`."""

    # Unicode's Cc (C0, DEL, C1) and Cs (surrogates) categories, and the line/paragraph
    # separators; one regular expression scans a long body far faster than a loop in Python.
    forbidden = re.compile(
        "[\x0b\x0c\x0e-\x1f\x00-\x08\x7f-\x9f\ud800-\udfff\u2028\u2029"
        + ("" if multiline else LINE_BREAKS)
        + "]"
    )

    def check(value: str) -> None:
        found = forbidden.search(value)
        if found:
            raise ValidationError(
                f"Must not contain control characters (found U+{ord(found.group()):04X})."
            )

    return check


def trimmed(value: str) -> None:
    if value != value.strip():
        raise ValidationError("Must not begin or end with whitespace.")


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be empty or only whitespace.")


def Text(max_length: int, checks: list, pattern: str, **kwargs) -> fields.String:
    metadata = {"pattern": pattern, **kwargs.pop("metadata", {})}
    return fields.String(
        validate=[validate.Length(1, max_length), *checks], metadata=metadata, **kwargs
    )


def Line(max_length: int, **kwargs) -> fields.String:
    """A single line of text, e.g. a name or a headline."""
    checks = [trimmed, no_control_characters(multiline=False)]
    return Text(max_length, checks, LINE_PATTERN, **kwargs)


def Prose(max_length: int, **kwargs) -> fields.String:
    """Text that may span lines, e.g. a description or a note."""
    checks = [trimmed, no_control_characters(multiline=True)]
    return Text(max_length, checks, PROSE_PATTERN, **kwargs)


def Verbatim(max_length: int, **kwargs) -> fields.String:
    """A published text stored exactly as given, surrounding whitespace included."""
    checks = [not_blank, no_control_characters(multiline=True)]
    return Text(max_length, checks, VERBATIM_PATTERN, **kwargs)


class WholeNumber(fields.Integer):
    """A JSON integer: 3, or 3.0, which JSON Schema counts as the same integer; never 3.5,
    "3" or true."""

    def __init__(self, **kwargs):
        super().__init__(strict=False, **kwargs)

    def _validated(self, value):
        whole = isinstance(value, int) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
        )
        if isinstance(value, bool) or not whole:
            raise self.make_error("invalid")
        return super()._validated(value)


def Ref(what: str, **kwargs) -> fields.Integer:
    """The id of a stored resource; a JSON integer, not a string."""
    description = f"The id of the {what}."
    return WholeNumber(
        validate=validate.Range(1, MAX_ID),
        metadata={"description": description, **kwargs.pop("metadata", {})},
        **kwargs,
    )


def Offset(**kwargs) -> fields.Integer:
    """A position in an article body, in Unicode code points."""
    return WholeNumber(validate=validate.Range(0, MAX_ID), **kwargs)


def WebUrl(**kwargs) -> fields.Url:
    """An absolute http(s) URL."""
    metadata = {"format": "uri", "pattern": "^https?://", **kwargs.pop("metadata", {})}
    return fields.Url(
        schemes={"http", "https"},
        validate=[validate.Length(1, 2000), no_control_characters(multiline=False)],
        metadata=metadata,
        **kwargs,
    )


def Slug(**kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(1, 64), validate.Regexp(SLUG_PATTERN)],
        metadata={
            "description": "Lower-case letters, digits and single hyphens; "
            "derived from the name when not given.",
            "example": "al-mayadeen",
        },
        **kwargs,
    )


def LanguageTag(**kwargs) -> fields.String:
    return fields.String(
        validate=[
            validate.Length(2, 35),
            validate.Regexp(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$", error="Not a BCP 47 tag."),
        ],
        metadata={"description": "BCP 47 language tag.", "example": "en"},
        **kwargs,
    )


def derived_slug(name: str) -> str:
    """The slug a name gives, transliterated to ASCII. A name with no letter or digit (any
    name the schema allows) gives the slug of its characters' Unicode names (÷: division-sign)."""
    slug = slugify(name, max_length=64, word_boundary=True)
    if slug:
        return slug
    spelled = " ".join(unicodedata.name(char, f"u{ord(char):04x}") for char in name)
    return slugify(spelled, max_length=64, word_boundary=True)


class WriteSchema(Schema):
    """A request body: unknown fields are refused, read-only ones with a message saying so."""

    # Fields that responses show but requests may not set, and what to say when they are sent.
    READ_ONLY = {
        "id": "The id is assigned by the server.",
        "created_at": "Timestamps are set by the server.",
        "updated_at": "Timestamps are set by the server.",
        "version": "The version is kept by the server; send `If-Match` to name the one you saw.",
    }

    class Meta:
        unknown = RAISE

    def handle_error(self, error: ValidationError, data, **kwargs) -> None:
        messages = error.messages if isinstance(error.messages, dict) else {}
        for name in self.READ_ONLY.keys() & messages.keys():
            messages[name] = [f"Read-only. {self.READ_ONLY[name]}"]


class PatchSchema(WriteSchema):
    """A PATCH body: any subset of the create fields (null only where the field allows it);
    `{}` changes nothing, as a JSON merge patch."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)
