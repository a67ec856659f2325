"""Events: response shape, list parameters, coverage by outlet and timeline."""

from marshmallow import Schema, fields, validate

from models import QUOTE_TYPES
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


class OutletCoverageSchema(Schema):
    outlet = fields.Nested(OutletRef, required=True)
    articles = fields.List(fields.Nested(ArticleRef), required=True)
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
        attribute="not_carried",
        metadata={"description": "Ids of `assertions` other outlets carried and this one did not."},
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
        validate=validate.OneOf(("stated", "published")),
        metadata={"description": "`stated`: the claim's `stated_on`; `published`: its article's."},
    )
    claim = fields.Nested(ClaimSchema, required=True)


class TimelineQuery(PageQuery):
    pass


EventPage = page_of(EventSchema, "EventPage")
TimelinePage = page_of(TimelineEntrySchema, "TimelinePage")
