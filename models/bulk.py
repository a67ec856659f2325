"""Bulk reading and writing: whole result sets in keyset batches, and whole articles with their
claims, each all or nothing, with the rules of single writes.

Imports create and never change: an article is matched by its URL, a claim by its article,
speaker and span, an outlet or speaker given as an object by its slug; what is already stored
is left as it is, so importing the same file twice creates nothing the second time.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from peewee import JSONField, chunked

import extraction
from models.article import AnchorError, Article, sha256_of
from models.base import utcnow
from models.claim import Claim, SpanMismatch
from models.db import database
from models.entity import Gazetteer
from models.mention import ClaimMention
from models.outlet import Outlet
from models.prepared import Slot, prepared
from models.proposal import REVIEWABLE, Proposal, directory
from models.revision import UNRECORDED, Revision, as_json, field_name
from models.speaker import Speaker, SpeakerAlias

EXPORT_BATCH = 1000  # rows per query while streaming a result set


def in_batches(query, key, size: int = EXPORT_BATCH, after: int | None = None) -> Iterator[list]:
    """Every row of `query` in `key` order, `size` rows per query, each query resuming after
    the last key seen (keyset, no OFFSET), so memory and the cost of a batch stay constant."""
    while True:
        batch = query if after is None else query.where(key > after)
        rows = list(batch.order_by(key).limit(size))
        if rows:
            yield rows
        if len(rows) < size:
            return
        after = getattr(rows[-1], key.name)


def attributed_batches(query, size: int = EXPORT_BATCH, after: int | None = None) -> Iterator[list]:
    """The claims of `query` (a `Claim.matching` query) in keyset batches, with what a response
    shows of their articles, outlets and speakers read once per batch, one query each, rather
    than joined to every row: an article's body is read once, not once per claim."""
    for claims in in_batches(query.select(Claim), Claim.id, size, after):
        articles = rows_by_id(
            Article.select(Article.id, Article.outlet, Article.url, Article.headline, Article.body),
            {claim.article_id for claim in claims},
        )
        speakers = rows_by_id(
            Speaker.select(Speaker.id, Speaker.name), {claim.speaker_id for claim in claims}
        )
        outlets = rows_by_id(
            Outlet.select(Outlet.id, Outlet.name),
            {article.outlet_id for article in articles.values()}
            | {claim.via_id for claim in claims if claim.via_id},
        )
        for article in articles.values():
            article.outlet = outlets[article.outlet_id]
        for claim in claims:
            claim.article, claim.speaker = articles[claim.article_id], speakers[claim.speaker_id]
            claim.via = outlets.get(claim.via_id)
        yield claims


def rows_by_id(query, ids: set[int]) -> dict:
    return {row.id: row for row in query.where(query.model.id.in_(ids))}


class LineRefused(ValueError):
    """An import line that cannot be stored; `pointer` (a JSON Pointer into the line) says where."""

    def __init__(self, pointer: str, detail: str):
        super().__init__(detail)
        self.pointer = pointer


class UnknownReference(LineRefused):
    """The line names an outlet or speaker that is not stored."""


class ConflictingArticle(LineRefused):
    """The line's URL is stored for an article with another body or outlet."""


class ClaimNotAnchored(LineRefused):
    """A claim of the line cannot be anchored in the article body."""

    def __init__(self, index: int, error: AnchorError):
        super().__init__(f"#/claims/{index}", str(error))
        self.index = index
        self.error = error


@dataclass
class Imported:
    """What one line stored."""

    article_id: int
    article_created: bool
    claims_created: int
    claims_unchanged: int
    proposals_pending: int | None = None  # with `extract` only


@dataclass(eq=False)
class NewRow:
    """An outlet or speaker that a line gives in full and that is not stored: created with
    the rows of its batch. Equal only to itself, as a stored row's id is only to itself."""

    model: type
    fields: dict
    id: int | None = None


Ref = int | NewRow  # an outlet or speaker: a stored one's id, or one to be created


def id_of(reference: Ref) -> int:
    return reference if isinstance(reference, int) else reference.id


@dataclass(eq=False)
class Destination:
    """The article that lines of a batch give claims to: stored, or to be created."""

    article: Article
    outlet: Ref
    spans: set[tuple]  # (speaker, start, end) of its claims, stored or to be created


