"""Lists and look-ups build claim documents from database rows, without marshmallow: the
documents are exactly what ClaimSchema describes and dumps, for every kind of claim."""

from datetime import date

import pytest

from models import Claim, database
from schemas.claim import ClaimSchema, claim_document


def rows_and_claims(**filters) -> list[tuple[tuple, Claim]]:
    rows = Claim.attributed_rows(**filters)
    claims = {claim.id: claim for claim in Claim.matching(**filters)}
    return [(row, claims[row[0]]) for row in rows]


def test_every_seed_claim_reads_as_claim_schema_dumps_it(seeded):
    with database.connection_context():
        pairs = rows_and_claims()
        assert len(pairs) == 19
        for row, claim in pairs:
            assert claim_document(row) == ClaimSchema().dump(claim)


def test_the_seeds_hold_the_cases_a_document_must_get_right(seeded):
    """A relayed claim (`via`), a known and an unknown day, context cut at the body's start."""
    with database.connection_context():
        documents = [claim_document(row) for row in Claim.attributed_rows()]
    assert any(document["via"] for document in documents)
    assert any(document["via"] is None for document in documents)
    assert any(document["stated_on"] for document in documents)
    assert any(document["stated_on"] is None for document in documents)


def test_a_changed_claim_reads_as_claim_schema_dumps_it(seeded, client, writer):
    """Timestamps with and without microseconds, a date, a cue changed to null."""
    claim_id = client.get("/v1/claims?limit=1").get_json()["data"][0]["id"]
    etag = client.get(f"/v1/claims/{claim_id}").headers["ETag"]
    changed = client.patch(
        f"/v1/claims/{claim_id}",
        json={"cue": None, "stated_on": date(2017, 11, 8).isoformat()},
        headers={**writer, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.get_json()
    with database.connection_context():
        ((row, claim),) = rows_and_claims(claim_id=claim_id)
        assert claim_document(row) == ClaimSchema().dump(claim)
    assert changed.get_json() == client.get(f"/v1/claims/{claim_id}").get_json()


def test_context_is_cut_at_the_ends_of_the_body(client, writer):
    """A claim at the very start of its article has a shorter prefix, one at the end a shorter
    suffix; non-ASCII text is counted in characters, as Python slices it."""
    body = "Él dijo: «ya». The governor said the river was high, très haut."
    outlet = client.post("/v1/outlets", json={"name": "River Post"}, headers=writer).get_json()
    article = {"outlet_id": outlet["id"], "url": "https://river.example/1", "headline": "High"}
    article = client.post("/v1/articles", json={**article, "body": body}, headers=writer)
    speaker = client.post("/v1/speakers", json={"name": "Gov", "kind": "person"}, headers=writer)
    claim = {"article_id": article.get_json()["id"], "speaker_id": speaker.get_json()["id"]}
    for text in ("Él dijo", "the river was high", "très haut."):
        created = client.post(
            "/v1/claims", json={**claim, "text": text, "quote_type": "direct"}, headers=writer
        )
        assert created.status_code == 201, created.get_json()
    with database.connection_context():
        pairs = rows_and_claims(article_id=claim["article_id"])
        documents = [claim_document(row) for row, _ in pairs]
        assert documents == [ClaimSchema().dump(claim) for _, claim in pairs]
    assert documents[0]["prefix"] == ""
    assert documents[2]["suffix"] == ""
    assert documents[1]["prefix"] == body[: body.index("the river")][-32:]


@pytest.mark.parametrize(
    "filters",
    [
        {"speaker_id": 1},
        {"quote_type": "direct"},
        {"cue": "SAID"},
        {"since": date(2017, 11, 9), "until": date(2017, 11, 10)},
        {"outlet_id": 2, "after": 5, "limit": 3},
    ],
)
def test_prepared_reads_find_what_matching_finds(seeded, filters):
    """Each set of filters is compiled once and run with new values: the claims are those of
    the query peewee compiles afresh."""
    paging = {name: filters.pop(name) for name in ("after", "limit") if name in filters}
    with database.connection_context():
        expected = [claim.id for claim in Claim.matching(**filters).order_by(Claim.id)]
        if "after" in paging:
            expected = [id for id in expected if id > paging["after"]][: paging["limit"]]
        for _ in range(2):  # the second run uses the compiled query
            found = [row[0] for row in Claim.attributed_rows(**paging, **filters)]
            assert found == expected
        assert expected
