"""/v1/events/{id}/timeline: the event's statements in the order they were made, each dated by
its own `stated_on`, by a claim of the same assertion (inferred), or by its article."""

from models import Article, Claim, ClaimRelation, database
from tests.helpers import all_pages


def timeline(client, limit: int = 50) -> list[dict]:
    (event,) = client.get("/v1/events").get_json()["data"]
    return all_pages(client, f"/v1/events/{event['id']}/timeline?limit={limit}")


def dated(entries: list[dict]) -> list[tuple[str, str, str]]:
    return [
        (entry["said_on"], entry["said_on_basis"], entry["claim"]["text"])
        for entry in entries
        if entry["said_on"]
    ]


def test_timeline_lists_statements_in_the_order_they_were_made(client, seeded):
    entries = timeline(client, limit=4)
    assert len(entries) == 19
    assert [(day, text[:20]) for day, _, text in dated(entries)] == [
        ("2017-11-09", "victory"),
        ("2017-11-09", "it took the ISIL str"),
        ("2017-11-09", "they have recaptured"),
        ("2017-11-19", "it took the city of "),
    ]
    undated = entries[4:]
    assert all(entry["said_on"] is None for entry in undated)
    # Undated statements follow, article by article, in reading order.
    order = [(entry["claim"]["article"]["id"], entry["claim"]["start"]) for entry in undated]
    assert order == sorted(order)


def test_claims_of_the_same_assertion_inherit_its_stated_day_marked_inferred(client, seeded):
    bases = {text[:20]: basis for _, basis, text in dated(timeline(client))}
    assert bases == {
        "victory": "inferred",  # CGTN's officials, tied to the army's announcement
        "it took the ISIL str": "stated",
        "they have recaptured": "inferred",  # VOA's version of the same announcement
        "it took the city of ": "stated",
    }


def test_an_updates_relation_is_no_same_assertion_and_passes_no_day(client, seeded):
    with database.connection_context():
        later = Claim.get(Claim.text.startswith("it took the city of Al-Bukamal"))
        Claim.update(stated_on=None, stated_on_note=None).where(Claim.id == later.id).execute()
    texts = [text for _, _, text in dated(timeline(client))]
    assert later.text not in texts and len(texts) == 3


def test_a_new_same_assertion_link_dates_an_undated_claim(client, seeded):
    with database.connection_context():
        second = Claim.get(Claim.text.startswith("it took the city of Al-Bukamal"))
        sqer = Claim.get(Claim.text.startswith("the announced presence of Iranian"))
        ClaimRelation.create(source=sqer, target=second, type="same_assertion")
    assert dated(timeline(client))[-1] == ("2017-11-19", "inferred", sqer.text)


def test_an_article_date_places_statements_without_a_date_of_their_own(client, seeded):
    with database.connection_context():
        Article.update(published_on="2017-11-10").where(Article.url.contains("001_")).execute()
    entries = timeline(client)
    dates = [(entry["said_on"], entry["said_on_basis"]) for entry in entries]
    # The 2017-11-09 announcement: VOA's version first (inferred, not its article's date: its
    # article is dated, CGTN's is not), then CGTN's two; then VOA's other ten claims.
    assert dates[:3] == [
        ("2017-11-09", "inferred"),
        ("2017-11-09", "inferred"),
        ("2017-11-09", "stated"),
    ]
    assert dates[3:13] == [("2017-11-10", "published")] * 10
    assert dates[13] == ("2017-11-19", "stated")
    assert dates[14:] == [(None, None)] * 5
