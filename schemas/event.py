"""Events: response shape, list parameters, coverage by outlet and timeline."""

from marshmallow import Schema, fields, validate

from models import QUOTE_TYPES
from models.event import NOT_CARRIED_REASONS
from schemas.claim import ClaimSchema
from schemas.common import ArticleRef, Id, OutletRef, PageQuery, SpeakerRef, Stored, page_of
from schemas.entity import EntityRef


class EventSchema(Stored):
    slug = fields.String(required=True, metadata={"example": "capture-of-al-bukamal-2017"})
    name = fields.String(required=True, metadata={"example": "Capture of Al-Bukamal"})
    description = fields.String(allow_none=True)
    starts_on = fields.Date(allow_none=True, metadata={"description": "First day of the event."})
    ends_on = fields.Date(allow_none=True, metadata={"description": "Last day of the event."})
    articles = fields.List(fields.Nested(ArticleRef), required=True)
    entities = fields.List(
        fields.Nested(EntityRef), required=True, metadata={"description": "What it is about."}
    )


class EventQuery(PageQuery):
    entity_id = Id(metadata={"description": "Events about this entity."})
    article_id = Id(metadata={"description": "Events this article covers."})


class EventRef(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class ClaimBrief(Schema):
    id = fields.Integer(required=True)
    text = fields.String(required=True)
    quote_type = fields.String(required=True, validate=validate.OneOf(QUOTE_TYPES))
    stated_on = fields.Date(allow_none=True)
    speaker = fields.Nested(SpeakerRef, required=True)
    outlet = fields.Nested(OutletRef, required=True)


class AssertionSchema(Schema):
    id = fields.Integer(
        required=True, metadata={"description": "The id of its first claim, which names it."}
    )
    claims = fields.List(
        fields.Nested(ClaimBrief),
        required=True,
        metadata={"description": "Claims linked by `same_assertion`, directly or not."},
    )
    outlets = fields.List(
        fields.Nested(OutletRef), required=True, metadata={"description": "Who carried it."}
    )
    said_on = fields.Date(
        required=True,
        allow_none=True,
        metadata={"description": "The day it was made, when a claim of it says so."},
    )
    said_on_basis = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(("stated", "note")),
        metadata={
            "description": "`stated`: a claim's `stated_on`; `note`: the ISO date a claim's "
            '`stated_on_note` names ("probably 2017-11-08").'
        },
    )
    said_earliest = fields.Date(
        required=True,
        allow_none=True,
        metadata={
            "description": "It was made no earlier than this: `said_on`, or else the earliest "
            "day of an assertion it `updates`."
        },
    )
    said_latest = fields.Date(
        required=True,
        allow_none=True,
        metadata={
            "description": "It was made no later than this: `said_on`, or else the day the "
            "first article carrying it appeared, or that of an assertion that `updates` it."
        },
    )


class CoveredArticleSchema(ArticleRef):
    appeared_on = fields.Date(
        required=True,
        allow_none=True,
        attribute="day",
        metadata={"description": "The day it appeared, as far as the data tells."},
    )
    appeared_on_basis = fields.String(
        required=True,
        allow_none=True,
        attribute="basis",
        validate=validate.OneOf(("published", "note")),
        metadata={
            "description": "`published`: its `published_on`; `note`: the ISO date its "
            '`published_on_note` names ("from about 2017-11-09"); null: unknown.'
        },
    )

    def get_attribute(self, obj, attr, default):
        """The article's fields, and the day it appeared (`models.event.ArticleDate`)."""
        dated = attr in ("day", "basis")
        return super().get_attribute(obj if dated else obj.article, attr, default)


class QuotedSpeakerSchema(Schema):
    speaker = fields.Nested(SpeakerRef, required=True)
    direct = fields.Integer(required=True, attribute="counts.direct")
    indirect = fields.Integer(required=True, attribute="counts.indirect")
    mixed = fields.Integer(required=True, attribute="counts.mixed")
    total = fields.Integer(required=True)
    only_this_outlet = fields.Boolean(
        required=True, metadata={"description": "No other outlet quoted this speaker."}
    )