@dataclass
class Planned:
    """What a line will store."""

    destination: Destination
    article_created: bool
    claims_created: int
    claims_unchanged: int
    extract: bool = False
    proposals_pending: int | None = None

    def imported(self) -> Imported:
        return Imported(
            self.destination.article.id,
            self.article_created,
            self.claims_created,
            self.claims_unchanged,
            self.proposals_pending,
        )


class Importer:
    """Stores import lines a batch at a time. Each line is checked in full, and refused alone,
    before anything is written; the rows of the lines kept are then inserted together, a few
    statements per batch rather than per line (each statement also writes a segment of the
    SQLite full-text index, which costs more than the rows)."""

    def __init__(self, by: str | None = None):
        self.by = by  # the API key prefix recorded in the revisions
        self.known: dict[tuple, int] = {}  # (model, id or slug) -> id, for stored rows only
        # Entities are only created by seeding, so their spellings are read once per import.
        self.gazetteer = Gazetteer()
        self.directory: extraction.Directory | None = None  # for lines that ask to `extract`

    def apply(self, lines: list[dict]) -> list[Imported | LineRefused]:
        """Store the articles of `lines` (each validated by schemas.interchange.ImportLine) and
        their claims; for each line, what it stored, or the LineRefused that says why it stored
        nothing. Call inside a transaction: if the database refuses the rows (IntegrityError,
        as when another writer stored one of them meanwhile), roll it back and apply the lines
        one by one, each in its own, to find the one refused."""
        batch = Batch(self)
        outcomes = []
        for line in lines:
            try:
                outcomes.append(batch.plan(dict(line)))
            except LineRefused as refusal:
                outcomes.append(refusal)
        batch.write()
        for outcome in outcomes:
            if isinstance(outcome, Planned) and outcome.extract:
                outcome.proposals_pending = self.propose(outcome.destination.article.id)
        return [
            outcome.imported() if isinstance(outcome, Planned) else outcome for outcome in outcomes
        ]

    def propose(self, article_id: int) -> int:
        """Run the extractor on the article and keep its proposals, as a single run does; how
        many of them wait for review. (The article is held: created by this transaction, or
        locked when its line was planned.)"""
        if self.directory is None:  # the stored speakers and outlets, read once per import
            self.directory = directory()
        article = Article.get_by_id(article_id)
        run = Proposal.record_run(article, extraction.extract(article.body, self.directory))
        return sum(proposal.status == REVIEWABLE for proposal in run)


