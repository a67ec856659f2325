"""Articles: the published text of a report, the ground every claim is anchored in."""

import hashlib
import os
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from peewee import CharField, DateField, ForeignKeyField, JSONField, TextField

from models.outlet import Outlet
from models.revision import Revised


class Span(NamedTuple):
    """A half-open range of Unicode code points in an article body."""

    start: int
    end: int


class AnchorError(ValueError):
    """A statement's text cannot be tied to exactly one place in its article."""


class TextNotInBody(AnchorError):
    def __init__(self, text: str, start: int | None = None):
        where = f" at offset {start}" if start is not None else ""
        super().__init__(f"the text {text!r} does not occur in the article body{where}")
        self.text = text
        self.start = start


class AmbiguousText(AnchorError):
    SHOWN = 10  # offsets a message or problem names: a one-letter text may occur 100,000 times

    def __init__(self, text: str, offsets: list[int]):
        more = len(offsets) - self.SHOWN
        named = ", ".join(map(str, offsets[: self.SHOWN])) + (
            f" and {more} more" if more > 0 else ""
        )
        super().__init__(
            f"the text {text!r} occurs {len(offsets)} times in the article body "
            f"(at offsets {named}); give `start` to choose one"
        )
        self.text = text
        self.offsets = offsets

    @property
    def first_offsets(self) -> list[int]:
        """The offsets to name to a client: the first SHOWN of them."""
        return self.offsets[: self.SHOWN]


class SpanOutsideBody(AnchorError):
    def __init__(self, start: int, end: int, length: int):
        super().__init__(f"[{start}:{end}] is not a span of the article body (0 to {length})")
        self.start = start
        self.end = end


class Unanchorable(AnchorError):
    """A new body in which some claims can no longer be placed exactly and unambiguously."""

    def __init__(self, misplaced: list[tuple]):  # (claim, the AnchorError that placing it met)
        ids = ", ".join(str(claim.id) for claim, _ in misplaced)
        super().__init__(f"the new body leaves claims {ids} without a single place")
        self.misplaced = misplaced


class SpanTaken(AnchorError):
    def __init__(self, other_ids: list[int], span: Span):
        super().__init__(
            f"claims {other_ids} of the same speaker would stand at [{span.start}:{span.end}] too"
        )


class NotItsClaims(ValueError):
    """A correction names claims that are not anchored in the article it corrects."""

    def __init__(self, article_id: int, claim_ids: list[int]):
        super().__init__(f"claims {claim_ids} are not claims of article {article_id}")
        self.claim_ids = claim_ids


class BodyMoved(Exception):
    """A write names the body it read (by its SHA-256), and the article's body is now another:
    offsets read in the old body could capture other words in this one."""

    def __init__(self, article: "Article", read_sha256: str):
        super().__init__(
            f"article {article.id}'s body has changed since it was read: it is now "
            f"{article.body_sha256}, not {read_sha256}"
        )
        self.article = article


