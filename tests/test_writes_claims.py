"""Creating, changing and deleting claims: every stored claim is anchored in its article."""

import pytest

from tests.helpers import assert_problem, error_pointers, stored_rows

BODY = "The minister said the talks failed. Later the minister said the talks failed again."


@pytest.fixture
def article(client, writer):
    """An article whose body holds one sentence twice, and an outlet that relayed it."""
    outlet = client.post("/v1/outlets", json={"name": "Daily Example"}, headers=writer)
    article = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet.get_json()["id"],
            "url": "https://example.org/talks",
            "headline": "Talks fail",
            "body": BODY,
        },
        headers=writer,
    )
    assert article.status_code == 201, article.get_json()
    return article.get_json()


@pytest.fixture
def speaker(client, writer):
    response = client.post(
        "/v1/speakers", json={"name": "The Minister", "kind": "person"}, headers=writer
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def new_claim(article, speaker, **fields):
    return {
        "article_id": article["id"],
        "speaker_id": speaker["id"],
        "quote_type": "indirect",
        **fields,
    }


def test_a_claim_is_anchored_by_its_text(client, writer, article, speaker):
    response = client.post(
        "/v1/claims",
        json=new_claim(article, speaker, text="Later the minister said", cue="said"),
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()
    assert (claim["start"], claim["end"]) == (36, 59)
    assert BODY[claim["start"] : claim["end"]] == claim["text"]
    assert claim["outlet"]["name"] == "Daily Example"  # the article's, by construction
    assert response.headers["Location"].endswith(f"/v1/claims/{claim['id']}")
    assert response.headers["ETag"]
    assert client.get(response.headers["Location"]).get_json() == claim


def test_a_claim_is_anchored_by_its_span(client, writer, article, speaker):
    response = client.post(
        "/v1/claims", json=new_claim(article, speaker, start=4, end=12), headers=writer
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["text"] == "minister"


def test_text_that_occurs_twice_needs_start_and_the_problem_lists_the_offsets(
    client, writer, article, speaker
):
    before = stored_rows()
    text = "the talks failed"
    response = client.post(
        "/v1/claims", json=new_claim(article, speaker, text=text), headers=writer
    )
    body = assert_problem(response, 422)
    (error,) = body["errors"]
    assert error["pointer"] == "#/text"
    assert error["offsets"] == [18, 60]
    assert "start" in error["detail"]
    assert stored_rows() == before

    chosen = client.post(
        "/v1/claims", json=new_claim(article, speaker, text=text, start=60), headers=writer
    )
    assert chosen.status_code == 201
    assert (chosen.get_json()["start"], chosen.get_json()["end"]) == (60, 76)


def test_text_not_in_the_article_is_refused_with_a_pointer_to_text(
    client, writer, article, speaker
):
    before = stored_rows()
    response = client.post(
        "/v1/claims", json=new_claim(article, speaker, text="the talks succeeded"), headers=writer
    )
    assert error_pointers(assert_problem(response, 422)) == {"#/text"}
    assert stored_rows() == before


def test_text_at_the_wrong_start_points_at_start(client, writer, article, speaker):
    response = client.post(
        "/v1/claims",
        json=new_claim(article, speaker, text="the talks failed", start=19),
        headers=writer,
    )
    assert error_pointers(assert_problem(response, 422)) == {"#/start"}


def test_a_span_beyond_the_body_points_at_end(client, writer, article, speaker):
    response = client.post(
        "/v1/claims", json=new_claim(article, speaker, start=70, end=500), headers=writer
    )
    assert error_pointers(assert_problem(response, 422)) == {"#/end"}


def test_text_and_span_must_agree(client, writer, article, speaker):
    response = client.post(
        "/v1/claims",
        json=new_claim(article, speaker, text="minister", start=4, end=13),
        headers=writer,
    )
    assert_problem(response, 422)


def test_neither_text_nor_span_is_refused(client, writer, article, speaker):
    response = client.post("/v1/claims", json=new_claim(article, speaker), headers=writer)
    assert error_pointers(assert_problem(response, 422)) == {"#/text"}


def test_references_to_nothing_are_422_pointing_at_the_reference(client, writer, article, speaker):
    for field in ("article_id", "speaker_id", "via_outlet_id"):
        claim = new_claim(article, speaker, text="Later", **{field: 424242})
        body = assert_problem(client.post("/v1/claims", json=claim, headers=writer), 422)
        assert error_pointers(body) == {f"#/{field}"}


def test_the_outlet_of_a_claim_cannot_be_set(client, writer, article, speaker):
    for field in ("outlet", "outlet_id"):
        claim = new_claim(article, speaker, text="Later", **{field: 1})
        body = assert_problem(client.post("/v1/claims", json=claim, headers=writer), 422)
        (error,) = body["errors"]
        assert error["pointer"] == f"#/{field}"
        assert "article's outlet" in error["detail"]


def test_the_same_claim_twice_is_a_conflict(client, writer, article, speaker):
    claim = new_claim(article, speaker, text="Later")
    assert client.post("/v1/claims", json=claim, headers=writer).status_code == 201
    assert_problem(client.post("/v1/claims", json=claim, headers=writer), 409)


def created_claim(client, writer, article, speaker, **fields):
    response = client.post("/v1/claims", json=new_claim(article, speaker, **fields), headers=writer)
    assert response.status_code == 201, response.get_json()
    return response


def test_patch_changes_fields_and_keeps_the_anchor(client, writer, article, speaker):
    created = created_claim(client, writer, article, speaker, text="Later")
    claim = created.get_json()
    response = client.patch(
        f"/v1/claims/{claim['id']}",
        json={"quote_type": "direct", "cue": "said", "stated_on": "2017-11-09"},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    changed = response.get_json()
    assert (changed["quote_type"], changed["cue"], changed["stated_on"]) == (
        "direct",
        "said",
        "2017-11-09",
    )
    assert (changed["start"], changed["end"], changed["text"]) == (36, 41, "Later")
    assert response.headers["ETag"] != created.headers["ETag"]
    assert client.get(f"/v1/claims/{claim['id']}").headers["ETag"] == response.headers["ETag"]


def test_patch_with_new_text_anchors_the_claim_afresh(client, writer, article, speaker):
    created = created_claim(client, writer, article, speaker, text="Later")
    response = client.patch(
        f"/v1/claims/{created.get_json()['id']}",
        json={"text": "the talks failed", "start": 18},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["start"], response.get_json()["end"]) == (18, 34)


def test_patch_with_text_that_is_not_there_changes_nothing(client, writer, article, speaker):
    created = created_claim(client, writer, article, speaker, text="Later")
    before = stored_rows()
    response = client.patch(
        f"/v1/claims/{created.get_json()['id']}",
        json={"text": "Sooner", "quote_type": "direct"},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert error_pointers(assert_problem(response, 422)) == {"#/text"}
    assert stored_rows() == before


def test_moving_a_claim_to_another_article_finds_its_text_there(client, writer, article, speaker):
    created = created_claim(client, writer, article, speaker, text="Later")
    other = client.post(
        "/v1/articles",
        json={
            "outlet_id": article["outlet"]["id"],
            "url": "https://example.org/talks-2",
            "headline": "Talks fail, a follow-up",
            "body": "Sooner or Later, they said.",
        },
        headers=writer,
    ).get_json()
    response = client.patch(
        f"/v1/claims/{created.get_json()['id']}",
        json={"article_id": other["id"]},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    moved = response.get_json()
    assert moved["article"]["id"] == other["id"]
    assert (moved["start"], moved["end"]) == (10, 15)


def test_delete_a_claim(client, writer, article, speaker):
    created = created_claim(client, writer, article, speaker, text="Later")
    url = created.headers["Location"]
    response = client.delete(url, headers={**writer, "If-Match": created.headers["ETag"]})
    assert response.status_code == 204
    assert response.get_data() == b""
    assert_problem(client.get(url), 404)


def test_writes_to_an_unknown_claim_are_404(client, writer, seeded):
    headers = {**writer, "If-Match": '"x"'}
    assert_problem(client.patch("/v1/claims/424242", json={"cue": "said"}, headers=headers), 404)
    assert_problem(client.delete("/v1/claims/424242", headers=headers), 404)


def test_a_claim_can_be_added_to_a_seed_article(client, writer, seeded):
    voa = client.get("/v1/outlets").get_json()["data"][1]
    (article,) = client.get(f"/v1/outlets/{voa['id']}/articles").get_json()["data"]
    (khashan,) = client.get("/v1/speakers?name=khashan").get_json()["data"]
    response = client.post(
        "/v1/claims",
        json={
            "article_id": article["id"],
            "speaker_id": khashan["id"],
            "text": "Saudi Arabia and Israel are likely to be upset",
            "quote_type": "indirect",
            "cue": "went on to point out",
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["outlet"]["name"] == "Voice of America"