class AssertionIds(fields.List):
    def __init__(self, **kwargs):
        super().__init__(fields.Integer(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return [assertion.id for assertion in value]


class NotCarriedSchema(Schema):
    assertion = fields.Integer(
        required=True, attribute="assertion.id", metadata={"description": "An `assertions` id."}
    )
    reason = fields.String(
        required=True,
        validate=validate.OneOf(NOT_CARRIED_REASONS),
        metadata={
            "description": "`omitted`: an article of the outlet appeared after the assertion "
            "was made (`said_latest` before its `appeared_on`) and did not carry it; "
            "`after_report`: every article of the outlet appeared before it was made "
            "(`said_earliest` after each `appeared_on`), so none could carry it; "
            "`unknown_date`: the dates do not tell (unknown, or the same day)."
        },
    )


class NearMatchSchema(Schema):
    assertion = fields.Integer(
        required=True,
        attribute="assertion.id",
        metadata={"description": "The `assertions` id this outlet is not linked to."},
    )
    claim = fields.Nested(
        ClaimBrief,
        required=True,
        attribute="suggestion.claim",
        metadata={"description": "The outlet's claim that probably carries it."},
    )
    score = fields.Float(
        required=True,
        attribute="suggestion.score",
        metadata={
            "description": "As in `/v1/claims/{id}/related/suggestions`: `similarity` + 0.25 "
            "per shared entity, the best over the assertion's claims."
        },
    )
    similarity = fields.Float(required=True, attribute="suggestion.similarity")
    shared_entities = fields.List(
        fields.Nested(EntityRef), required=True, attribute="suggestion.shared_entities"
    )


class OutletCoverageSchema(Schema):
    outlet = fields.Nested(OutletRef, required=True)
    articles = fields.List(fields.Nested(CoveredArticleSchema), required=True)
    speakers = fields.List(
        fields.Nested(QuotedSpeakerSchema),
        required=True,
        metadata={"description": "Whom it quoted, how often and how, in order of first claim."},
    )
    assertions_carried = AssertionIds(
        required=True, attribute="carried", metadata={"description": "Ids of `assertions`."}
    )
    assertions_not_carried = AssertionIds(
        required=True,
        attribute="not_carried_assertions",
        metadata={
            "description": "Ids of `assertions` other outlets carried and this one did not, "
            "whatever the reason (see `not_carried`)."
        },
    )
    not_carried = fields.List(
        fields.Nested(NotCarriedSchema),
        required=True,
        metadata={"description": "Each assertion it did not carry, with why: time-aware."},
    )
    probably_carried = fields.List(
        fields.Nested(NearMatchSchema),
        required=True,
        metadata={
            "description": "Likely matches, never confirmed ones: for each assertion it did not "
            "carry (unless made after its report), up to three of its claims suggested as "
            "related (score 0.05 or more), best first."
        },
    )


class CoverageSchema(Schema):
    event = fields.Nested(EventRef, required=True)
    assertions = fields.List(fields.Nested(AssertionSchema), required=True)
    outlets = fields.List(fields.Nested(OutletCoverageSchema), required=True)


class TimelineEntrySchema(Schema):
    said_on = fields.Date(
        allow_none=True, metadata={"description": "The day it was said, or else published."}
    )
    said_on_basis = fields.String(
        allow_none=True,
        validate=validate.OneOf(("stated", "inferred", "published")),
        metadata={
            "description": "`stated`: the claim's `stated_on`; `inferred`: the `stated_on` of "
            "a claim of the same assertion (linked by `same_assertion`); `published`: its "
            "article's `published_on`."
        },
    )
    claim = fields.Nested(ClaimSchema, required=True)


class TimelineQuery(PageQuery):
    pass


EventPage = page_of(EventSchema, "EventPage")
TimelinePage = page_of(TimelineEntrySchema, "TimelinePage")
