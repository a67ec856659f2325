"""Proposals: attributions the extractor found in a stored article, waiting for a person.

A proposal is pending until someone accepts it (a claim is made from it, see api/proposals.py)
or rejects it; it is stale once its article's body is corrected, since its spans index into the
body it was found in. A proposal keeps what the extractor said; corrections made on accepting go
to the claim. Re-running the extractor on an unchanged body stores no second proposal of a span
and speaker already proposed (pending, accepted or rejected): a person's answer stands.
"""

from peewee import (
    CharField,
    Check,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

import extraction
from models.article import Article
from models.base import BaseModel, one_of, utcnow
from models.claim import Claim
from models.outlet import Outlet
from models.speaker import Speaker, SpeakerAlias

STATUSES = ("pending", "accepted", "rejected", "stale")
REVIEWABLE = "pending"


class NotReviewable(Exception):
    """Only a pending proposal can be accepted or rejected."""

    def __init__(self, proposal: "Proposal"):
        claim = f" as claim {proposal.claim_id}" if proposal.claim_id else ""
        super().__init__(f"proposal {proposal.id} is already {proposal.status}{claim}")
        self.proposal = proposal


class Proposal(BaseModel):
    """Its id is AUTOINCREMENT on SQLite (see the migration): ids are never given twice."""

    article = ForeignKeyField(Article, backref="proposals", on_delete="CASCADE")
    body_sha256 = CharField(max_length=64)  # the body the spans index into
    status = CharField(max_length=8, default=REVIEWABLE, constraints=[one_of("status", STATUSES)])
    text = TextField()
    start = IntegerField(constraints=[Check("start >= 0")])
    end = IntegerField(constraints=[Check('"end" > start')])
    quote_type = CharField(max_length=8)
    cue_text = TextField()
    cue_start = IntegerField()
    cue_end = IntegerField()
    source_text = TextField()
    source_start = IntegerField()
    source_end = IntegerField()
    # The stored speaker and outlet the extractor resolved to, if any; the names it gave stay.
    resolved_speaker = ForeignKeyField(Speaker, null=True, on_delete="SET NULL")
    speaker_name = CharField(max_length=200)
    speaker_kind = CharField(max_length=16)
    resolved_via = ForeignKeyField(Outlet, null=True, on_delete="SET NULL")
    via_name = CharField(max_length=200, null=True)
    confidence = FloatField(constraints=[Check("confidence BETWEEN 0 AND 1")])
    claim = ForeignKeyField(Claim, null=True, backref="proposals", on_delete="SET NULL")

    class Meta:
        table_name = "proposal"

    # What the extractor proposed, in its own terms (so one schema shows both).
    @property
    def content(self) -> extraction.Span:
        return extraction.Span(self.text, self.start, self.end)

    @property
    def cue(self) -> extraction.Span:
        return extraction.Span(self.cue_text, self.cue_start, self.cue_end)

    @property
    def source(self) -> extraction.Span:
        return extraction.Span(self.source_text, self.source_start, self.source_end)

    @property
    def speaker(self) -> extraction.SpeakerGuess:
        return extraction.SpeakerGuess(
            self.resolved_speaker_id, self.speaker_name, self.speaker_kind
        )

    @property
    def via(self) -> extraction.ViaGuess | None:
        if self.via_name is None:
            return None
        return extraction.ViaGuess(self.resolved_via_id, self.via_name)

    @property
    def key(self) -> tuple:
        """What makes two proposals of one article the same proposal."""
        return (self.body_sha256, self.start, self.end, self.speaker_name)

    @classmethod
    def matching(cls, status: str | None = None, article_id: int | None = None):
        """Proposals, with their article, passing every given filter."""
        query = cls.select(cls, Article.id, Article.headline, Article.url).join(Article)
        if status is not None:
            query = query.where(cls.status == status)
        if article_id is not None:
            query = query.where(cls.article == article_id)
        return query

    @classmethod
    def record_run(cls, article: Article, found: list[extraction.Proposal]) -> list["Proposal"]:
        """Store what the extractor `found` in `article`'s current body as pending proposals,
        except what is already proposed (in any status but stale) and spans a claim already
        holds (whoever it is attributed to: that span has been reviewed). Returns the run's
        proposals as stored, new or not, in text order. Call inside a transaction that holds
        the article."""
        stored = {
            row.key: row
            for row in cls.select().where(
                (cls.article == article)
                & (cls.body_sha256 == article.body_sha256)
                & (cls.status != "stale")
            )
        }
        claimed = set(Claim.select(Claim.start, Claim.end).where(Claim.article == article).tuples())
        run = []
        for proposal in found:
            row = cls.of(article, proposal)
            if row.key not in stored:
                if (row.start, row.end) in claimed:
                    continue
                row.save(force_insert=True)
                stored[row.key] = row
            run.append(stored[row.key])
        for row in run:
            row.article = article  # read once, not again for each row shown
        return run

    @classmethod
    def of(cls, article: Article, proposal: extraction.Proposal) -> "Proposal":
        """An unsaved row holding what the extractor proposed in `article`'s body."""
        via = proposal.via
        return cls(
            article=article,
            body_sha256=article.body_sha256,
            text=proposal.content.text,
            start=proposal.content.start,
            end=proposal.content.end,
            quote_type=proposal.quote_type,
            cue_text=proposal.cue.text,
            cue_start=proposal.cue.start,
            cue_end=proposal.cue.end,
            source_text=proposal.source.text,
            source_start=proposal.source.start,
            source_end=proposal.source.end,
            resolved_speaker=proposal.speaker.id,
            speaker_name=proposal.speaker.name,
            speaker_kind=proposal.speaker.kind,
            resolved_via=via.id if via else None,
            via_name=via.name if via else None,
            confidence=proposal.confidence,
        )

    def check_reviewable(self) -> None:
        """Raise NotReviewable unless the proposal is pending."""
        if self.status != REVIEWABLE:
            raise NotReviewable(self)

    def review(self, status: str, claim: Claim | None = None) -> None:
        """Record a person's answer (accepted, with its claim, or rejected); raises
        NotReviewable if the proposal is no longer pending."""
        self.check_reviewable()
        self.save_changes(status=status, claim=claim)

    @classmethod
    def outdate(cls, article: Article) -> int:
        """Mark stale the pending proposals of `article` found in a body it no longer has:
        their spans index into that body. Returns how many."""
        return (
            cls.update(status="stale", version=cls.version + 1, updated_at=utcnow())
            .where(
                (cls.article == article)
                & (cls.status == REVIEWABLE)
                & (cls.body_sha256 != article.body_sha256)
            )
            .execute()
        )


def directory() -> extraction.Directory:
    """Every stored speaker (with its aliases) and outlet, for the extractor to resolve to."""
    spellings: dict[int, list[str]] = {}
    speakers = list(Speaker.select(Speaker.id, Speaker.name, Speaker.kind).order_by(Speaker.id))
    for speaker in speakers:
        spellings[speaker.id] = [speaker.name]
    aliases = SpeakerAlias.select(SpeakerAlias.speaker, SpeakerAlias.alias)
    for speaker_id, alias in aliases.order_by(SpeakerAlias.id).tuples():
        spellings[speaker_id].append(alias)
    outlets = Outlet.select(Outlet.id, Outlet.name).order_by(Outlet.id).tuples()
    return extraction.Directory(
        speakers=tuple(
            extraction.Known(row.id, row.name, row.kind, tuple(spellings[row.id]))
            for row in speakers
        ),
        outlets=tuple(extraction.Known(id, name, "outlet", (name,)) for id, name in outlets),
    )
