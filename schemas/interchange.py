"""Interchange shapes: a claim as schema.org `Claim` JSON-LD, its span as a W3C Web Annotation,
and the flat row of a CSV export.

Ids in the linked-data shapes are absolute URLs of this API's resources; the view supplies the
function that makes them while dumping: `with Links({"public_url": public_url}): schema.dump(c)`.
"""

from collections.abc import Callable
from typing import TypedDict

from marshmallow import Schema, ValidationError, fields, post_dump, pre_dump, validate
from marshmallow.experimental.context import Context

from schemas.article import ArticleCreate
from schemas.body import SLUG_PATTERN, Ref, Slug
from schemas.claim import ClaimCreate
from schemas.common import MAX_ID, ProblemItem
from schemas.outlet import OutletCreate
from schemas.speaker import SpeakerCreate

SCHEMA_ORG_CONTEXT = "https://schema.org"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JSON_LD = "application/ld+json"
ANNOTATION_MEDIA_TYPE = f'{JSON_LD};profile="{ANNOTATION_CONTEXT}"'

# schema.org has Person and Organization; groups act as organisations, anonymous sources are people.
AGENT_TYPES = {
    "person": "Person",
    "anonymous": "Person",
    "organisation": "Organization",
    "group": "Organization",
}


class LinkContext(TypedDict):
    public_url: Callable[[str], str]  # a path of the API -> the absolute URL clients use


Links = Context[LinkContext]


def api_url(path: str) -> str:
    """The absolute URL of `path` on the API being answered from."""
    return Links.get()["public_url"](path)


class LinkedData(Schema):
    """JSON-LD leaves a key out rather than giving it a null value."""

    @post_dump
    def without_nulls(self, data: dict, **kwargs) -> dict:
        return {key: value for key, value in data.items() if value is not None}


class SchemaOrgPublisher(LinkedData):
    type = fields.Constant("NewsMediaOrganization", data_key="@type", required=True)
    id = fields.Function(
        lambda outlet: api_url(f"/v1/outlets/{outlet.id}"), data_key="@id", required=True
    )
    name = fields.String(required=True)
    url = fields.String(attribute="homepage", metadata={"description": "The outlet's homepage."})


class SchemaOrgAgent(LinkedData):
    type = fields.Function(
        lambda speaker: AGENT_TYPES[speaker.kind],
        data_key="@type",
        required=True,
        metadata={"enum": sorted(set(AGENT_TYPES.values()))},
    )
    id = fields.Function(
        lambda speaker: api_url(f"/v1/speakers/{speaker.id}"), data_key="@id", required=True
    )
    name = fields.String(required=True)
    description = fields.String()
    sameAs = fields.Function(
        lambda speaker: (
            speaker.wikidata_id and f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
        ),
        metadata={"description": "The speaker's Wikidata item, when known."},
    )


class SchemaOrgArticle(LinkedData):
    type = fields.Constant("NewsArticle", data_key="@type", required=True)
    id = fields.Function(
        lambda article: api_url(f"/v1/articles/{article.id}"), data_key="@id", required=True
    )
    url = fields.String(required=True, metadata={"description": "Where it was published."})
    headline = fields.String(required=True)
    datePublished = fields.Date(attribute="published_on")
    inLanguage = fields.String(attribute="language")
    publisher = fields.Nested(SchemaOrgPublisher, attribute="outlet", required=True)


class SchemaOrgRelay(LinkedData):
    type = fields.Constant("CreativeWork", data_key="@type", required=True)
    publisher = fields.Nested(SchemaOrgPublisher, required=True)

    @pre_dump
    def from_outlet(self, outlet, **kwargs) -> dict:
        return {"publisher": outlet}