class Batch:
    """The rows that a batch of lines will store, planned line by line with the rules of
    single writes; a line that breaks one adds nothing."""

    def __init__(self, importer: Importer):
        self.importer = importer
        self.new: dict[tuple, NewRow] = {}  # (model, slug) -> an outlet or speaker to create
        self.destinations: dict[str, Destination] = {}  # by URL
        self.articles: list[Destination] = []  # those whose article is to be created
        self.claims: list[tuple[Destination, dict]] = []  # a claim's fields, its references

    def plan(self, line: dict) -> Planned:
        """Plan the rows of `line`, or raise LineRefused, planning nothing."""
        new: dict[tuple, NewRow] = {}
        entries = line.pop("claims", [])
        extract = line.pop("extract", False)
        outlet = self._resolve(Outlet, line.pop("outlet"), "#/outlet", new)
        destination = self.destinations.get(line["url"]) or self._stored(line["url"])
        created = destination is None
        if created:
            destination = Destination(Article(**line), outlet, set())
        elif destination.article.body != line["body"] or destination.outlet != outlet:
            raise ConflictingArticle(
                "#/url",
                f"Article {destination.article.id} is stored with this url and another body "
                "or outlet; an import never changes a stored article.",
            )
        claims, spans = [], set()
        for index, entry in enumerate(entries):
            claim = self._anchored(destination.article, index, dict(entry), new)
            span = (claim["speaker"], claim["start"], claim["end"])
            if span not in destination.spans and span not in spans:
                spans.add(span)
                claims.append((destination, claim))
        # The line is kept: only now does what it needs join the batch.
        self.new.update(new)
        if created:
            self.destinations[line["url"]] = destination
            self.articles.append(destination)
        destination.spans |= spans
        self.claims += claims
        return Planned(destination, created, len(claims), len(entries) - len(claims), extract)

    def _stored(self, url: str) -> Destination | None:
        found = prepared(("import: article at url",), article_at_url).rows({"url": url})
        if not found:
            return None
        article_id, outlet_id, body = found[0]
        spans = prepared(("import: claim spans",), claim_spans).rows({"article": article_id})
        article = Article(id=article_id, outlet=outlet_id, body=body)
        self.destinations[url] = destination = Destination(article, outlet_id, set(spans))
        return destination

    def _anchored(self, article: Article, index: int, entry: dict, new: dict) -> dict:
        """The fields of a new claim of `article` from a line's claim entry."""
        pointer = f"#/claims/{index}"
        speaker = self._resolve(Speaker, entry.pop("speaker"), f"{pointer}/speaker", new)
        via = entry.pop("via", None)
        via = None if via is None else self._resolve(Outlet, via, f"{pointer}/via", new)
        try:
            text, span = article.locate(
                entry.pop("text", None), entry.pop("start", None), entry.pop("end", None)
            )
        except AnchorError as error:
            raise ClaimNotAnchored(index, error) from None
        return {
            **entry,
            "speaker": speaker,
            "via": via,
            "text": text,
            "start": span.start,
            "end": span.end,
        }

    def _resolve(self, model, reference, pointer: str, new: dict) -> Ref:
        """The outlet or speaker a line names by id (int), by slug (str), or as a new one
        (dict: created unless its slug is stored)."""
        slug = reference["slug"] if isinstance(reference, dict) else reference
        key = (model, slug)
        found = self.importer.known.get(key) or self.new.get(key) or new.get(key)
        if found:
            return found
        column = model.id if isinstance(slug, int) else model.slug
        row = model.select(model.id).where(column == slug).first()
        if row is not None:
            self.importer.known[key] = row.id
            return row.id
        if isinstance(reference, dict):
            new[key] = NewRow(model, reference)
            return new[key]
        name = model.__name__.lower()
        by = "id" if isinstance(slug, int) else "slug"
        raise UnknownReference(pointer, f"No {name} has the {by} {slug!r}.")

    def write(self) -> None:
        """Insert every planned row, with its creation revision and, for claims, the entities
        it mentions."""
        by, at = self.importer.by, utcnow()
        revisions = []
        for outlet in self.new.values():
            if outlet.model is Outlet:
                outlet.id = Outlet.create(**outlet.fields).id
        speakers = [speaker for speaker in self.new.values() if speaker.model is Speaker]
        if speakers:
            revisions += insert_speakers(speakers, at, by)
        if self.articles:
            rows = []
            for destination in self.articles:
                article = destination.article
                article.outlet = id_of(destination.outlet)
                article.body_sha256 = sha256_of(article.body)  # as Article.save(), bypassed here
                rows.append(article.__data__)  # so the id the row is given is the article's
            revisions += insert_created(Article, rows, (Article.url,), at, by)
        if self.claims:
            rows = []
            for destination, fields in self.claims:
                if destination.article.body[fields["start"] : fields["end"]] != fields["text"]:
                    # The rule Claim.save() enforces, which this bypasses.
                    claim = Claim(text=fields["text"], start=fields["start"], end=fields["end"])
                    raise SpanMismatch(claim)
                via = fields["via"]
                rows.append(
                    {
                        **fields,
                        "article": destination.article.id,
                        "speaker": id_of(fields["speaker"]),
                        "via": None if via is None else id_of(via),
                    }
                )
            revisions += insert_claims(rows, at, by, self.importer.gazetteer)
        insert_rows(Revision, REVISION_FIELDS, revisions)
        # Only now, all of it written, are the new rows sure to be stored (once committed).
        self.importer.known.update({key: row.id for key, row in self.new.items()})


def article_at_url():
    query = Article.select(Article.id, Article.outlet, Article.body).where(
        Article.url == Slot("url")
    )
    # Locked, as single writes lock it, so that its body cannot change under new claims
    # (SQLite has no FOR UPDATE: its write transactions already hold the write lock).
    return query.for_update() if database.for_update else query


def claim_spans():
    return Claim.select(Claim.speaker, Claim.start, Claim.end).where(
        Claim.article == Slot("article")
    )


