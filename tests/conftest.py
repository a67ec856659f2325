"""Fixtures: a fresh, migrated database per test (SQLite file, or the PostgreSQL database named
by DATABASE_URL), the app on it, its test client, and the seed data loaded."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
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
    for `seeded`, or the PostgreSQL database of DATABASE_URL, wiped and rebuilt."""
    if ON_POSTGRES:
        return POSTGRES_URL
    path = tmp_path / "claims.db"
    seeds = "seeded" in request.fixturenames
    shutil.copyfile(request.getfixturevalue("sqlite_templates")[seeds], path)
    return f"sqlite:///{path}"


@pytest.fixture
def app(request, database_url):
    """The app on a migrated database (holding the seeds if the test asks for `seeded`)."""
    config = TestConfig()
    config.DATABASE_URL = database_url
    app = create_app(config)
    if ON_POSTGRES:
        with database.connection_context():
            reset_postgres()
            migrate(database.obj)
            if "seeded" in request.fixturenames:
                load_seeds(SEEDS)
    yield app
    database.close()


def reset_postgres() -> None:
    """Drop everything so each test starts from the migrations, as on SQLite."""
    database.execute_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")


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
def app_with(app, database_url):
    """Another app on this test's database, with some settings changed (e.g. small limits)."""

    def configure(**settings):
        config = TestConfig()
        config.DATABASE_URL = database_url
        for name, value in settings.items():
            setattr(config, name, value)
        return create_app(config)

    return configure


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path, database_url):
    """Start gunicorn (two workers, on a free port, on this test's database) with extra
    environment; returns (base URL, access log path: lines `<pid> <status> <path>`)."""
    servers = []

    def start(**environment) -> tuple[str, Path]:
        port, log = free_port(), tmp_path / f"access-{len(servers)}.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"),
            *("--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s"),
            "api.wsgi:app",
        ]
        env = {**os.environ, "DATABASE_URL": database_url, **environment}
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
