"""Proposals: attributions the extractor found in an article, pending a person's review.

Ids are AUTOINCREMENT on SQLite (a sequence on PostgreSQL), so a deleted proposal's id is never
given again. One proposal per article body, span and speaker, unless stale (a partial unique
index: a body corrected back to an earlier text can be proposed on afresh).

A frozen copy of the table as it was at this migration.
"""

from peewee import (
    AutoField,
    CharField,
    Check,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    Model,
    SqliteDatabase,
    TextField,
)
from playhouse.sqlite_ext import AutoIncrementField

INDEXES = (
    "CREATE UNIQUE INDEX proposal_once ON proposal "
    "(article_id, body_sha256, start, \"end\", speaker_name) WHERE status <> 'stale'",
    "CREATE INDEX proposal_article_id_id ON proposal (article_id, id)",
    "CREATE INDEX proposal_status_id ON proposal (status, id)",
)


def up(migrator, db):
    class Stored(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            database = db

    class Outlet(Stored):
        class Meta:
            table_name = "outlet"

    class Article(Stored):
        class Meta:
            table_name = "article"

    class Speaker(Stored):
        class Meta:
            table_name = "speaker"

    class Claim(Stored):
        class Meta:
            table_name = "claim"

    class Proposal(Stored):
        # SQLite reuses the largest rowid after a delete unless told AUTOINCREMENT.
        id = AutoIncrementField() if isinstance(db, SqliteDatabase) else AutoField()
        article = ForeignKeyField(Article, on_delete="CASCADE", index=False)
        body_sha256 = CharField(max_length=64)
        status = CharField(
            max_length=8,
            default="pending",
            constraints=[Check("status IN ('pending', 'accepted', 'rejected', 'stale')")],
        )
        text = TextField()
        start = IntegerField(constraints=[Check("start >= 0")])
        end = IntegerField(constraints=[Check('"end" > start')])
        quote_type = CharField(max_length=8)
        cue_text = TextField()
        cue_start = IntegerField()
        cue_end = IntegerField()
        source_text = TextField()
        source_start = IntegerField()
        source_end = IntegerField()
        resolved_speaker = ForeignKeyField(Speaker, null=True, on_delete="SET NULL")
        speaker_name = CharField(max_length=200)
        speaker_kind = CharField(max_length=16)
        resolved_via = ForeignKeyField(Outlet, null=True, on_delete="SET NULL")
        via_name = CharField(max_length=200, null=True)
        confidence = FloatField(constraints=[Check("confidence BETWEEN 0 AND 1")])
        claim = ForeignKeyField(Claim, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "proposal"

    db.create_tables([Proposal])
    for statement in INDEXES:
        db.execute_sql(statement)


def down(migrator, db):
    migrator.migrate(migrator.drop_table("proposal"))
