"""The guide's scoring rule for extraction (../shared/docs/ATTRIBUTION-GUIDE.md, "How extraction
is scored"), in one place for the tests and the benchmark.

A proposed attribution matches a gold one when their content spans overlap by at least 50 % of
their union (in code points), one-to-one, greedily by overlap. Recall, precision and F1 count all
attributions; among matches, exact span (after trimming quote marks and , . ; : at both ends),
speaker (the proposed name contains, or is contained in, the gold speaker or a non-pronoun
mention of it, ignoring case, titles and determiners) and type."""

import re
from dataclasses import dataclass, field

from extraction.quotations import DOUBLE_MARKS, SINGLE_MARKS
from extraction.sources import PRONOUNS, TITLES

_TRIM = "".join(DOUBLE_MARKS | SINGLE_MARKS) + ",.;: \t\n"
_IGNORED_WORDS = TITLES | {"the", "a", "an"}


@dataclass(frozen=True)
class Attribution:
    """One attribution to score: its content span, speaker name and type. `mentions` are the
    gold speaker's other names in the text (pronouns among them are ignored)."""

    start: int
    end: int
    speaker: str
    quote_type: str
    mentions: tuple[str, ...] = ()


@dataclass
class Score:
    """Counts for one article or a sum of articles; the rates are derived."""

    gold: int = 0
    proposed: int = 0
    matched: int = 0
    exact: int = 0
    speaker: int = 0
    type: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list, repr=False)

    def __add__(self, other: "Score") -> "Score":
        return Score(
            self.gold + other.gold,
            self.proposed + other.proposed,
            self.matched + other.matched,
            self.exact + other.exact,
            self.speaker + other.speaker,
            self.type + other.type,
        )

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.proposed if self.proposed else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def _among_matches(self, count: int) -> float:
        return count / self.matched if self.matched else 0.0

    @property
    def exact_rate(self) -> float:
        return self._among_matches(self.exact)

    @property
    def speaker_accuracy(self) -> float:
        return self._among_matches(self.speaker)

    @property
    def type_accuracy(self) -> float:
        return self._among_matches(self.type)


def overlap(a: Attribution, b: Attribution) -> int:
    """Code points the two content spans share."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def spans_match(a: Attribution, b: Attribution) -> bool:
    """Whether the spans overlap by at least half of their union."""
    union = max(a.end, b.end) - min(a.start, b.start)
    return union > 0 and 2 * overlap(a, b) >= union


def match(gold: list[Attribution], proposed: list[Attribution]) -> list[tuple[int, int]]:
    """One-to-one (gold index, proposed index) pairs, taken greedily by overlap."""
    candidates = sorted(
        (
            (overlap(g, p), -abs(g.start - p.start), gi, pi)
            for gi, g in enumerate(gold)
            for pi, p in enumerate(proposed)
            if spans_match(g, p)
        ),
        reverse=True,
    )
    used_gold: set[int] = set()
    used_proposed: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi in used_gold or pi in used_proposed:
            continue
        used_gold.add(gi)
        used_proposed.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without quote marks and , . ; : (and spaces) at either end."""
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _name_words(name: str) -> list[str]:
    words = re.findall(r"\w+(?:[’'\-]\w+)*", name.lower().replace("’", "'"))
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    return [w for w in words if w not in _IGNORED_WORDS]


def _contains(outer: list[str], inner: list[str]) -> bool:
    n = len(inner)
    return n > 0 and any(outer[i : i + n] == inner for i in range(len(outer) - n + 1))


def same_speaker(proposed: str, gold: Attribution) -> bool:
    """The guide's speaker rule: containment either way with the gold speaker or a mention."""
    p = _name_words(proposed)
    if not p:
        return False
    for name in (gold.speaker, *gold.mentions):
        if name.lower() in PRONOUNS:
            continue
        g = _name_words(name)
        if _contains(p, g) or _contains(g, p):
            return True
    return False


def score(text: str, gold: list[Attribution], proposed: list[Attribution]) -> Score:
    """Score proposed attributions against gold ones on one text."""
    pairs = match(gold, proposed)
    result = Score(gold=len(gold), proposed=len(proposed), matched=len(pairs), pairs=pairs)
    for gi, pi in pairs:
        g, p = gold[gi], proposed[pi]
        result.exact += trimmed(text, g.start, g.end) == trimmed(text, p.start, p.end)
        result.speaker += same_speaker(p.speaker, g)
        result.type += g.quote_type == p.quote_type
    return result
