"""Entities: the places, groups and people that statements are about, under every spelling the
outlets use (Al-Bukamal, Boukamal, Bukamal, Abu Kamal)."""

from peewee import CharField, ForeignKeyField, Model, TextField

from models.base import BaseModel, one_of
from models.db import database
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


class EntityAlias(Model):
    """One spelling of an entity; the name is one of them, so every lookup searches one table."""

    entity = ForeignKeyField(Entity, backref="spelling_rows", on_delete="CASCADE")
    alias = CharField(max_length=200)
    key = CharField(max_length=200, index=True)  # word_key(alias)

    class Meta:
        database = database
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
    rows = (
        EntityAlias.select(EntityAlias, Entity)
        .join(Entity)
        .where(EntityAlias.key.in_(list(written)))
        .order_by(Entity.id, EntityAlias.id)
    )
    return [
        row
        for row in rows
        if not is_acronym(row.alias) or " ".join(words(row.alias)) in written[row.key]
    ]


def detect_mentions(text: str) -> list[Entity]:
    """The entities `text` names by one of their spellings, each once, in id order."""
    found = words(text)
    written: dict[str, set[str]] = {}
    for length in range(1, LONGEST_SPELLING + 1):
        for start in range(len(found) - length + 1):
            run = found[start : start + length]
            written.setdefault(word_key(" ".join(run)), set()).add(" ".join(run))
    entities = {row.entity.id: row.entity for row in spellings_in(written)}
    return list(entities.values())
