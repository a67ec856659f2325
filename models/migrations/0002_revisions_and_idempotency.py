"""Revisions (the history of claims, articles and speakers) and idempotency records.

A frozen copy of the new tables as they were at this migration.
"""

from peewee import CharField, Check, DateTimeField, IntegerField, JSONField, Model, TextField


def up(migrator, db):
    class Revision(Model):
        resource = CharField(max_length=16)
        resource_id = IntegerField()
        version = IntegerField()
        action = CharField(
            max_length=8, constraints=[Check("action IN ('create', 'update', 'delete')")]
        )
        changes = JSONField()
        at = DateTimeField()
        api_key_prefix = CharField(null=True, max_length=16)

        class Meta:
            database = db
            table_name = "revision"
            indexes = ((("resource", "resource_id", "version"), True),)

    class IdempotencyRecord(Model):
        owner = CharField(max_length=16)
        key = CharField(max_length=255)
        fingerprint = CharField(max_length=64)
        status = IntegerField(null=True)
        body = TextField(null=True)
        headers = JSONField(null=True)
        created_at = DateTimeField()
        expires_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "idempotency_record"
            indexes = ((("owner", "key"), True),)

    db.create_tables([Revision, IdempotencyRecord])


def down(migrator, db):
    for table in ("idempotency_record", "revision"):
        migrator.migrate(migrator.drop_table(table))
