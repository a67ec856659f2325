"""/v1/outlets: publishers and relaying outlets, with their articles and claims."""

from tests.helpers import assert_problem


def outlet(client, slug):
    outlets = client.get("/v1/outlets").get_json()["data"]
    return next(item for item in outlets if item["slug"] == slug)


def test_outlets_include_the_relaying_channel(client, seeded):
    outlets = client.get("/v1/outlets").get_json()["data"]
    assert {item["slug"] for item in outlets} == {"cgtn", "voa", "al-mayadeen"}
    mayadeen = outlet(client, "al-mayadeen")
    assert mayadeen == client.get(f"/v1/outlets/{mayadeen['id']}").get_json()
    assert mayadeen["country"] == "LB"


def test_an_outlets_articles_and_claims(client, seeded):
    cgtn = outlet(client, "cgtn")
    articles = client.get(f"/v1/outlets/{cgtn['id']}/articles").get_json()["data"]
    assert [article["outlet"]["id"] for article in articles] == [cgtn["id"]]
    claims = client.get(f"/v1/outlets/{cgtn['id']}/claims").get_json()["data"]
    assert len(claims) == 8
    assert {claim["outlet"]["id"] for claim in claims} == {cgtn["id"]}


def test_a_relaying_outlet_publishes_nothing_here(client, seeded):
    mayadeen = outlet(client, "al-mayadeen")
    assert client.get(f"/v1/outlets/{mayadeen['id']}/claims").get_json()["data"] == []


def test_unknown_outlet_is_404(client, seeded):
    for path in ("", "/articles", "/claims"):
        assert_problem(client.get(f"/v1/outlets/8888{path}"), 404)
