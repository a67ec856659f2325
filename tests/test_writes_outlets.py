"""Creating, changing and deleting outlets; an outlet that articles or claims refer to stays."""

from tests.helpers import assert_problem, error_pointers, stored_rows


def test_create_an_outlet_with_a_slug_derived_from_its_name(client, writer):
    response = client.post(
        "/v1/outlets",
        json={
            "name": "Al Mayadeen (TV)",
            "homepage": "https://www.almayadeen.net",
            "country": "LB",
            "language": "ar",
            "ownership": "private",
        },
        headers=writer,
    )
    assert response.status_code == 201, response.get_json()
    outlet = response.get_json()
    assert outlet["slug"] == "al-mayadeen-tv"
    assert outlet["ownership"] == "private"
    assert response.headers["Location"].endswith(f"/v1/outlets/{outlet['id']}")
    assert client.get(response.headers["Location"]).get_json() == outlet


def test_a_name_in_another_script_is_transliterated_for_the_slug(client, writer):
    response = client.post("/v1/outlets", json={"name": "Ça Va Télé"}, headers=writer)
    assert response.get_json()["slug"] == "ca-va-tele"


def test_a_name_without_letters_or_digits_gives_the_slug_of_its_characters_names(client, writer):
    response = client.post("/v1/outlets", json={"name": "÷"}, headers=writer)
    assert response.status_code == 201 and response.get_json()["slug"] == "division-sign"
    response = client.post("/v1/outlets", json={"name": "!!!", "slug": "bangs"}, headers=writer)
    assert response.status_code == 201 and response.get_json()["slug"] == "bangs"


def test_a_slug_is_unique(client, writer, seeded):
    before = stored_rows()
    response = client.post("/v1/outlets", json={"name": "VOA", "slug": "voa"}, headers=writer)
    body = assert_problem(response, 409)
    assert error_pointers(body) == {"#/slug"}
    assert stored_rows() == before


def test_patch_an_outlet(client, writer):
    created = client.post("/v1/outlets", json={"name": "Example"}, headers=writer)
    response = client.patch(
        created.headers["Location"],
        json={"country": "FR", "homepage": None},
        headers={**writer, "If-Match": created.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["country"] == "FR"
    assert response.get_json()["slug"] == "example"  # a new name would not change the slug


def test_an_outlet_with_articles_is_not_deleted(client, writer, seeded):
    cgtn = client.get("/v1/outlets/1")
    before = stored_rows()
    response = client.delete("/v1/outlets/1", headers={**writer, "If-Match": cgtn.headers["ETag"]})
    body = assert_problem(response, 409)
    assert "1 articles" in body["detail"]
    assert stored_rows() == before


def test_an_outlet_that_relayed_claims_is_not_deleted(client, writer, seeded):
    al_mayadeen = client.get("/v1/outlets/3")
    assert al_mayadeen.get_json()["name"] == "Al Mayadeen"
    response = client.delete(
        "/v1/outlets/3", headers={**writer, "If-Match": al_mayadeen.headers["ETag"]}
    )
    assert "relayed claims" in assert_problem(response, 409)["detail"]


def test_an_outlet_nothing_refers_to_is_deleted(client, writer):
    created = client.post("/v1/outlets", json={"name": "Short-lived"}, headers=writer)
    response = client.delete(
        created.headers["Location"], headers={**writer, "If-Match": created.headers["ETag"]}
    )
    assert response.status_code == 204
    assert_problem(client.get(created.headers["Location"]), 404)
