"""The one database handle: a proxy bound at start-up to SQLite or PostgreSQL from a URL."""

from pathlib import Path

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect
from playhouse.migrations import Runner

database = DatabaseProxy()

# WAL lets readers work while one writer writes; busy_timeout makes a writer wait for the lock
# instead of failing at once.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str):
    """Bind the models to the database at `url` (`sqlite:///path` or `postgresql://...`)."""
    db = connect(url)
    if isinstance(db, SqliteDatabase):
        db = connect(url, pragmas=SQLITE_PRAGMAS, timeout=5)
    database.initialize(db)
    return db


MIGRATIONS = Path(__file__).parent / "migrations"


def migrate(db) -> list[str]:
    """Apply the migrations not yet applied to `db`; returns their names."""
    return Runner(db, str(MIGRATIONS)).up()
