"""`Idempotency-Key` on creates: a retry gets the first answer, never a second resource."""

from datetime import timedelta

import pytest

from api.idempotency import fingerprint
from models import ApiKey, IdempotencyRecord, database
from models.base import utcnow
from tests.helpers import all_pages, assert_problem, error_parameters, stored_rows

CREATES = {
    "/v1/outlets": {"name": "Example News"},
    "/v1/speakers": {"name": "Someone", "kind": "person"},
    "/v1/articles": {"outlet_id": 1, "url": "https://example.org/a", "headline": "H", "body": "B."},
    "/v1/claims": {"article_id": 2, "speaker_id": 1, "text": "to be upset", "quote_type": "direct"},
}


def keyed(writer, key):
    return {**writer, "Idempotency-Key": key}


@pytest.mark.parametrize("url", CREATES)
def test_a_retry_gets_the_first_answer_and_creates_nothing(client, writer, seeded, url):
    first = client.post(url, json=CREATES[url], headers=keyed(writer, "retry-1"))
    assert first.status_code == 201, first.get_json()
    after_first = stored_rows()

    retry = client.post(url, json=CREATES[url], headers=keyed(writer, "retry-1"))

    assert retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["ETag"] == first.headers["ETag"]
    assert stored_rows() == after_first


def test_the_same_body_in_another_key_order_is_the_same_request(client, writer, seeded):
    body = CREATES["/v1/speakers"]
    first = client.post("/v1/speakers", json=body, headers=keyed(writer, "k"))
    reordered = dict(reversed(list(body.items())))
    retry = client.post("/v1/speakers", json=reordered, headers=keyed(writer, "k"))
    assert retry.get_json()["id"] == first.get_json()["id"]


def test_without_a_key_a_repeated_post_is_a_new_request(client, writer):
    assert client.post("/v1/outlets", json={"name": "Twin"}, headers=writer).status_code == 201
    assert_problem(client.post("/v1/outlets", json={"name": "Twin"}, headers=writer), 409)
    assert len(all_pages(client, "/v1/outlets")) == 1


def test_the_same_key_with_a_different_body_is_422(client, writer, seeded):
    client.post("/v1/outlets", json={"name": "First"}, headers=keyed(writer, "k"))
    before = stored_rows()
    response = client.post("/v1/outlets", json={"name": "Second"}, headers=keyed(writer, "k"))
    assert error_parameters(assert_problem(response, 422)) == {"Idempotency-Key"}
    assert stored_rows() == before


def test_the_same_key_on_another_endpoint_is_422(client, writer, seeded):
    client.post("/v1/outlets", json={"name": "First"}, headers=keyed(writer, "k"))
    response = client.post("/v1/speakers", json={"name": "First"}, headers=keyed(writer, "k"))
    assert_problem(response, 422)


def test_a_retry_while_the_first_request_runs_is_409(client, writer, seeded, app):
    # The first request has reserved its key and not yet answered, as it does while it runs.
    body = CREATES["/v1/outlets"]
    with app.test_request_context("/v1/outlets", method="POST", json=body):
        reserved = fingerprint()
    with database.connection_context():
        owner = ApiKey.get().prefix  # the writer's key, which scopes its idempotency keys
        IdempotencyRecord.begin(owner=owner, key="k", fingerprint=reserved)
    before = stored_rows()

    response = client.post("/v1/outlets", json=body, headers=keyed(writer, "k"))

    assert_problem(response, 409)
    assert response.headers["Retry-After"]
    assert stored_rows() == before


def test_a_failed_first_request_keeps_nothing_so_its_retry_runs(client, writer, seeded):
    taken = {"name": "VOA again", "slug": "voa"}
    assert_problem(client.post("/v1/outlets", json=taken, headers=keyed(writer, "k")), 409)
    assert stored_rows()["IdempotencyRecord"] == []
    fixed = client.post("/v1/outlets", json={"name": "VOA again"}, headers=keyed(writer, "k2"))
    assert fixed.status_code == 201


def test_an_expired_key_may_be_used_again(client, writer, seeded):
    first = client.post("/v1/outlets", json={"name": "First"}, headers=keyed(writer, "k"))
    with database.connection_context():
        IdempotencyRecord.update(expires_at=utcnow() - timedelta(seconds=1)).execute()
    second = client.post("/v1/outlets", json={"name": "Second"}, headers=keyed(writer, "k"))
    assert second.status_code == 201
    assert second.get_json()["id"] != first.get_json()["id"]


def test_keys_expire_a_day_after_first_use(client, writer, seeded):
    client.post("/v1/outlets", json={"name": "First"}, headers=keyed(writer, "k"))
    (record,) = stored_rows()["IdempotencyRecord"]
    assert record["expires_at"] - record["created_at"] == timedelta(hours=24)


@pytest.mark.parametrize("key", ["", " leading-space", "x" * 256, "caf\u00e9"])
def test_malformed_keys_are_refused(client, writer, seeded, key):
    before = stored_rows()
    response = client.post("/v1/outlets", json={"name": "X"}, headers=keyed(writer, key))
    assert error_parameters(assert_problem(response, 422)) == {"Idempotency-Key"}
    assert stored_rows() == before
