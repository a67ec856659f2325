"""Creating, correcting and deleting articles: a corrected body carries its claims along."""

import pytest

from tests.helpers import all_pages, assert_problem, error_pointers, stored_rows


@pytest.fixture
def outlet(client, writer):
    response = client.post("/v1/outlets", json={"name": "Daily Example"}, headers=writer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def speaker(client, writer):
    response = client.post(
        "/v1/speakers", json={"name": "A Source", "kind": "person"}, headers=writer
    )
    return response.get_json()


def create_article(client, writer, outlet, body, url="https://example.org/a", **fields):
    response = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet["id"],
            "url": url,
            "headline": "A report",
            "body": body,
            **fields,
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    return response


def create_claim(client, writer, article, speaker, text, start=None):
    claim = {"article_id": article["id"], "speaker_id": speaker["id"], "quote_type": "direct"}
    claim["text"] = text
    if start is not None:
        claim["start"] = start
    response = client.post("/v1/claims", json=claim, headers=writer)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def correct_body(client, writer, article_id, body):
    etag = client.get(f"/v1/articles/{article_id}").headers["ETag"]
    return client.patch(
        f"/v1/articles/{article_id}", json={"body": body}, headers={**writer, "If-Match": etag}
    )


def test_create_an_article(client, writer, outlet):
    response = create_article(
        client,
        writer,
        outlet,
        "He said it.\n",
        bylines=["A. Writer"],
        published_on="2017-11-09",
        language="en",
    )
    article = response.get_json()
    assert article["outlet"] == {"id": outlet["id"], "name": "Daily Example"}
    assert article["body"] == "He said it.\n"  # verbatim, trailing line break included
    assert article["bylines"] == ["A. Writer"]
    assert len(article["body_sha256"]) == 64
    assert response.headers["Location"].endswith(f"/v1/articles/{article['id']}")
    assert client.get(response.headers["Location"]).get_json() == article


def test_an_article_url_is_unique(client, writer, outlet):
    create_article(client, writer, outlet, "One.")
    before = stored_rows()
    response = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet["id"],
            "url": "https://example.org/a",
            "headline": "B",
            "body": "Two.",
        },
        headers=writer,
    )
    assert error_pointers(assert_problem(response, 409)) == {"#/url"}
    assert stored_rows() == before


def test_a_corrected_body_moves_every_claim_with_its_text(client, writer, outlet, speaker):
    article = create_article(
        client, writer, outlet, "First he said yes. Then he said no."
    ).get_json()
    yes = create_claim(client, writer, article, speaker, "yes")
    no = create_claim(client, writer, article, speaker, "no")

    corrected = "Correction appended. First he said yes, loudly. Then he said no."
    response = correct_body(client, writer, article["id"], corrected)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["body"] == corrected
    for claim in (yes, no):
        moved = client.get(f"/v1/claims/{claim['id']}").get_json()
        assert moved["text"] == claim["text"]
        assert corrected[moved["start"] : moved["end"]] == claim["text"]
        assert moved["start"] != claim["start"]


def test_a_quote_that_now_occurs_twice_keeps_its_place_by_its_context(
    client, writer, outlet, speaker
):
    body = "The mayor said the bridge will open in May. Nobody else spoke."
    article = create_article(client, writer, outlet, body).get_json()
    claim = create_claim(client, writer, article, speaker, "the bridge will open in May")

    corrected = "In brief: the bridge will open in May.\n\n" + body
    assert correct_body(client, writer, article["id"], corrected).status_code == 200

    moved = client.get(f"/v1/claims/{claim['id']}").get_json()
    assert moved["start"] == corrected.index("The mayor said") + len("The mayor said ")


def test_a_body_that_loses_a_claim_is_refused_listing_it_and_nothing_changes(
    client, writer, outlet, speaker
):
    article = create_article(client, writer, outlet, "She said yes. He said no.").get_json()
    yes = create_claim(client, writer, article, speaker, "yes")
    create_claim(client, writer, article, speaker, "no")
    before = stored_rows()

    response = correct_body(client, writer, article["id"], "She said maybe. He said no.")

    body = assert_problem(response, 409)
    assert [error["claim_id"] for error in body["errors"]] == [yes["id"]]
    assert error_pointers(body) == {"#/body"}
    assert stored_rows() == before


