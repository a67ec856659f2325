"""Articles: response shape and list parameters."""

from marshmallow import ValidationError, fields, validates_schema

from schemas.common import Id, OutletRef, PageQuery, Stored, page_of


class ArticleSchema(Stored):
    outlet = fields.Nested(OutletRef, required=True)
    url = fields.String(
        required=True,
        metadata={"description": "Where the article was published; `urn:` for seed placeholders."},
    )
    headline = fields.String(required=True)
    section = fields.String(allow_none=True, metadata={"description": "Section or programme."})
    bylines = fields.List(fields.String(), required=True)
    published_on = fields.Date(allow_none=True)
    published_on_note = fields.String(
        allow_none=True, metadata={"description": "How the date is known, or why it is null."}
    )
    language = fields.String(allow_none=True)
    body = fields.String(
        required=True, metadata={"description": "The published text; claim offsets index into it."}
    )
    body_sha256 = fields.String(required=True)


class ArticleQuery(PageQuery):
    outlet_id = Id()
    published_since = fields.Date(metadata={"description": "Published on or after this date."})
    published_until = fields.Date(metadata={"description": "Published on or before this date."})

    @validates_schema
    def range_is_ordered(self, data, **kwargs):
        since, until = data.get("published_since"), data.get("published_until")
        if since and until and since > until:
            raise ValidationError("must not be after published_until", "published_since")


ArticlePage = page_of(ArticleSchema, "ArticlePage")
