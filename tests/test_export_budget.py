"""Exports have a budget of their own: so many streams at once per client and per machine,
shared by every worker through the machine's counters file, and a size cap without a key."""

import json
import urllib.request

from tests.helpers import assert_problem

NDJSON = {"Accept": "application/x-ndjson"}
SEED_CLAIMS = 19


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def running_export(client, url: str = "/v1/claims", **options):
    """An export the server is still sending: the test client gives a stream's slot back when
    the response is closed, as gunicorn does when the last byte is sent or the client leaves.
    Its body is read now, so that streams do not interleave on this one thread."""
    response = client.get(url, **{"headers": NDJSON, **options})
    response.get_data()
    return response


def test_a_client_runs_at_most_its_share_of_exports_at_once(seeded, app_with):
    client = app_with(EXPORT_CONCURRENCY=2).test_client()
    first = running_export(client)
    second = running_export(client, "/v1/speakers/1/claims")
    assert (first.status_code, second.status_code) == (200, 200)
    refused = client.get("/v1/claims", headers={"Accept": "text/csv"})
    body = assert_problem(refused, 429)
    assert "2" in body["detail"] and refused.headers["Retry-After"] == "5"
    assert client.get("/v1/claims?limit=5").status_code == 200  # pages are not exports
    first.close()
    assert client.get("/v1/claims", headers=NDJSON).status_code == 200


def test_each_client_has_its_own_exports_but_the_machine_caps_them_all(seeded, app_with, issue_key):
    client = app_with(EXPORT_CONCURRENCY=1, EXPORT_MACHINE_CONCURRENCY=2).test_client()
    here, there = {"REMOTE_ADDR": "192.0.2.1"}, {"REMOTE_ADDR": "192.0.2.2"}
    held = running_export(client, environ_base=here)
    assert held.status_code == 200
    assert_problem(client.get("/v1/claims", headers=NDJSON, environ_base=here), 429)
    keyed = running_export(client, headers={**NDJSON, **bearer(issue_key("read"))})
    assert keyed.status_code == 200
    assert_problem(client.get("/v1/claims", headers=NDJSON, environ_base=there), 429)


def test_workers_draw_on_one_export_budget(seeded, app_with):
    # Two apps on one counters file, as two gunicorn workers of one machine are.
    one, other = (app_with(EXPORT_CONCURRENCY=1).test_client() for _ in range(2))
    held = running_export(one)
    assert held.status_code == 200
    assert_problem(other.get("/v1/claims", headers=NDJSON), 429)
    held.close()
    assert other.get("/v1/claims", headers=NDJSON).status_code == 200


def test_without_a_key_an_export_larger_than_the_cap_is_401(seeded, app_with, issue_key):
    client = app_with(EXPORT_ANONYMOUS_MAX_ROWS=10).test_client()
    refused = client.get("/v1/claims", headers=NDJSON)
    body = assert_problem(refused, 401)
    assert "more than 10 claims" in body["detail"]
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="claims-api"'
    keyed = client.get("/v1/claims", headers={**NDJSON, **bearer(issue_key("read"))})
    assert len(keyed.get_data(as_text=True).splitlines()) == SEED_CLAIMS


def test_without_a_key_an_export_within_the_cap_is_streamed_in_full(seeded, app_with):
    client = app_with(EXPORT_ANONYMOUS_MAX_ROWS=10).test_client()
    cursor = client.get("/v1/claims?limit=9").get_json()["next_cursor"]
    rest = client.get(f"/v1/claims?cursor={cursor}", headers=NDJSON)
    assert rest.status_code == 200
    assert len(rest.get_data(as_text=True).splitlines()) == SEED_CLAIMS - 9
    whole = app_with(EXPORT_ANONYMOUS_MAX_ROWS=SEED_CLAIMS).test_client()
    streamed = whole.get("/v1/claims", headers=NDJSON).get_data(as_text=True)
    assert len(streamed.splitlines()) == SEED_CLAIMS


def test_a_zero_cap_means_exports_need_a_key(seeded, app_with):
    client = app_with(EXPORT_ANONYMOUS_MAX_ROWS=0).test_client()
    assert_problem(client.get("/v1/claims", headers=NDJSON), 401)
    assert client.get("/v1/claims?speaker_id=999999", headers=NDJSON).status_code == 200


def test_a_finished_export_gives_its_slot_back_on_a_live_server(seeded, gunicorn):
    base, _ = gunicorn(like_make_serve=True, EXPORT_CONCURRENCY="1")
    for _ in range(4):
        request = urllib.request.Request(f"{base}/v1/claims", headers=NDJSON)
        with urllib.request.urlopen(request, timeout=10) as response:
            lines = response.read().decode().splitlines()
        assert len(lines) == SEED_CLAIMS and json.loads(lines[0])["id"]


def test_an_unusable_counters_file_makes_exports_wait_not_fail(seeded, app_with, tmp_path):
    client = app_with(COUNTERS_FILE=str(tmp_path / "missing" / "counters.db")).test_client()
    refused = client.get("/v1/claims", headers=NDJSON)
    assert_problem(refused, 503)
    assert refused.headers["Retry-After"] == "1"
    assert client.get("/v1/claims?limit=5").status_code == 200
