"""Ids are never reused, on either backend: deleting the newest row of a kind does not lend its
id to the next one, so the next create succeeds and each id keeps its own history."""

import importlib.util
from collections import Counter

import pytest
from playhouse.migrations import Runner
from playhouse.sqlite_ext import AutoIncrementField

from api import create_app
from api.config import TestConfig
from models import MODELS, ApiKey, database
from models.db import MIGRATIONS
from models.seeding import load_seeds
from tests.conftest import ON_POSTGRES, SEEDS, describe_schema
from tests.helpers import all_pages
from tests.test_import import article as import_line
from tests.test_import import ndjson
from tests.test_writes_concurrency import call

NEW = {
    "outlets": lambda n: {"slug": f"new-outlet-{n}", "name": f"New Outlet {n}"},
    "speakers": lambda n: {"name": f"New Speaker {n}", "kind": "person"},
    "articles": lambda n: {
        "outlet_id": 1,
        "url": f"https://example.org/new/{n}",
        "headline": f"New article {n}",
        "body": "A body that says something new.",
    },
    # Each on its own speaker, so that no two share a span.
    "claims": lambda n: {
        "article_id": 2,
        "speaker_id": n,
        "text": "to be upset",
        "quote_type": "indirect",
    },
}
REVISED = ("speakers", "articles", "claims")  # the resources that keep a history


def history(client, path: str, id: int) -> list[tuple[int, str]]:
    return [
        (revision["version"], revision["action"])
        for revision in all_pages(client, f"/v1/{path}/{id}/revisions")
    ]


@pytest.mark.parametrize("path", NEW)
def test_deleting_the_newest_row_does_not_lend_its_id_to_the_next(client, seeded, writer, path):
    first = client.post(f"/v1/{path}", json=NEW[path](1), headers=writer)
    assert first.status_code == 201, first.get_data(as_text=True)
    deleted = first.get_json()["id"]
    gone = client.delete(
        f"/v1/{path}/{deleted}", headers={**writer, "If-Match": first.headers["ETag"]}
    )
    assert gone.status_code == 204

    second = client.post(f"/v1/{path}", json=NEW[path](2), headers=writer)

    assert second.status_code == 201, second.get_data(as_text=True)
    created = second.get_json()["id"]
    assert created > deleted
    assert client.get(f"/v1/{path}/{deleted}").status_code == 404
    assert client.get(f"/v1/{path}/{created}").get_json() == second.get_json()
    if path in REVISED:
        assert history(client, path, deleted) == [(1, "create"), (2, "delete")]
        assert history(client, path, created) == [(1, "create")]


def test_an_import_after_deleting_the_newest_article_gets_new_ids(client, app, writer):
    first = client.post(
        "/v1/imports",
        data=ndjson(import_line(1)),
        headers={**writer, "Content-Type": "application/x-ndjson"},
    ).get_json()["lines"][0]
    deleted = first["article_id"]
    deleted_claims = [claim["id"] for claim in all_pages(client, f"/v1/articles/{deleted}/claims")]
    etag = client.get(f"/v1/articles/{deleted}").headers["ETag"]
    url = f"/v1/articles/{deleted}?cascade=true"
    assert client.delete(url, headers={**writer, "If-Match": etag}).status_code == 204

    second = client.post(
        "/v1/imports",
        data=ndjson(import_line(2)),
        headers={**writer, "Content-Type": "application/x-ndjson"},
    )

    assert second.status_code == 200, second.get_data(as_text=True)
    created = second.get_json()["lines"][0]
    assert created["status"] == "created" and created["article_id"] > deleted
    claims = [
        claim["id"] for claim in all_pages(client, f"/v1/articles/{created['article_id']}/claims")
    ]
    assert min(claims) > max(deleted_claims)
    assert history(client, "articles", deleted) == [(1, "create"), (2, "delete")]
    assert history(client, "articles", created["article_id"]) == [(1, "create")]
    for claim in deleted_claims:
        assert history(client, "claims", claim) == [(1, "create"), (2, "delete")]


