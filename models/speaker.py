"""Speakers: the people, organisations and groups to whom statements are attributed."""

from peewee import CharField, ForeignKeyField, TextField, fn

from models.base import BaseModel, Table, one_of, utcnow
from models.revision import Revised

SPEAKER_KINDS = ("person", "organisation", "group", "anonymous")


class Speaker(Revised):
    slug = CharField(max_length=64, unique=True)
    name = CharField(max_length=200)
    kind = CharField(max_length=16, constraints=[one_of("kind", SPEAKER_KINDS)])
    description = TextField(null=True)  # role or affiliation, as the articles give it
    wikidata_id = CharField(max_length=16, null=True)

    @property
    def aliases(self) -> list[str]:
        rows = self.alias_rows
        if not isinstance(rows, list):  # a list when prefetched, already in order
            rows = rows.order_by(SpeakerAlias.id)
        return [row.alias for row in rows]

    def snapshot(self) -> dict:
        return {**super().snapshot(), "aliases": self.aliases}

    @classmethod
    def create(cls, by: str | None = None, aliases: list[str] = (), **fields) -> "Speaker":
        """Insert a speaker with its aliases and record its creation."""
        speaker = super(Revised, cls).create(**fields)  # the revision waits for the aliases
        speaker.add_aliases(aliases)
        speaker.record("create", {}, speaker.snapshot(), by)
        return speaker

    def save_changes(self, by: str | None = None, aliases: list[str] | None = None, **fields):
        """As Revised.save_changes; `aliases`, if given, replaces the list of aliases."""
        if aliases is None or aliases == self.aliases:
            return super().save_changes(by, **fields)
        before = self.snapshot()
        SpeakerAlias.delete().where(SpeakerAlias.speaker == self).execute()
        self.add_aliases(aliases)
        if not BaseModel.save_changes(self, **fields):
            # Only the aliases changed: still a new version of the speaker.
            self.version += 1
            self.updated_at = utcnow()
            self.save()
        self.record("update", before, self.snapshot(), by)
        return True

    def add_aliases(self, aliases: list[str]) -> None:
        for alias in aliases:
            SpeakerAlias.create(speaker=self, alias=alias)

    @classmethod
    def called(cls, name: str) -> "Speaker | None":
        """The first stored speaker whose name or one of whose aliases is `name`, ignoring
        (ASCII) case."""
        lowered = name.lower()
        alias_match = SpeakerAlias.select(SpeakerAlias.speaker).where(
            fn.LOWER(SpeakerAlias.alias) == lowered
        )
        condition = (fn.LOWER(cls.name) == lowered) | cls.id.in_(alias_match)
        return cls.select().where(condition).order_by(cls.id).first()

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


class SpeakerAlias(Table):
    speaker = ForeignKeyField(Speaker, backref="alias_rows", on_delete="CASCADE")
    alias = CharField(max_length=200)

    class Meta:
        table_name = "speaker_alias"
        indexes = ((("speaker", "alias"), True),)
