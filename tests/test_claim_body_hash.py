"""A claim given by offsets names the body they were read in (`body_sha256`): offsets read in a
body that has changed since would capture other words, so such a write is refused."""

import hashlib
import json
import threading

import httpx
import pytest

from tests.helpers import assert_problem, error_pointers, stored_rows

BODY = "The minister said the talks failed."
CORRECTED = "Updated at noon. The minister said the talks failed."
WORDS = "the talks failed"


@pytest.fixture
def article(client, writer):
    outlet = client.post("/v1/outlets", json={"name": "Daily Example"}, headers=writer)
    response = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet.get_json()["id"],
            "url": "https://example.org/talks",
            "headline": "Talks fail",
            "body": BODY,
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def speaker(client, writer):
    response = client.post(
        "/v1/speakers", json={"name": "The Minister", "kind": "person"}, headers=writer
    )
    return response.get_json()


def by_offsets(article, speaker, body: str, **fields) -> dict:
    """A claim of WORDS given by the offsets they have in `body`."""
    start = body.index(WORDS)
    return {
        "article_id": article["id"],
        "speaker_id": speaker["id"],
        "quote_type": "indirect",
        "start": start,
        "end": start + len(WORDS),
        **fields,
    }


def correct(client, writer, article_id: int, body: str) -> dict:
    etag = client.get(f"/v1/articles/{article_id}").headers["ETag"]
    response = client.patch(
        f"/v1/articles/{article_id}", json={"body": body}, headers={**writer, "If-Match": etag}
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_article_reads_show_the_sha256_of_the_body(client, article):
    read = client.get(f"/v1/articles/{article['id']}").get_json()
    assert read["body_sha256"] == hashlib.sha256(BODY.encode("utf-8")).hexdigest()


def test_offsets_read_in_a_body_corrected_since_are_refused_and_nothing_is_stored(
    client, writer, article, speaker
):
    read = client.get(f"/v1/articles/{article['id']}").get_json()
    correct(client, writer, article["id"], CORRECTED)
    before = stored_rows()

    stale = by_offsets(article, speaker, read["body"], body_sha256=read["body_sha256"])
    response = client.post("/v1/claims", json=stale, headers=writer)

    body = assert_problem(response, 409)
    assert error_pointers(body) == {"#/body_sha256"}
    current = client.get(f"/v1/articles/{article['id']}").get_json()["body_sha256"]
    assert current in body["errors"][0]["detail"]
    assert stored_rows() == before


def test_offsets_with_the_current_body_sha256_are_stored(client, writer, article, speaker):
    correct(client, writer, article["id"], CORRECTED)
    current = client.get(f"/v1/articles/{article['id']}").get_json()

    claim = by_offsets(article, speaker, current["body"], body_sha256=current["body_sha256"])
    response = client.post("/v1/claims", json=claim, headers=writer)

    assert response.status_code == 201, response.get_json()
    assert response.get_json()["text"] == WORDS


def test_offsets_without_body_sha256_are_still_accepted_as_they_stand(
    client, writer, article, speaker
):
    correct(client, writer, article["id"], CORRECTED)

    response = client.post("/v1/claims", json=by_offsets(article, speaker, BODY), headers=writer)

    assert response.status_code == 201, response.get_json()
    start = BODY.index(WORDS)
    assert response.get_json()["text"] == CORRECTED[start : start + len(WORDS)]


def test_a_stale_body_sha256_is_refused_with_text_anchoring_too(client, writer, article, speaker):
    read = client.get(f"/v1/articles/{article['id']}").get_json()
    correct(client, writer, article["id"], CORRECTED)
    claim = {
        "article_id": article["id"],
        "speaker_id": speaker["id"],
        "quote_type": "indirect",
        "text": WORDS,
        "body_sha256": read["body_sha256"],
    }

    assert_problem(client.post("/v1/claims", json=claim, headers=writer), 409)


def test_a_claim_patch_that_moves_the_span_names_the_body_it_read(client, writer, article, speaker):
    read = client.get(f"/v1/articles/{article['id']}").get_json()
    created = client.post(
        "/v1/claims",
        json={**by_offsets(article, speaker, BODY), "body_sha256": read["body_sha256"]},
        headers=writer,
    ).get_json()
    correct(client, writer, article["id"], CORRECTED)
    claim_url = f"/v1/claims/{created['id']}"
    etag = client.get(claim_url).headers["ETag"]
    before = stored_rows()

    # The minister's words, as the client found them in the body it read before the correction.
    start = BODY.index("minister said")
    span = {"start": start, "end": start + len("minister said")}
    stale = client.patch(
        claim_url,
        json={**span, "body_sha256": read["body_sha256"]},
        headers={**writer, "If-Match": etag},
    )

    assert error_pointers(assert_problem(stale, 409)) == {"#/body_sha256"}
    assert stored_rows() == before
    current = client.get(f"/v1/articles/{article['id']}").get_json()
    start = CORRECTED.index("minister said")
    moved = client.patch(
        claim_url,
        json={"start": start, "end": start + 13, "body_sha256": current["body_sha256"]},
        headers={**writer, "If-Match": etag},
    )
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["text"] == "minister said"


@pytest.mark.parametrize(
    "value",
    ["abc", "A" * 64, "0" * 63 + "\n", "0" * 65, "g" * 64, 12],
    ids=["short", "upper-case", "trailing-newline", "long", "not-hex", "number"],
)
def test_a_malformed_body_sha256_is_422(client, writer, article, speaker, value):
    claim = by_offsets(article, speaker, BODY, body_sha256=value)
    before = stored_rows()

    response = client.post("/v1/claims", json=claim, headers=writer)

    assert error_pointers(assert_problem(response, 422)) == {"#/body_sha256"}
    assert stored_rows() == before


def test_import_claims_take_their_offsets_from_the_line_body(client, writer, speaker):
    outlet = client.post("/v1/outlets", json={"name": "Wire"}, headers=writer).get_json()
    start = BODY.index(WORDS)
    line = {
        "outlet": outlet["id"],
        "url": "https://example.org/imported",
        "headline": "Talks fail",
        "body": BODY,
        "claims": [
            {
                "speaker": speaker["id"],
                "quote_type": "indirect",
                "start": start,
                "end": start + len(WORDS),
                "body_sha256": hashlib.sha256(BODY.encode("utf-8")).hexdigest(),
            }
        ],
    }
    before = stored_rows()

    response = client.post(
        "/v1/imports",
        data=json.dumps(line).encode() + b"\n",
        headers={**writer, "Content-Type": "application/x-ndjson"},
    )

    body = assert_problem(response, 422)
    assert [(error["line"], error["pointer"]) for error in body["errors"]] == [
        (1, "#/claims/0/body_sha256")
    ]
    assert stored_rows() == before


def test_offset_claims_stay_true_to_what_the_client_read_during_live_corrections(
    gunicorn, issue_key, article
):
    """A live server, one client correcting the body back and forth while another creates
    claims by the offsets it read: every claim stored holds exactly the words it read."""
    base, _ = gunicorn()
    writer = {"Authorization": f"Bearer {issue_key()}"}
    url = f"{base}/v1/articles/{article['id']}"
    done = threading.Event()

    def keep_correcting():
        with httpx.Client(headers=writer, timeout=30) as http:
            for round in range(30):
                etag = http.get(url).headers["ETag"]
                body = CORRECTED if round % 2 == 0 else BODY
                http.patch(url, json={"body": body}, headers={"If-Match": etag})
        done.set()

    corrector = threading.Thread(target=keep_correcting)
    outcomes = []
    with httpx.Client(headers=writer, timeout=30) as http:
        # A speaker per attempt, so that no two claims share a speaker and span.
        speakers = [
            http.post(f"{base}/v1/speakers", json={"name": f"Source {n}", "kind": "person"})
            for n in range(60)
        ]
        corrector.start()
        for speaker in speakers:
            if done.is_set() and outcomes:
                break
            read = http.get(url).json()
            # "talks" moves with every correction: the client gives the offsets it read.
            start = read["body"].index("talks")
            claim = {
                "article_id": article["id"],
                "speaker_id": speaker.json()["id"],
                "quote_type": "indirect",
                "start": start,
                "end": start + len("talks"),
                "body_sha256": read["body_sha256"],
            }
            response = http.post(f"{base}/v1/claims", json=claim)
            if response.status_code == 201:
                outcomes.append((201, response.json()["text"]))
            else:
                pointers = {error["pointer"] for error in response.json().get("errors", [])}
                outcomes.append((response.status_code, pointers))
    corrector.join()

    assert {status for status, _ in outcomes} <= {201, 409}, outcomes
    assert {(201, "talks")} == {outcome for outcome in outcomes if outcome[0] == 201}
    assert all(pointers == {"#/body_sha256"} for status, pointers in outcomes if status == 409), (
        outcomes
    )
