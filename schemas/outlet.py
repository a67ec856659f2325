"""Outlets: response shape, list parameters and request bodies."""

from marshmallow import fields, post_load, validate

from models import OWNERSHIP_KINDS
from schemas.body import LanguageTag, Line, PatchSchema, Slug, WebUrl, WriteSchema, derived_slug
from schemas.common import PageQuery, Pattern, Stored, page_of


class OutletSchema(Stored):
    slug = fields.String(required=True, metadata={"example": "voa"})
    name = fields.String(required=True, metadata={"example": "Voice of America"})
    homepage = fields.String(allow_none=True, metadata={"example": "https://www.voanews.com"})
    country = fields.String(
        allow_none=True, metadata={"description": "ISO 3166-1 alpha-2.", "example": "US"}
    )
    language = fields.String(
        allow_none=True, metadata={"description": "BCP 47 language tag.", "example": "en"}
    )
    ownership = fields.String(
        allow_none=True, validate=validate.OneOf(OWNERSHIP_KINDS), metadata={"example": "state"}
    )


class OutletQuery(PageQuery):
    pass


OutletPage = page_of(OutletSchema, "OutletPage")


class OutletFields(WriteSchema):
    name = Line(200, required=True, metadata={"example": "Al Mayadeen"})
    slug = Slug()
    homepage = WebUrl(allow_none=True, metadata={"example": "https://www.almayadeen.net"})
    country = fields.String(
        allow_none=True,
        validate=Pattern(r"^[A-Z]{2}$", error="Not an ISO 3166-1 alpha-2 code."),
        metadata={"description": "ISO 3166-1 alpha-2, upper case.", "example": "LB"},
    )
    language = LanguageTag(allow_none=True)
    ownership = fields.String(allow_none=True, validate=validate.OneOf(OWNERSHIP_KINDS))


class OutletCreate(OutletFields):
    @post_load
    def slug_from_name(self, data, **kwargs):
        if "slug" not in data:
            data["slug"] = derived_slug(data["name"])
        return data


class OutletPatch(PatchSchema, OutletFields):
    pass
