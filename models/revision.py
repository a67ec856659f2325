"""Revisions: the history of every change to a claim, article or speaker.

Each revision says when, what changed (every changed field with its value before and after),
the resource's version after the change, and which API key made it (null until keys exist).
"""

from datetime import date, datetime

from peewee import CharField, ForeignKeyField, IntegerField, JSONField

from models.base import BaseModel, Table, UTCDateTimeField, one_of, utcnow

ACTIONS = ("create", "update", "delete")
UNRECORDED = ("id", "created_at", "updated_at", "version")  # bookkeeping, not content


class Revision(Table):
    resource = CharField(max_length=16)  # "claim", "article" or "speaker"
    resource_id = IntegerField()
    version = IntegerField()  # the resource's version after this change
    action = CharField(max_length=8, constraints=[one_of("action", ACTIONS)])
    changes = JSONField()  # {field: {"before": value, "after": value}}
    at = UTCDateTimeField(default=utcnow)
    api_key_prefix = CharField(max_length=16, null=True)  # who: the key's public prefix

    class Meta:
        indexes = ((("resource", "resource_id", "version"), True),)

    @classmethod
    def of(cls, resource: str, resource_id: int):
        """The revisions of one resource, oldest first."""
        return cls.select().where((cls.resource == resource) & (cls.resource_id == resource_id))


def field_name(field) -> str:
    """The name a field has in requests and revisions: references end in `_id`, and a
    reference named after its role says what it points to (`via` -> `via_outlet_id`)."""
    if not isinstance(field, ForeignKeyField):
        return field.name
    target = field.rel_model.__name__.lower()
    return f"{field.name}_id" if field.name == target else f"{field.name}_{target}_id"


def as_json(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


class Revised(BaseModel):
    """A stored resource whose every creation, change and deletion leaves a Revision."""

    def snapshot(self) -> dict:
        """The recorded fields and their current values, as JSON."""
        return {
            field_name(field): as_json(self.__data__.get(field.name))
            for field in self._meta.sorted_fields
            if field.name not in UNRECORDED
        }

    def record(self, action: str, before: dict, after: dict, by: str | None) -> Revision:
        """Store what changed between two snapshots of this resource."""
        changes = {
            name: {"before": before.get(name), "after": after.get(name)}
            for name in {**before, **after}
            if before.get(name) != after.get(name)
        }
        version = self.version + 1 if action == "delete" else self.version
        return Revision.create(
            resource=type(self).__name__.lower(),
            resource_id=self.id,
            version=version,
            action=action,
            changes=changes,
            api_key_prefix=by,
        )

    @classmethod
    def create(cls, by: str | None = None, **fields):
        """Insert a new row and record its creation."""
        row = super().create(**fields)
        row.record("create", {}, row.snapshot(), by)
        return row

    def save_changes(self, by: str | None = None, **fields) -> bool:
        """As BaseModel.save_changes, recording a revision when something changed."""
        before = self.snapshot()
        changed = super().save_changes(**fields)
        if changed:
            self.record("update", before, self.snapshot(), by)
        return changed

    def delete_instance(self, by: str | None = None, **kwargs):
        """Delete the row and record its last state."""
        self.record("delete", self.snapshot(), {}, by)
        return super().delete_instance(**kwargs)
