"""Rate limits: a budget per key (per address without one), answered by 429 problem documents
with Retry-After and the IETF RateLimit fields; shared by every worker of the machine through
its counters file, or of every machine through Redis."""

import logging
import os
import re
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import assert_problem

# CI sets REDIS_TEST_URL and so requires Redis; elsewhere the test needs a local Redis or skips.
REDIS_REQUIRED = "REDIS_TEST_URL" in os.environ
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
POLICY = re.compile(r'"(?P<name>[a-z]+-\d+s)";q=(?P<quota>\d+);w=(?P<window>\d+)')
STATE = re.compile(r'"(?P<name>[a-z]+-\d+s)";r=(?P<remaining>\d+);t=(?P<reset>\d+)')


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_every_limited_answer_states_the_policy_and_what_is_left(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="5/minute").test_client()
    for remaining in (4, 3):
        response = client.get("/v1/outlets")
        assert response.status_code == 200
        assert POLICY.fullmatch(response.headers["RateLimit-Policy"]).group("quota", "window") == (
            "5",
            "60",
        )
        state = STATE.fullmatch(response.headers["RateLimit"])
        assert state["name"] == "anonymous-60s"
        assert int(state["remaining"]) == remaining
        assert 1 <= int(state["reset"]) <= 60


def test_the_request_after_the_budget_is_a_429_problem_with_retry_after(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="3/minute").test_client()
    assert [client.get("/v1/outlets").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/v1/claims")  # the budget covers every route together
    body = assert_problem(response, 429)
    assert "3/minute" in body["detail"]
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert STATE.fullmatch(response.headers["RateLimit"])["remaining"] == "0"
    assert POLICY.fullmatch(response.headers["RateLimit-Policy"])


def test_each_key_has_its_own_budget_apart_from_its_address(app_with, issue_key):
    client = app_with(RATE_LIMIT_ANONYMOUS="2/minute", RATE_LIMIT_READ="2/minute").test_client()
    first, second = issue_key("read"), issue_key("read")
    for headers in (bearer(first), bearer(first), bearer(second), {}, {}):
        assert client.get("/v1/outlets", headers=headers).status_code == 200
    assert_problem(client.get("/v1/outlets", headers=bearer(first)), 429)
    assert_problem(client.get("/v1/outlets"), 429)
    assert client.get("/v1/outlets", headers=bearer(second)).status_code == 200


def test_clients_without_a_key_are_counted_by_address(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="1/minute").test_client()
    here, there = {"REMOTE_ADDR": "192.0.2.1"}, {"REMOTE_ADDR": "192.0.2.2"}
    assert client.get("/v1/outlets", environ_base=here).status_code == 200
    assert_problem(client.get("/v1/outlets", environ_base=here), 429)
    assert client.get("/v1/outlets", environ_base=there).status_code == 200


def test_limits_follow_the_scope_of_the_key(app_with, issue_key):
    client = app_with(RATE_LIMIT_READ="7/minute", RATE_LIMIT_WRITE="11/hour").test_client()
    read = client.get("/v1/outlets", headers=bearer(issue_key("read")))
    write = client.get("/v1/outlets", headers=bearer(issue_key("write")))
    assert POLICY.fullmatch(read.headers["RateLimit-Policy"]).group("name", "quota") == (
        "read-60s",
        "7",
    )
    assert POLICY.fullmatch(write.headers["RateLimit-Policy"]).group("name", "quota") == (
        "write-3600s",
        "11",
    )


def test_refused_keys_spend_their_address_budget(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="2/minute").test_client()
    forged = bearer("ck_aaaaaaaa_" + "x" * 43)
    assert [client.get("/v1/outlets", headers=forged).status_code for _ in range(2)] == [401, 401]
    assert_problem(client.get("/v1/outlets", headers=forged), 429)


def test_unknown_routes_count_too(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="1/minute").test_client()
    assert client.get("/v1/nowhere").status_code == 404
    assert_problem(client.get("/v1/nowhere"), 429)


def test_probes_are_never_limited(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="1/minute").test_client()
    for _ in range(3):
        response = client.get("/livez")
        assert response.status_code == 200
        assert "RateLimit" not in response.headers


def redis_is_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        return False


def status_of(url: str, key: str) -> int:
    try:
        request = urllib.request.Request(url, headers=bearer(key))
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def spend_budget(base: str, key: str, budget: int) -> list[int]:
    """Make budget + 1 requests with `key`, one of them held open by halves so that one sync
    worker waits on it while the other serves the rest; returns the statuses in order."""
    address = urlsplit(base)
    held = socket.create_connection((address.hostname, address.port), timeout=10)
    held.sendall(
        f"GET /v1/outlets HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer {key}\r\n".encode()
    )
    statuses = [status_of(f"{base}/v1/outlets", key) for _ in range(budget - 1)]
    held.sendall(b"Connection: close\r\n\r\n")
    with held, held.makefile("rb") as answer:
        statuses.append(int(answer.readline().split()[1]))
    return [*statuses, status_of(f"{base}/v1/outlets", key)]


def workers_that_served(access_log: Path, after: int, count: int) -> set[str]:
    """The pids that answered 200 among the first `count` /v1/outlets lines after line `after`
    of the access log (gunicorn writes a line after its response, so wait for them)."""
    for _ in range(100):
        logged = [line.split() for line in access_log.read_text().splitlines()[after:]]
        answers = [(pid, status) for pid, status, path in logged if path == "/v1/outlets"]
        if len(answers) >= count:
            break
        time.sleep(0.1)
    return {pid for pid, status in answers if status == "200"}


@pytest.mark.skipif(not REDIS_REQUIRED and not redis_is_up(), reason=f"no Redis at {REDIS_URL}")
def test_workers_share_one_budget_through_redis(gunicorn, issue_key):
    budget = 6
    base, access_log = gunicorn(REDIS_URL=REDIS_URL, RATE_LIMIT_READ=f"{budget}/hour")
    # Which worker accepts a connection is the kernel's choice: try until both have served.
    for _ in range(5):
        key = issue_key("read")  # a new key: a budget no earlier attempt or run has spent
        logged_before = len(access_log.read_text().splitlines())
        assert spend_budget(base, key, budget) == [200] * budget + [429]
        if len(workers_that_served(access_log, logged_before, budget + 1)) == 2:
            return
    pytest.fail("in 5 attempts one worker served every request, so nothing proved sharing")


def test_an_unreachable_redis_falls_back_to_the_machines_counters(app_with):
    client = app_with(REDIS_URL="redis://127.0.0.1:1/0", RATE_LIMIT_ANONYMOUS="1/minute")
    client = client.test_client()
    assert client.get("/v1/outlets").status_code == 200
    assert_problem(client.get("/v1/outlets"), 429)


def test_an_unreachable_redis_is_logged_once_per_interval(app_with, caplog):
    app = app_with(REDIS_URL="redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger=app.logger.name):
        for _ in range(3):
            assert app.test_client().get("/v1/outlets").status_code == 200
    warnings = [record for record in caplog.records if "Redis" in record.getMessage()]
    assert len(warnings) == 1
    assert "REDIS_URL" in warnings[0].getMessage()


def test_readiness_is_degraded_but_serving_while_redis_is_unreachable(app_with):
    client = app_with(REDIS_URL="redis://127.0.0.1:1/0").test_client()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "degraded"
    assert len(body["reasons"]) == 1 and "Redis (REDIS_URL) does not answer" in body["reasons"][0]
    assert client.get("/v1/outlets").status_code == 200


@pytest.mark.skipif(not REDIS_REQUIRED and not redis_is_up(), reason=f"no Redis at {REDIS_URL}")
def test_readiness_is_ok_when_redis_answers(app_with):
    response = app_with(REDIS_URL=REDIS_URL).test_client().get("/readyz")
    assert response.get_json() == {"status": "ok", "reasons": []}


def rate_limit_state(url: str, key: str) -> tuple[int, int]:
    """(status, remaining count of the RateLimit field) of one request on a new connection."""
    request = urllib.request.Request(url, headers=bearer(key))
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, int(STATE.fullmatch(response.headers["RateLimit"])["remaining"])
    except urllib.error.HTTPError as error:
        return error.code, int(STATE.fullmatch(error.headers["RateLimit"])["remaining"])


def test_make_serve_workers_share_one_budget_counting_down_by_one(gunicorn, issue_key):
    budget = 12
    base, access_log = gunicorn(like_make_serve=True, RATE_LIMIT_READ=f"{budget}/hour")
    # Which worker accepts a connection is the kernel's choice: try until both have served.
    for _ in range(5):
        key = issue_key("read")  # a new key: a budget no earlier attempt has spent
        logged_before = len(access_log.read_text().splitlines())
        states = [rate_limit_state(f"{base}/v1/outlets", key) for _ in range(budget + 1)]
        assert states == [(200, left) for left in range(budget - 1, -1, -1)] + [(429, 0)]
        if len(workers_that_served(access_log, logged_before, budget)) == 2:
            return
    pytest.fail("in 5 attempts one worker served every request, so nothing proved sharing")


def test_make_serve_workers_hold_the_budget_exactly_under_concurrent_requests(gunicorn, issue_key):
    budget, sent = 30, 60
    base, access_log = gunicorn(like_make_serve=True, RATE_LIMIT_READ=f"{budget}/hour")
    key = issue_key("read")
    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(lambda _: rate_limit_state(f"{base}/v1/outlets", key), range(sent)))
    statuses = sorted(status for status, _ in states)
    assert statuses == [200] * budget + [429] * (sent - budget)
    assert sorted(left for status, left in states if status == 200) == list(range(budget))
    assert len(workers_that_served(access_log, 0, sent)) == 2


def test_behind_trusted_proxies_the_forwarded_address_is_the_client(app_with):
    client = app_with(TRUSTED_PROXIES=1, RATE_LIMIT_ANONYMOUS="1/minute").test_client()
    here, there = {"X-Forwarded-For": "198.51.100.1"}, {"X-Forwarded-For": "198.51.100.2"}
    assert client.get("/v1/outlets", headers=here).status_code == 200
    assert_problem(client.get("/v1/outlets", headers=here), 429)
    assert client.get("/v1/outlets", headers=there).status_code == 200


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app_with):
    client = app_with(RATE_LIMIT_ANONYMOUS="1/minute").test_client()
    assert client.get("/v1/outlets", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert_problem(client.get("/v1/outlets", headers={"X-Forwarded-For": "198.51.100.2"}), 429)


def test_an_unusable_counters_file_fails_no_request_and_readiness_says_so(app_with, tmp_path):
    client = app_with(COUNTERS_FILE=str(tmp_path / "missing" / "counters.db")).test_client()
    response = client.get("/v1/outlets")
    assert response.status_code == 200 and "RateLimit" not in response.headers
    readiness = client.get("/readyz")
    assert readiness.status_code == 200
    (reason,) = readiness.get_json()["reasons"]
    assert readiness.get_json()["status"] == "degraded" and "counters" in reason
