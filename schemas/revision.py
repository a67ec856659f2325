"""Revisions: one change to a claim, article or speaker, as history shows it."""

from marshmallow import Schema, fields, validate

from models.revision import ACTIONS
from schemas.common import PageQuery, page_of


class ChangeSchema(Schema):
    before = fields.Raw(allow_none=True, metadata={"description": "null when created."})
    after = fields.Raw(allow_none=True, metadata={"description": "null when deleted."})


class RevisionSchema(Schema):
    id = fields.Integer(required=True)
    version = fields.Integer(
        required=True, metadata={"description": "The resource's version after the change."}
    )
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    at = fields.AwareDateTime(required=True)
    by = fields.String(
        attribute="api_key_prefix",
        allow_none=True,
        metadata={"description": "The prefix of the API key that made the change."},
    )
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ChangeSchema),
        required=True,
        metadata={"description": "Each changed field, by its request name."},
    )


class RevisionQuery(PageQuery):
    pass


RevisionPage = page_of(RevisionSchema, "RevisionPage")
