"""API keys: only holders of a key with the right scope change data; keys are stored hashed."""

import re

import pytest

from api import create_app
from api.auth import COMPUTING_BLUEPRINTS, WRITE_METHODS
from api.cli import main as claims_api
from api.config import TestConfig
from models import ApiKey, database
from models.api_key import KEY_PATTERN
from tests.helpers import assert_problem, stored_rows


def generated_spec() -> dict:
    config = TestConfig()
    config.DATABASE_URL = "sqlite://"
    return create_app(config).extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict):
                yield method.upper(), path, operation


SPEC = generated_spec()
# (method, path) of every operation that needs the `write` scope, with seeded ids in the path.
WRITES = sorted(
    (method, re.sub(r"\{[a-z_]+\}", "1", path))
    for method, path, operation in operations(SPEC)
    if operation.get("x-required-scope") == "write"
)


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def database_text() -> str:
    """Every value of every table, as one string."""
    tables = database.get_tables()
    rows = [database.execute_sql(f'SELECT * FROM "{table}"').fetchall() for table in tables]
    return repr(rows)


def test_a_key_has_a_prefix_and_a_long_secret(issue_key):
    key = issue_key("write")
    match = KEY_PATTERN.fullmatch(key)
    assert match and len(key) == len("ck_") + 8 + 1 + 43


def test_only_a_digest_of_the_key_is_stored(app, issue_key, client):
    key = issue_key("write")
    client.get("/v1/outlets", headers=bearer(key))
    created = client.post("/v1/outlets", json={"name": "Example"}, headers=bearer(key))
    assert created.status_code == 201
    with database.connection_context():
        stored = database_text()
        row = ApiKey.get(ApiKey.prefix == KEY_PATTERN.fullmatch(key)["prefix"])
    secret = key.split("_", 2)[2]
    assert key not in stored and secret not in stored
    assert row.key_sha256 != key and len(row.key_sha256) == 64


def test_a_used_key_records_when_it_was_last_used(app, issue_key, client):
    key = issue_key("read")
    assert client.get("/v1/outlets", headers=bearer(key)).status_code == 200
    with database.connection_context():
        row = ApiKey.get(ApiKey.prefix == KEY_PATTERN.fullmatch(key)["prefix"])
    assert row.last_used_at is not None and row.last_used_at >= row.created_at


def test_reads_need_no_key(client, seeded):
    response = client.get("/v1/claims")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer ck_aaaaaaaa_" + "x" * 43,  # well formed, unknown
        "Bearer not-a-key",
        "Bearer",
        "Basic dXNlcjpwYXNz",
        "ck_aaaaaaaa_" + "x" * 43,  # no scheme
    ],
)
def test_a_bad_key_is_refused_even_on_a_read(client, seeded, authorization):
    response = client.get("/v1/claims", headers={"Authorization": authorization})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith('Bearer realm="claims-api"')
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_key_with_a_wrong_secret_is_refused(client, seeded, issue_key):
    key = issue_key("write")
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    assert_problem(client.get("/v1/claims", headers=bearer(forged)), 401)


def test_reads_can_require_a_key(app_with, seeded, issue_key):
    client = app_with(REQUIRE_AUTH_FOR_READS=True).test_client()
    response = client.get("/v1/claims")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="claims-api"'
    assert client.get("/v1/claims", headers=bearer(issue_key("read"))).status_code == 200


def test_probes_and_the_contract_stay_public_when_reads_require_a_key(app_with):
    client = app_with(REQUIRE_AUTH_FOR_READS=True).test_client()
    for path in ("/livez", "/readyz", "/openapi.json", "/openapi.yaml"):
        assert client.get(path).status_code == 200, path


def test_probes_answer_whatever_authorization_is_sent(client):
    assert client.get("/livez", headers={"Authorization": "Bearer wrong"}).status_code == 200


