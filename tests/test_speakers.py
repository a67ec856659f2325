"""/v1/speakers: find a speaker by any spelling of their name, then their statements."""

from tests.helpers import assert_problem, error_parameters


def test_find_by_part_of_the_name_ignoring_case(client, seeded):
    (khashan,) = client.get("/v1/speakers?name=khashan").get_json()["data"]
    assert khashan["name"] == "Hilal Khashan"
    assert khashan["kind"] == "person"
    assert "American University of Beirut" in khashan["description"]


def test_find_by_alias(client, seeded):
    (army,) = client.get("/v1/speakers?name=syrian%20arab%20army").get_json()["data"]
    assert army["name"] == "Syrian army"
    assert "Syrian government forces" in army["aliases"]


def test_filter_by_kind(client, seeded):
    people = client.get("/v1/speakers?kind=person").get_json()["data"]
    assert {speaker["name"] for speaker in people} == {
        "Hilal Khashan",
        "Bouthaina Shaaban",
        "Kamel Sqer",
    }
    assert_problem(client.get("/v1/speakers?kind=robot"), 422)


def test_a_speakers_claims_are_theirs_with_outlet_and_exact_words(client, seeded):
    (khashan,) = client.get("/v1/speakers?name=khashan").get_json()["data"]
    claims = client.get(f"/v1/speakers/{khashan['id']}/claims").get_json()["data"]
    assert [claim["quote_type"] for claim in claims] == ["indirect", "direct", "indirect"]
    assert {claim["outlet"]["name"] for claim in claims} == {"Voice of America"}
    assert {claim["speaker"]["id"] for claim in claims} == {khashan["id"]}


def test_nested_claims_take_the_claim_filters_except_the_speaker(client, seeded):
    (khashan,) = client.get("/v1/speakers?name=khashan").get_json()["data"]
    direct = client.get(f"/v1/speakers/{khashan['id']}/claims?quote_type=direct").get_json()
    assert len(direct["data"]) == 1
    body = assert_problem(client.get(f"/v1/speakers/{khashan['id']}/claims?speaker_id=1"), 422)
    assert error_parameters(body) == {"speaker_id"}


def test_unknown_speaker_is_404_for_item_and_claims(client, seeded):
    assert_problem(client.get("/v1/speakers/424242"), 404)
    assert_problem(client.get("/v1/speakers/424242/claims"), 404)
