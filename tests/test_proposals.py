"""Review of proposals: the extractor run on a stored article keeps its proposals; a person
accepts one (it becomes a claim, as POST /v1/claims makes one) or rejects it, once; a body
correction makes the pending ones stale. Bad requests change nothing."""

import json
import urllib.request

import pytest

from models import Article, Claim, ClaimMention, Outlet, Proposal, Speaker, database
from tests.helpers import all_pages, assert_problem, error_pointers, ids, stored_rows

VOA_URL = "urn:claims-api:seed:001_6a3fc99cb0af5862"
KHASHAN_TEXT = (
    "the recapture of Boukamal represents a major victory for regional power-broker and ally Iran"
)


def seeded_row(model, **fields):
    with database.connection_context():
        return model.get(*(getattr(model, name) == value for name, value in fields.items()))


@pytest.fixture
def article(client, seeded, writer) -> dict:
    """A new VOA article holding the seed article's text, with no claims yet."""
    voa = seeded_row(Article, url=VOA_URL)
    response = client.post(
        "/v1/articles",
        json={
            "outlet_id": voa.outlet_id,
            "url": "https://www.voanews.com/a/boukamal-copy",
            "headline": "Syrian Government Forces Recapture Key Border Crossing",
            "body": voa.body,
        },
        headers=writer,
    )
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def proposals(client, article, writer) -> list[dict]:
    """The proposals of one run of the extractor on `article`."""
    response = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def proposal_with(proposals: list[dict], text: str) -> dict:
    (found,) = [proposal for proposal in proposals if proposal["text"] == text]
    return found


def accept(client, writer, proposal_id: int, **corrections):
    if corrections:
        return client.post(f"/v1/proposals/{proposal_id}/accept", json=corrections, headers=writer)
    return client.post(f"/v1/proposals/{proposal_id}/accept", headers=writer)


def correct_body(client, writer, article: dict, body: str):
    etag = client.get(f"/v1/articles/{article['id']}").headers["ETag"]
    response = client.patch(
        f"/v1/articles/{article['id']}", json={"body": body}, headers={**writer, "If-Match": etag}
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_run_stores_pending_proposals_anchored_in_the_body(article, proposals):
    assert proposals and {proposal["status"] for proposal in proposals} == {"pending"}
    for proposal in proposals:
        assert article["body"][proposal["start"] : proposal["end"]] == proposal["text"]
        assert proposal["article"]["id"] == article["id"] and proposal["claim_id"] is None
    assert ids({"data": proposals}) == sorted(ids({"data": proposals}))


def test_running_again_on_an_unchanged_body_stores_nothing_twice(
    client, writer, article, proposals
):
    accept(client, writer, proposals[0]["id"])
    client.post(f"/v1/proposals/{proposals[1]['id']}/reject", headers=writer)
    before = stored_rows()["Proposal"]
    again = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer)
    assert ids(again.get_json()) == ids({"data": proposals})
    assert [proposal["status"] for proposal in again.get_json()["data"][:2]] == [
        "accepted",
        "rejected",
    ]
    assert stored_rows()["Proposal"] == before


def test_a_span_a_claim_already_holds_is_not_proposed_whoever_said_it(client, writer, article):
    anyone = seeded_row(Speaker, slug="syrian-officials")
    claim = client.post(
        "/v1/claims",
        json={
            "article_id": article["id"],
            "speaker_id": anyone.id,
            "text": KHASHAN_TEXT,
            "quote_type": "indirect",
        },
        headers=writer,
    )
    assert claim.status_code == 201
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer).get_json()
    assert run["data"] and KHASHAN_TEXT not in {proposal["text"] for proposal in run["data"]}


def test_accepting_makes_the_claim_of_the_body_span_with_its_revision_and_mentions(
    client, writer, article, proposals
):
    proposal = proposal_with(proposals, KHASHAN_TEXT)
    response = accept(client, writer, proposal["id"])
    assert response.status_code == 201, response.get_data(as_text=True)
    claim = client.get(response.headers["Location"]).get_json()
    assert claim == response.get_json()
    assert claim["text"] == article["body"][claim["start"] : claim["end"]] == proposal["text"]
    assert (claim["start"], claim["end"]) == (proposal["start"], proposal["end"])
    assert claim["speaker"]["id"] == proposal["speaker"]["id"]
    assert (claim["quote_type"], claim["cue"]) == (proposal["quote_type"], proposal["cue"]["text"])
    revisions = client.get(f"/v1/claims/{claim['id']}/revisions").get_json()["data"]
    assert [revision["action"] for revision in revisions] == ["create"]
    with database.connection_context():
        about = {
            row.entity.slug
            for row in ClaimMention.select().where(ClaimMention.claim == claim["id"])
        }
    assert "abu-kamal" in about  # "Boukamal" is one of its spellings
    reviewed = client.get(f"/v1/proposals/{proposal['id']}").get_json()
    assert (reviewed["status"], reviewed["claim_id"]) == ("accepted", claim["id"])


