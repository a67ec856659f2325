"""Creating, changing and deleting speakers; a speaker with claims stays."""

from tests.helpers import assert_problem, error_pointers, stored_rows


def test_create_a_speaker_with_aliases(client, writer):
    response = client.post(
        "/v1/speakers",
        json={
            "name": "Bashar al-Assad",
            "kind": "person",
            "description": "President of Syria",
            "aliases": ["Assad", "President Assad"],
            "wikidata_id": "Q44329",
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    speaker = response.get_json()
    assert speaker["slug"] == "bashar-al-assad"
    assert speaker["aliases"] == ["Assad", "President Assad"]
    assert client.get(response.headers["Location"]).get_json() == speaker
    (found,) = client.get("/v1/speakers?name=president%20assad").get_json()["data"]
    assert found["id"] == speaker["id"]


def test_patching_aliases_replaces_the_list(client, writer):
    created = client.post(
        "/v1/speakers",
        json={"name": "Syrian army", "kind": "organisation", "aliases": ["SAA"]},
        headers=writer,
    )
    response = client.patch(
        created.headers["Location"],
        json={"aliases": ["Syrian Arab Army", "SAA"]},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["aliases"] == ["Syrian Arab Army", "SAA"]
    assert response.headers["ETag"] != created.headers["ETag"]


def test_repeated_aliases_are_refused(client, writer):
    response = client.post(
        "/v1/speakers",
        json={"name": "X", "kind": "group", "aliases": ["Y", "Y"]},
        headers=writer,
    )
    assert error_pointers(assert_problem(response, 422)) == {"#/aliases"}


def test_a_speaker_with_claims_is_not_deleted(client, writer, seeded):
    (khashan,) = client.get("/v1/speakers?name=khashan").get_json()["data"]
    url = f"/v1/speakers/{khashan['id']}"
    before = stored_rows()
    response = client.delete(url, headers={**writer, "If-Match": client.get(url).headers["ETag"]})
    assert "3 claims" in assert_problem(response, 409)["detail"]
    assert stored_rows() == before


def test_a_speaker_without_claims_is_deleted_with_their_aliases(client, writer):
    created = client.post(
        "/v1/speakers",
        json={"name": "Nobody", "kind": "anonymous", "aliases": ["N"]},
        headers=writer,
    )
    response = client.delete(
        created.headers["Location"], headers={**writer, "If-Match": created.headers["ETag"]}
    )
    assert response.status_code == 204
    assert_problem(client.get(created.headers["Location"]), 404)
    assert stored_rows()["SpeakerAlias"] == []
