"""Fixtures: a fresh, migrated database per test (SQLite file, or the PostgreSQL database named
by DATABASE_URL), the app on it, its test client, and the seed data loaded."""

import os
from pathlib import Path

import pytest

from api import create_app
from api.config import TestConfig
from models import database
from models.db import migrate
from models.seeding import load_seeds

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
POSTGRES_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgres")


@pytest.fixture
def database_url(tmp_path) -> str:
    """Where this test's database lives."""
    return POSTGRES_URL if ON_POSTGRES else f"sqlite:///{tmp_path / 'claims.db'}"


@pytest.fixture
def app(database_url):
    """The app on an empty, migrated database."""
    config = TestConfig()
    config.DATABASE_URL = database_url
    app = create_app(config)
    with database.connection_context():
        if ON_POSTGRES:
            reset_postgres()
        migrate(database.obj)
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
    """The app with the seed articles loaded."""
    with database.connection_context():
        load_seeds(SEEDS)
    return app


@pytest.fixture
def writer(app) -> dict:
    """Request headers that authorise writes. Until API keys exist, writes need none."""
    return {}