class SchemaOrgClaim(LinkedData):
    """A claim as a schema.org `Claim` (https://schema.org/Claim)."""

    context = fields.Constant(SCHEMA_ORG_CONTEXT, data_key="@context", required=True)
    type = fields.Constant("Claim", data_key="@type", required=True)
    id = fields.Function(
        lambda claim: api_url(f"/v1/claims/{claim.id}"), data_key="@id", required=True
    )
    text = fields.String(required=True, metadata={"description": "The words, verbatim."})
    author = fields.Nested(SchemaOrgAgent, attribute="speaker", required=True)
    appearance = fields.Nested(
        SchemaOrgArticle,
        attribute="article",
        required=True,
        metadata={"description": "The article the claim was reported in, and its publisher."},
    )
    firstAppearance = fields.Nested(
        SchemaOrgRelay,
        attribute="via",
        metadata={"description": "The outlet that relayed the statement first, if any."},
    )
    dateCreated = fields.Date(
        attribute="stated_on", metadata={"description": "When the statement was made."}
    )


class Selector(Schema):
    """A `TextQuoteSelector` (exact, prefix, suffix) or a `TextPositionSelector` (start, end);
    positions count Unicode code points, as the Web Annotation model specifies."""

    type = fields.String(
        required=True, validate=validate.OneOf(("TextQuoteSelector", "TextPositionSelector"))
    )
    exact = fields.String()
    prefix = fields.String()
    suffix = fields.String()
    start = fields.Integer()
    end = fields.Integer()


class AnnotationTarget(Schema):
    source = fields.String(required=True, metadata={"description": "The article's URL."})
    selector = fields.List(fields.Nested(Selector), required=True)


class WebAnnotation(Schema):
    """A claim's span as a W3C Web Annotation (https://www.w3.org/TR/annotation-model/)."""

    context = fields.Constant(ANNOTATION_CONTEXT, data_key="@context", required=True)
    id = fields.String(required=True)
    type = fields.Constant("Annotation", required=True)
    motivation = fields.Constant("identifying", required=True)
    body = fields.String(required=True, metadata={"description": "The claim's URL."})
    target = fields.Nested(AnnotationTarget, required=True)
    created = fields.AwareDateTime(required=True)
    modified = fields.AwareDateTime(required=True)

    @pre_dump
    def from_claim(self, claim, **kwargs) -> dict:
        quote = {
            "type": "TextQuoteSelector",
            "exact": claim.text,
            "prefix": claim.prefix,
            "suffix": claim.suffix,
        }
        position = {"type": "TextPositionSelector", "start": claim.start, "end": claim.end}
        return {
            "id": api_url(f"/v1/claims/{claim.id}/annotation"),
            "body": api_url(f"/v1/claims/{claim.id}"),
            "target": {"source": claim.article.url, "selector": [quote, position]},
            "created": claim.created_at,
            "modified": claim.updated_at,
        }


class ClaimCsvRow(Schema):
    """A claim as one CSV row: the JSON shape with its references flattened."""

    id = fields.Integer()
    text = fields.String()
    quote_type = fields.String()
    cue = fields.String()
    start = fields.Integer()
    end = fields.Integer()
    prefix = fields.String()
    suffix = fields.String()
    stated_on = fields.Date()
    stated_on_note = fields.String()
    speaker_id = fields.Integer(attribute="speaker.id")
    speaker_name = fields.String(attribute="speaker.name")
    article_id = fields.Integer(attribute="article.id")
    article_headline = fields.String(attribute="article.headline")
    article_url = fields.String(attribute="article.url")
    outlet_id = fields.Integer(attribute="outlet.id")
    outlet_name = fields.String(attribute="outlet.name")
    via_id = fields.Integer(attribute="via.id")
    via_name = fields.String(attribute="via.name")
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


CSV_COLUMNS = tuple(ClaimCsvRow().fields)


MAX_CLAIMS_PER_LINE = 1000


