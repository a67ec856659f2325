"""/v1/events: the articles about one happening, with its dates, entities and timeline."""

from models import Article, Claim, database
from tests.helpers import assert_problem, error_parameters


def the_event(client) -> dict:
    (event,) = client.get("/v1/events").get_json()["data"]
    return event


def test_the_capture_of_al_bukamal_holds_both_articles(client, seeded):
    event = the_event(client)
    assert event["name"] == "Capture of Al-Bukamal"
    assert (event["starts_on"], event["ends_on"]) == ("2017-11-09", "2017-11-19")
    assert [article["headline"] for article in event["articles"]] == [
        "Syrian army claims to have retaken Al-Bukamal for second time",
        "Syrian Government Forces Recapture Key Border Crossing",
    ]
    assert {"Abu Kamal", "Islamic State"} <= {entity["name"] for entity in event["entities"]}
    assert client.get(f"/v1/events/{event['id']}").get_json() == event


def test_events_are_found_by_entity_and_article(client, seeded):
    event = the_event(client)
    abu_kamal = client.get("/v1/entities?name=Bukamal").get_json()["data"][0]
    tehran = client.get("/v1/entities?name=Tehran").get_json()["data"][0]
    assert the_event_ids(client, f"entity_id={abu_kamal['id']}") == [event["id"]]
    assert the_event_ids(client, f"entity_id={tehran['id']}") == []
    article = event["articles"][1]["id"]
    assert the_event_ids(client, f"article_id={article}") == [event["id"]]
    assert error_parameters(assert_problem(client.get("/v1/events?entity_id=x"), 422)) == {
        "entity_id"
    }


def the_event_ids(client, query: str) -> list[int]:
    return [event["id"] for event in client.get(f"/v1/events?{query}").get_json()["data"]]


def test_unknown_event_is_404_everywhere(client, seeded):
    for path in ("", "/coverage", "/timeline"):
        assert_problem(client.get(f"/v1/events/5555{path}"), 404)


def test_deleting_an_article_takes_it_out_of_its_event(client, seeded):
    event = the_event(client)
    with database.connection_context():
        voa = Article.get(Article.url.contains("001_"))
        Claim.delete().where(Claim.article == voa).execute()
        voa.delete_instance()
    assert [article["id"] for article in the_event(client)["articles"]] == [
        event["articles"][0]["id"]
    ]
