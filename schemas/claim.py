"""Claims: response shape and list parameters."""

from marshmallow import ValidationError, fields, validate, validates_schema

from models import QUOTE_TYPES
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


class ClaimSchema(Stored):
    text = fields.String(required=True, metadata={"description": "Exactly `body[start:end]`."})
    quote_type = fields.String(required=True, validate=validate.OneOf(QUOTE_TYPES))
    cue = fields.String(allow_none=True, metadata={"description": "The attribution verb."})
    start = fields.Integer(required=True, metadata={"description": "Code point offset."})
    end = fields.Integer(required=True, metadata={"description": "Code point offset, exclusive."})
    prefix = fields.String(required=True, metadata={"description": "Up to 32 characters before."})
    suffix = fields.String(required=True, metadata={"description": "Up to 32 characters after."})
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


class ClaimQuery(PageQuery):
    speaker_id = Id()
    article_id = Id()
    outlet_id = Id()
    quote_type = fields.String(validate=validate.OneOf(QUOTE_TYPES))
    cue = SearchText(64, metadata={"description": "The attribution verb, ignoring case."})
    since = fields.Date(metadata={"description": "Stated (else published) on or after."})
    until = fields.Date(metadata={"description": "Stated (else published) on or before."})
    q = SearchText(
        200,
        metadata={"description": "Case-insensitive substring of the claim text."},
    )

    @validates_schema
    def range_is_ordered(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise ValidationError("must not be after until", "since")


ClaimPage = page_of(ClaimSchema, "ClaimPage")
