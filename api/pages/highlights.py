"""An article's text cut into runs for highlighting: each claim (and each pending proposal)
marked exactly on `body[start:end]`, overlapping marks nested, a mark that crosses another split
in parts."""

from dataclasses import dataclass

from models import Claim
from models.proposal import Proposal

CONTEXT_CHARACTERS = 160  # of the article shown on each side of a claim, out of its article


@dataclass
class Run:
    """One piece of the page: `text`, or the opening (`claim` or `proposal` set) or closing of
    a highlight."""

    kind: str  # "text", "open" or "close"
    text: str = ""
    claim: Claim | None = None
    first: bool = False  # the first part of its mark's highlight (the one that takes focus)
    proposal: Proposal | None = None


def highlighted(body: str, claims: list[Claim], proposals: list[Proposal] = ()) -> list[Run]:
    """`body` as text runs and highlight openings and closings, in order, such that the text
    inside the parts of each claim's (and proposal's) highlight is exactly
    `body[start:end]`. A claim opens before a proposal of the same span, so holds it."""
    marks = [*claims, *proposals]  # a model instance equals only one of its own table
    starts: dict[int, list[Claim | Proposal]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
    boundaries = sorted({0, len(body), *(m.start for m in marks), *(m.end for m in marks)})
    runs: list[Run] = []
    open_marks: list[Claim | Proposal] = []  # innermost last
    begun: set[tuple[bool, int]] = set()
    for here, following in zip(boundaries, boundaries[1:] + [None], strict=True):
        ending = [mark for mark in open_marks if mark.end == here]
        if ending:
            # Close down to the outermost mark that ends here; reopen the others inside.
            depth = min(open_marks.index(mark) for mark in ending)
            reopened = [mark for mark in open_marks[depth:] if mark.end != here]
            runs += [Run("close")] * (len(open_marks) - depth)
            del open_marks[depth:]
            for mark in reopened:
                runs.append(opening(mark, first=False))
                open_marks.append(mark)
        # Longer marks open first, so that they hold the shorter ones that start with them.
        for mark in sorted(starts.get(here, []), key=order_of_opening):
            key = (isinstance(mark, Proposal), mark.id)
            runs.append(opening(mark, first=key not in begun))
            begun.add(key)
            open_marks.append(mark)
        if following is not None:
            runs.append(Run("text", body[here:following]))
    return runs


def order_of_opening(mark: Claim | Proposal) -> tuple:
    """Of marks starting together: the longer first, a claim before a proposal, then by id."""
    return (-mark.end, isinstance(mark, Proposal), mark.id)


def opening(mark: Claim | Proposal, first: bool) -> Run:
    """The run that opens (a part of) `mark`'s highlight."""
    if isinstance(mark, Proposal):
        return Run("open", proposal=mark, first=first)
    return Run("open", claim=mark, first=first)


@dataclass
class InContext:
    """A claim with the article text around it, cut at word boundaries."""

    before: str
    claim: Claim
    after: str


def in_context(claim: Claim) -> InContext:
    body = claim.article.body
    before = body[max(0, claim.start - CONTEXT_CHARACTERS) : claim.start]
    after = body[claim.end : claim.end + CONTEXT_CHARACTERS]
    if claim.start > CONTEXT_CHARACTERS and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if claim.end + CONTEXT_CHARACTERS < len(body) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return InContext(before, claim, after)
