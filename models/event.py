"""Events: the articles about one happening, and how each outlet covered it."""

import re
from dataclasses import dataclass, field
from datetime import date

from peewee import CharField, DateField, ForeignKeyField, TextField

from models.article import Article
from models.base import BaseModel, Table
from models.claim import Claim
from models.entity import Entity
from models.mention import ClaimMention
from models.outlet import Outlet
from models.relation import ClaimRelation, Suggestion, assertions, content_words, scored
from models.speaker import Speaker

ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
NOT_CARRIED_REASONS = ("omitted", "after_report", "unknown_date")
NEAR_MATCHES_SHOWN = 3  # best suggestions shown per assertion an outlet did not carry
NEAR_MATCH_MIN_SCORE = 0.05  # below this a suggestion shares next to nothing


def date_in_note(note: str | None) -> date | None:
    """The day a date note names (its first ISO date: "from about 2017-11-09"), if any."""
    found = ISO_DATE.search(note or "")
    if found is None:
        return None
    try:
        return date(*map(int, found.groups()))
    except ValueError:  # 2017-02-30 names no day
        return None


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

    def timeline(self) -> list["TimelineEntry"]:
        """Its claims in the order they were made: by the day stated, or inferred from a claim
        of the same assertion that states it, or else the day the article was published
        (undated last), then in article and reading order."""
        claims = list(self.claims())
        inferred = stated_days(claims)
        entries = [TimelineEntry.of(claim, inferred.get(claim.id)) for claim in claims]
        return sorted(entries, key=TimelineEntry.order)

    def timeline_entries(self, offset: int, count: int) -> list["TimelineEntry"]:
        """`count` entries of the timeline from position `offset`, each with its date."""
        return self.timeline()[offset : offset + count]

    def coverage(self) -> "Coverage":
        """For each outlet with an article about the event: its articles and when they
        appeared, whom it quoted and how, the assertions it carried, those other outlets
        carried that it did not (and why: left out, made after its report, or unknown), and
        its claims that probably carry them too."""
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
        appeared = {article.id: ArticleDate.of(article) for article in articles}
        date_assertions(groups, appeared)
        outlets = {article.outlet.id: OutletCoverage(article.outlet) for article in articles}
        for article in articles:
            outlets[article.outlet.id].articles.append(appeared[article.id])
        for claim in claims:
            quoted = outlets[claim.article.outlet.id].quoting(claim.speaker)
            quoted.counts[claim.quote_type] += 1
        quoting_outlets: dict[int, set[int]] = {}
        for coverage in outlets.values():
            for quoted in coverage.speakers:
                quoting_outlets.setdefault(quoted.speaker.id, set()).add(coverage.outlet.id)
        suggestions = suggestions_among(claims)
        for coverage in outlets.values():
            for quoted in coverage.speakers:
                quoted.only_this_outlet = quoting_outlets[quoted.speaker.id] == {coverage.outlet.id}
            for assertion in groups:
                if coverage.outlet.id in {outlet.id for outlet in assertion.outlets}:
                    coverage.carried.append(assertion)
                    continue
                reason = coverage.why_not_carried(assertion)
                coverage.not_carried.append(NotCarried(assertion, reason))
                if reason != "after_report":  # a report cannot carry what was said after it
                    coverage.probably_carried += coverage.near_matches(assertion, suggestions)
        return Coverage(self, groups, list(outlets.values()))


def suggestions_among(claims: list[Claim]) -> dict[int, list[Suggestion]]:
    """For each of `claims`, the others of another article not yet related to it, scored as
    `/v1/claims/{id}/related/suggestions` scores them, in three queries for them all."""
    ids = [claim.id for claim in claims]
    entities_of: dict[int, set[int]] = {claim_id: set() for claim_id in ids}
    for row in ClaimMention.select().where(ClaimMention.claim.in_(ids)):
        entities_of[row.claim_id].add(row.entity_id)
    entities = {
        entity.id: entity
        for entity in Entity.select().where(Entity.id.in_(list(set().union(*entities_of.values()))))
    }
    related = {
        frozenset((link.source_id, link.target_id))
        for link in ClaimRelation.select(ClaimRelation.source, ClaimRelation.target).where(
            ClaimRelation.source.in_(ids) & ClaimRelation.target.in_(ids)
        )
    }
    words = {claim.id: content_words(claim.text) for claim in claims}
    suggestions: dict[int, list[Suggestion]] = {}
    for claim in claims:
        found = [
            scored(words[claim.id], entities_of[claim.id], other, entities_of[other.id], entities)
            for other in claims
            if other.article_id != claim.article_id
            and frozenset((claim.id, other.id)) not in related
        ]
        suggestions[claim.id] = [suggestion for suggestion in found if suggestion is not None]
    return suggestions


def stated_day(claims: list[Claim]) -> date | None:
    """The day claims of one assertion say it was made: the earliest `stated_on` among them."""
    return min((claim.stated_on for claim in claims if claim.stated_on), default=None)


def stated_days(claims: list[Claim]) -> dict[int, date]:
    """The day each undated claim of `claims` inherits from the claims of the same assertion
    (linked by `same_assertion`, directly or not) that state it."""
    by_id = {claim.id: claim for claim in claims}
    inherited = {}
    for group in assertions(by_id):
        day = stated_day([by_id[claim_id] for claim_id in group])
        for claim_id in group:
            if day is not None and by_id[claim_id].stated_on is None:
                inherited[claim_id] = day
    return inherited


