"""Resource limits: body size, page size, query length and query time, each answered with a
problem document; hostile query parameters never reach a 500 or change anything."""

import http.client
import io
import json
import re
from urllib.parse import quote, urlsplit

import pytest
from peewee import OperationalError

from api import create_app
from api.config import TestConfig
from models import database
from models.db import is_query_timeout, open_database, start_query_budget
from tests.helpers import assert_problem, error_parameters, stored_rows

# Counts to ten million, one row at a time: seconds of work on either database.
SLOW_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) "
    "SELECT count(*) FROM n"
)
HOSTILE_VALUES = [
    "' OR 1=1 --",
    "'; DROP TABLE claim; --",
    '" OR ""="',
    "%",
    "_",
    "\\",
    ";",
    "\x00",
    "%00",
    "x" * 10_000,
    "ẞtraße 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 مرحبا",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "",
    "2024-02-30",
]


def list_operations() -> list[tuple[str, list[str]]]:
    """(path, query parameter names) of every GET operation with query parameters in the spec,
    with the ids of seeded rows in its path."""
    config = TestConfig()
    config.DATABASE_URL = "sqlite://"
    spec = create_app(config).extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = []
    for path, item in spec["paths"].items():
        get = item.get("get", {})
        names = [p["name"] for p in get.get("parameters", []) if p.get("in") == "query"]
        if names:
            operations.append((re.sub(r"\{[a-z_]+\}", "1", path), names))
    return sorted(operations)


LISTS = list_operations()


def test_a_body_over_the_limit_is_413_and_changes_nothing(app_with, seeded, writer):
    client = app_with(MAX_BODY_BYTES=1000).test_client()
    before = stored_rows()
    body = json.dumps({"name": "Example", "homepage": "https://example.org/" + "x" * 1000})
    response = client.post(
        "/v1/outlets", data=body, content_type="application/json", headers=writer
    )
    problem = assert_problem(response, 413)
    assert "1000 bytes" in problem["detail"]
    assert stored_rows() == before


def test_a_streamed_body_over_the_limit_is_413(app_with, seeded, writer):
    client = app_with(MAX_BODY_BYTES=1000).test_client()
    body = json.dumps({"name": "Example", "homepage": "https://example.org/" + "x" * 1000})
    response = client.post(
        "/v1/outlets",
        input_stream=io.BytesIO(body.encode()),
        content_type="application/json",
        headers={**writer, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as gunicorn says of chunked bodies
    )
    assert_problem(response, 413)


def post_chunked(base: str, body: str, headers: dict) -> tuple[int, dict]:
    """POST `body` in chunks of 500 bytes (no Content-Length); returns status and JSON body."""
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    chunks = (body[start : start + 500].encode() for start in range(0, len(body), 500))
    headers = {**headers, "Content-Type": "application/json"}
    connection.request("POST", "/v1/outlets", body=chunks, headers=headers, encode_chunked=True)
    response = connection.getresponse()
    answer = response.status, json.loads(response.read())
    connection.close()
    return answer


def test_a_chunked_body_is_held_to_the_limit_by_gunicorn_too(gunicorn, seeded, writer):
    base, _ = gunicorn(MAX_BODY_BYTES="1000")
    small = json.dumps({"name": "Example", "homepage": "https://example.org/" + "x" * 900})
    large = json.dumps({"name": "Example 2", "homepage": "https://example.org/" + "x" * 5000})
    status, created = post_chunked(base, small, writer)
    assert status == 201, created
    status, problem = post_chunked(base, large, writer)
    assert status == 413 and problem["status"] == 413


def test_a_page_larger_than_the_maximum_is_422(client, seeded):
    body = assert_problem(client.get("/v1/claims?limit=101"), 422)
    assert error_parameters(body) == {"limit"}


def test_a_search_text_longer_than_the_maximum_is_422(client, seeded):
    body = assert_problem(client.get(f"/v1/speakers?name={'a' * 201}"), 422)
    assert error_parameters(body) == {"name"}


def test_like_wildcards_in_a_search_match_themselves(client, seeded):
    assert client.get("/v1/speakers?name=a").get_json()["data"]
    for wildcard in ("%", "_"):
        assert client.get(f"/v1/speakers?name={quote(wildcard)}").get_json()["data"] == []


def test_a_query_over_its_time_budget_is_stopped(app, database_url):
    open_database(database_url, query_budget_ms=50)
    with database.connection_context():
        start_query_budget(50)
        assert database.execute_sql("SELECT 1").fetchone()[0] == 1
        with pytest.raises(OperationalError) as stopped:
            database.execute_sql(SLOW_QUERY)
    assert is_query_timeout(stopped.value)


def test_a_query_over_its_time_budget_is_answered_503_with_the_budget(app_with):
    app = app_with(QUERY_TIME_BUDGET_MS=50)
    with app.test_request_context("/v1/claims"):
        app.preprocess_request()  # connects and starts the budget, as for any request
        try:
            database.execute_sql(SLOW_QUERY)
        except OperationalError as error:
            response = app.handle_user_exception(error)
        app.do_teardown_request()
        assert response.status_code == 503
        assert "50 ms" in response.get_json()["detail"]
        assert response.headers["Retry-After"]


@pytest.mark.parametrize(("path", "parameters"), LISTS, ids=[path for path, _ in LISTS])
def test_hostile_query_parameters_give_4xx_or_results_never_500(client, seeded, path, parameters):
    before = stored_rows()
    for name in parameters:
        for value in HOSTILE_VALUES:
            response = client.get(path, query_string={name: value})
            assert response.status_code < 500, (name, value, response.get_data(as_text=True))
            if response.status_code >= 400:
                assert_problem(response, response.status_code)
            else:
                assert response.get_json() is not None or response.get_data()
    assert stored_rows() == before
