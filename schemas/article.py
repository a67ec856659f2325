"""Articles: response shape, list parameters and request bodies."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas.body import LanguageTag, Line, PatchSchema, Prose, Ref, Verbatim, WebUrl, WriteSchema
from schemas.claim import ClaimAnchor
from schemas.common import Id, OutletRef, PageQuery, Stored, page_of

MAX_BODY_LENGTH = 200_000
MAX_CORRECTED_CLAIMS = 1000


class ArticleSchema(Stored):
    outlet = fields.Nested(OutletRef, required=True)
    url = fields.String(
        required=True,
        metadata={
            "description": "Where the article was published; `urn:` for seed placeholders.",
            "example": "urn:claims-api:seed:001_6a3fc99cb0af5862",
        },
    )
    headline = fields.String(
        required=True,
        metadata={"example": "Syrian Government Forces Recapture Key Border Crossing"},
    )
    section = fields.String(allow_none=True, metadata={"description": "Section or programme."})
    bylines = fields.List(fields.String(), required=True, metadata={"example": []})
    published_on = fields.Date(allow_none=True)
    published_on_note = fields.String(
        allow_none=True,
        metadata={
            "description": "How the date is known, or why it is null.",
            "example": 'Not printed. It shows video "provided Nov 8, 2017" and reports the '
            "first announcement of the capture (November 9th, by CGTN's account), so it is "
            "from about 2017-11-09.",
        },
    )
    language = fields.String(allow_none=True, metadata={"example": "en"})
    body = fields.String(
        required=True,
        metadata={
            "description": "The published text; claim offsets index into it.",
            "example": "Syrian government forces say they have recaptured the border town of "
            "Boukamal, the last major Islamic State stronghold in eastern Syria.",
        },
    )
    body_sha256 = fields.String(
        required=True,
        metadata={"example": "9a3f8b39c38a8a6de3c34074a98b370dd2608452bdbe0e9a3c7e349dc53dc000"},
    )


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


class ArticleFields(WriteSchema):
    READ_ONLY = {
        **WriteSchema.READ_ONLY,
        "outlet": "Give `outlet_id`.",
        "body_sha256": "Computed from the body.",
    }

    outlet_id = Ref("outlet that published the article", required=True)
    url = WebUrl(required=True, metadata={"description": "Where it was published; unique."})
    headline = Line(500, required=True)
    section = Line(200, allow_none=True, metadata={"description": "Section or programme."})
    bylines = fields.List(Line(200), validate=validate.Length(max=50))
    published_on = fields.Date(allow_none=True)
    published_on_note = Prose(2000, allow_none=True)
    language = LanguageTag(allow_none=True)
    body = Verbatim(
        MAX_BODY_LENGTH,
        required=True,
        metadata={
            "description": "The published text, verbatim. Changing it moves every claim to "
            "where its text now stands, or is refused (409) if any claim cannot be placed."
        },
    )


class ArticleCreate(ArticleFields):
    pass


class CorrectedClaim(ClaimAnchor):
    """A claim whose words a corrected body changes, and where it now stands: its new `text`
    (plus `start` if the text occurs more than once) or its `start` and `end`."""

    READ_ONLY = {name: why for name, why in ClaimAnchor.READ_ONLY.items() if name != "id"}

    id = Ref("claim, one of the article's", required=True)

    def load(self, data, *, many=None, partial=None, unknown=None):
        # Whole, though the PATCH that lists it is partial (and would make it so).
        return super().load(data, many=many, partial=False, unknown=unknown)


class ArticlePatch(PatchSchema, ArticleFields):
    claims = fields.List(
        fields.Nested(CorrectedClaim),
        validate=validate.Length(max=MAX_CORRECTED_CLAIMS),
        metadata={
            "description": "With a corrected `body`: the claims whose words it changes, each "
            "anchored afresh and kept with its id, relations and history. Every other claim "
            "moves with its text, as on any body change. All or nothing."
        },
    )

    @validates_schema
    def corrections_come_with_their_body(self, data, **kwargs):
        if "claims" not in data:
            return
        if "body" not in data:
            raise ValidationError(
                "Give the corrected `body` that changes these claims' words "
                "(PATCH /v1/claims/{id} changes a claim alone).",
                "claims",
            )
        listed = set()
        for index, claim in enumerate(data["claims"]):
            if claim["id"] in listed:
                raise ValidationError({index: {"id": ["This claim is listed twice."]}}, "claims")
            listed.add(claim["id"])


class ArticleDeleteQuery(Schema):
    cascade = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Also delete the article's claims. Without it, an article that "
            "has claims is not deleted (409)."
        },
    )
