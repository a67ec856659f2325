"""Speakers: response shape and list parameters."""

from marshmallow import fields, validate

from models import SPEAKER_KINDS
from schemas.common import PageQuery, SearchText, Stored, page_of


class SpeakerSchema(Stored):
    slug = fields.String(required=True, metadata={"example": "hilal-khashan"})
    name = fields.String(required=True, metadata={"example": "Hilal Khashan"})
    kind = fields.String(required=True, validate=validate.OneOf(SPEAKER_KINDS))
    description = fields.String(allow_none=True)
    aliases = fields.List(fields.String(), required=True)
    wikidata_id = fields.String(allow_none=True)


class SpeakerQuery(PageQuery):
    name = SearchText(
        200,
        metadata={"description": "Case-insensitive part of the name or of an alias."},
    )
    kind = fields.String(validate=validate.OneOf(SPEAKER_KINDS))


SpeakerPage = page_of(SpeakerSchema, "SpeakerPage")