def test_keys_create_prints_the_key_once_and_list_shows_only_prefixes(app):
    runner = app.test_cli_runner()
    created = runner.invoke(claims_api, ["keys", "create", "--name", "ingest", "--scope", "write"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip()
    assert KEY_PATTERN.fullmatch(key)
    listed = runner.invoke(claims_api, ["keys", "list"])
    assert listed.exit_code == 0
    assert KEY_PATTERN.fullmatch(key)["prefix"] in listed.output
    assert key not in listed.output and key.split("_", 2)[2] not in listed.output


def test_keys_create_refuses_an_unknown_scope(app):
    result = app.test_cli_runner().invoke(
        claims_api, ["keys", "create", "--name", "x", "--scope", "root"]
    )
    assert result.exit_code != 0
    assert "root" in result.output


def test_a_revoked_key_is_refused(app, client, seeded, issue_key):
    key = issue_key("read")
    prefix = KEY_PATTERN.fullmatch(key)["prefix"]
    result = app.test_cli_runner().invoke(claims_api, ["keys", "revoke", prefix])
    assert result.exit_code == 0, result.output
    response = client.get("/v1/claims", headers=bearer(key))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_revoking_an_unknown_prefix_fails(app):
    result = app.test_cli_runner().invoke(claims_api, ["keys", "revoke", "zzzzzzzz"])
    assert result.exit_code == 1
    assert "no key" in result.output


def test_every_route_that_changes_data_is_documented_as_needing_the_write_scope(app):
    changing = {
        (method, re.sub(r"<id:[a-z_]+>", "1", rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] not in COMPUTING_BLUEPRINTS
        for method in rule.methods & WRITE_METHODS
    }
    assert changing and changing == set(WRITES)


def test_the_spec_declares_the_bearer_scheme_and_who_may_call_what():
    assert SPEC["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": SPEC["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    for method, path, operation in operations(SPEC):
        statuses = set(operation["responses"])
        if path in ("/livez", "/readyz"):
            assert "security" not in operation and "429" not in statuses
        elif method in WRITE_METHODS and not COMPUTING_BLUEPRINTS & set(operation["tags"]):
            assert operation["security"] == [{"bearerAuth": []}], (method, path)
            assert statuses >= {"401", "403", "429"}, (method, path)
            assert method == "DELETE" or "413" in statuses, (method, path)
        else:
            assert operation["security"] == [{}, {"bearerAuth": []}], (method, path)
            assert statuses >= {"401", "429"}, (method, path)


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_write_without_a_key_is_401_and_changes_nothing(client, seeded, method, path):
    before = stored_rows()
    response = client.open(path, method=method, json={})
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="claims-api"'
    assert stored_rows() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_write_with_a_revoked_key_is_401_and_changes_nothing(
    client, seeded, issue_key, method, path
):
    key = issue_key("write")
    with database.connection_context():
        ApiKey.get(ApiKey.prefix == KEY_PATTERN.fullmatch(key)["prefix"]).revoke()
    before = stored_rows()
    response = client.open(path, method=method, json={}, headers=bearer(key))
    assert_problem(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert stored_rows() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_write_with_a_read_only_key_is_403_and_changes_nothing(
    client, seeded, issue_key, method, path
):
    before = stored_rows()
    response = client.open(path, method=method, json={}, headers=bearer(issue_key("read")))
    body = assert_problem(response, 403)
    assert "`write`" in body["detail"]
    assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"]
    assert stored_rows() == before


@pytest.mark.parametrize(("method", "path"), WRITES)
@pytest.mark.parametrize("scope", ["write", "admin"])
def test_the_same_request_with_a_write_or_admin_key_gets_past_authorisation(
    client, seeded, issue_key, method, path, scope
):
    response = client.open(path, method=method, json={}, headers=bearer(issue_key(scope)))
    assert response.status_code not in (401, 403), response.get_json()


def test_a_key_in_the_query_string_is_not_accepted(client, seeded, issue_key):
    key = issue_key("write")
    for name in ("access_token", "api_key", "key"):
        response = client.post(f"/v1/outlets?{name}={key}", json={"name": "Example"})
        assert_problem(response, 401)


def test_history_records_which_key_made_each_change(client, seeded, issue_key):
    first, second = issue_key("write"), issue_key("admin")
    etag = client.get("/v1/claims/1").headers["ETag"]
    changed = client.patch(
        "/v1/claims/1", json={"cue": "stated"}, headers={**bearer(first), "If-Match": etag}
    )
    assert changed.status_code == 200, changed.get_json()
    deleted = client.delete(
        "/v1/claims/1", headers={**bearer(second), "If-Match": changed.headers["ETag"]}
    )
    assert deleted.status_code == 204
    history = client.get("/v1/claims/1/revisions").get_json()["data"]
    by = {revision["action"]: revision["by"] for revision in history}
    prefix = {key: KEY_PATTERN.fullmatch(key)["prefix"] for key in (first, second)}
    assert by["update"] == prefix[first] and by["delete"] == prefix[second]
