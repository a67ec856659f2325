"""/v1/events/{id}/coverage: each outlet's articles, whom it quoted and how, the assertions it
carried and those it left out, all computed from claims, speakers and relations."""

from models import Article, Claim, ClaimRelation, EventArticle, Outlet, Speaker, database
from tests.helpers import assert_problem


def coverage(client) -> dict:
    (event,) = client.get("/v1/events").get_json()["data"]
    response = client.get(f"/v1/events/{event['id']}/coverage")
    assert response.status_code == 200
    return response.get_json()


def by_outlet(body: dict) -> dict[str, dict]:
    return {item["outlet"]["name"]: item for item in body["outlets"]}


def quoted(outlet: dict) -> dict[str, dict]:
    return {item["speaker"]["name"]: item for item in outlet["speakers"]}


def test_only_voa_quoted_shaaban_and_khashan_and_only_cgtn_quoted_sqer(client, seeded):
    outlets = by_outlet(coverage(client))
    assert set(outlets) == {"CGTN", "Voice of America"}
    voa, cgtn = quoted(outlets["Voice of America"]), quoted(outlets["CGTN"])
    for name in ("Bouthaina Shaaban", "Hilal Khashan"):
        assert voa[name]["only_this_outlet"] and name not in cgtn
    assert cgtn["Kamel Sqer"]["only_this_outlet"] and "Kamel Sqer" not in voa
    assert (
        not voa["Syrian army"]["only_this_outlet"] and not cgtn["Syrian army"]["only_this_outlet"]
    )


def test_speakers_are_counted_by_how_they_were_quoted(client, seeded):
    voa = quoted(by_outlet(coverage(client))["Voice of America"])
    khashan = voa["Hilal Khashan"]
    assert (khashan["direct"], khashan["indirect"], khashan["mixed"], khashan["total"]) == (
        1,
        2,
        0,
        3,
    )
    spokesman = voa["Syrian army spokesman"]
    assert (spokesman["indirect"], spokesman["mixed"]) == (2, 1)
    assert voa["Bouthaina Shaaban"]["direct"] == 1


def test_the_outlets_share_the_armys_first_announcement(client, seeded):
    body = coverage(client)
    assertions = {item["id"]: item for item in body["assertions"]}
    shared = [item for item in body["assertions"] if len(item["outlets"]) > 1]
    (capture,) = shared
    texts = {claim["text"] for claim in capture["claims"]}
    assert "it took the ISIL stronghold" in texts
    assert any(text.startswith("they have recaptured the border town") for text in texts)
    outlets = by_outlet(body)
    for outlet in outlets.values():
        assert capture["id"] in outlet["assertions_carried"]
        assert capture["id"] not in outlet["assertions_not_carried"]
    # Every assertion is carried or left out by each outlet, never both.
    for outlet in outlets.values():
        carried, left_out = set(outlet["assertions_carried"]), set(outlet["assertions_not_carried"])
        assert carried | left_out == set(assertions) and not carried & left_out
    voa_only = set(outlets["CGTN"]["assertions_not_carried"])
    assert all(
        assertions[a]["outlets"] == [outlets["Voice of America"]["outlet"]] for a in voa_only
    )
    assert sum(len(item["claims"]) for item in body["assertions"]) == 19


def test_coverage_follows_the_relations_in_the_data(client, seeded):
    with database.connection_context():
        sqer = Claim.select().join(Speaker).where(Speaker.slug == "kamel-sqer").get()
        khashan = Claim.get(Claim.text.startswith("the recapture of Boukamal represents"))
        ClaimRelation.create(source=sqer, target=khashan, type="same_assertion")
    shared = [item for item in coverage(client)["assertions"] if len(item["outlets"]) > 1]
    assert len(shared) == 2


def test_an_outlet_with_an_article_but_no_claims_leaves_out_everything(client, seeded):
    (event,) = client.get("/v1/events").get_json()["data"]
    with database.connection_context():
        mayadeen = Outlet.get(Outlet.slug == "al-mayadeen")
        article = Article.create(
            outlet=mayadeen, url="urn:test:mayadeen", headline="Interview", body="No quotes."
        )
        EventArticle.create(event=event["id"], article=article)
    body = coverage(client)
    mayadeen = by_outlet(body)["Al Mayadeen"]
    assert mayadeen["speakers"] == [] and mayadeen["assertions_carried"] == []
    assert len(mayadeen["assertions_not_carried"]) == len(body["assertions"])


def test_unknown_event_coverage_is_404(client, seeded):
    assert_problem(client.get("/v1/events/9999/coverage"), 404)
