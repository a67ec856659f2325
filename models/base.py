"""What every table has: an integer id that is never reused; and what every stored resource
has besides: timestamps and a version for ETags."""

from datetime import UTC, datetime

from peewee import Check, DateTimeField, IntegerField, Model
from playhouse.sqlite_ext import AutoIncrementField

from models.db import database


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTimeField(DateTimeField):
    """Stores naive UTC (portable across SQLite and PostgreSQL), returns aware UTC datetimes."""

    def db_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value):
        value = super().python_value(value)
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utc_isoformat(stored: datetime | str) -> str:
    """A UTCDateTimeField's value as the database gives it (a naive datetime, or its text on
    SQLite), in ISO 8601 with its offset, as the API shows times."""
    if isinstance(stored, str):
        stored = datetime.fromisoformat(stored)
    return (stored if stored.tzinfo else stored.replace(tzinfo=UTC)).isoformat()


class Table(Model):
    """A table of the data model. An id is never handed out twice, even once its row is
    deleted, so that a deleted resource's id and history stay its own: AUTOINCREMENT on
    SQLite (see migration 0006), and on PostgreSQL a serial's sequence, which never goes back.
    (Tables are created by the migrations, never from these classes.)"""

    id = AutoIncrementField()

    class Meta:
        database = database


class BaseModel(Table):
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)
    version = IntegerField(default=1)

    class Meta:
        legacy_table_names = False

    def save_changes(self, **fields) -> bool:
        """Set the given fields; save, bump the version and touch `updated_at` only if any
        value actually changed. Returns whether anything changed."""
        changed = {name: value for name, value in fields.items() if getattr(self, name) != value}
        if not changed:
            return False
        for name, value in changed.items():
            setattr(self, name, value)
        self.version += 1
        self.updated_at = utcnow()
        self.save()
        return True

    def holders(self) -> dict[str, int]:
        """How many rows of each kind refer to this one through a reference that forbids
        deleting it (ON DELETE RESTRICT), by backref name; empty if none do."""
        counts = {}
        for reference, model in type(self)._meta.backrefs.items():
            if reference.on_delete in ("CASCADE", "SET NULL"):
                continue
            count = model.select().where(reference == self.id).count()
            if count:
                counts[reference.backref] = count
        return counts

    def refuse_delete_if_held(self) -> None:
        """Raise InUse if rows still refer to this one: deleting must not orphan data."""
        holders = self.holders()
        if holders:
            raise InUse(self, holders)


class InUse(Exception):
    """A row cannot be deleted while other rows refer to it."""

    def __init__(self, row: "BaseModel", holders: dict[str, int]):
        what = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in holders.items())
        super().__init__(f"{type(row).__name__.lower()} {row.id} is referred to by {what}")
        self.holders = holders


def one_of(column: str, values: tuple[str, ...]) -> Check:
    """A CHECK constraint that keeps `column` within `values` (or NULL)."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return Check(f"{column} IN ({allowed})")