def test_accepting_the_relayed_statement_keeps_its_via(client, writer, seeded, article, proposals):
    (relayed,) = [proposal for proposal in proposals if proposal["via"]]
    claim = accept(client, writer, relayed["id"]).get_json()
    assert claim["via"] == {"id": relayed["via"]["id"], "name": relayed["via"]["name"]}


def test_accepting_with_corrections_makes_the_corrected_claim(client, writer, article, proposals):
    proposal = proposal_with(proposals, KHASHAN_TEXT)
    al_mayadeen = {"id": seeded_row(Outlet, slug="al-mayadeen").id}
    response = accept(
        client,
        writer,
        proposal["id"],
        text="a major victory for regional power-broker and ally Iran",
        quote_type="mixed",
        cue="told VOA",
        via_outlet_id=al_mayadeen["id"],
        speaker={"name": "Hilal Khashan of Beirut", "kind": "person"},
        stated_on="2017-11-09",
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    claim = response.get_json()
    assert claim["text"] == "a major victory for regional power-broker and ally Iran"
    assert claim["text"] == article["body"][claim["start"] : claim["end"]]
    assert (claim["quote_type"], claim["cue"], claim["stated_on"]) == (
        "mixed",
        "told VOA",
        "2017-11-09",
    )
    assert claim["via"]["id"] == al_mayadeen["id"]
    speaker = client.get(f"/v1/speakers/{claim['speaker']['id']}").get_json()
    assert (speaker["name"], speaker["slug"]) == (
        "Hilal Khashan of Beirut",
        "hilal-khashan-of-beirut",
    )
    # The proposal keeps what the extractor said, so that a new run recognises it.
    assert client.get(f"/v1/proposals/{proposal['id']}").get_json()["text"] == KHASHAN_TEXT


def test_accepting_with_a_span_by_offsets_reads_the_text_from_the_body(
    client, writer, article, proposals
):
    proposal = proposal_with(proposals, KHASHAN_TEXT)
    start = proposal["start"] + len("the recapture of ")
    claim = accept(client, writer, proposal["id"], start=start, end=proposal["end"]).get_json()
    assert claim["text"] == article["body"][start : proposal["end"]]


def test_accepting_a_proposal_of_an_unknown_speaker_creates_that_speaker(client, writer, article):
    text = article["body"] + '\n\n"The road is open," said Rami Haddad, a truck driver.'
    correct_body(client, writer, article, text)
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer).get_json()
    proposal = proposal_with(run["data"], "The road is open")
    assert proposal["speaker"] == {"id": None, "name": "Rami Haddad", "kind": "person"}
    claim = accept(client, writer, proposal["id"]).get_json()
    speaker = client.get(f"/v1/speakers/{claim['speaker']['id']}").get_json()
    assert (speaker["name"], speaker["kind"]) == ("Rami Haddad", "person")


def test_a_speaker_created_by_accepting_one_proposal_is_the_speaker_of_the_next(
    client, writer, article
):
    text = article["body"] + '\n\n"The road is open," said Rami Haddad. He added that it was safe.'
    correct_body(client, writer, article, text)
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer).get_json()
    quoted, added = (
        proposal_with(run["data"], "The road is open"),
        proposal_with(run["data"], "it was safe"),
    )
    assert quoted["speaker"]["id"] is None and added["speaker"]["id"] is None
    first = accept(client, writer, quoted["id"]).get_json()
    second = accept(client, writer, added["id"])
    assert second.status_code == 201, second.get_json()
    assert second.get_json()["speaker"] == first["speaker"]