def test_a_body_that_makes_a_claim_ambiguous_is_refused_with_its_offsets(
    client, writer, outlet, speaker
):
    article = create_article(client, writer, outlet, "He said: yes. She said: yes.").get_json()
    first = create_claim(client, writer, article, speaker, "yes", start=9)
    before = stored_rows()

    response = correct_body(client, writer, article["id"], "yes. yes.")

    (error,) = assert_problem(response, 409)["errors"]
    assert error["claim_id"] == first["id"]
    assert error["offsets"] == [0, 5]
    assert stored_rows() == before


def test_changing_other_fields_leaves_the_claims_alone(client, writer, outlet, speaker):
    created = create_article(client, writer, outlet, "He said yes.")
    article = created.get_json()
    claim = create_claim(client, writer, article, speaker, "yes")
    claim_etag = client.get(f"/v1/claims/{claim['id']}").headers["ETag"]
    response = client.patch(
        f"/v1/articles/{article['id']}",
        json={"headline": "A corrected headline", "published_on": None, "section": "World"},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["headline"] == "A corrected headline"
    assert response.get_json()["published_on"] is None
    # The claim's representation shows the headline, so its ETag changes, but not its span.
    after = client.get(f"/v1/claims/{claim['id']}")
    assert after.headers["ETag"] != claim_etag
    assert after.get_json()["article"]["headline"] == "A corrected headline"
    assert (after.get_json()["start"], after.get_json()["updated_at"]) == (
        claim["start"],
        claim["updated_at"],
    )


def test_an_article_with_claims_is_not_deleted(client, writer, outlet, speaker):
    created = create_article(client, writer, outlet, "He said yes.")
    create_claim(client, writer, created.get_json(), speaker, "yes")
    before = stored_rows()
    response = client.delete(
        created.headers["Location"], headers={**writer, "If-Match": created.headers["ETag"]}
    )
    body = assert_problem(response, 409)
    assert "1 claims" in body["detail"] and "cascade=true" in body["detail"]
    assert stored_rows() == before


def test_cascade_deletes_an_article_with_its_claims(client, writer, outlet, speaker):
    created = create_article(client, writer, outlet, "He said yes. She said no.")
    yes = create_claim(client, writer, created.get_json(), speaker, "yes")
    response = client.delete(
        created.headers["Location"] + "?cascade=true",
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 204
    assert_problem(client.get(created.headers["Location"]), 404)
    assert_problem(client.get(f"/v1/claims/{yes['id']}"), 404)
    assert all_pages(client, "/v1/claims") == []


def test_an_article_without_claims_is_deleted(client, writer, outlet):
    created = create_article(client, writer, outlet, "Nothing attributed here.")
    response = client.delete(
        created.headers["Location"], headers={**writer, "If-Match": created.headers["ETag"]}
    )
    assert response.status_code == 204
    assert_problem(client.get(created.headers["Location"]), 404)


def test_cascade_must_be_a_boolean(client, writer, outlet):
    created = create_article(client, writer, outlet, "Text.")
    response = client.delete(
        created.headers["Location"] + "?cascade=maybe",
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert_problem(response, 422)


def test_a_seed_article_correction_keeps_all_its_claims_anchored(client, writer, seeded):
    voa = client.get("/v1/outlets").get_json()["data"][1]
    (article,) = client.get(f"/v1/outlets/{voa['id']}/articles").get_json()["data"]
    corrected = "Editor's note: this report was updated.\n\n" + article["body"]

    response = correct_body(client, writer, article["id"], corrected)

    assert response.status_code == 200, response.get_json()
    claims = all_pages(client, f"/v1/articles/{article['id']}/claims")
    assert len(claims) == 11
    for claim in claims:
        assert corrected[claim["start"] : claim["end"]] == claim["text"]
