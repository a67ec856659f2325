"""What an operator relies on: request ids, one JSON log line per request without keys, safe
headers, CORS only when asked, no debug mode, and bad settings refused at start-up."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from api import create_app
from api.config import Config, ConfigError
from tests.helpers import assert_problem

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOG_FIELDS = {"time", "request_id", "method", "route", "status", "duration_ms", "key_prefix"}


def log_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "claims_api.requests"]


def test_a_well_formed_request_id_is_echoed(client):
    response = client.get("/livez", headers={"X-Request-ID": "trace-4bf92f3577b34da6"})
    assert response.headers["X-Request-ID"] == "trace-4bf92f3577b34da6"


@pytest.mark.parametrize("offered", [None, "", "two words", "x" * 129, "a\tb", "ünïcode"])
def test_a_missing_or_malformed_request_id_is_replaced(client, offered):
    headers = {"X-Request-ID": offered} if offered is not None else {}
    response = client.get("/livez", headers=headers)
    generated = response.headers["X-Request-ID"]
    assert generated != offered and len(generated) == 32 and generated.isalnum()


def test_problem_documents_carry_the_request_id(client):
    response = client.get("/v1/quotes", headers={"X-Request-ID": "abc-123"})
    assert assert_problem(response, 404)["request_id"] == "abc-123"


def test_each_request_logs_one_json_line(client, seeded, caplog, writer):
    caplog.set_level("INFO", logger="claims_api.requests")
    client.get("/v1/claims/1", headers={"X-Request-ID": "req-1"})
    client.post("/v1/outlets", json={"name": "Example"}, headers=writer)
    client.get("/v1/nowhere")
    read, write, unknown = log_lines(caplog)
    assert read.keys() == LOG_FIELDS
    assert (read["request_id"], read["method"], read["route"], read["status"]) == (
        "req-1",
        "GET",
        "/v1/claims/<id:claim_id>",
        200,
    )
    assert read["key_prefix"] is None and read["duration_ms"] >= 0
    assert write["status"] == 201 and write["key_prefix"] == writer["Authorization"][10:18]
    assert unknown["route"] is None and unknown["status"] == 404


def test_no_key_ever_reaches_the_logs(client, seeded, caplog, writer, issue_key):
    caplog.set_level("DEBUG")
    revoked, forged = issue_key("read"), "ck_aaaaaaaa_" + "y" * 43
    client.post("/v1/outlets", json={"name": "Example"}, headers=writer)
    client.get("/v1/outlets?access_token=" + revoked)
    client.get("/v1/outlets", headers={"Authorization": f"Bearer {forged}"})
    keys = [writer["Authorization"].removeprefix("Bearer "), revoked, forged]
    logged = caplog.text
    assert log_lines(caplog)
    for key in keys:
        assert key not in logged and key.split("_", 2)[2] not in logged


@pytest.mark.parametrize("path", ["/v1/claims", "/v1/quotes", "/docs", "/openapi.json"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_cors_is_off_by_default(client):
    response = client.get("/v1/claims", headers={"Origin": "https://example.org"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_answers_only_the_configured_origins(app_with):
    client = app_with(CORS_ORIGINS="https://newsroom.example").test_client()
    allowed = client.options(
        "/v1/outlets",
        headers={
            "Origin": "https://newsroom.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://newsroom.example"
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"].lower()
    read = client.get("/v1/outlets", headers={"Origin": "https://newsroom.example"})
    assert "X-Request-ID" in read.headers["Access-Control-Expose-Headers"]
    other = client.get("/v1/outlets", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_debug_is_off_even_when_flask_debug_is_set(monkeypatch, database_url):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(Config.from_env({"DATABASE_URL": database_url}))
    assert app.debug is False


def test_make_serve_runs_gunicorn_without_debug_or_reload():
    recipe = subprocess.run(
        ["make", "-n", "serve"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "gunicorn" in recipe and "api.wsgi:app" in recipe
    for forbidden in ("--reload", "debug", "flask run"):
        assert forbidden not in recipe


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("DATABASE_URL", "mysql://localhost/claims", "scheme"),
        ("DATABASE_URL", "postgresql://db:port/claims", "not a URL"),
        ("DATABASE_URL", "claims.db", "scheme"),
        ("REDIS_URL", "http://cache:6379", "scheme"),
        ("REQUIRE_AUTH_FOR_READS", "maybe", "true or false"),
        ("RATE_LIMIT_READ", "lots", "rate"),
        ("MAX_BODY_BYTES", "1MB", "whole number"),
        ("MAX_BODY_BYTES", "0", "at least 1"),
        ("QUERY_TIME_BUDGET_MS", "-5", "at least 1"),
        ("CORS_ORIGINS", "example.org", "origin"),
        ("TRUSTED_PROXIES", "one", "whole number"),
    ],
)
def test_a_bad_setting_is_refused_with_its_name_and_what_is_expected(name, value, complaint):
    with pytest.raises(ConfigError) as refused:
        Config.from_env({name: value})
    assert str(refused.value).startswith(f"{name}={value!r}: ")
    assert complaint in str(refused.value)


def test_every_bad_setting_is_named_at_once():
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"DATABASE_URL": "mysql://x/y", "MAX_BODY_BYTES": "big"})
    assert "DATABASE_URL" in str(refused.value) and "MAX_BODY_BYTES" in str(refused.value)


def test_good_settings_are_read():
    config = Config.from_env(
        {
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/claims",
            "REDIS_URL": "redis://127.0.0.1:6379/2",
            "REQUIRE_AUTH_FOR_READS": "yes",
            "RATE_LIMIT_WRITE": "10/second;1000/day",
            "MAX_BODY_BYTES": "2048",
            "CORS_ORIGINS": "https://a.example, https://b.example",
        }
    )
    assert config.REQUIRE_AUTH_FOR_READS is True
    assert config.MAX_CONTENT_LENGTH == 2048
    assert config.RATE_LIMIT_WRITE == "10/second;1000/day"


def test_the_cli_reports_a_bad_setting_in_one_line(tmp_path):
    result = subprocess.run(
        [BIN / "claims-api", "migrate"],
        env={"PATH": str(BIN), "DATABASE_URL": "mysql://localhost/claims"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(
        "Error: bad configuration: DATABASE_URL='mysql://localhost/claims': the scheme must be "
        "one of sqlite, postgres"
    )


def test_gunicorn_refuses_to_start_on_a_bad_setting(tmp_path):
    result = subprocess.run(
        [BIN / "gunicorn", "--bind", "127.0.0.1:0", "--no-control-socket", "api.wsgi:app"],
        cwd=ROOT,
        env={"PATH": str(BIN), "MAX_BODY_BYTES": "lots"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "claims-api: bad configuration: MAX_BODY_BYTES='lots'" in result.stderr
    assert "ConfigError" not in result.stderr  # no traceback from our code


def test_gunicorn_answers_with_no_server_version(app, gunicorn):
    base, _ = gunicorn()
    with urllib.request.urlopen(f"{base}/v1/outlets", timeout=5) as response:
        server = response.headers.get("Server", "")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not any(character.isdigit() for character in server), server
