"""Attribution extraction: from a text to proposed attributions (who said what, with spans), by
rules only — no Flask, no database, nothing downloaded. See docs/EXTRACTION.md."""

from extraction.model import (
    Directory,
    Known,
    Proposal,
    Span,
    SpeakerGuess,
    TimeBudgetExceeded,
    ViaGuess,
)
from extraction.pipeline import extract

__all__ = [
    "Directory",
    "Known",
    "Proposal",
    "SpeakerGuess",
    "Span",
    "TimeBudgetExceeded",
    "ViaGuess",
    "extract",
]