def test_create_delete_create_create_over_http(seeded, gunicorn, writer):
    base, _ = gunicorn()
    for path in NEW:
        status, headers, first = call("POST", f"{base}/v1/{path}", NEW[path](1), writer)
        assert status == 201, first
        url = f"{base}/v1/{path}/{first['id']}"
        assert call("DELETE", url, headers={**writer, "If-Match": headers["ETag"]})[0] == 204

        later = [call("POST", f"{base}/v1/{path}", NEW[path](n), writer) for n in (2, 3)]

        assert [status for status, _, _ in later] == [201, 201], later
        assert first["id"] < later[0][2]["id"] < later[1][2]["id"]


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's tables; PostgreSQL's sequences never go back")
def test_every_table_declares_that_its_ids_are_never_reused(app):
    with database.connection_context():
        for model in MODELS:
            (create,) = database.execute_sql(
                "SELECT sql FROM sqlite_master WHERE name = ?", (model._meta.table_name,)
            ).fetchone()
            assert '"id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT' in create, create
            assert isinstance(model._meta.primary_key, AutoIncrementField), model


def rows() -> dict[str, Counter]:
    """Every row of every table (search index included) but the migrations' own."""
    tables = [
        name
        for (name,) in database.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN "
            "('schema_migration', 'sqlite_sequence')"
        )
    ]
    return {
        table: Counter(map(repr, database.execute_sql(f'SELECT * FROM "{table}"').fetchall()))
        for table in tables
    }


def schema(kind: str) -> dict[str, str]:
    return dict(
        database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
            (kind,),
        ).fetchall()
    )


@pytest.mark.skipif(ON_POSTGRES, reason="rebuilds SQLite tables; a no-op on PostgreSQL")
def test_migrating_a_seeded_database_keeps_its_rows_indexes_triggers_and_search(tmp_path):
    config = TestConfig()
    config.DATABASE_URL = f"sqlite:///{tmp_path / 'claims.db'}"
    client = create_app(config).test_client()
    with database.connection_context():
        runner = Runner(database.obj, str(MIGRATIONS))
        runner.up("0005_list_indexes")
        load_seeds(SEEDS)
        writer = {"Authorization": f"Bearer {ApiKey.issue('test', 'write')[1]}"}
    # The newest speaker deleted before the migration: its id must not come back after it.
    created = client.post("/v1/speakers", json=NEW["speakers"](1), headers=writer)
    deleted = created.get_json()["id"]
    headers = {**writer, "If-Match": created.headers["ETag"]}
    assert client.delete(f"/v1/speakers/{deleted}", headers=headers).status_code == 204
    found = client.get("/v1/search?q=Boukamal&limit=100").get_json()
    with database.connection_context():
        tables, indexes, triggers = schema("table"), schema("index"), schema("trigger")
        stored = rows()

        assert runner.up("0006_ids_never_reused") == ["0006_ids_never_reused"]

        assert rows() == stored
        assert schema("index") == indexes
        assert schema("trigger") == triggers
        id_column = '"id" INTEGER NOT NULL PRIMARY KEY'
        data_tables = {model._meta.table_name for model in MODELS}
        assert schema("table") == {
            name: sql.replace(id_column, f"{id_column} AUTOINCREMENT")
            if name in data_tables
            else sql
            for name, sql in tables.items()
        }
        assert database.execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert client.get("/v1/search?q=Boukamal&limit=100").get_json() == found
    after = client.post("/v1/speakers", json=NEW["speakers"](2), headers=writer)
    assert after.status_code == 201, after.get_data(as_text=True)
    assert after.get_json()["id"] > deleted
    assert history(client, "speakers", deleted) == [(1, "create"), (2, "delete")]
    assert (
        client.get("/v1/search?q=Speaker&kind=speaker").get_json()["data"][0]["id"]
        == (after.get_json()["id"])
    )
    with database.connection_context():
        assert runner.down("0006_ids_never_reused") == ["0006_ids_never_reused"]
        assert (schema("table"), schema("index"), schema("trigger")) == (tables, indexes, triggers)
    database.close()


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only")
def test_the_migration_changes_nothing_on_postgres(app):
    path = MIGRATIONS / "0006_ids_never_reused.py"
    spec = importlib.util.spec_from_file_location("ids_never_reused", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    with database.connection_context():
        before = describe_schema()
        migration.up(None, database.obj)
        assert describe_schema() == before
