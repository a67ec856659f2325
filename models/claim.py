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

from models.article import AnchorError, Article
from models.base import BaseModel, one_of
from models.outlet import Outlet
from models.speaker import Speaker

QUOTE_TYPES = ("direct", "indirect", "mixed")
CONTEXT_LENGTH = 32  # characters of prefix/suffix, as in a W3C TextQuoteSelector


class SpanMismatch(AnchorError):
    def __init__(self, claim: "Claim"):
        super().__init__(
            f"claim text {claim.text!r} is not the article body at [{claim.start}:{claim.end}]"
        )


class Claim(BaseModel):
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

    def save(self, *args, **kwargs):
        # Every write path goes through here, so no unanchored claim is ever stored.
        if self.article.body[self.start : self.end] != self.text:
            raise SpanMismatch(self)
        return super().save(*args, **kwargs)

    @property
    def outlet(self) -> Outlet:
        """A claim's outlet is its article's outlet, by construction: it is not stored twice."""
        return self.article.outlet

    @property
    def prefix(self) -> str:
        return self.article.body[max(0, self.start - CONTEXT_LENGTH) : self.start]

    @property
    def suffix(self) -> str:
        return self.article.body[self.end : self.end + CONTEXT_LENGTH]

    @classmethod
    def with_attribution(cls):
        """Claims joined with everything a response shows, in one query."""
        via = Outlet.alias("via")
        return (
            cls.select(cls, Article, Outlet, Speaker, via)
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
        q: str | None = None,
    ):
        """Claims passing every given filter. `since`/`until` apply to the day the statement
        was made, or, where that is unknown, the day its article was published."""
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
            q is None or cls.text.contains(q),
        ]
        for condition in conditions:
            if condition is not True:
                query = query.where(condition)
        return query
