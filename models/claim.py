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
from models.outlet import Outlet
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
        **fields,
    ) -> "Claim":
        """Store a new claim anchored in `article` (see `Article.locate`)."""
        text, span = article.locate(text, start, end)
        return cls.create(by, article=article, text=text, start=span.start, end=span.end, **fields)

    def revise(
        self,
        by: str | None = None,
        article: Article | None = None,
        text: str | None = None,
        start: int | None = None,
        end: int | None = None,
        **fields,
    ) -> bool:
        """Change fields; a new article, text or span anchors the claim afresh (the text is
        kept when only the article changes). Returns whether anything changed."""
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
        via = Outlet.alias("via")
        return (
            cls.select(
                cls,
                *(Article.id, Article.outlet, Article.url, Article.headline, Article.body),
                *(Article.published_on, Article.language),
                *(Outlet.id, Outlet.name, Outlet.homepage),
                *(Speaker.id, Speaker.name, Speaker.kind, Speaker.description),
                Speaker.wikidata_id,
                *(via.id, via.name, via.homepage),
            )
            .join(Article)
            .join(Outlet)
            .switch(cls)
            .join(Speaker)
            .switch(cls)
            .join(via, JOIN.LEFT_OUTER, on=(cls.via == via.id), attr="via")
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
    ):
        """Claims passing every given filter. `since`/`until` apply to the day the statement
        was made, or, where that is unknown, the day its article was published; `q` is a
        full-text search query (see models.search)."""
        query = cls.with_attribution()
        said_on = fn.COALESCE(cls.stated_on, Article.published_on)
        conditions = [
            speaker_id is None or cls.speaker == speaker_id,
            article_id is None or cls.article == article_id,
            outlet_id is None or Article.outlet == outlet_id,
            quote_type is None or cls.quote_type == quote_type,
            cue is None or fn.LOWER(cls.cue) == cue.lower(),
            since is None or said_on >= since,
            until is None or said_on <= until,
            q is None or cls.id.in_(refs(q, "claim")),
        ]
        for condition in conditions:
            if condition is not True:
                query = query.where(condition)
        return query
