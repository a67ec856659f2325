"""Entities: response shape and list parameters."""

from marshmallow import Schema, fields, validate

from models import ENTITY_KINDS
from schemas.common import PageQuery, SearchText, Stored, page_of


class EntitySchema(Stored):
    slug = fields.String(required=True, metadata={"example": "abu-kamal"})
    name = fields.String(required=True, metadata={"example": "Abu Kamal"})
    kind = fields.String(required=True, validate=validate.OneOf(ENTITY_KINDS))
    description = fields.String(allow_none=True)
    aliases = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "Other spellings. Written in capitals (`IS`), one matches only so.",
            "example": ["Al-Bukamal", "Boukamal", "Bukamal"],
        },
    )


class EntityQuery(PageQuery):
    name = SearchText(
        200, metadata={"description": "Case-insensitive part of the name or of an alias."}
    )
    kind = fields.String(validate=validate.OneOf(ENTITY_KINDS))


class EntityRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ENTITY_KINDS))


EntityPage = page_of(EntitySchema, "EntityPage")
