"""Outlets: response shape and list parameters."""

from marshmallow import fields, validate

from models import OWNERSHIP_KINDS
from schemas.common import PageQuery, Stored, page_of


class OutletSchema(Stored):
    slug = fields.String(required=True, metadata={"example": "voa"})
    name = fields.String(required=True, metadata={"example": "Voice of America"})
    homepage = fields.String(allow_none=True, metadata={"example": "https://www.voanews.com"})
    country = fields.String(allow_none=True, metadata={"description": "ISO 3166-1 alpha-2."})
    language = fields.String(allow_none=True, metadata={"description": "BCP 47 language tag."})
    ownership = fields.String(allow_none=True, validate=validate.OneOf(OWNERSHIP_KINDS))


class OutletQuery(PageQuery):
    pass


OutletPage = page_of(OutletSchema, "OutletPage")