def date_assertions(groups: list["Assertion"], appeared: dict[int, "ArticleDate"]) -> None:
    """Date each assertion, or bound its date: the day a claim states (or its note names);
    else no later than the first article that carried it, and no earlier than an assertion
    it updates (no later than one that updates it)."""
    of_claim = {claim.id: assertion for assertion in groups for claim in assertion.claims}
    for assertion in groups:
        stated = stated_day(assertion.claims)
        noted = [day for claim in assertion.claims if (day := date_in_note(claim.stated_on_note))]
        if stated or noted:
            assertion.said_on = stated or min(noted)
            assertion.said_on_basis = "stated" if stated else "note"
            assertion.said_earliest = assertion.said_latest = assertion.said_on
            continue
        carried_on = [appeared[claim.article_id].day for claim in assertion.claims]
        assertion.said_latest = min((day for day in carried_on if day), default=None)
    updates = ClaimRelation.select(ClaimRelation.source, ClaimRelation.target).where(
        (ClaimRelation.type == "updates")
        & ClaimRelation.source.in_(list(of_claim))
        & ClaimRelation.target.in_(list(of_claim))
    )
    for link in updates:
        later, earlier = of_claim[link.source_id], of_claim[link.target_id]
        if later.said_on is None and earlier.said_earliest is not None:
            later.said_earliest = max(filter(None, (later.said_earliest, earlier.said_earliest)))
        if earlier.said_on is None and later.said_latest is not None:
            earlier.said_latest = min(filter(None, (earlier.said_latest, later.said_latest)))


@dataclass
class ArticleDate:
    """An article and the day it appeared: its `published_on`, or else the day its
    `published_on_note` names (`basis` says which), or None."""

    article: Article
    day: date | None
    basis: str | None  # "published" or "note"

    @classmethod
    def of(cls, article: Article) -> "ArticleDate":
        if article.published_on is not None:
            return cls(article, article.published_on, "published")
        noted = date_in_note(article.published_on_note)
        return cls(article, noted, "note" if noted else None)

    def reported_before(self, assertion: "Assertion") -> str:
        """Whether this article appeared after `assertion` was made (`omitted` if it does not
        carry it), before (`after_report`), or either, as far as the dates tell
        (`unknown_date`; also when both fall on one day)."""
        if self.day is None:
            return "unknown_date"
        if assertion.said_latest is not None and assertion.said_latest < self.day:
            return "omitted"
        if assertion.said_earliest is not None and assertion.said_earliest > self.day:
            return "after_report"
        return "unknown_date"


@dataclass
class TimelineEntry:
    said_on: date | None
    said_on_basis: str | None  # "stated", "inferred" (from the same assertion) or "published"
    claim: Claim

    @classmethod
    def of(cls, claim: Claim, inferred: date | None = None) -> "TimelineEntry":
        if claim.stated_on is not None:
            return cls(claim.stated_on, "stated", claim)
        if inferred is not None:
            return cls(inferred, "inferred", claim)
        if claim.article.published_on is not None:
            return cls(claim.article.published_on, "published", claim)
        return cls(None, None, claim)

    def order(self) -> tuple:
        """Dated first, by day; then by the article's publication (undated last), the
        article, and reading order."""
        published = self.claim.article.published_on
        return (
            self.said_on is None,
            self.said_on or date.min,
            published is None,
            published or date.min,
            self.claim.article_id,
            self.claim.start,
            self.claim.id,
        )


@dataclass
class Assertion:
    """Claims that state the same thing (linked by `same_assertion`), known by its first claim;
    the day it was made, or the days between which it was (see `date_assertions`)."""

    id: int
    claims: list[Claim]
    said_on: date | None = None
    said_on_basis: str | None = None  # "stated" (a claim's stated_on) or "note" (its note)
    said_earliest: date | None = None
    said_latest: date | None = None

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
class NotCarried:
    assertion: Assertion
    reason: str  # one of NOT_CARRIED_REASONS


@dataclass
class NearMatch:
    """A claim of an outlet that probably carries an assertion it is not linked to."""

    assertion: Assertion
    suggestion: Suggestion


@dataclass
class OutletCoverage:
    outlet: Outlet
    articles: list[ArticleDate] = field(default_factory=list)
    speakers: list[QuotedSpeaker] = field(default_factory=list)
    carried: list[Assertion] = field(default_factory=list)
    not_carried: list[NotCarried] = field(default_factory=list)
    probably_carried: list[NearMatch] = field(default_factory=list)

    @property
    def not_carried_assertions(self) -> list[Assertion]:
        return [item.assertion for item in self.not_carried]

    def why_not_carried(self, assertion: Assertion) -> str:
        """`omitted` if one of its articles appeared after `assertion` was made,
        `after_report` if all appeared before, else `unknown_date`."""
        verdicts = {article.reported_before(assertion) for article in self.articles}
        if "omitted" in verdicts:
            return "omitted"
        return "after_report" if verdicts == {"after_report"} else "unknown_date"

    def near_matches(self, assertion: Assertion, suggestions: dict) -> list[NearMatch]:
        """This outlet's claims suggested for a claim of `assertion`, best first: one match
        per claim of the outlet, the best NEAR_MATCHES_SHOWN scoring NEAR_MATCH_MIN_SCORE."""
        own = {article.article.id for article in self.articles}
        best: dict[int, Suggestion] = {}
        for claim in assertion.claims:
            for suggestion in suggestions[claim.id]:
                other = suggestion.claim
                if other.article_id not in own or suggestion.score < NEAR_MATCH_MIN_SCORE:
                    continue
                if other.id not in best or best[other.id].score < suggestion.score:
                    best[other.id] = suggestion
        ranked = sorted(best.values(), key=lambda suggestion: (-suggestion.score, suggestion.id))
        return [NearMatch(assertion, suggestion) for suggestion in ranked[:NEAR_MATCHES_SHOWN]]

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
