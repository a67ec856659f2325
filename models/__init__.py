"""The data model: outlets -> articles -> claims <- speakers. Knows no Flask."""

from models.article import AmbiguousText, AnchorError, Article, Span, TextNotInBody
from models.claim import QUOTE_TYPES, Claim, SpanMismatch
from models.db import database, open_database
from models.outlet import OWNERSHIP_KINDS, Outlet
from models.speaker import SPEAKER_KINDS, Speaker, SpeakerAlias

MODELS = (Outlet, Article, Speaker, SpeakerAlias, Claim)

__all__ = [
    "MODELS",
    "OWNERSHIP_KINDS",
    "QUOTE_TYPES",
    "SPEAKER_KINDS",
    "AmbiguousText",
    "AnchorError",
    "Article",
    "Claim",
    "Outlet",
    "Span",
    "SpanMismatch",
    "Speaker",
    "SpeakerAlias",
    "TextNotInBody",
    "database",
    "open_database",
]
