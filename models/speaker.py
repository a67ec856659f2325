"""Speakers: the people, organisations and groups to whom statements are attributed."""

from peewee import CharField, ForeignKeyField, Model, TextField

from models.base import BaseModel, one_of
from models.db import database

SPEAKER_KINDS = ("person", "organisation", "group", "anonymous")


class Speaker(BaseModel):
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=16, constraints=[one_of("kind", SPEAKER_KINDS)])
    description = TextField(null=True)  # role or affiliation, as the articles give it
    wikidata_id = CharField(max_length=16, null=True)

    @property
    def aliases(self) -> list[str]:
        return [row.alias for row in self.alias_rows]

    @classmethod
    def matching(cls, name: str | None = None, kind: str | None = None):
        """Speakers passing every given filter."""
        query = cls.select()
        if name is not None:
            query = query.where(cls.named(name))
        if kind is not None:
            query = query.where(cls.kind == kind)
        return query

    @classmethod
    def named(cls, fragment: str):
        """Condition: the name or an alias contains `fragment`, ignoring (ASCII) case."""
        alias_match = SpeakerAlias.select(SpeakerAlias.speaker).where(
            SpeakerAlias.alias.contains(fragment)
        )
        return cls.name.contains(fragment) | cls.id.in_(alias_match)


class SpeakerAlias(Model):
    speaker = ForeignKeyField(Speaker, backref="alias_rows", on_delete="CASCADE")
    alias = CharField(max_length=200)

    class Meta:
        database = database
        table_name = "speaker_alias"
        indexes = ((("speaker", "alias"), True),)