class Reference(fields.Field):
    """An outlet or speaker: a stored one by id (an integer) or slug (a string), or one given in
    full (an object, validated as its create request; created unless its slug is stored)."""

    def __init__(self, create_schema: type[Schema], **kwargs):
        name = create_schema.__name__
        metadata = {
            "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": "Its id."},
                {"type": "string", "pattern": SLUG_PATTERN, "description": "Its slug."},
                {"$ref": f"#/components/schemas/{name.removesuffix('Schema')}"},
            ],
            **kwargs.pop("metadata", {}),
        }
        super().__init__(metadata=metadata, **kwargs)
        self.create_schema = create_schema()  # one, reused: making a schema costs more than a load

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            return self.create_schema.load(value)
        if isinstance(value, str):
            return STORED_SLUG.deserialize(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return STORED_ID.deserialize(value)
        raise ValidationError("Give an id (integer), a slug (string) or an object.")


STORED_SLUG, STORED_ID = Slug(), Ref("stored resource")


class ImportedClaim(ClaimCreate):
    """A claim of an import line: as a create request, its article being the line's."""

    READ_ONLY = {
        **{k: v for k, v in ClaimCreate.READ_ONLY.items() if k not in ("speaker", "via")},
        "article_id": "A claim's article is the article of its line.",
        "speaker_id": "Give `speaker`: an id, a slug, or the speaker as an object.",
        "via_outlet_id": "Give `via`: an id, a slug, or the outlet as an object.",
    }

    speaker = Reference(SpeakerCreate, required=True)
    via = Reference(OutletCreate, allow_none=True)

    class Meta:
        # A line carries its body, and a stored article must have that same body: offsets
        # cannot refer to another, so there is no `body_sha256` to name it by.
        exclude = ("article_id", "speaker_id", "via_outlet_id", "body_sha256")


class ImportLine(ArticleCreate):
    """One line of an NDJSON import: an article, as a create request, with its claims."""

    READ_ONLY = {
        **{k: v for k, v in ArticleCreate.READ_ONLY.items() if k != "outlet"},
        "outlet_id": "Give `outlet`: an id, a slug, or the outlet as an object.",
    }

    outlet = Reference(OutletCreate, required=True)
    claims = fields.List(
        fields.Nested(ImportedClaim),
        load_default=list,
        validate=validate.Length(max=MAX_CLAIMS_PER_LINE),
    )
    extract = fields.Boolean(
        load_default=False,
        truthy={True},
        falsy={False},
        metadata={
            "description": "`true`: also run the extractor on the article and keep what it "
            "proposes for review, as `POST /v1/articles/{id}/proposals` does (spans a claim "
            "holds, and proposals already made, are not proposed again)."
        },
    )

    class Meta:
        exclude = ("outlet_id",)


class LineProblem(Schema):
    """Why a line was refused: an RFC 9457 problem about the line, `errors` pointing into it."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True)
    errors = fields.List(fields.Nested(ProblemItem))


class ImportedLine(Schema):
    line = fields.Integer(required=True, metadata={"description": "Its number in the body."})
    status = fields.String(
        required=True,
        validate=validate.OneOf(("created", "unchanged", "refused")),
        metadata={
            "description": "`created` if the article or any claim was created, `unchanged` if "
            "all of it was already stored, `refused` if nothing of it was stored."
        },
    )
    article_id = fields.Integer()
    article_created = fields.Boolean()
    claims_created = fields.Integer()
    claims_unchanged = fields.Integer(
        metadata={"description": "Claims already stored (same article, speaker and span)."}
    )
    proposals_pending = fields.Integer(
        metadata={"description": "With `extract`: the article's proposals waiting for review."}
    )
    problem = fields.Nested(LineProblem)


class ImportSummary(Schema):
    lines = fields.Integer(required=True)
    created = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    refused = fields.Integer(required=True)
    articles_created = fields.Integer(required=True)
    claims_created = fields.Integer(required=True)


class ImportReport(Schema):
    lines = fields.List(fields.Nested(ImportedLine), required=True)
    summary = fields.Nested(ImportSummary, required=True)
