"""Correcting an article whose claims quote the corrected words: one PATCH carries the new body
and the claims' new words; the claims keep their ids, relations and history; all or nothing."""

import pytest

from models import Claim, database
from tests.helpers import all_pages, assert_problem, error_pointers, stored_rows

BODY = "The minister said the bridge would reopen in May. Critics doubt it."
CORRECTED = (
    "Correction appended. The minister said the bridge would reopen in June. Critics doubt it."
)


@pytest.fixture
def outlet(client, writer):
    return client.post("/v1/outlets", json={"name": "Daily Example"}, headers=writer).get_json()


@pytest.fixture
def speaker(client, writer):
    response = client.post(
        "/v1/speakers", json={"name": "The Minister", "kind": "person"}, headers=writer
    )
    return response.get_json()


def create_article(client, writer, outlet, body=BODY, url="https://example.org/bridge") -> dict:
    response = client.post(
        "/v1/articles",
        json={"outlet_id": outlet["id"], "url": url, "headline": "Bridge", "body": body},
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def create_claim(client, writer, article, speaker, text) -> dict:
    claim = {
        "article_id": article["id"],
        "speaker_id": speaker["id"],
        "quote_type": "indirect",
        "text": text,
    }
    response = client.post("/v1/claims", json=claim, headers=writer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def article(client, writer, outlet):
    return create_article(client, writer, outlet)


@pytest.fixture
def may(client, writer, article, speaker):
    """The claim whose words the correction changes."""
    return create_claim(client, writer, article, speaker, "the bridge would reopen in May")


@pytest.fixture
def critics(client, writer, article, speaker):
    """A claim the correction leaves as it is, but moves."""
    return create_claim(client, writer, article, speaker, "Critics doubt it")


def correct(client, writer, article_id: int, change: dict, etag: str | None = None):
    etag = etag or client.get(f"/v1/articles/{article_id}").headers["ETag"]
    return client.patch(
        f"/v1/articles/{article_id}", json=change, headers={**writer, "If-Match": etag}
    )


def test_a_correction_changes_the_words_of_the_claims_it_lists_and_keeps_their_ids(
    client, writer, article, may, critics
):
    new_words = "the bridge would reopen in June"

    response = correct(
        client,
        writer,
        article["id"],
        {"body": CORRECTED, "claims": [{"id": may["id"], "text": new_words}]},
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["body"] == CORRECTED
    reread = client.get(f"/v1/articles/{article['id']}")
    assert reread.get_json() == response.get_json()
    assert reread.headers["ETag"] == response.headers["ETag"]
    corrected = client.get(f"/v1/claims/{may['id']}").get_json()
    assert corrected["text"] == new_words
    assert CORRECTED[corrected["start"] : corrected["end"]] == new_words
    moved = client.get(f"/v1/claims/{critics['id']}").get_json()
    assert (moved["text"], moved["start"]) == ("Critics doubt it", CORRECTED.index("Critics"))
    claims = all_pages(client, f"/v1/articles/{article['id']}/claims")
    assert sorted(claim["id"] for claim in claims) == sorted([may["id"], critics["id"]])


def test_each_changed_claim_gets_a_revision_with_its_old_and_new_words(
    client, writer, article, may, critics
):
    new_words = "the bridge would reopen in June"

    correct(
        client,
        writer,
        article["id"],
        {"body": CORRECTED, "claims": [{"id": may["id"], "text": new_words}]},
    )

    history = all_pages(client, f"/v1/claims/{may['id']}/revisions")
    assert [revision["action"] for revision in history] == ["create", "update"]
    changes = history[-1]["changes"]
    assert changes["text"] == {"before": may["text"], "after": new_words}
    assert changes["start"] == {"before": may["start"], "after": CORRECTED.index("the bridge")}
    moved = all_pages(client, f"/v1/claims/{critics['id']}/revisions")
    assert [revision["action"] for revision in moved] == ["create", "update"]
    assert moved[-1]["changes"].keys() == {"start", "end"}
    article_history = all_pages(client, f"/v1/articles/{article['id']}/revisions")
    assert article_history[-1]["changes"]["body"] == {"before": BODY, "after": CORRECTED}


def test_a_claim_can_take_its_new_words_by_span(client, writer, article, may):
    start = CORRECTED.index("the bridge")
    end = CORRECTED.index(". Critics")

    response = correct(
        client,
        writer,
        article["id"],
        {"body": CORRECTED, "claims": [{"id": may["id"], "start": start, "end": end}]},
    )

    assert response.status_code == 200, response.get_json()
    assert client.get(f"/v1/claims/{may['id']}").get_json()["text"] == CORRECTED[start:end]


def test_without_listing_the_claim_the_correction_is_refused_as_before(
    client, writer, article, may
):
    before = stored_rows()

    response = correct(client, writer, article["id"], {"body": CORRECTED})

    body = assert_problem(response, 409)
    assert [(error["pointer"], error["claim_id"]) for error in body["errors"]] == [
        ("#/body", may["id"])
    ]
    assert stored_rows() == before


def test_a_listed_claim_whose_words_are_not_in_the_new_body_changes_nothing(
    client, writer, article, may, critics
):
    before = stored_rows()

    response = correct(
        client,
        writer,
        article["id"],
        {"body": CORRECTED, "claims": [{"id": may["id"], "text": "reopen in July"}]},
    )

    body = assert_problem(response, 422)
    assert [(error["pointer"], error["claim_id"]) for error in body["errors"]] == [
        ("#/claims/0/text", may["id"])
    ]
    assert stored_rows() == before


def test_a_correction_that_loses_another_claim_changes_nothing(
    client, writer, article, may, critics
):
    before = stored_rows()
    without_critics = CORRECTED.replace(" Critics doubt it.", "")

    response = correct(
        client,
        writer,
        article["id"],
        {
            "body": without_critics,
            "claims": [{"id": may["id"], "text": "the bridge would reopen in June"}],
        },
    )

    body = assert_problem(response, 409)
    assert [(error["pointer"], error["claim_id"]) for error in body["errors"]] == [
        ("#/body", critics["id"])
    ]
    assert stored_rows() == before
    assert client.get(f"/v1/claims/{may['id']}").get_json() == may


def test_new_words_that_occur_twice_are_refused_with_their_offsets(client, writer, article, may):
    twice = "The minister said June. Critics said June."
    before = stored_rows()

    response = correct(
        client,
        writer,
        article["id"],
        {"body": twice, "claims": [{"id": may["id"], "text": "June"}]},
    )

    (error,) = assert_problem(response, 422)["errors"]
    assert error["pointer"] == "#/claims/0/text"
    assert error["offsets"] == [18, 37]
    assert stored_rows() == before


def test_two_claims_of_one_speaker_cannot_be_given_one_span(client, writer, article, may, critics):
    before = stored_rows()

    response = correct(
        client,
        writer,
        article["id"],
        {"body": CORRECTED, "claims": [{"id": may["id"], "text": "Critics doubt it"}]},
    )

    body = assert_problem(response, 422)
    assert {(error["pointer"], error["claim_id"]) for error in body["errors"]} == {
        ("#/claims/0/text", may["id"]),
        ("#/body", critics["id"]),
    }
    assert stored_rows() == before


def test_claims_of_another_article_or_none_cannot_be_listed(
    client, writer, outlet, speaker, article, may
):
    other = create_article(client, writer, outlet, "He said it.", url="https://example.org/b")
    elsewhere = create_claim(client, writer, other, speaker, "He said it")
    before = stored_rows()

    response = correct(
        client,
        writer,
        article["id"],
        {
            "body": CORRECTED,
            "claims": [
                {"id": may["id"], "text": "the bridge would reopen in June"},
                {"id": elsewhere["id"], "text": "Correction"},
                {"id": 99999, "text": "Correction"},
            ],
        },
    )

    body = assert_problem(response, 422)
    assert error_pointers(body) == {"#/claims/1/id", "#/claims/2/id"}
    assert stored_rows() == before


@pytest.mark.parametrize(
    ("change", "pointers"),
    [
        ({"claims": [{"id": 1, "text": "June"}]}, {"#/claims"}),
        (
            {"body": CORRECTED, "claims": [{"id": 1, "text": "June"}, {"id": 1, "text": "May"}]},
            {"#/claims/1/id"},
        ),
        ({"body": CORRECTED, "claims": [{"text": "June"}]}, {"#/claims/0/id"}),
        ({"body": CORRECTED, "claims": [{"id": 1}]}, {"#/claims/0/text"}),
        ({"body": CORRECTED, "claims": [{"id": 1, "end": 3}]}, {"#/claims/0/end"}),
        ({"body": CORRECTED, "claims": [{"id": 1, "text": "June", "cue": "said"}]}, None),
        ({"body": CORRECTED, "claims": [{"id": "1", "text": "June"}]}, {"#/claims/0/id"}),
        ({"body": CORRECTED, "claims": None}, {"#/claims"}),
        ({"body": CORRECTED, "claims": {"id": 1}}, {"#/claims"}),
    ],
    ids=[
        "without-body",
        "listed-twice",
        "no-id",
        "no-anchor",
        "end-without-start",
        "unknown-field",
        "string-id",
        "null",
        "not-a-list",
    ],
)
def test_a_malformed_correction_is_422_pointing_at_it(
    client, writer, article, may, change, pointers
):
    before = stored_rows()

    body = assert_problem(correct(client, writer, article["id"], change), 422)

    assert error_pointers(body) == (pointers or {"#/claims/0/cue"})
    assert stored_rows() == before


def test_a_correction_needs_if_match_like_any_patch(client, writer, article, may):
    change = {"body": CORRECTED, "claims": [{"id": may["id"], "text": "June"}]}
    stale = client.get(f"/v1/articles/{article['id']}").headers["ETag"]
    assert correct(client, writer, article["id"], {"section": "City"}).status_code == 200
    before = stored_rows()

    missing = client.patch(f"/v1/articles/{article['id']}", json=change, headers=writer)
    outdated = correct(client, writer, article["id"], change, etag=stale)

    assert_problem(missing, 428)
    assert_problem(outdated, 412)
    assert stored_rows() == before


def test_a_seed_claim_keeps_its_relations_through_a_correction_of_its_words(client, writer, seeded):
    with database.connection_context():
        claim = Claim.get(Claim.text.startswith("the recapture of Boukamal represents"))
        article_id = claim.article_id
    related_before = client.get(f"/v1/claims/{claim.id}/related").get_json()["data"]
    article = client.get(f"/v1/articles/{article_id}").get_json()
    assert "a major victory" in claim.text and article["body"].count(claim.text) == 1
    new_words = claim.text.replace("a major victory", "a significant victory")

    response = correct(
        client,
        writer,
        article_id,
        {
            "body": article["body"].replace(claim.text, new_words),
            "claims": [{"id": claim.id, "text": new_words}],
        },
    )

    assert response.status_code == 200, response.get_json()
    assert client.get(f"/v1/claims/{claim.id}").get_json()["text"] == new_words
    related_after = client.get(f"/v1/claims/{claim.id}/related").get_json()["data"]
    assert related_before
    assert [(item["claim"]["id"], item["relation"]) for item in related_after] == [
        (item["claim"]["id"], item["relation"]) for item in related_before
    ]
    for other in all_pages(client, f"/v1/articles/{article_id}/claims"):
        assert response.get_json()["body"][other["start"] : other["end"]] == other["text"]
