"""Concurrent writers over real HTTP, against gunicorn with several workers: no lost update,
no duplicate create, no 500 — on SQLite and on PostgreSQL alike."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import ON_POSTGRES
from tests.helpers import assert_problem, stored_rows

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(seeded, database_url, tmp_path):
    """gunicorn serving this test's seeded database; yields its base URL."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
            + ["--bind", f"127.0.0.1:{port}", "api:create_app()"],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_ready(base: str, process, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"gunicorn did not become ready:\n{log.read_text()[-2000:]}")


def call(method: str, url: str, body=None, headers=None) -> tuple[int, dict, dict]:
    """One HTTP request with the standard library: (status, headers, JSON body or {})."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, answer_headers, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, raw = error.code, dict(error.headers), error.read()
    return status, answer_headers, json.loads(raw) if raw else {}


def all_at_once(calls: list) -> list:
    """Run every call from its own thread, released together."""
    start = threading.Barrier(len(calls))

    def run(job):
        start.wait()
        return call(*job)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def span_claim(start: int) -> dict:
    return {
        "article_id": 2,
        "speaker_id": 1,
        "start": start,
        "end": start + 10,
        "quote_type": "indirect",
    }


def test_concurrent_creates_and_their_retries_store_each_resource_once(server, writer):
    # Each create is sent twice at the same moment with the same key, as a client that
    # timed out and retried would.
    calls = []
    for number in range(20):
        body = {"name": f"Concurrent speaker {number}", "kind": "person"}
        headers = {**writer, "Idempotency-Key": f"create-{number}"}
        calls += [("POST", f"{server}/v1/speakers", body, headers)] * 2
    # And claims, each a different span of the same article, without keys.
    claim_calls = [
        ("POST", f"{server}/v1/claims", span_claim(start), writer) for start in range(0, 200, 20)
    ]

    results = all_at_once(calls + claim_calls)

    statuses = [status for status, _, _ in results]
    assert all(status < 500 for status in statuses), statuses
    by_key = {}
    for (_, _, _, headers), (status, _, answer) in zip(calls, results, strict=False):
        assert status in (201, 409), (status, answer)
        if status == 201:
            by_key.setdefault(headers["Idempotency-Key"], set()).add(answer["id"])
    assert all(len(ids) == 1 for ids in by_key.values()), by_key
    assert len(by_key) == 20  # at least one of each pair was answered 201
    _, _, speakers = call("GET", f"{server}/v1/speakers?name=Concurrent&limit=100")
    stored = [speaker["name"] for speaker in speakers["data"]]
    assert sorted(stored) == sorted(f"Concurrent speaker {number}" for number in range(20))

    claim_results = results[len(calls) :]
    assert [status for status, _, _ in claim_results] == [201] * len(claim_calls)
    created = {answer["id"] for _, _, answer in claim_results}
    _, _, listed = call("GET", f"{server}/v1/articles/2/claims?speaker_id=1&limit=100")
    assert created <= {claim["id"] for claim in listed["data"]}


@pytest.mark.parametrize("resource", ["claims", "articles", "speakers", "outlets"])
def test_of_two_changes_made_from_the_same_etag_exactly_one_succeeds(server, writer, resource):
    change = {
        "claims": lambda n: {"cue": f"cue {n}"},
        "articles": lambda n: {"section": f"Section {n}"},
        "speakers": lambda n: {"description": f"Description {n}"},
        "outlets": lambda n: {"country": ["FR", "DE"][n]},
    }[resource]
    for item in (1, 2):
        url = f"{server}/v1/{resource}/{item}"
        _, headers, _ = call("GET", url)
        seen = {**writer, "If-Match": headers["ETag"]}

        results = all_at_once([("PATCH", url, change(n), seen) for n in range(2)])

        statuses = sorted(status for status, _, _ in results)
        assert statuses == [200, 412], results
        winner = next(answer for status, _, answer in results if status == 200)
        _, _, stored = call("GET", url)
        assert stored == winner


def test_a_change_and_a_delete_from_the_same_etag_do_not_both_succeed(server, writer):
    _, created_headers, created = call(
        "POST", f"{server}/v1/outlets", {"name": "Contested"}, writer
    )
    url = f"{server}/v1/outlets/{created['id']}"
    seen = {**writer, "If-Match": created_headers["ETag"]}

    results = all_at_once([("PATCH", url, {"country": "FR"}, seen), ("DELETE", url, None, seen)])

    statuses = sorted(status for status, _, _ in results)
    # The loser is 412 (the change came first) or 404 (the delete came first, then the change
    # found nothing to change).
    assert statuses in ([200, 412], [204, 412], [204, 404]), results


@contextmanager
def write_lock_held_elsewhere(database_url: str):
    """Another connection holding the write lock (SQLite) or the row lock of outlet 1
    (PostgreSQL) until the block ends."""
    if ON_POSTGRES:
        connection = psycopg2.connect(database_url)
        connection.cursor().execute("SELECT * FROM outlet WHERE id = 1 FOR UPDATE")
    else:
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


def test_a_write_that_cannot_get_its_lock_in_time_is_503_with_retry_after(
    seeded, app_with, database_url, writer
):
    client = app_with(DATABASE_BUSY_TIMEOUT_MS=100, QUERY_TIME_BUDGET_MS=500).test_client()
    headers = {**writer, "If-Match": client.get("/v1/outlets/1").headers["ETag"]}
    before = stored_rows()

    with write_lock_held_elsewhere(database_url):
        response = client.patch("/v1/outlets/1", json={"country": "HK"}, headers=headers)

    assert_problem(response, 503)
    assert response.headers["Retry-After"]
    assert stored_rows() == before
    retried = client.patch("/v1/outlets/1", json={"country": "HK"}, headers=headers)
    assert retried.status_code == 200