def insert_speakers(speakers: list[NewRow], at: datetime, by: str | None) -> list[dict]:
    """Insert new speakers with their aliases, as `Speaker.create` inserts one, and set their
    ids; returns their creation revisions, to be inserted."""
    rows = [
        {name: value for name, value in speaker.fields.items() if name != "aliases"}
        for speaker in speakers
    ]
    revisions = insert_created(Speaker, rows, (Speaker.slug,), at, by)
    aliases = []
    for speaker, row, revision in zip(speakers, rows, revisions, strict=True):
        speaker.id = row["id"]
        names = speaker.fields.get("aliases", [])
        aliases += [{"speaker": speaker.id, "alias": alias} for alias in names]
        revision["changes"]["aliases"] = {"before": None, "after": names}  # as Speaker.snapshot
    insert_rows(SpeakerAlias, ALIAS_FIELDS, aliases)
    return revisions


def insert_claims(rows: list[dict], at: datetime, by: str | None, gazetteer: Gazetteer) -> list:
    """Insert new, anchored claims (field name -> value) and link the entities they mention;
    returns their creation revisions, to be inserted."""
    key = (Claim.article, Claim.speaker, Claim.start, Claim.end)
    revisions = insert_created(Claim, rows, key, at, by)
    # What Claim.save() does for each claim (link_mentions), less its look-up of the mentions
    # already linked, which a new claim has none of, and with one INSERT for all.
    mentions = [
        {"claim": row["id"], "entity": entity.id, "source": "detected"}
        for row in rows
        for entity in gazetteer.entities_in(row["text"])
    ]
    insert_rows(ClaimMention, MENTION_FIELDS, mentions)
    return revisions


def insert_created(model, rows: list[dict], key: tuple, at: datetime, by: str | None) -> list:
    """Insert new rows (field name -> value) of a Revised `model`, as `Revised.create` inserts
    one, with as few statements as the database takes, and set their ids; returns their
    creation revisions, to be inserted. `key`: fields whose values tell the rows apart."""
    for row in rows:
        row.update(created_at=at, updated_at=at, version=1)
    fields = [field for field in model._meta.sorted_fields if field.name != "id"]
    stored = insert_rows(model, fields, rows, (model.id, *key))
    ids = {tuple(values): row_id for row_id, *values in stored}
    # What Revised.snapshot() records, without building a model object for each row.
    recorded = [(field.name, field_name(field)) for field in fields if field.name not in UNRECORDED]
    resource, revisions = model.__name__.lower(), []
    for row in rows:
        row["id"] = ids[tuple(row[field.name] for field in key)]
        changes = {
            name: {"before": None, "after": value if type(value) in AS_STORED else as_json(value)}
            for attribute, name in recorded
            if (value := row.get(attribute)) is not None
        }
        revisions.append(
            {
                "resource": resource,
                "resource_id": row["id"],
                "version": 1,
                "action": "create",
                "changes": changes,
                "at": at,
                "api_key_prefix": by,
            }
        )
    return revisions


REVISION_FIELDS = [field for field in Revision._meta.sorted_fields if field.name != "id"]
ALIAS_FIELDS = [field for field in SpeakerAlias._meta.sorted_fields if field.name != "id"]
MENTION_FIELDS = [field for field in ClaimMention._meta.sorted_fields if field.name != "id"]
MAX_PARAMETERS = 32766  # per statement, in SQLite (PostgreSQL takes 65535)


def insert_rows(model, fields: list, rows: list[dict], returning: tuple = ()) -> list[tuple]:
    """INSERT `rows` (field name -> value) with as few multi-row statements as the database
    takes, each value converted by its field as peewee converts it; returns the `returning`
    columns of the new rows."""
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = "(" + ", ".join([database.obj.param] * len(fields)) + ")"
    into = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES '
    suffix = ""
    if returning:
        suffix = " RETURNING " + ", ".join(f'"{field.column_name}"' for field in returning)
    stored = []
    for part in chunked(rows, MAX_PARAMETERS // len(fields)):
        params = [
            value if value is None or type(value) in AS_STORED else column_value(field, value)
            for row in part
            for field in fields
            for value in (row.get(field.name),)
        ]
        cursor = database.execute_sql(into + ", ".join([marks] * len(part)) + suffix, params)
        if returning:
            stored += cursor.fetchall()
    return stored


AS_STORED = (int, str)  # values that every field stores as they are (what db_value returns)


def column_value(field, value):
    """`value` as its field stores it (a JSON field's document as JSON text)."""
    if isinstance(field, JSONField):
        return json.dumps(value)
    return field.db_value(value)
