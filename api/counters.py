"""Counters shared by every worker process of one machine, in a small SQLite file of their own.

Rate-limit windows (when Redis is not configured or not reachable) and the export slots live
here, so that two gunicorn workers draw on one budget with nothing to install. The file is not
the claims database: it has its own write lock, so counting a read never waits on a write of
the data (and the reverse). Each count is one statement in autocommit mode, with `synchronous =
OFF`: a counter lost in a power cut costs nothing worth a disk flush per request.

COUNTERS_FILE names the file; by default it sits beside a SQLite database (`claims.db` →
`claims.counters.db`), or, for PostgreSQL, in the temporary directory under a name derived from
DATABASE_URL, so the workers of one machine serving one database find the same file.
"""

import hashlib
import sqlite3
import tempfile
import threading
import time
import uuid
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

BUSY_TIMEOUT_MS = 1000  # each statement holds the lock for microseconds
PURGE_EVERY_SECONDS = 60  # how often a process deletes windows and slots that have ended
SCHEMA = """
CREATE TABLE IF NOT EXISTS hit_window (key TEXT PRIMARY KEY, hits INTEGER NOT NULL,
                                   ends_at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hit_window_ends_at ON hit_window (ends_at);
CREATE TABLE IF NOT EXISTS slot (id TEXT PRIMARY KEY, holder TEXT NOT NULL,
                                 ends_at REAL NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS slot_holder ON slot (holder, ends_at);
"""
# One statement: a window that has ended starts again at 1, so the count is exact under any
# number of concurrent callers.
SPEND = """
INSERT INTO hit_window (key, hits, ends_at) VALUES (:key, 1, :now + :seconds)
ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN ends_at <= :now THEN 1 ELSE hits + 1 END,
    ends_at = CASE WHEN ends_at <= :now THEN excluded.ends_at ELSE ends_at END
RETURNING hits, ends_at
"""
TAKE_SLOT = """
INSERT INTO slot (id, holder, ends_at)
SELECT :id, :holder, :now + :lease
WHERE (SELECT count(*) FROM slot WHERE holder = :holder AND ends_at > :now) < :per_holder
  AND (SELECT count(*) FROM slot WHERE ends_at > :now) < :in_all
"""


def default_counters_file(database_url: str) -> str:
    """Where the counters live when COUNTERS_FILE is not set (see the module docstring)."""
    parts = urlsplit(database_url)
    path = parts.path[1:] if parts.scheme.startswith("sqlite") else ""
    if path and path != ":memory:":
        return str(Path(path).with_suffix(".counters.db"))
    digest = hashlib.sha256(database_url.encode()).hexdigest()[:16]
    return str(Path(tempfile.gettempdir()) / f"claims-api-{digest}.counters.db")


class MachineCounters:
    """Fixed-window hit counts and leased slots in the SQLite file at `path`."""

    def __init__(self, path: str):
        self.path = path
        self.local = threading.local()  # one connection per thread
        self.purged_at = 0.0

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = OFF")
            connection.executescript(SCHEMA)
            self.local.connection = connection
        return connection

    def check(self) -> str | None:
        """None if the file can be used, else why not."""
        try:
            self.connection().execute("SELECT count(*) FROM slot").fetchone()
        except sqlite3.Error as error:
            return f"{self.path}: {error}"
        return None

    def spend(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one hit in `key`'s window of `seconds`: (hits in the window including this
        one, the time.time() at which the window ends)."""
        now = time.time()
        connection = self.connection()
        hits, ends_at = connection.execute(
            SPEND, {"key": key, "now": now, "seconds": seconds}
        ).fetchone()
        self.purge(connection, now)
        return hits, ends_at

    def take_slot(self, holder: str, per_holder: int, in_all: int, lease: float) -> str | None:
        """A slot's id if `holder` holds fewer than `per_holder` live slots and the machine
        fewer than `in_all`; None otherwise. The slot ends after `lease` seconds unless renewed,
        so a process that dies holding it frees it by itself."""
        slot, now = uuid.uuid4().hex, time.time()
        taken = self.connection().execute(
            TAKE_SLOT,
            {"id": slot, "holder": holder, "now": now, "lease": lease,
             "per_holder": per_holder, "in_all": in_all},
        ).rowcount  # fmt: skip
        return slot if taken else None

    def renew_slot(self, slot: str, lease: float) -> None:
        """Keep `slot` for another `lease` seconds, if the file lets us: a slot neither renewed
        nor released ends with its lease, and the export holding it must not fail for that."""
        with suppress(sqlite3.Error):
            self.connection().execute(
                "UPDATE slot SET ends_at = ? WHERE id = ?", (time.time() + lease, slot)
            )

    def release_slot(self, slot: str) -> None:
        """Give `slot` back (or leave it to its lease, as renew_slot)."""
        with suppress(sqlite3.Error):
            self.connection().execute("DELETE FROM slot WHERE id = ?", (slot,))

    def purge(self, connection: sqlite3.Connection, now: float) -> None:
        """Delete ended windows and slots, at most once a minute per process."""
        if now - self.purged_at < PURGE_EVERY_SECONDS:
            return
        self.purged_at = now
        connection.execute("DELETE FROM hit_window WHERE ends_at <= ?", (now,))
        connection.execute("DELETE FROM slot WHERE ends_at <= ?", (now,))