@pytest.mark.parametrize(
    ("corrections", "pointer"),
    [
        ({"speaker_id": 9999}, "#/speaker_id"),
        ({"speaker_id": 1, "speaker": {"name": "X", "kind": "person"}}, "#/speaker"),
        ({"speaker": {"name": "X"}}, "#/speaker/kind"),
        ({"article_id": 1}, "#/article_id"),
        ({"via_outlet_id": 9999}, "#/via_outlet_id"),
        ({"cue": "x" * 65}, "#/cue"),
        ({"quote_type": "quoted"}, "#/quote_type"),
        ({"text": "words the article does not hold"}, "#/text"),
        ({"end": 20}, "#/end"),
        ({"status": "accepted"}, "#/status"),
    ],
)
def test_corrections_that_make_no_valid_claim_are_422_and_change_nothing(
    client, writer, proposals, corrections, pointer
):
    before = stored_rows()
    problem = assert_problem(accept(client, writer, proposals[0]["id"], **corrections), 422)
    assert pointer in error_pointers(problem)
    assert stored_rows() == before


def test_a_new_speaker_whose_slug_is_taken_is_409_and_changes_nothing(client, writer, proposals):
    before = stored_rows()
    response = accept(
        client, writer, proposals[0]["id"], speaker={"name": "Hilal Khashan", "kind": "person"}
    )
    problem = assert_problem(response, 409)
    assert "speaker_id" in problem["detail"]
    assert stored_rows() == before


def test_accepting_twice_is_409_and_changes_nothing(client, writer, proposals):
    first = accept(client, writer, proposals[0]["id"])
    assert first.status_code == 201
    before = stored_rows()
    problem = assert_problem(accept(client, writer, proposals[0]["id"]), 409)
    assert f"claim {first.get_json()['id']}" in problem["detail"]
    assert_problem(client.post(f"/v1/proposals/{proposals[0]['id']}/reject", headers=writer), 409)
    assert stored_rows() == before


def test_a_rejected_proposal_cannot_be_accepted_or_rejected_again(client, writer, proposals):
    rejected = client.post(f"/v1/proposals/{proposals[0]['id']}/reject", headers=writer)
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    before = stored_rows()
    assert_problem(accept(client, writer, proposals[0]["id"]), 409)
    assert_problem(client.post(f"/v1/proposals/{proposals[0]['id']}/reject", headers=writer), 409)
    assert stored_rows() == before


def test_a_body_correction_makes_pending_proposals_stale_and_keeps_reviewed_ones(
    client, writer, article, proposals
):
    accepted, rejected, *pending = proposals
    accept(client, writer, accepted["id"])
    client.post(f"/v1/proposals/{rejected['id']}/reject", headers=writer)
    correct_body(
        client,
        writer,
        article,
        "Correction: an earlier version misnamed a town.\n\n" + article["body"],
    )
    statuses = [p["status"] for p in all_pages(client, f"/v1/articles/{article['id']}/proposals")]
    assert statuses == ["accepted", "rejected"] + ["stale"] * len(pending)


def test_accepting_a_stale_proposal_is_409_and_changes_nothing(client, writer, article, proposals):
    correct_body(client, writer, article, article["body"] + "\n\nUpdated.")
    before = stored_rows()
    problem = assert_problem(accept(client, writer, proposals[0]["id"]), 409)
    assert "stale" in problem["detail"]
    assert stored_rows() == before


def test_a_run_after_a_correction_proposes_afresh_in_the_new_body(
    client, writer, article, proposals
):
    body = "Correction: an earlier version misnamed a town.\n\n" + article["body"]
    correct_body(client, writer, article, body)
    run = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer).get_json()["data"]
    assert run and min(ids({"data": run})) > max(ids({"data": proposals}))
    for proposal in run:
        assert body[proposal["start"] : proposal["end"]] == proposal["text"]


def test_a_claim_made_from_a_proposal_can_be_deleted_and_the_proposal_stays_accepted(
    client, writer, proposals
):
    claim = accept(client, writer, proposals[0]["id"])
    deleted = client.delete(
        claim.headers["Location"], headers={**writer, "If-Match": claim.headers["ETag"]}
    )
    assert deleted.status_code == 204, deleted.get_data(as_text=True)
    proposal = client.get(f"/v1/proposals/{proposals[0]['id']}").get_json()
    assert (proposal["status"], proposal["claim_id"]) == ("accepted", None)


def test_proposal_ids_are_never_reused(client, writer, article, proposals):
    fields = {name: article[name] for name in ("headline", "body")}
    other = client.post(
        "/v1/articles",
        json={**fields, "outlet_id": article["outlet"]["id"], "url": "https://example.org/other"},
        headers=writer,
    ).get_json()
    etag = client.get(f"/v1/articles/{article['id']}").headers["ETag"]
    deleted = client.delete(f"/v1/articles/{article['id']}", headers={**writer, "If-Match": etag})
    assert deleted.status_code == 204  # and its proposals with it
    with database.connection_context():
        assert not Proposal.select().exists()
    run = client.post(f"/v1/articles/{other['id']}/proposals", headers=writer).get_json()["data"]
    assert run and min(ids({"data": run})) > max(ids({"data": proposals}))


