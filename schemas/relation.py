"""Relations between claims, and suggestions of claims that may be related."""

from marshmallow import Schema, fields, validate

from models.relation import RELATION_NAMES
from schemas.claim import ClaimSchema
from schemas.common import PageQuery, page_of
from schemas.entity import EntityRef


class RelatedClaimSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The relation's id."})
    relation = fields.String(
        required=True,
        validate=validate.OneOf(RELATION_NAMES),
        metadata={
            "description": "How the listed claim relates to the one asked about: `same_assertion`"
            " and `contradicts` go both ways; the listed claim `updates` (is a later statement "
            "of) or `elaborates` it, or is `updated_by` or `elaborated_by` it."
        },
    )
    claim = fields.Nested(ClaimSchema, required=True)


class SuggestionSchema(Schema):
    score = fields.Float(
        required=True, metadata={"description": "`similarity` + 0.25 per shared entity."}
    )
    similarity = fields.Float(
        required=True,
        metadata={"description": "Jaccard index of the two texts' content words, 0 to 1."},
    )
    shared_entities = fields.List(fields.Nested(EntityRef), required=True)
    claim = fields.Nested(ClaimSchema, required=True)


class RelatedQuery(PageQuery):
    pass


class SuggestionQuery(PageQuery):
    pass


RelatedClaimPage = page_of(RelatedClaimSchema, "RelatedClaimPage")
SuggestionPage = page_of(SuggestionSchema, "SuggestionPage")
