"""An import line may ask for extraction (`"extract": true`): the article's proposals are kept
for review as a run of POST /v1/articles/{id}/proposals keeps them, once however often the line
is sent again."""

from models import Proposal, database
from tests.helpers import assert_problem, stored_rows
from tests.test_import import ndjson, post

BODY = (
    'The port of Tartus reopened on Monday. "The cranes are working again," said Rami Haddad, '
    "the harbour master. He added that the first ships would dock on Wednesday."
)


def line(**fields) -> dict:
    return {
        "outlet": {"name": "Harbour News", "slug": "harbour-news"},
        "url": "https://harbour.example/tartus",
        "headline": "Port of Tartus reopens",
        "body": BODY,
        **fields,
    }


def pending() -> list[tuple]:
    with database.connection_context():
        query = Proposal.select().where(Proposal.status == "pending").order_by(Proposal.start)
        return [(row.start, row.end, row.speaker_name) for row in query]


def test_a_line_that_asks_for_extraction_keeps_the_articles_proposals(client, writer):
    report = post(client, writer, ndjson(line(extract=True))).get_json()
    (outcome,) = report["lines"]
    assert outcome["proposals_pending"] == 2
    listed = client.get(f"/v1/articles/{outcome['article_id']}/proposals").get_json()["data"]
    assert [(p["text"], p["speaker"]["name"]) for p in listed] == [
        ("The cranes are working again", "Rami Haddad"),
        ("the first ships would dock on Wednesday", "Rami Haddad"),
    ]
    assert all(BODY[p["start"] : p["end"]] == p["text"] for p in listed)


def test_sending_the_line_again_proposes_nothing_twice(client, writer):
    post(client, writer, ndjson(line(extract=True)))
    first = pending()
    again = post(client, writer, ndjson(line(extract=True))).get_json()
    assert again["lines"][0]["status"] == "unchanged"
    assert again["lines"][0]["proposals_pending"] == 2
    assert pending() == first


def test_a_stored_article_can_be_sent_again_to_ask_for_extraction(client, writer):
    post(client, writer, ndjson(line()))
    assert pending() == []
    post(client, writer, ndjson(line(extract=True)))
    assert len(pending()) == 2


def test_a_line_without_extract_keeps_no_proposals(client, writer):
    (outcome,) = post(client, writer, ndjson(line())).get_json()["lines"]
    assert "proposals_pending" not in outcome
    assert pending() == []


def test_extract_must_be_a_json_boolean(client, writer):
    before = stored_rows()
    problem = assert_problem(post(client, writer, ndjson(line(extract="yes"))), 422)
    assert problem["errors"] == [
        {"line": 1, "pointer": "#/extract", "detail": "Not a valid boolean."}
    ]
    assert stored_rows() == before
