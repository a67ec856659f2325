"""/v1/events: the articles about one happening, with its dates, entities and timeline."""

from models import Article, Claim, database
from tests.helpers import all_pages, assert_problem, error_parameters


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


def test_timeline_lists_statements_in_the_order_they_were_made(client, seeded):
    event = the_event(client)
    entries = all_pages(client, f"/v1/events/{event['id']}/timeline?limit=4")
    assert len(entries) == 19
    assert [entry["claim"]["text"] for entry in entries[:2]] == [
        "it took the ISIL stronghold",  # 2017-11-09
        "it took the city of Al-Bukamal, along the boarder with Iraq",  # 2017-11-19
    ]
    assert [entry["said_on_basis"] for entry in entries[:2]] == ["stated", "stated"]
    undated = entries[2:]
    assert all(entry["said_on"] is None for entry in undated)
    # Undated statements follow, article by article, in reading order.
    order = [(entry["claim"]["article"]["id"], entry["claim"]["start"]) for entry in undated]
    assert order == sorted(order)


def test_an_article_date_places_statements_without_a_date_of_their_own(client, seeded):
    with database.connection_context():
        Article.update(published_on="2017-11-10").where(Article.url.contains("001_")).execute()
    entries = all_pages(client, f"/v1/events/{the_event(client)['id']}/timeline")
    dates = [(entry["said_on"], entry["said_on_basis"]) for entry in entries]
    assert dates[0] == ("2017-11-09", "stated")
    assert dates[1:12] == [("2017-11-10", "published")] * 11  # VOA's claims
    assert dates[12] == ("2017-11-19", "stated")
    assert dates[13:] == [(None, None)] * 6


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