class Article(Revised):
    outlet = ForeignKeyField(Outlet, backref="articles", on_delete="RESTRICT")
    url = CharField(max_length=2000, unique=True)
    headline = CharField(max_length=500)
    section = CharField(max_length=200, null=True)  # section or programme, e.g. "World Today"
    bylines = JSONField(default=list)
    published_on = DateField(null=True, index=True)
    published_on_note = TextField(null=True)  # how the date is known, or why it is not
    language = CharField(max_length=35, null=True)
    body = TextField()  # the published text without page chrome, verbatim
    body_sha256 = CharField(max_length=64)

    def save(self, *args, **kwargs):
        self.body_sha256 = sha256_of(self.body)
        return super().save(*args, **kwargs)

    def confirm_body(self, read_sha256: str | None) -> None:
        """Raise BodyMoved unless the body is the one whose SHA-256 a writer read (if it says)."""
        if read_sha256 is not None and read_sha256 != self.body_sha256:
            raise BodyMoved(self, read_sha256)

    @classmethod
    def matching(
        cls,
        outlet_id: int | None = None,
        published_since: date | None = None,
        published_until: date | None = None,
    ):
        """Articles, with their outlet, passing every given filter."""
        query = cls.select(cls, Outlet).join(Outlet)
        if outlet_id is not None:
            query = query.where(cls.outlet == outlet_id)
        if published_since is not None:
            query = query.where(cls.published_on >= published_since)
        if published_until is not None:
            query = query.where(cls.published_on <= published_until)
        return query

    def find_span(self, text: str, start: int | None = None) -> Span:
        """Where `text` stands in the body: at `start` if given, else its only occurrence."""
        if not text:
            raise TextNotInBody(text, start)
        if start is not None:
            if start < 0 or self.body[start : start + len(text)] != text:
                raise TextNotInBody(text, start)
            return Span(start, start + len(text))
        offsets = occurrences(self.body, text)
        if not offsets:
            raise TextNotInBody(text)
        if len(offsets) > 1:
            raise AmbiguousText(text, offsets)
        return Span(offsets[0], offsets[0] + len(text))

    def locate(
        self, text: str | None = None, start: int | None = None, end: int | None = None
    ) -> tuple[str, Span]:
        """A statement's text and span, from its `text` (and `start` if the text occurs more
        than once), or from `start` and `end` (the text is then the body's)."""
        if text is None:
            return self.text_at(start, end), Span(start, end)
        span = self.find_span(text, start)
        if end is not None and span.end != end:
            raise TextNotInBody(text, start)
        return text, span

    def text_at(self, start: int, end: int) -> str:
        """The body's text in [start:end], which must be a non-empty span of it."""
        if not 0 <= start < end <= len(self.body):
            raise SpanOutsideBody(start, end, len(self.body))
        return self.body[start:end]

    def revise(self, by: str | None = None, corrected: dict | None = None, **fields) -> bool:
        """Change fields; a new `body` moves every claim to where its text now stands (see
        `relocate`), except the `corrected` ones (claim id -> `text`, `start`, `end`, as for
        `locate`), which are anchored in the new body afresh: their words changed with it.
        If any claim cannot be placed, raises Unanchorable (or NotItsClaims for corrected ids
        of other articles) and changes nothing. Call inside a transaction. Returns whether
        the article changed."""
        corrected = corrected or {}
        body = fields.get("body", self.body)
        claims = list(self.claims) if body != self.body or corrected else []
        foreign = sorted(corrected.keys() - {claim.id for claim in claims})
        if foreign:
            raise NotItsClaims(self.id, foreign)
        corrected_body = Article(body=body)
        placed, misplaced = {}, []
        for claim in claims:
            claim.article = self  # its context is read from this (still old) body
            try:
                if claim.id in corrected:
                    placed[claim] = corrected_body.locate(**corrected[claim.id])
                else:
                    placed[claim] = (
                        claim.text,
                        relocate(claim.text, claim.prefix, claim.suffix, body),
                    )
            except AnchorError as error:
                misplaced.append((claim, error))
        holders = defaultdict(list)  # (speaker, span) -> its claims: at most one may hold it
        for claim, (_, span) in placed.items():
            holders[claim.speaker_id, span].append(claim)
        for (_, span), claims_there in holders.items():
            for claim in claims_there if len(claims_there) > 1 else ():
                others = [other.id for other in claims_there if other is not claim]
                misplaced.append((claim, SpanTaken(others, span)))
        if misplaced:
            raise Unanchorable(misplaced)
        from models.proposal import Proposal  # proposal.py builds on this module

        changed = self.save_changes(by, **fields)
        Proposal.outdate(self)  # proposals found in the old body no longer fit it
        moves = [
            (claim, text, span)
            for claim, (text, span) in placed.items()
            if (text, span) != (claim.text, claim.span)
        ]
        # Move right-movers from the right first, then left-movers from the left, so that no
        # claim passes through a span another claim of the same speaker still holds.
        moves.sort(key=lambda move: (0, -move[2].start) if move[2] > move[0].span else (1, move[2]))
        for claim, text, span in moves:
            claim.save_changes(by, text=text, start=span.start, end=span.end)
        return changed

    def delete_with_claims(self, by: str | None = None) -> int:
        """Delete the article and every claim anchored in it; returns how many claims."""
        claims = list(self.claims)
        for claim in claims:
            claim.delete_instance(by)
        self.delete_instance(by)
        return len(claims)


def sha256_of(body: str) -> str:
    """The hex SHA-256 of a body's UTF-8 bytes, by which writers name the body they read."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def relocate(text: str, prefix: str, suffix: str, body: str) -> Span:
    """Where a statement stands in a corrected `body`: its only occurrence, or the one whose
    surroundings best match its old `prefix` and `suffix` (a W3C TextQuoteSelector match)."""
    offsets = occurrences(body, text)
    if not offsets:
        raise TextNotInBody(text)
    if len(offsets) == 1:
        return Span(offsets[0], offsets[0] + len(text))

    def context_kept(at: int) -> int:
        # Only as much of the body as the context is long: a text may occur 100,000 times.
        before = os.path.commonprefix([body[max(0, at - len(prefix)) : at][::-1], prefix[::-1]])
        after = os.path.commonprefix([body[at + len(text) : at + len(text) + len(suffix)], suffix])
        return len(before) + len(after)

    kept = {at: context_kept(at) for at in offsets}
    most = max(kept.values())
    best = [at for at in offsets if kept[at] == most]
    if len(best) > 1:
        raise AmbiguousText(text, best)
    return Span(best[0], best[0] + len(text))


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every offset at which `needle` starts in `haystack`, overlapping ones included."""
    offsets, at = [], haystack.find(needle)
    while at != -1:
        offsets.append(at)
        at = haystack.find(needle, at + 1)
    return offsets
