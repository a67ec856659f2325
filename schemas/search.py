"""Full-text search: the query parameter, hits and their page."""

from marshmallow import Schema, ValidationError, fields, validate

from models.search import KINDS, MARKS, QuerySyntaxError, parse
from schemas.common import NO_CONTROL_CHARACTERS, OutletRef, PageQuery, SpeakerRef
from schemas.entity import EntityRef

QUERY_LENGTH = 200
MARKED = (
    f"as HTML: the stored text escaped (`&`, `<`, `>`, `\"`, `'` as character references) and "
    f"matches marked `{MARKS[0]}…{MARKS[1]}`, the only tags"
)
QUERY_LANGUAGE = (
    'Full-text search: words (any case and punctuation, no stemming), `"quoted phrases"`, '
    "prefixes (`Tehr*`), implicit AND, `OR` (binding looser than AND). A word or phrase that "
    "spells an entity also finds its other spellings (`Boukamal` finds `Al-Bukamal`) and the "
    "claims about it. A malformed query (an unclosed quotation mark, a stray `OR` or `*`, "
    "parentheses, `-exclusions`, more than 12 words) is a 422 naming `q`."
)


class SearchQueryText(fields.String):
    """A query in the search language, loaded as its parsed form (models.search.ParsedQuery)."""

    def __init__(self, **kwargs):
        validators = [validate.Length(1, QUERY_LENGTH), NO_CONTROL_CHARACTERS]
        # `format: search-query` tells readers and fuzzers that the query language applies.
        metadata = {"format": "search-query", **kwargs.pop("metadata", {})}
        super().__init__(validate=validators, metadata=metadata, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        text = super().deserialize(value, attr, data, **kwargs)
        if not isinstance(text, str):
            return text
        try:
            return parse(text)
        except QuerySyntaxError as error:
            raise ValidationError(str(error)) from None


class SearchQuery(PageQuery):
    q = SearchQueryText(required=True, metadata={"description": QUERY_LANGUAGE})
    kind = fields.List(
        fields.String(validate=validate.OneOf(KINDS)),
        metadata={"description": "Only hits of these kinds; repeat the parameter for several."},
    )


class HitSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    id = fields.Integer(required=True, metadata={"description": "The claim, article or speaker."})
    score = fields.Float(
        required=True,
        metadata={"description": "Relevance, higher is better; compare only within one answer."},
    )
    title = fields.String(
        allow_none=True,
        metadata={"description": f"Headline or speaker name, {MARKED}; null for claims."},
    )
    snippet = fields.String(
        allow_none=True,
        metadata={
            "description": f"Excerpt of the claim text, article body or speaker aliases, {MARKED}."
        },
    )
    outlet = fields.Nested(
        OutletRef, allow_none=True, metadata={"description": "The outlet of a claim or article."}
    )
    speaker = fields.Nested(
        SpeakerRef, allow_none=True, metadata={"description": "The speaker of a claim."}
    )


class SearchPage(Schema):
    data = fields.List(
        fields.Nested(HitSchema), required=True, metadata={"description": "Best first."}
    )
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last."},
    )
    entities = fields.List(
        fields.Nested(EntityRef),
        required=True,
        metadata={"description": "The entities whose spellings the query was widened to."},
    )
