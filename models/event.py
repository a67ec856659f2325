"""Events: the articles about one happening, and how each outlet covered it."""

from dataclasses import dataclass, field
from datetime import date

from peewee import CharField, DateField, ForeignKeyField, TextField, fn

from models.article import Article
from models.base import BaseModel, Table
from models.claim import Claim
from models.entity import Entity
from models.outlet import Outlet
from models.relation import assertions
from models.speaker import Speaker


class Event(BaseModel):
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    description = TextField(null=True)
    starts_on = DateField(null=True)  # first day of the event, as the articles establish it
    ends_on = DateField(null=True)

    @classmethod
    def matching(cls, entity_id: int | None = None, article_id: int | None = None):
        """Events passing every given filter."""
        query = cls.select()
        if entity_id is not None:
            about = EventEntity.select(EventEntity.event).where(EventEntity.entity == entity_id)
            query = query.where(cls.id.in_(about))
        if article_id is not None:
            covered = EventArticle.select(EventArticle.event).where(
                EventArticle.article == article_id
            )
            query = query.where(cls.id.in_(covered))
        return query

    @property
    def articles(self) -> list[Article]:
        if "articles" not in self.__dict__:
            Event.load_members([self])
        return self.__dict__["articles"]

    @property
    def entities(self) -> list[Entity]:
        if "entities" not in self.__dict__:
            Event.load_members([self])
        return self.__dict__["entities"]

    @staticmethod
    def load_members(events) -> list["Event"]:
        """Fetch the articles (with outlets) and entities of all `events` in two queries."""
        events = list(events)
        by_id = {event.id: event for event in events}
        for event in events:
            event.__dict__.update(articles=[], entities=[])
        articles = (
            Article.select(Article, Outlet, EventArticle.event)
            .join(Outlet)
            .switch(Article)
            .join(EventArticle)
            .where(EventArticle.event.in_(list(by_id)))
            .order_by(Article.id)
        )
        for article in articles:
            by_id[article.eventarticle.event_id].__dict__["articles"].append(article)
        entities = (
            Entity.select(Entity, EventEntity.event)
            .join(EventEntity)
            .where(EventEntity.event.in_(list(by_id)))
            .order_by(Entity.id)
        )
        for entity in entities:
            by_id[entity.evententity.event_id].__dict__["entities"].append(entity)
        return events

    def claims(self):
        """The claims of the event's articles, attributed."""
        articles = EventArticle.select(EventArticle.article).where(EventArticle.event == self)
        return Claim.with_attribution().where(Claim.article.in_(articles))

    def timeline(self):
        """Its claims in the order they were made: by the day stated, or else the day the
        article was published (undated last), then in article and reading order."""
        said_on = fn.COALESCE(Claim.stated_on, Article.published_on)
        return self.claims().order_by(
            said_on.asc(nulls="LAST"),
            Article.published_on.asc(nulls="LAST"),
            Article.id,
            Claim.start,
            Claim.id,
        )

    def timeline_entries(self, offset: int, count: int) -> list["TimelineEntry"]:
        """`count` entries of the timeline from position `offset`, each with its date."""
        return [TimelineEntry.of(claim) for claim in self.timeline().offset(offset).limit(count)]

    def coverage(self) -> "Coverage":
        """For each outlet with an article about the event: its articles, whom it quoted and
        how, the assertions it carried and those other outlets carried that it did not."""
        articles = self.articles
        claims = list(
            Claim.with_attribution()
            .where(Claim.article.in_([article.id for article in articles]))
            .order_by(Claim.id)
        )
        by_id = {claim.id: claim for claim in claims}
        groups = [
            Assertion(group[0], [by_id[claim_id] for claim_id in group])
            for group in assertions(by_id)
        ]
        outlets = {article.outlet.id: OutletCoverage(article.outlet) for article in articles}
        for article in articles:
            outlets[article.outlet.id].articles.append(article)
        for claim in claims:
            quoted = outlets[claim.article.outlet.id].quoting(claim.speaker)
            quoted.counts[claim.quote_type] += 1
        quoting_outlets: dict[int, set[int]] = {}
        for coverage in outlets.values():
            for quoted in coverage.speakers:
                quoting_outlets.setdefault(quoted.speaker.id, set()).add(coverage.outlet.id)
        for coverage in outlets.values():
            for quoted in coverage.speakers:
                quoted.only_this_outlet = quoting_outlets[quoted.speaker.id] == {coverage.outlet.id}
            for assertion in groups:
                carried = coverage.outlet.id in {outlet.id for outlet in assertion.outlets}
                (coverage.carried if carried else coverage.not_carried).append(assertion)
        return Coverage(self, groups, list(outlets.values()))


@dataclass
class TimelineEntry:
    said_on: date | None
    said_on_basis: str | None  # "stated" or "published"
    claim: Claim

    @classmethod
    def of(cls, claim: Claim) -> "TimelineEntry":
        if claim.stated_on is not None:
            return cls(claim.stated_on, "stated", claim)
        if claim.article.published_on is not None:
            return cls(claim.article.published_on, "published", claim)
        return cls(None, None, claim)


@dataclass
class Assertion:
    """Claims that state the same thing (linked by `same_assertion`), known by its first claim."""

    id: int
    claims: list[Claim]

    @property
    def outlets(self) -> list[Outlet]:
        outlets = {claim.article.outlet.id: claim.article.outlet for claim in self.claims}
        return list(outlets.values())


@dataclass
class QuotedSpeaker:
    speaker: Speaker
    counts: dict[str, int] = field(default_factory=lambda: {"direct": 0, "indirect": 0, "mixed": 0})
    only_this_outlet: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class OutletCoverage:
    outlet: Outlet
    articles: list[Article] = field(default_factory=list)
    speakers: list[QuotedSpeaker] = field(default_factory=list)
    carried: list[Assertion] = field(default_factory=list)
    not_carried: list[Assertion] = field(default_factory=list)

    def quoting(self, speaker: Speaker) -> QuotedSpeaker:
        for quoted in self.speakers:
            if quoted.speaker.id == speaker.id:
                return quoted
        self.speakers.append(QuotedSpeaker(speaker))
        return self.speakers[-1]


class EventArticle(Table):
    event = ForeignKeyField(Event, backref="article_rows", on_delete="CASCADE")
    article = ForeignKeyField(Article, backref="event_rows", on_delete="CASCADE")

    class Meta:
        table_name = "event_article"
        indexes = ((("event", "article"), True),)


class EventEntity(Table):
    event = ForeignKeyField(Event, backref="entity_rows", on_delete="CASCADE")
    entity = ForeignKeyField(Entity, backref="event_rows", on_delete="CASCADE")

    class Meta:
        table_name = "event_entity"
        indexes = ((("event", "entity"), True),)


@dataclass
class Coverage:
    event: Event
    assertions: list[Assertion]
    outlets: list[OutletCoverage]
