"""Fixtures: a fresh, migrated database per test (SQLite file, or the PostgreSQL database named
by DATABASE_URL), the app on it, its test client, and the seed data loaded."""

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from api import create_app
from api.config import TestConfig
from models import ApiKey, database
from models.db import migrate
from models.seeding import load_seeds

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory) -> dict[bool, Path]:
    """Migrated SQLite databases, empty and seeded, built once: each test starts from a copy."""
    folder = tmp_path_factory.mktemp("templates")
    templates = {}
    for seeds in (False, True):
        path = folder / f"{'seeded' if seeds else 'empty'}.db"
        config = TestConfig()
        config.DATABASE_URL = f"sqlite:///{path}"
        create_app(config)
        with database.connection_context():
            migrate(database.obj)
            if seeds:
                load_seeds(SEEDS)
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
        templates[seeds] = path
    return templates


@pytest.fixture
def database_url(request, tmp_path) -> str:
    """Where this test's database lives: a copy of a SQLite template, seeded if the test asks
    for `seeded`, or the PostgreSQL database of DATABASE_URL, reset by `app`."""
    if ON_POSTGRES:
        return POSTGRES_URL
    path = tmp_path / "claims.db"
    seeds = "seeded" in request.fixturenames
    shutil.copyfile(request.getfixturevalue("sqlite_templates")[seeds], path)
    return f"sqlite:///{path}"


@pytest.fixture
def counters_file(tmp_path) -> str:
    """This test's own rate-limit and export counters (on PostgreSQL the default file would be
    shared by every test)."""
    return str(tmp_path / "claims.counters.db")


@pytest.fixture
def app(request, database_url, counters_file):
    """The app on a migrated database (holding the seeds if the test asks for `seeded`)."""
    # Before create_app: building the baseline binds `database` to a connection of its own.
    baseline = request.getfixturevalue("postgres_baseline") if ON_POSTGRES else None
    config = TestConfig()
    config.DATABASE_URL = database_url
    config.COUNTERS_FILE = counters_file
    app = create_app(config)
    if baseline:
        with database.connection_context():
            baseline.restore(seeded="seeded" in request.fixturenames)
    yield app
    database.close()


def reset_postgres() -> None:
    """Drop every table, trigger and function, so that migrations start from nothing."""
    database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


@pytest.fixture(scope="session")
def postgres_baseline() -> "PostgresBaseline":
    """The PostgreSQL database of DATABASE_URL migrated, and its rows read, once per session."""
    config = TestConfig()
    config.DATABASE_URL = POSTGRES_URL
    create_app(config)
    with database.connection_context():
        return PostgresBaseline()


