"""Speakers: response shape, list parameters and request bodies."""

from marshmallow import ValidationError, fields, post_load, validate

from models import SPEAKER_KINDS
from schemas.body import Line, PatchSchema, Prose, Slug, WriteSchema, derived_slug
from schemas.common import PageQuery, Pattern, SearchText, Stored, page_of


class SpeakerSchema(Stored):
    slug = fields.String(required=True, metadata={"example": "hilal-khashan"})
    name = fields.String(required=True, metadata={"example": "Hilal Khashan"})
    kind = fields.String(
        required=True, validate=validate.OneOf(SPEAKER_KINDS), metadata={"example": "person"}
    )
    description = fields.String(
        allow_none=True,
        metadata={"example": "Professor of political science, American University of Beirut"},
    )
    aliases = fields.List(fields.String(), required=True, metadata={"example": ["Khashan"]})
    wikidata_id = fields.String(allow_none=True)


class SpeakerQuery(PageQuery):
    name = SearchText(
        200,
        metadata={"description": "Case-insensitive part of the name or of an alias."},
    )
    kind = fields.String(validate=validate.OneOf(SPEAKER_KINDS))


SpeakerPage = page_of(SpeakerSchema, "SpeakerPage")


def distinct(values: list[str]) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Must not repeat an alias.")


class SpeakerFields(WriteSchema):
    name = Line(200, required=True, metadata={"example": "Hilal Khashan"})
    slug = Slug()
    kind = fields.String(required=True, validate=validate.OneOf(SPEAKER_KINDS))
    description = Prose(2000, allow_none=True)
    aliases = fields.List(
        Line(200),
        validate=[validate.Length(max=50), distinct],
        metadata={
            "description": "Other names in the articles; replaces the list when patched.",
            "uniqueItems": True,
        },
    )
    wikidata_id = fields.String(
        allow_none=True,
        validate=Pattern(r"^Q[1-9][0-9]{0,14}$", error="Not a Wikidata item id."),
        metadata={"example": "Q42"},
    )


class SpeakerCreate(SpeakerFields):
    @post_load
    def slug_from_name(self, data, **kwargs):
        if "slug" not in data:
            data["slug"] = derived_slug(data["name"])
        return data


class SpeakerPatch(PatchSchema, SpeakerFields):
    pass