def test_lists_page_by_keyset_and_filter_by_status(client, writer, proposals):
    client.post(f"/v1/proposals/{proposals[0]['id']}/reject", headers=writer)
    every = all_pages(client, "/v1/proposals?limit=2")
    assert ids({"data": every}) == ids({"data": proposals})
    pending = all_pages(client, "/v1/proposals?status=pending&limit=3")
    assert ids({"data": pending}) == ids({"data": proposals[1:]})
    rejected = client.get("/v1/proposals?status=rejected").get_json()
    assert ids(rejected) == [proposals[0]["id"]]
    page = client.get("/v1/proposals?limit=2")
    assert page.headers["Link"].endswith('rel="next"')


@pytest.mark.parametrize(
    "query", ["status=done", "limit=0", "cursor=nonsense", "statu=pending", "article_id=0"]
)
def test_bad_list_parameters_are_422(client, seeded, query):
    assert_problem(client.get(f"/v1/proposals?{query}"), 422)


def test_unknown_proposals_and_articles_are_404_and_change_nothing(client, seeded, writer):
    before = stored_rows()
    assert_problem(client.get("/v1/proposals/999"), 404)
    assert_problem(accept(client, writer, 999), 404)
    assert_problem(client.post("/v1/proposals/999/reject", headers=writer), 404)
    assert_problem(client.post("/v1/articles/999/proposals", headers=writer), 404)
    assert_problem(client.get("/v1/articles/999/proposals"), 404)
    assert stored_rows() == before


def test_running_and_reviewing_need_the_write_scope(client, issue_key, article, proposals):
    reader = {"Authorization": f"Bearer {issue_key('read')}"}
    before = stored_rows()
    assert_problem(client.post(f"/v1/articles/{article['id']}/proposals", headers=reader), 403)
    assert_problem(accept(client, reader, proposals[0]["id"]), 403)
    assert_problem(client.post(f"/v1/proposals/{proposals[0]['id']}/reject"), 401)
    assert stored_rows() == before


def test_a_retried_accept_with_its_idempotency_key_gets_the_first_answer(client, writer, proposals):
    headers = {**writer, "Idempotency-Key": "accept-1"}
    first = client.post(f"/v1/proposals/{proposals[0]['id']}/accept", headers=headers)
    retry = client.post(f"/v1/proposals/{proposals[0]['id']}/accept", headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    with database.connection_context():
        assert Claim.select().where(Claim.id == first.get_json()["id"]).count() == 1


def test_the_review_flow_runs_over_http_against_a_live_server(gunicorn, article, writer):
    base, _ = gunicorn()

    def call(method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{base}{path}",
            data=data,
            method=method,
            headers={**writer, "Content-Type": "application/json"} if data else writer,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.load(error)

    status, _, run = call("POST", f"/v1/articles/{article['id']}/proposals")
    assert status == 200
    proposal = proposal_with(run["data"], KHASHAN_TEXT)
    status, _, listed = call("GET", "/v1/proposals?status=pending")
    assert proposal["id"] in ids(listed)
    status, headers, claim = call("POST", f"/v1/proposals/{proposal['id']}/accept")
    assert status == 201 and headers["Location"].endswith(f"/v1/claims/{claim['id']}")
    assert claim["text"] == article["body"][claim["start"] : claim["end"]]
    status, headers, problem = call("POST", f"/v1/proposals/{proposal['id']}/accept")
    assert status == 409 and headers["Content-Type"] == "application/problem+json"
    other = run["data"][0]["id"]
    status, _, rejected = call("POST", f"/v1/proposals/{other}/reject", {})
    assert (status, rejected["status"]) == (200, "rejected")


def test_an_article_longer_than_one_extraction_reads_is_422_and_changes_nothing(
    app_with, article, writer
):
    client = app_with(EXTRACTION_MAX_CHARACTERS=100).test_client()
    before = stored_rows()
    response = client.post(f"/v1/articles/{article['id']}/proposals", headers=writer)
    assert "more than the 100" in assert_problem(response, 422)["detail"]
    assert stored_rows() == before
