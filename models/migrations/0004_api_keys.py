"""API keys: a name, a prefix that identifies the key, the SHA-256 of the key, and a scope.

A frozen copy of the model as it was at this migration.
"""

from peewee import CharField, Check, DateTimeField, Model


def up(migrator, db):
    class ApiKey(Model):
        name = CharField(max_length=200)
        prefix = CharField(max_length=8, unique=True)
        key_sha256 = CharField(max_length=64)
        scope = CharField(max_length=8, constraints=[Check("scope IN ('read', 'write', 'admin')")])
        created_at = DateTimeField()
        last_used_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "api_key"

    db.create_tables([ApiKey])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("api_key"))