@dataclass
class Rows:
    """What a database holds: each table's rows as COPY text (columns named, generated ones
    left out), and where each sequence stands."""

    tables: dict[str, tuple[str, str]]  # table: (column list, rows)
    sequences: list[tuple[str, int | None]]  # (sequence, last value; None if never used)

    @classmethod
    def read(cls) -> "Rows":
        """The rows the database holds now."""
        tables, cursor = {}, database.cursor()
        for table in database.get_tables():
            columns = ", ".join(
                f'"{name}"'
                for (name,) in database.execute_sql(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "'public' AND table_name = %s AND is_generated = 'NEVER' "
                    "ORDER BY ordinal_position",
                    (table,),
                )
            )
            text = io.StringIO()
            cursor.copy_expert(f'COPY "{table}" ({columns}) TO STDOUT', text)
            tables[table] = (columns, text.getvalue())
        sequences = database.execute_sql(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall()
        return cls(tables, sequences)

    def write(self) -> None:
        """Replace every table's rows with these, and put every sequence back."""
        with database.atomic():
            # As a replica: no triggers (search_index rows are written as read) and no foreign
            # key checks, so tables can be emptied and filled in any order.
            database.execute_sql("SET LOCAL session_replication_role = replica")
            database.execute_sql("".join(f'DELETE FROM "{table}";' for table in self.tables))
            cursor = database.cursor()
            for table, (columns, text) in self.tables.items():
                if text:
                    cursor.copy_expert(f'COPY "{table}" ({columns}) FROM STDIN', io.StringIO(text))
            database.execute_sql(
                "SELECT " + ", ".join("setval(%s, %s, %s)" for _ in self.sequences),
                [
                    value
                    for name, last in self.sequences
                    for value in (name, last or 1, last is not None)
                ],
            )


# Every column, default, index, constraint, trigger and function of the public schema, one per
# line: a test that changed any of them leaves the database for `restore` to rebuild.
DESCRIBE_SCHEMA = """
WITH public_relation AS (SELECT oid, relname, relkind FROM pg_class
    WHERE relnamespace = 'public'::regnamespace)
SELECT string_agg(part, E'\\n' ORDER BY part) FROM (
    SELECT concat_ws(' ', r.relname, r.relkind, a.attname,
            format_type(a.atttypid, a.atttypmod), a.attnotnull)
        FROM public_relation r JOIN pg_attribute a ON a.attrelid = r.oid
        WHERE a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT concat_ws(' ', r.relname, pg_get_expr(d.adbin, d.adrelid))
        FROM public_relation r JOIN pg_attrdef d ON d.adrelid = r.oid
    UNION ALL SELECT pg_get_indexdef(i.indexrelid)
        FROM public_relation r JOIN pg_index i ON i.indrelid = r.oid
    UNION ALL SELECT concat_ws(' ', r.relname, pg_get_constraintdef(c.oid))
        FROM public_relation r JOIN pg_constraint c ON c.conrelid = r.oid
    UNION ALL SELECT pg_get_triggerdef(t.oid)
        FROM public_relation r JOIN pg_trigger t ON t.tgrelid = r.oid WHERE NOT t.tgisinternal
    UNION ALL SELECT concat_ws(' ', proname, pg_get_function_arguments(oid), prosrc)
        FROM pg_proc WHERE pronamespace = 'public'::regnamespace
) AS schema_part (part)
"""


def describe_schema() -> str | None:
    """The public schema as text, equal for equal schemas (None when it is empty)."""
    return database.execute_sql(DESCRIBE_SCHEMA).fetchone()[0]


class PostgresBaseline:
    """The migrated database, empty and seeded, read once: a test gets it back by rewriting a
    few hundred rows, a fraction of the cost of migrating and seeding again."""

    def __init__(self):
        self.rebuild_schema()
        self.schema = describe_schema()
        self.rows = {False: Rows.read()}
        load_seeds(SEEDS)
        self.rows[True] = Rows.read()

    def rebuild_schema(self) -> None:
        reset_postgres()
        migrate(database.obj)

    def restore(self, seeded: bool) -> None:
        """Bring the database back to the migrated schema holding the seeds or nothing."""
        # A test may have changed the schema, e.g. added a trigger or rolled back a migration.
        if describe_schema() != self.schema:
            self.rebuild_schema()
        self.rows[seeded].write()


@pytest.fixture
def client(app):
    """A test client making real HTTP-shaped requests to the app."""
    return app.test_client()


@pytest.fixture
def seeded(app):
    """The app with the seed articles loaded (by `app`, which sees this fixture requested)."""
    return app


@pytest.fixture
def writer(issue_key) -> dict:
    """Request headers that authorise writes: a new API key with the `write` scope."""
    return {"Authorization": f"Bearer {issue_key('write')}"}


@pytest.fixture
def issue_key(app):
    """Store a new API key with the given scope in this test's database; returns its text."""

    def issue(scope: str = "write", name: str = "test client") -> str:
        with database.connection_context():
            return ApiKey.issue(name, scope)[1]

    return issue


@pytest.fixture
def app_with(app, database_url, counters_file):
    """Another app on this test's database, with some settings changed (e.g. small limits)."""

    def configure(**settings):
        config = TestConfig()
        config.DATABASE_URL = database_url
        config.COUNTERS_FILE = counters_file
        for name, value in settings.items():
            setattr(config, name, value)
        return create_app(config)

    return configure


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path, database_url, counters_file):
    """Start gunicorn (two workers, on a free port, on this test's database) with extra
    environment, and with the settings `make serve` uses if `like_make_serve`; returns (base
    URL, access log path: lines `<pid> <status> <path>`)."""
    servers = []

    def start(like_make_serve: bool = False, **environment) -> tuple[str, Path]:
        port, log = free_port(), tmp_path / f"access-{len(servers)}.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            *(("-c", "api/gunicorn_conf.py") if like_make_serve else ()),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"),
            *("--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s"),
            "api.wsgi:app",
        ]
        env = {**os.environ, "DATABASE_URL": database_url, "COUNTERS_FILE": counters_file,
               **environment}  # fmt: skip
        servers.append(subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL))
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/livez", timeout=5).close()
                return base, log
            except OSError:
                time.sleep(0.1)
        pytest.fail("gunicorn did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)
