"""What every request body obeys, and the fields that writes share.

Text rules, one for all writes: strings are refused, never repaired. A value that is empty,
begins or ends with whitespace, is longer than its documented maximum or holds a control
character is a 422; nothing is trimmed or cut before it is stored. Only an article's `body` (a
verbatim published text) may begin or end with whitespace and hold line breaks and tabs, as
may descriptions and notes; names, titles, slugs, cues and URLs are single lines. Format
characters (Unicode's Cf: zero-width spaces and joiners, bidirectional overrides, the byte
order mark...) make two names that look alike differ, or text display in another order than
it is stored: only an article's `body`, and a claim's `text` quoted from it, may hold them.
Every string field of a request body gets these character rules, a new one included
(WriteSchema binds the single-line rule to any string field that states none).
"""

import math
import re
import unicodedata

from marshmallow import RAISE, Schema, ValidationError, fields, validate
from slugify import slugify

from schemas.common import MAX_ID, AsciiInteger, Pattern

LINE_BREAKS = "\t\n\r"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# Unicode 15.1's format characters (Cf); tests/test_validation_holes.py holds this list to the
# unicodedata of the Python in use.
FORMAT_RANGES = (
    (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F),
    (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
BMP = 0xFFFF


def character_class(ranges) -> str:
    """`ranges` of code points as the inside of a regular expression's character class."""
    return "".join(
        rf"\u{low:04x}" if low == high else rf"\u{low:04x}-\u{high:04x}" for low, high in ranges
    )


# The same rules as JSON Schema patterns, so that the OpenAPI description states them too.
CONTROL = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
CONTROL_BUT_BREAKS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
# The patterns name the format characters of the BMP only: JSON Schema validators that read a
# pattern without ECMA-262's u flag (Spectral's) see one beyond it as two UTF-16 code units.
# CharacterRule refuses them all.
FORMAT = character_class(r for r in FORMAT_RANGES if r[1] <= BMP)
EVERY_FORMAT = "".join(f"{chr(low)}-{chr(high)}" for low, high in FORMAT_RANGES)
SPACE = r"\t\n\r \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"  # str.isspace(), less controls


def trimmed_text(refused: str, refused_inside: str) -> str:
    """The pattern of a text that neither begins nor ends with a space or a `refused`
    character, and holds no `refused_inside` one."""
    return rf"^[^{SPACE}{refused}](?:[^{refused_inside}]*[^{SPACE}{refused}])?$"


LINE_PATTERN = trimmed_text(CONTROL + FORMAT, CONTROL + FORMAT)
PROSE_PATTERN = trimmed_text(CONTROL + FORMAT, CONTROL_BUT_BREAKS + FORMAT)
QUOTED_PATTERN = trimmed_text(CONTROL, CONTROL_BUT_BREAKS)
VERBATIM_PATTERN = rf"^[{SPACE}]*[^{SPACE}{CONTROL}][^{CONTROL_BUT_BREAKS}]*$"


class CharacterRule:
    """Control characters (NUL above all) and lone surrogates have no place in stored text;
    line breaks and tabs only where `multiline`, format characters only where `verbatim`."""

    def __init__(self, multiline: bool, verbatim: bool = False):
        # Unicode's Cc (C0, DEL, C1) and Cs (surrogates) categories, and the line/paragraph
        # separators; one regular expression scans a long body far faster than a loop in Python.
        self.forbidden = re.compile(
            "[\x0b\x0c\x0e-\x1f\x00-\x08\x7f-\x9f\ud800-\udfff\u2028\u2029"
            + ("" if multiline else LINE_BREAKS)
            + (
                ""
                if verbatim
                else "".join(f"{chr(low)}-{chr(high)}" for low, high in FORMAT_RANGES)
            )
            + "]"
        )

    def __call__(self, value: str) -> None:
        found = self.forbidden.search(value)
        if found:
            raise ValidationError(
                f"Must not contain control or format characters (found U+{ord(found.group()):04X})."
            )


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
    checks = [trimmed, CharacterRule(multiline=False)]
    return Text(max_length, checks, LINE_PATTERN, **kwargs)


def Prose(max_length: int, **kwargs) -> fields.String:
    """Text that may span lines, e.g. a description or a note."""
    checks = [trimmed, CharacterRule(multiline=True)]
    return Text(max_length, checks, PROSE_PATTERN, **kwargs)


def Quoted(max_length: int, **kwargs) -> fields.String:
    """Words quoted from a verbatim text: prose, holding any format character the text holds."""
    checks = [trimmed, CharacterRule(multiline=True, verbatim=True)]
    return Text(max_length, checks, QUOTED_PATTERN, **kwargs)


def Verbatim(max_length: int, **kwargs) -> fields.String:
    """A published text stored exactly as given, surrounding whitespace included."""
    checks = [not_blank, CharacterRule(multiline=True, verbatim=True)]
    return Text(max_length, checks, VERBATIM_PATTERN, **kwargs)


class WholeNumber(AsciiInteger):
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
        validate=[validate.Length(1, 2000), CharacterRule(multiline=False)],
        metadata=metadata,
        **kwargs,
    )


def Slug(**kwargs) -> fields.String:
    return fields.String(
        validate=[validate.Length(1, 64), Pattern(SLUG_PATTERN)],
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
            Pattern(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$", error="Not a BCP 47 tag."),
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

    def on_bind_field(self, field_name: str, field: fields.Field) -> None:
        # A string field that states no character rule gets the strictest (a single line).
        string = field.inner if isinstance(field, fields.List) else field
        if isinstance(string, fields.String) and not any(
            isinstance(check, CharacterRule) for check in string.validators
        ):
            string.validators.append(CharacterRule(multiline=False))

    def handle_error(self, error: ValidationError, data, **kwargs) -> None:
        messages = error.messages if isinstance(error.messages, dict) else {}
        for name in self.READ_ONLY.keys() & messages.keys():
            messages[name] = [f"Read-only. {self.READ_ONLY[name]}"]


class PatchSchema(WriteSchema):
    """A PATCH body: any subset of the create fields (null only where the field allows it);
    `{}` changes nothing, as a JSON merge patch."""

    def __init__(self, **kwargs):
        super().__init__(partial=True, **kwargs)
