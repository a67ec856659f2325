"""An article's text cut into runs for highlighting: each claim marked exactly on
`body[start:end]`, overlapping claims nested, a claim that crosses another split in parts."""

from dataclasses import dataclass

from models import Claim

CONTEXT_CHARACTERS = 160  # of the article shown on each side of a claim, out of its article


@dataclass
class Run:
    """One piece of the page: `text`, or the opening (`claim` set) or closing of a highlight."""

    kind: str  # "text", "open" or "close"
    text: str = ""
    claim: Claim | None = None
    first: bool = False  # the first part of its claim's highlight (the one that takes focus)


def highlighted(body: str, claims: list[Claim]) -> list[Run]:
    """`body` as text runs and highlight openings and closings, in order, such that the text
    inside the parts of each claim's highlight is exactly `body[claim.start:claim.end]`."""
    starts: dict[int, list[Claim]] = {}
    for claim in claims:
        starts.setdefault(claim.start, []).append(claim)
    boundaries = sorted({0, len(body), *(c.start for c in claims), *(c.end for c in claims)})
    runs: list[Run] = []
    open_claims: list[Claim] = []  # innermost last
    begun: set[int] = set()
    for here, following in zip(boundaries, boundaries[1:] + [None], strict=True):
        ending = [claim for claim in open_claims if claim.end == here]
        if ending:
            # Close down to the outermost claim that ends here; reopen the others inside.
            depth = min(open_claims.index(claim) for claim in ending)
            reopened = [claim for claim in open_claims[depth:] if claim.end != here]
            runs += [Run("close")] * (len(open_claims) - depth)
            del open_claims[depth:]
            for claim in reopened:
                runs.append(Run("open", claim=claim))
                open_claims.append(claim)
        # Longer claims open first, so that they hold the shorter ones that start with them.
        for claim in sorted(starts.get(here, []), key=lambda claim: (-claim.end, claim.id)):
            runs.append(Run("open", claim=claim, first=claim.id not in begun))
            begun.add(claim.id)
            open_claims.append(claim)
        if following is not None:
            runs.append(Run("text", body[here:following]))
    return runs


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
