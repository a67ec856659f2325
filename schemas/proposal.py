"""Proposals kept for review: response shape, list parameters and the corrections of an
accept."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from models import QUOTE_TYPES, SPEAKER_KINDS
from models.proposal import STATUSES
from schemas.body import Line, Prose, Ref, WriteSchema
from schemas.claim import ClaimFields
from schemas.common import ArticleRef, Id, PageQuery, Stored, page_of
from schemas.extraction import ExtractedProposal


class ProposalSchema(ExtractedProposal, Stored):
    """A proposal as stored: what the extractor proposed in the article's body when it was
    read, and where review stands."""

    status = fields.String(
        required=True,
        validate=validate.OneOf(STATUSES),
        metadata={
            "description": "`pending` until accepted or rejected; `stale` once the article's "
            "body changed (its offsets index into the old body).",
            "example": "pending",
        },
    )
    article = fields.Nested(ArticleRef, required=True)
    claim_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The claim made by accepting it; null until then."},
    )


ProposalPage = page_of(ProposalSchema, "ProposalPage")
ProposalRun = Schema.from_dict(
    {"data": fields.List(fields.Nested(ProposalSchema), required=True)}, name="ProposalRun"
)


class ProposalQuery(PageQuery):
    status = fields.String(validate=validate.OneOf(STATUSES))
    article_id = Id()


class NewSpeaker(WriteSchema):
    name = Line(200, required=True, metadata={"example": "Hilal Khashan"})
    kind = fields.String(required=True, validate=validate.OneOf(SPEAKER_KINDS))
    description = Prose(2000, allow_none=True)


class ProposalAccept(ClaimFields):
    """Corrections, each optional: what is given replaces what was proposed. A span given
    (`text`, or `start` and `end`) replaces the proposed span whole."""

    READ_ONLY = {
        **{name: note for name, note in ClaimFields.READ_ONLY.items() if name != "speaker"},
        "article_id": "A proposal's claim is anchored in the proposal's article.",
    }

    class Meta:
        exclude = ("article_id",)

    speaker_id = Ref("stored speaker who said it (instead of the one proposed)")
    quote_type = fields.String(validate=validate.OneOf(QUOTE_TYPES))
    speaker = fields.Nested(
        NewSpeaker,
        metadata={"description": "A speaker to create and attribute it to, instead."},
    )

    @validates_schema
    def anchored_by_text_or_span(self, data, **kwargs):
        # Without a span of its own, a correction keeps the proposed one.
        super().anchored_by_text_or_span(data, partial=True)

    @validates_schema
    def one_speaker(self, data, **kwargs):
        if "speaker_id" in data and "speaker" in data:
            raise ValidationError("Give `speaker_id` or a new `speaker`, not both.", "speaker")
