"""The extractor's data: what it is given (a Directory of known speakers and outlets) and what it
proposes (Proposals with their spans). Offsets are in code points; a Span's text always equals
source_text[start:end]."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A piece of the source text: text == source_text[start:end]."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Known:
    """An existing speaker or outlet the extractor may resolve to."""

    id: int
    name: str
    kind: str  # speaker kinds: person | organisation | group | anonymous; outlets: "outlet"
    spellings: tuple[str, ...]  # the name and every alias


@dataclass(frozen=True)
class Directory:
    """What the API knows; empty by default (extraction still works)."""

    speakers: tuple[Known, ...] = ()
    outlets: tuple[Known, ...] = ()


@dataclass(frozen=True)
class SpeakerGuess:
    """The resolved speaker: a Directory speaker's id when a name or alias matches."""

    id: int | None
    name: str
    kind: str  # person | organisation | group | anonymous


@dataclass(frozen=True)
class ViaGuess:
    """The relaying outlet or occasion, with a Directory outlet's id when known."""

    id: int | None
    name: str


@dataclass(frozen=True)
class Proposal:
    """One proposed attribution."""

    content: Span
    quote_type: str  # direct | indirect | mixed
    cue: Span
    source: Span  # the mention of the source in the text (may be a pronoun)
    speaker: SpeakerGuess  # resolved (coreference applied)
    via: ViaGuess | None
    confidence: float  # in [0, 1]


class TimeBudgetExceeded(Exception):
    """The extraction passed its deadline (a time.monotonic() value)."""
