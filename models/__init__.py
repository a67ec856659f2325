"""The data model: outlets -> articles -> claims <- speakers. Knows no Flask."""

from models.api_key import SCOPES, ApiKey
from models.article import (
    AmbiguousText,
    AnchorError,
    Article,
    BodyMoved,
    NotItsClaims,
    Span,
    SpanOutsideBody,
    TextNotInBody,
    Unanchorable,
)
from models.base import InUse
from models.claim import QUOTE_TYPES, Claim, SpanMismatch
from models.db import database, open_database
from models.entity import ENTITY_KINDS, Entity, EntityAlias
from models.event import Event, EventArticle, EventEntity
from models.idempotency import IdempotencyRecord, KeyInProgress, KeyReused
from models.mention import ClaimMention, link_mentions
from models.outlet import OWNERSHIP_KINDS, Outlet
from models.proposal import NotReviewable, Proposal
from models.relation import RELATION_TYPES, ClaimRelation
from models.revision import Revision
from models.search import QuerySyntaxError
from models.speaker import SPEAKER_KINDS, Speaker, SpeakerAlias

MODELS = (
    Outlet,
    Article,
    Speaker,
    SpeakerAlias,
    Claim,
    ApiKey,
    Revision,
    IdempotencyRecord,
    Entity,
    EntityAlias,
    ClaimMention,
    ClaimRelation,
    Event,
    EventArticle,
    EventEntity,
    Proposal,
)

__all__ = [
    "ENTITY_KINDS",
    "MODELS",
    "OWNERSHIP_KINDS",
    "QUOTE_TYPES",
    "RELATION_TYPES",
    "SCOPES",
    "SPEAKER_KINDS",
    "AmbiguousText",
    "AnchorError",
    "ApiKey",
    "Article",
    "BodyMoved",
    "Claim",
    "ClaimMention",
    "ClaimRelation",
    "Entity",
    "EntityAlias",
    "Event",
    "EventArticle",
    "EventEntity",
    "IdempotencyRecord",
    "InUse",
    "KeyInProgress",
    "KeyReused",
    "NotItsClaims",
    "NotReviewable",
    "Outlet",
    "Proposal",
    "QuerySyntaxError",
    "Revision",
    "Span",
    "SpanMismatch",
    "SpanOutsideBody",
    "Speaker",
    "SpeakerAlias",
    "TextNotInBody",
    "Unanchorable",
    "database",
    "link_mentions",
    "open_database",
]
