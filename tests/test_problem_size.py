"""A problem stays small however often an ambiguous claim text occurs: it names the first
offsets and counts them all, on a single create, a body correction and an import."""

import json

import pytest

from tests.helpers import assert_problem, stored_rows

BODY = "ab" * 50_000  # "a" occurs 50,000 times
FIRST_OFFSETS = list(range(0, 20, 2))
SMALL = 4096  # bytes: room for the problem, never for 50,000 offsets


@pytest.fixture
def outlet(client, writer) -> dict:
    return client.post("/v1/outlets", json={"name": "Repetitive Review"}, headers=writer).get_json()


@pytest.fixture
def speaker(client, writer) -> dict:
    response = client.post(
        "/v1/speakers", json={"name": "A. Echo", "kind": "person"}, headers=writer
    )
    return response.get_json()


def create_article(client, writer, outlet, body: str) -> dict:
    response = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet["id"],
            "url": "https://example.org/ab",
            "headline": "Ab",
            "body": body,
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assert_small_ambiguity(response, status: int, pointer: str) -> dict:
    assert len(response.get_data()) < SMALL, len(response.get_data())
    (error,) = assert_problem(response, status)["errors"]
    assert error["pointer"] == pointer
    assert error["offsets"] == FIRST_OFFSETS
    assert error["occurrences"] == 50_000
    assert "occurs 50000 times" in error["detail"] and "18 and 49990 more" in error["detail"]
    return error


def test_a_one_letter_text_occurring_50000_times_gets_a_small_422(client, writer, outlet, speaker):
    article = create_article(client, writer, outlet, BODY)
    before = stored_rows()

    response = client.post(
        "/v1/claims",
        json={
            "article_id": article["id"],
            "speaker_id": speaker["id"],
            "text": "a",
            "quote_type": "direct",
        },
        headers=writer,
    )

    assert_small_ambiguity(response, 422, "#/text")
    assert stored_rows() == before


def test_a_correction_that_makes_a_claim_occur_50000_times_gets_a_small_409(
    client, writer, outlet, speaker
):
    article = create_article(client, writer, outlet, "Only a once.")
    claim = client.post(
        "/v1/claims",
        json={
            "article_id": article["id"],
            "speaker_id": speaker["id"],
            "text": "a",
            "quote_type": "direct",
        },
        headers=writer,
    )
    assert claim.status_code == 201, claim.get_json()
    etag = client.get(f"/v1/articles/{article['id']}").headers["ETag"]
    before = stored_rows()

    response = client.patch(
        f"/v1/articles/{article['id']}", json={"body": BODY}, headers={**writer, "If-Match": etag}
    )

    error = assert_small_ambiguity(response, 409, "#/body")
    assert error["claim_id"] == claim.get_json()["id"]
    assert stored_rows() == before


def test_an_import_line_whose_claim_occurs_50000_times_gets_a_small_problem(client, writer):
    line = {
        "outlet": {"name": "Repetitive Review"},
        "url": "https://example.org/ab",
        "headline": "Ab",
        "body": BODY,
        "claims": [
            {"speaker": {"name": "A. Echo", "kind": "person"}, "text": "a", "quote_type": "direct"}
        ],
    }
    before = stored_rows()

    response = client.post(
        "/v1/imports",
        data=json.dumps(line).encode() + b"\n",
        headers={**writer, "Content-Type": "application/x-ndjson"},
    )

    assert_small_ambiguity(response, 422, "#/claims/0/text")
    assert stored_rows() == before
