"""The one database handle: a proxy bound at start-up to SQLite or PostgreSQL from a URL."""

import time
from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner
from playhouse.pool import PooledSqliteDatabase

database = DatabaseProxy()

# WAL lets readers work while one writer writes; busy_timeout makes a writer wait for the lock
# instead of failing at once.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
}
BUSY_TIMEOUT = 5.0  # seconds a SQLite writer waits for the write lock before giving up


def open_database(url: str, busy_timeout: float = BUSY_TIMEOUT, query_budget_ms: int | None = None):
    """Bind the models to the database at `url` (`sqlite:///path` or `postgresql://...`).
    With a `query_budget_ms`, PostgreSQL cancels any statement that runs longer (on SQLite,
    see `start_query_budget`)."""
    db = connect(url)
    if isinstance(db, SqliteDatabase):
        # BEGIN IMMEDIATE: a write transaction takes the write lock before it reads, so what it
        # read cannot change before it writes, and waiting for the lock obeys busy_timeout.
        pragmas = {**SQLITE_PRAGMAS, "busy_timeout": int(busy_timeout * 1000)}
        options = {"pragmas": pragmas, "timeout": busy_timeout, "lock_type": "IMMEDIATE"}
        if isinstance(db, PooledSqliteDatabase):
            # A pooled connection serves one thread at a time, but not always the same one.
            options["check_same_thread"] = False
        db = connect(url, **options)
    elif query_budget_ms:
        db = connect(url, options=f"-c statement_timeout={query_budget_ms}")
    database.initialize(db)
    return db


def start_query_budget(budget_ms: int) -> None:
    """On SQLite, interrupt whatever the open connection runs once `budget_ms` from now has
    passed (SQLite has no statement timeout of its own; PostgreSQL's is set at connection)."""
    db = database.obj
    if isinstance(db, SqliteDatabase):
        deadline = time.monotonic() + budget_ms / 1000
        db.connection().set_progress_handler(lambda: time.monotonic() > deadline, 10_000)


def is_query_timeout(error: Exception) -> bool:
    """Whether a peewee OperationalError is a statement cancelled for running out of time."""
    original = error.__cause__ or error.__context__ or error  # the driver's own exception
    return getattr(original, "pgcode", None) == "57014" or str(original) == "interrupted"


MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(db) -> list[str]:
    """Apply the migrations not yet applied to `db`; returns their names."""
    return Runner(db, str(MIGRATIONS)).up()
