"""Bulk reading and writing: whole result sets in keyset batches, and whole articles with their
claims, each in one transaction, with the rules of single writes.

Imports create and never change: an article is matched by its URL, a claim by its article,
speaker and span, an outlet or speaker given as an object by its slug; what is already stored
is left as it is, so importing the same file twice creates nothing the second time.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import JSONField

from models.article import AnchorError, Article
from models.base import utcnow
from models.claim import Claim, SpanMismatch
from models.db import database
from models.entity import Gazetteer
from models.mention import ClaimMention
from models.outlet import Outlet
from models.revision import Revision
from models.speaker import Speaker

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


class Importer:
    """Applies import lines one by one, remembering the outlets and speakers it has resolved."""

    def __init__(self, by: str | None = None):
        self.by = by  # the API key prefix recorded in the revisions
        self.known: dict[tuple, int] = {}  # (model, id or slug) -> id, for committed rows only
        # Entities are only created by seeding, so their spellings are read once per import.
        self.gazetteer = Gazetteer()

    def apply(self, line: dict) -> Imported:
        """Store the article of `line` (validated by schemas.interchange.ImportLine) and its
        claims in one transaction: all of it, or nothing (LineRefused says why)."""
        resolved: dict[tuple, int] = {}
        with database.atomic():
            imported = self._store(dict(line), resolved)
        self.known.update(resolved)  # only now are rows created by the line sure to exist
        return imported

    def _store(self, line: dict, resolved: dict) -> Imported:
        claims = line.pop("claims", [])
        outlet_id = self._resolve(Outlet, line.pop("outlet"), "#/outlet", resolved)
        query = Article.select(Article.id, Article.outlet, Article.body).where(
            Article.url == line["url"]
        )
        # Locked, as single writes lock it, so that its body cannot change under new claims
        # (SQLite has no FOR UPDATE: its write transactions already hold the write lock).
        article = (query.for_update() if database.for_update else query).first()
        created, stored = article is None, set()
        if created:
            article = Article.create(self.by, outlet=outlet_id, **line)
        elif article.body != line["body"] or article.outlet_id != outlet_id:
            raise ConflictingArticle(
                "#/url",
                f"Article {article.id} is stored with this url and another body or outlet; "
                "an import never changes a stored article.",
            )
        else:
            stored = set(
                Claim.select(Claim.speaker, Claim.start, Claim.end)
                .where(Claim.article == article.id)
                .tuples()
            )
        new = []
        for index, entry in enumerate(claims):
            claim = self._anchored(article, index, dict(entry), resolved)
            key = (claim.speaker_id, claim.start, claim.end)
            if key not in stored:
                stored.add(key)
                new.append(claim)
        insert_claims(new, self.by, self.gazetteer)
        return Imported(article.id, created, len(new), len(claims) - len(new))

    def _anchored(self, article: Article, index: int, entry: dict, resolved: dict) -> Claim:
        """A new, unsaved claim of `article` from a line's claim entry."""
        pointer = f"#/claims/{index}"
        speaker_id = self._resolve(Speaker, entry.pop("speaker"), f"{pointer}/speaker", resolved)
        via = entry.pop("via", None)
        via_id = None if via is None else self._resolve(Outlet, via, f"{pointer}/via", resolved)
        try:
            text, span = article.locate(
                entry.pop("text", None), entry.pop("start", None), entry.pop("end", None)
            )
        except AnchorError as error:
            raise ClaimNotAnchored(index, error) from None
        return Claim(
            article=article,
            speaker=speaker_id,
            via=via_id,
            text=text,
            start=span.start,
            end=span.end,
            **entry,
        )

    def _resolve(self, model, reference, pointer: str, resolved: dict) -> int:
        """The id of the outlet or speaker a line names by id (int), by slug (str), or as a
        new one (dict: created unless its slug is stored)."""
        slug = reference["slug"] if isinstance(reference, dict) else reference
        key = (model, slug)
        if key in self.known or key in resolved:
            return self.known.get(key) or resolved[key]
        column = model.id if isinstance(slug, int) else model.slug
        row = model.select(model.id).where(column == slug).first()
        if row is not None:
            resolved[key] = row.id
        elif isinstance(reference, dict):
            fields = dict(reference)
            resolved[key] = (
                model.create(**fields) if model is Outlet else model.create(self.by, **fields)
            ).id
        else:
            name = model.__name__.lower()
            by = "id" if isinstance(slug, int) else "slug"
            raise UnknownReference(pointer, f"No {name} has the {by} {slug!r}.")
        return resolved[key]


def insert_claims(claims: list[Claim], by: str | None, gazetteer: Gazetteer) -> None:
    """Insert new, anchored claims of one article, their creation revisions and the entities
    they mention, with one statement each (a statement per row costs more than the rest of an
    import)."""
    if not claims:
        return
    now = utcnow()
    for claim in claims:
        if claim.article.body[claim.start : claim.end] != claim.text:
            raise SpanMismatch(claim)  # the rule Claim.save() enforces, which this bypasses
        claim.created_at = claim.updated_at = now
        claim.version = 1
    fields = [field for field in Claim._meta.sorted_fields if field.name != "id"]
    key = (Claim.speaker, Claim.start, Claim.end)  # unique within the article
    stored = insert_rows(Claim, fields, [claim.__data__ for claim in claims], (Claim.id, *key))
    ids = {tuple(row[1:]): row[0] for row in stored}
    revisions = []
    for claim in claims:
        claim.id = ids[(claim.speaker_id, claim.start, claim.end)]
        after = claim.snapshot()
        revisions.append(
            {
                "resource": "claim",
                "resource_id": claim.id,
                "version": claim.version,
                "action": "create",
                "changes": {
                    name: {"before": None, "after": value}
                    for name, value in after.items()
                    if value is not None
                },
                "at": now,
                "api_key_prefix": by,
            }
        )
    revision_fields = [field for field in Revision._meta.sorted_fields if field.name != "id"]
    insert_rows(Revision, revision_fields, revisions)
    # What Claim.save() does for each claim (link_mentions), less its look-up of the mentions
    # already linked, which a new claim has none of, and with one INSERT for all.
    mentions = [
        {"claim": claim.id, "entity": entity.id, "source": "detected"}
        for claim in claims
        for entity in gazetteer.entities_in(claim.text)
    ]
    if mentions:
        ClaimMention.insert_many(mentions).execute()


def insert_rows(model, fields: list, rows: list[dict], returning: tuple = ()) -> list[tuple]:
    """INSERT `rows` (field name -> value) with one multi-row statement, each value converted
    by its field as peewee converts it; returns the `returning` columns of the new rows."""
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = "(" + ", ".join([database.obj.param] * len(fields)) + ")"
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ' + ", ".join(
        [marks] * len(rows)
    )
    params = [column_value(field, row.get(field.name)) for row in rows for field in fields]
    if not returning:
        database.execute_sql(sql, params)
        return []
    sql += " RETURNING " + ", ".join(f'"{field.column_name}"' for field in returning)
    return database.execute_sql(sql, params).fetchall()


def column_value(field, value):
    """`value` as its field stores it (a JSON field's document as JSON text)."""
    if value is None or type(value) in (int, str):
        return value  # what db_value would return for them, without its cost
    if isinstance(field, JSONField):
        return json.dumps(value)
    return field.db_value(value)
