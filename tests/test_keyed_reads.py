"""A read with an API key never waits for a write lock: noting the key's last use is best
effort, skipped while another writer holds the lock, and done by a later request."""

import sqlite3
from contextlib import contextmanager

import psycopg2

from models import ApiKey, database
from tests.conftest import ON_POSTGRES


def last_used_at(key: str):
    with database.connection_context():
        return ApiKey.get(ApiKey.prefix == key[3:11]).last_used_at


@contextmanager
def held_lock(database_url: str, key: str):
    """Another connection holding, until the block ends, the write lock (SQLite) or the row
    of `key` (PostgreSQL), as a writer in the middle of its transaction does."""
    if ON_POSTGRES:
        connection = psycopg2.connect(database_url)
        connection.cursor().execute(
            "SELECT * FROM api_key WHERE prefix = %s FOR UPDATE", (key[3:11],)
        )
    else:
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def test_a_keyed_read_answers_while_another_writer_holds_the_lock(
    seeded, app_with, database_url, issue_key
):
    # Short waits, so that a read which waited would fail at once with 503.
    client = app_with(DATABASE_BUSY_TIMEOUT_MS=100, QUERY_TIME_BUDGET_MS=500).test_client()
    key = issue_key("read")

    with held_lock(database_url, key):
        response = client.get("/v1/claims/1", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["id"] == 1
    assert last_used_at(key) is None  # not noted while the lock was held


def test_a_keyed_read_notes_the_last_use_when_nothing_holds_the_lock(
    seeded, app_with, database_url, issue_key
):
    client = app_with(DATABASE_BUSY_TIMEOUT_MS=100, QUERY_TIME_BUDGET_MS=500).test_client()
    key = issue_key("read")
    headers = {"Authorization": f"Bearer {key}"}
    with held_lock(database_url, key):
        client.get("/v1/claims/1", headers=headers)

    response = client.get("/v1/claims/1", headers=headers)

    assert response.status_code == 200
    assert last_used_at(key) is not None


def test_a_keyed_write_still_works_and_notes_the_use(seeded, client, writer):
    response = client.post("/v1/outlets", json={"slug": "noted", "name": "Noted"}, headers=writer)

    assert response.status_code == 201, response.get_data(as_text=True)
    assert last_used_at(writer["Authorization"].split()[1]) is not None
