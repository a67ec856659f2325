"""Claims: response shape, list parameters and request bodies."""

from marshmallow import ValidationError, fields, validate, validates_schema

from models import QUOTE_TYPES
from models.base import utc_isoformat
from models.claim import CONTEXT_LENGTH
from schemas.body import Line, Offset, PatchSchema, Prose, Quoted, Ref, WriteSchema
from schemas.common import (
    ArticleRef,
    Id,
    OutletRef,
    PageQuery,
    SearchText,
    SpeakerRef,
    Stored,
    page_of,
)
from schemas.search import QUERY_LANGUAGE, SearchQueryText

# Hilal Khashan's first claim in the seed data: VOA's article, characters 1572 to 1664.
SEED_CLAIM_TEXT = (
    "the recapture of Boukamal represents a major victory for regional power-broker and ally Iran"
)


class ClaimSchema(Stored):
    text = fields.String(
        required=True,
        metadata={"description": "Exactly `body[start:end]`.", "example": SEED_CLAIM_TEXT},
    )
    quote_type = fields.String(
        required=True, validate=validate.OneOf(QUOTE_TYPES), metadata={"example": "indirect"}
    )
    cue = fields.String(
        allow_none=True, metadata={"description": "The attribution verb.", "example": "told"}
    )
    start = fields.Integer(
        required=True, metadata={"description": "Code point offset.", "example": 1572}
    )
    end = fields.Integer(
        required=True, metadata={"description": "Code point offset, exclusive.", "example": 1664}
    )
    prefix = fields.String(
        required=True,
        metadata={
            "description": "Up to 32 characters before.",
            "example": " University of Beirut, told VOA ",
        },
    )
    suffix = fields.String(
        required=True,
        metadata={
            "description": "Up to 32 characters after.",
            "example": '.\n\n"Now the Iraqis and Syrians h',
        },
    )
    stated_on = fields.Date(allow_none=True)
    stated_on_note = fields.String(allow_none=True)
    speaker = fields.Nested(SpeakerRef, required=True)
    article = fields.Nested(ArticleRef, required=True)
    outlet = fields.Nested(OutletRef, required=True)
    via = fields.Nested(
        OutletRef,
        allow_none=True,
        metadata={"description": "The outlet or occasion that relayed the statement."},
    )


def claim_document(row: tuple) -> dict:
    """What ClaimSchema dumps for a claim, built straight from a row of
    `Claim.attributed_rows`: a page of claims is read and shown many times a second, and
    marshmallow takes longer than the database to make it. tests/test_claim_documents.py
    holds the two to the same document."""
    (id, created_at, updated_at, text, quote_type, cue, start, end, stated_on, stated_on_note,
     article_id, headline, url, body, speaker_id, speaker_name, outlet_id, outlet_name,
     via_id, via_name) = row  # fmt: skip
    return {
        "id": id,
        "created_at": utc_isoformat(created_at),
        "updated_at": utc_isoformat(updated_at),
        "text": text,
        "quote_type": quote_type,
        "cue": cue,
        "start": start,
        "end": end,
        "prefix": body[max(0, start - CONTEXT_LENGTH) : start],
        "suffix": body[end : end + CONTEXT_LENGTH],
        "stated_on": None if stated_on is None else str(stated_on),
        "stated_on_note": stated_on_note,
        "speaker": {"id": speaker_id, "name": speaker_name},
        "article": {"id": article_id, "headline": headline, "url": url},
        "outlet": {"id": outlet_id, "name": outlet_name},
        "via": None if via_id is None else {"id": via_id, "name": via_name},
    }


class ClaimQuery(PageQuery):
    speaker_id = Id()
    article_id = Id()
    outlet_id = Id()
    quote_type = fields.String(validate=validate.OneOf(QUOTE_TYPES))
    cue = SearchText(64, metadata={"description": "The attribution verb, ignoring case."})
    since = fields.Date(metadata={"description": "Stated (else published) on or after."})
    until = fields.Date(metadata={"description": "Stated (else published) on or before."})
    q = SearchQueryText(metadata={"description": QUERY_LANGUAGE})

    @validates_schema
    def range_is_ordered(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("must not be after until", "since")


ClaimPage = page_of(ClaimSchema, "ClaimPage")


class ClaimAnchor(WriteSchema):
    """A claim's words are anchored by `text` (plus `start` if the text occurs more than once
    in the article) or by `start` and `end` (the text is then read from the article)."""

    text = Quoted(
        10_000,
        metadata={"description": "The exact words, as they stand in the article body."},
    )
    start = Offset(
        metadata={"description": "Code point offset of the text; needed if it occurs twice."}
    )
    end = Offset(metadata={"description": "Code point offset after the text (exclusive)."})

    @validates_schema
    def anchored_by_text_or_span(self, data, partial=None, **kwargs):
        text, start, end = data.get("text"), data.get("start"), data.get("end")
        if end is not None and start is None:
            raise ValidationError("`end` needs `start`.", "end")
        if text is None and start is not None and end is None:
            raise ValidationError("Give `end` too, or the `text`.", "end")
        if start is not None and end is not None and end <= start:
            raise ValidationError("Must be greater than `start`.", "end")
        if not partial and text is None and start is None:
            raise ValidationError("Give the `text`, or `start` and `end`.", "text")


def BodySha256(**kwargs) -> fields.String:
    """The `body_sha256` of an article as the client read it."""
    return fields.String(
        validate=validate.Regexp(r"[0-9a-f]{64}\Z", error="Not a lower-case hex SHA-256."),
        metadata={"pattern": "^[0-9a-f]{64}$", **kwargs.pop("metadata", {})},
        **kwargs,
    )


class ClaimFields(ClaimAnchor):
    READ_ONLY = {
        **WriteSchema.READ_ONLY,
        "outlet": "A claim's outlet is always its article's outlet.",
        "outlet_id": "A claim's outlet is always its article's outlet.",
        "prefix": "Context is read from the article.",
        "suffix": "Context is read from the article.",
        "article": "Give `article_id`.",
        "speaker": "Give `speaker_id`.",
        "via": "Give `via_outlet_id`.",
    }

    article_id = Ref("article the claim is anchored in", required=True)
    speaker_id = Ref("speaker", required=True)
    body_sha256 = BodySha256(
        metadata={
            "description": "The `body_sha256` of the article as you read it. If its body has "
            "changed since, the write is refused (409) and nothing changes, so offsets can "
            "never capture other words. Anchoring by `text` is safe without it; send it with "
            "`start` and `end`."
        }
    )
    quote_type = fields.String(required=True, validate=validate.OneOf(QUOTE_TYPES))
    cue = Line(64, allow_none=True, metadata={"description": "The attribution verb: said..."})
    via_outlet_id = Ref(
        "outlet or occasion that relayed the statement", allow_none=True, metadata={}
    )
    stated_on = fields.Date(allow_none=True, metadata={"description": "When it was said."})
    stated_on_note = Prose(2000, allow_none=True)


class ClaimCreate(ClaimFields):
    pass


class ClaimPatch(PatchSchema, ClaimFields):
    pass
