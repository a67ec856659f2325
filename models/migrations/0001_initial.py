"""Outlets, articles, speakers with aliases, and claims.

A frozen copy of the models as they were at this migration, so that later model changes do not
rewrite history.
"""

from peewee import (
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    Model,
    TextField,
)


def up(migrator, db):
    class Stored(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            database = db

    class Outlet(Stored):
        slug = CharField(unique=True, max_length=64)
        name = CharField(max_length=200)
        homepage = CharField(null=True, max_length=2000)
        country = CharField(null=True, max_length=2)
        language = CharField(null=True, max_length=35)
        ownership = CharField(
            null=True,
            max_length=16,
            constraints=[Check("ownership IN ('state', 'public', 'private', 'nonprofit')")],
        )

        class Meta:
            table_name = "outlet"

    class Article(Stored):
        outlet = ForeignKeyField(Outlet, on_delete="RESTRICT")
        url = CharField(unique=True, max_length=2000)
        headline = CharField(max_length=500)
        section = CharField(null=True, max_length=200)
        bylines = JSONField(default=list)
        published_on = DateField(index=True, null=True)
        published_on_note = TextField(null=True)
        language = CharField(null=True, max_length=35)
        body = TextField()
        body_sha256 = CharField(max_length=64)

        class Meta:
            table_name = "article"

    class Speaker(Stored):
        slug = CharField(unique=True, max_length=64)
        name = CharField(max_length=200)
        kind = CharField(
            max_length=16,
            constraints=[Check("kind IN ('person', 'organisation', 'group', 'anonymous')")],
        )
        description = TextField(null=True)
        wikidata_id = CharField(null=True, max_length=16)

        class Meta:
            table_name = "speaker"

    class SpeakerAlias(Model):
        speaker = ForeignKeyField(Speaker, on_delete="CASCADE")
        alias = CharField(max_length=200)

        class Meta:
            database = db
            table_name = "speaker_alias"
            indexes = ((("speaker", "alias"), True),)

    class Claim(Stored):
        article = ForeignKeyField(Article, on_delete="RESTRICT")
        speaker = ForeignKeyField(Speaker, on_delete="RESTRICT")
        via = ForeignKeyField(Outlet, null=True, on_delete="RESTRICT")
        text = TextField()
        start = IntegerField(constraints=[Check("start >= 0")])
        end = IntegerField(constraints=[Check('"end" > start')])
        quote_type = CharField(
            max_length=8, constraints=[Check("quote_type IN ('direct', 'indirect', 'mixed')")]
        )
        cue = CharField(null=True, max_length=64)
        stated_on = DateField(index=True, null=True)
        stated_on_note = TextField(null=True)

        class Meta:
            table_name = "claim"
            indexes = ((("article", "speaker", "start", "end"), True),)

    db.create_tables([Outlet, Article, Speaker, SpeakerAlias, Claim])


def down(migrator, db):
    for table in ("claim", "speaker_alias", "speaker", "article", "outlet"):
        migrator.migrate(migrator.drop_table(table))
