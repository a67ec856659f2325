"""Entities: the places, groups and people that statements are about, under every spelling the
outlets use (Al-Bukamal, Boukamal, Bukamal, Abu Kamal)."""

from peewee import CharField, ForeignKeyField, TextField

from models.base import BaseModel, Table, one_of
from models.tokens import is_acronym, word_key, words

ENTITY_KINDS = ("place", "group", "person", "organisation")
LONGEST_SPELLING = 6  # words; spellings longer than this are never matched


class Entity(BaseModel):
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=16, constraints=[one_of("kind", ENTITY_KINDS)])
    description = TextField(null=True)

    @property
    def aliases(self) -> list[str]:
        """Every spelling other than the name."""
        return [row.alias for row in self.spelling_rows if row.alias != self.name]

    @classmethod
    def matching(cls, name: str | None = None, kind: str | None = None):
        """Entities passing every given filter."""
        query = cls.select()
        if name is not None:
            spelled = EntityAlias.select(EntityAlias.entity).where(EntityAlias.alias.contains(name))
            query = query.where(cls.id.in_(spelled))
        if kind is not None:
            query = query.where(cls.kind == kind)
        return query


class EntityAlias(Table):
    """One spelling of an entity; the name is one of them, so every lookup searches one table."""

    entity = ForeignKeyField(Entity, backref="spelling_rows", on_delete="CASCADE")
    alias = CharField(max_length=200)
    key = CharField(max_length=200, index=True)  # word_key(alias)

    class Meta:
        table_name = "entity_alias"
        indexes = ((("entity", "alias"), True),)

    def save(self, *args, **kwargs):
        self.key = word_key(self.alias)
        return super().save(*args, **kwargs)


def spellings_in(written: dict[str, set[str]]) -> list[EntityAlias]:
    """The spellings (with their entity) that match one of `written`, a map from word_key to
    the ways it was written. An acronym spelling ("IS") matches only as written, in capitals."""
    if not written:
        return []
    return Gazetteer(EntityAlias.key.in_(list(written))).spellings_in(written)


class Gazetteer:
    """Entity spellings held in memory, by word_key: every spelling, or those `where` selects.
    A bulk import loads every spelling once rather than querying for each claim."""

    def __init__(self, where=True):
        self.by_key: dict[str, list[EntityAlias]] = {}
        rows = EntityAlias.select(EntityAlias, Entity).join(Entity).where(where)
        for row in rows.order_by(Entity.id, EntityAlias.id):
            self.by_key.setdefault(row.key, []).append(row)
        self.first_words = {key.split(" ", 1)[0] for key in self.by_key}

    def spellings_in(self, written: dict[str, set[str]]) -> list[EntityAlias]:
        return [
            row
            for key in written.keys() & self.by_key.keys()
            for row in self.by_key[key]
            if not is_acronym(row.alias) or " ".join(words(row.alias)) in written[key]
        ]

    def entities_in(self, text: str) -> list[Entity]:
        """The entities `text` names by one of their spellings, each once, in id order."""
        if not self.by_key:
            return []  # nothing to find: the text need not be read
        return self.entities_written(written_runs(text, self.first_words))

    def entities_written(self, written: dict[str, set[str]]) -> list[Entity]:
        """The entities that runs of words (see `written_runs`) spell, each once, in id order."""
        found = {row.entity.id: row.entity for row in self.spellings_in(written)}
        return [found[entity_id] for entity_id in sorted(found)]


def written_runs(text: str, first_words: set[str] | None = None) -> dict[str, set[str]]:
    """The runs of up to LONGEST_SPELLING words of `text` (those starting with one of
    `first_words`, lower-cased, if given), by word_key, as written."""
    found = words(text)
    keys = [word.lower() for word in found]
    written: dict[str, set[str]] = {}
    for start, first in enumerate(keys):
        if first_words is not None and first not in first_words:
            continue
        for end in range(start + 1, min(start + LONGEST_SPELLING, len(found)) + 1):
            run = " ".join(found[start:end])
            written.setdefault(" ".join(keys[start:end]), set()).add(run)
    return written


def detect_mentions(text: str) -> list[Entity]:
    """The entities `text` names by one of their spellings, each once, in id order."""
    written = written_runs(text)
    if not written:
        return []
    return Gazetteer(EntityAlias.key.in_(list(written))).entities_written(written)
