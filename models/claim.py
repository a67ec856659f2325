"""Claims: statements attributed to a speaker, each the exact words of a span of one article."""

from datetime import date

from peewee import (
    JOIN,
    CharField,
    Check,
    DateField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from models.article import AnchorError, Article, Span
from models.base import one_of
from models.db import database
from models.outlet import Outlet
from models.prepared import Slot, prepared
from models.revision import Revised
from models.search import ParsedQuery, refs
from models.speaker import Speaker

QUOTE_TYPES = ("direct", "indirect", "mixed")
CONTEXT_LENGTH = 32  # characters of prefix/suffix, as in a W3C TextQuoteSelector


class SpanMismatch(AnchorError):
    def __init__(self, claim: "Claim"):
        super().__init__(
            f"claim text {claim.text!r} is not the article body at [{claim.start}:{claim.end}]"
        )


class Claim(Revised):
    article = ForeignKeyField(Article, backref="claims", on_delete="RESTRICT")
    speaker = ForeignKeyField(Speaker, backref="claims", on_delete="RESTRICT")
    # The outlet or occasion that relayed the statement (an interview on another channel).
    via = ForeignKeyField(Outlet, backref="relayed_claims", null=True, on_delete="RESTRICT")
    text = TextField()
    start = IntegerField(constraints=[Check("start >= 0")])
    end = IntegerField(constraints=[Check('"end" > start')])
    quote_type = CharField(max_length=8, constraints=[one_of("quote_type", QUOTE_TYPES)])
    cue = CharField(max_length=64, null=True)  # the attribution verb: "said", "told", ...
    stated_on = DateField(null=True, index=True)  # when the speaker said it, if known
    stated_on_note = TextField(null=True)

    class Meta:
        indexes = ((("article", "speaker", "start", "end"), True),)

    @classmethod
    def anchored(cls, article: Article, text: str, start: int | None = None, **fields) -> "Claim":
        """A new claim whose span is found in `article` (see `Article.find_span`)."""
        span = article.find_span(text, start)
        return cls(article=article, text=text, start=span.start, end=span.end, **fields)

    @classmethod
    def create_anchored(
        cls,
        article: Article,
        text: str | None = None,
        start: int | None = None,
        end: int | None = None,
        by: str | None = None,
        body_sha256: str | None = None,
        **fields,
    ) -> "Claim":
        """Store a new claim anchored in `article` (see `Article.locate`), in the body the
        writer read if it names it by `body_sha256` (see `Article.confirm_body`)."""
        article.confirm_body(body_sha256)
        text, span = article.locate(text, start, end)
        return cls.create(by, article=article, text=text, start=span.start, end=span.end, **fields)

    def revise(
        self,
        by: str | None = None,
        article: Article | None = None,
        text: str | None = None,
        start: int | None = None,
        end: int | None = None,
        body_sha256: str | None = None,
        **fields,
    ) -> bool:
        """Change fields; a new article, text or span anchors the claim afresh (the text is
        kept when only the article changes), in the body the writer read if it names it by
        `body_sha256` (see `Article.confirm_body`). Returns whether anything changed."""
        (article or self.article).confirm_body(body_sha256)
        if article is not None or text is not None or start is not None or end is not None:
            article = article or self.article
            if text is None and start is None:
                text = self.text
            text, span = article.locate(text, start, end)
            fields.update(article=article, text=text, start=span.start, end=span.end)
        return self.save_changes(by, **fields)

    def save(self, *args, **kwargs):
        # Every write path goes through here, so no unanchored claim is ever stored, and the
        # entities a claim is about always follow its text.
        from models.mention import link_mentions  # mention.py builds on this module

        if self.article.body[self.start : self.end] != self.text:
            raise SpanMismatch(self)
        saved = super().save(*args, **kwargs)
        link_mentions(self)
        return saved

    @property
    def outlet(self) -> Outlet:
        """A claim's outlet is its article's outlet, by construction: it is not stored twice."""
        return self.article.outlet

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @property
    def prefix(self) -> str:
        return self.article.body[max(0, self.start - CONTEXT_LENGTH) : self.start]

    @property
    def suffix(self) -> str:
        return self.article.body[self.end : self.end + CONTEXT_LENGTH]

    @classmethod
    def with_attribution(cls):
        """Claims joined with everything a response shows, in one query: only the columns of
        the joined rows that responses show (reading the rest, timestamps above all, costs
        more than the query when a list or an export reads many claims)."""
        return (
            cls.select(
                cls,
                *(Article.id, Article.outlet, Article.url, Article.headline, Article.body),
                *(Article.published_on, Article.language),
                *(Outlet.id, Outlet.name, Outlet.homepage),
                *(Speaker.id, Speaker.name, Speaker.kind, Speaker.description),
                Speaker.wikidata_id,
                *(VIA.id, VIA.name, VIA.homepage),
            )
            .join(Article)
            .join(Outlet)
            .switch(cls)
            .join(Speaker)
            .switch(cls)
            .join(VIA, JOIN.LEFT_OUTER, on=(cls.via == VIA.id), attr="via")
        )

    @classmethod
    def matching(
        cls,
        speaker_id: int | None = None,
        article_id: int | None = None,
        outlet_id: int | None = None,
        quote_type: str | None = None,
        cue: str | None = None,
        since: date | None = None,
        until: date | None = None,
        q: ParsedQuery | str | None = None,
        entity_id: int | None = None,
        claim_id: int | None = None,
    ):
        """Claims passing every given filter. `since`/`until` apply to the day the statement
        was made, or, where that is unknown, the day its article was published; `q` is a
        full-text search query (see models.search); `entity_id` keeps the claims about that
        entity (see models.mention)."""
        from models.mention import ClaimMention  # mention.py builds on this module

        query = cls.with_attribution()
        said_on = fn.COALESCE(cls.stated_on, Article.published_on)
        about = ClaimMention.select(ClaimMention.claim).where(ClaimMention.entity == entity_id)
        conditions = [
            claim_id is None or cls.id == claim_id,
            speaker_id is None or cls.speaker == speaker_id,
            article_id is None or cls.article == article_id,
            outlet_id is None or Article.outlet == outlet_id,
            quote_type is None or cls.quote_type == quote_type,
            cue is None or fn.LOWER(cls.cue) == fn.LOWER(cue),
            since is None or said_on >= since,
            until is None or said_on <= until,
            q is None or cls.id.in_(refs(q, "claim")),
            entity_id is None or cls.id.in_(about),
        ]
        for condition in conditions:
            if condition is not True:
                query = query.where(condition)
        return query

    @classmethod
    def attributed_rows(
        cls, after: int | None = None, limit: int | None = None, **filters
    ) -> list[tuple]:
        """The claims passing `filters` (those of `matching`) in id order, after the id
        `after`, at most `limit`: for each, the values of ATTRIBUTION as the database gives
        them. Lists and look-ups read claims here: compiled once per set of filters given
        (a text search's subquery is compiled each time), with no model objects built."""
        values = {
            name: value for name, value in {**filters, "after": after}.items() if value is not None
        }

        def build(after=None, limit=None, **filters):
            query = cls.matching(**filters)
            if after is not None:
                query = query.where(cls.id > after)
            return query.select(*ATTRIBUTION).order_by(cls.id).limit(limit)

        if "q" in values:
            sql, params = build(limit=limit, **values).sql()
            return database.execute_sql(sql, params).fetchall()
        # The limit is written into the SQL, not left to a slot: PostgreSQL plans a LIMIT it
        # cannot see as a large one, and so would plan every run afresh.
        slots = {name: Slot(name) for name in values}
        shape = ("attributed claims", limit, *sorted(values))
        return prepared(shape, lambda: build(limit=limit, **slots)).rows(values)


VIA = Outlet.alias("via")  # the outlet that relayed a claim, beside its article's outlet
# What a claim's representation shows, in the order of `Claim.attributed_rows`' values.
ATTRIBUTION = (
    *(Claim.id, Claim.created_at, Claim.updated_at, Claim.text, Claim.quote_type, Claim.cue),
    *(Claim.start, Claim.end, Claim.stated_on, Claim.stated_on_note),
    *(Article.id, Article.headline, Article.url, Article.body),
    *(Speaker.id, Speaker.name, Outlet.id, Outlet.name, VIA.id, VIA.name),
)
