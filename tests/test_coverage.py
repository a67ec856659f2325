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


def claim_id(starting: str) -> int:
    with database.connection_context():
        return Claim.get(Claim.text.startswith(starting)).id


def reasons(outlet: dict) -> dict[int, str]:
    return {item["assertion"]: item["reason"] for item in outlet["not_carried"]}


def test_the_second_announcement_came_after_voas_report_and_is_not_its_omission(client, seeded):
    body = coverage(client)
    outlets = by_outlet(body)
    second = claim_id("it took the city of Al-Bukamal")
    assertion = {item["id"]: item for item in body["assertions"]}[second]
    assert (assertion["said_on"], assertion["said_on_basis"]) == ("2017-11-19", "stated")
    (voa_article,) = outlets["Voice of America"]["articles"]
    assert (voa_article["appeared_on"], voa_article["appeared_on_basis"]) == ("2017-11-09", "note")
    assert reasons(outlets["Voice of America"])[second] == "after_report"
    assert second in outlets["Voice of America"]["assertions_not_carried"]
    # Nor is it offered as probably carried: a report cannot carry what was said after it.
    assert second not in {
        item["assertion"] for item in outlets["Voice of America"]["probably_carried"]
    }


def test_what_voa_carried_before_cgtns_report_is_omitted_by_cgtn(client, seeded):
    outlets = by_outlet(coverage(client))
    cgtn = outlets["CGTN"]
    (article,) = cgtn["articles"]
    assert article["appeared_on"] == "2017-11-19"
    # Every VOA-only statement was made by VOA's report (about 2017-11-09), before CGTN's.
    assert set(reasons(cgtn).values()) == {"omitted"}
    assert set(reasons(cgtn)) == set(cgtn["assertions_not_carried"])


def test_undated_statements_cgtn_alone_carried_are_unknown_for_voa_not_omitted(client, seeded):
    voa = reasons(by_outlet(coverage(client))["Voice of America"])
    sqer = claim_id("the announced presence of Iranian militias")
    # Sqer spoke before CGTN's report, but nothing tells whether before VOA's.
    assert voa[sqer] == "unknown_date"
    assert "omitted" not in voa.values()


def test_without_any_date_nothing_is_called_omitted(client, seeded):
    with database.connection_context():
        Article.update(published_on=None, published_on_note=None).execute()
        Claim.update(stated_on=None, stated_on_note=None).execute()
    body = coverage(client)
    for outlet in body["outlets"]:
        assert {item["reason"] for item in outlet["not_carried"]} == {"unknown_date"}
        assert outlet["articles"][0]["appeared_on"] is None
    assert all(item["said_on"] is None for item in body["assertions"])


def test_a_publication_date_prevails_over_the_note_and_makes_omissions(client, seeded):
    with database.connection_context():
        Article.update(published_on="2017-11-20").where(Article.url.contains("001_")).execute()
    voa = by_outlet(coverage(client))["Voice of America"]
    assert (voa["articles"][0]["appeared_on"], voa["articles"][0]["appeared_on_basis"]) == (
        "2017-11-20",
        "published",
    )
    # Now VOA appeared after the army's second announcement, and left it out.
    assert reasons(voa)[claim_id("it took the city of Al-Bukamal")] == "omitted"


def test_an_undated_update_is_no_earlier_than_what_it_updates(client, seeded):
    second = claim_id("it took the city of Al-Bukamal")
    with database.connection_context():
        Claim.update(stated_on=None, stated_on_note=None).where(Claim.id == second).execute()
    body = coverage(client)
    assertion = {item["id"]: item for item in body["assertions"]}[second]
    # It updates the first announcement (2017-11-09): made that day or later, but nothing
    # tells whether after VOA's report of that day.
    assert (assertion["said_on"], assertion["said_earliest"]) == (None, "2017-11-09")
    assert reasons(by_outlet(body)["Voice of America"])[second] == "unknown_date"


def near_matches(outlet: dict) -> set[tuple[int, int]]:
    return {(item["assertion"], item["claim"]["id"]) for item in outlet["probably_carried"]}


def test_voa_probably_carried_three_cgtn_statements_in_other_words(client, seeded):
    voa = by_outlet(coverage(client))["Voice of America"]
    withdrawn = claim_id("Islamic State militants have withdrawn")
    fled = claim_id("Islamic State militants fled the town")
    desert = claim_id("several hundred of the radical group")
    hezbollah = claim_id("the presence of Iranian and Iraqi fighters")
    allies = claim_id("the army and its allies")
    al_hayat = claim_id("many of the same Iraqi militia fighters")
    assert {
        (withdrawn, fled),
        (desert, fled),
        (hezbollah, allies),
        (hezbollah, al_hayat),
    } <= near_matches(voa)
    scored = {(item["assertion"], item["claim"]["id"]): item for item in voa["probably_carried"]}
    assert scored[(withdrawn, fled)]["score"] > scored[(hezbollah, allies)]["score"] > 0
    assert {entity["name"] for entity in scored[(withdrawn, fled)]["shared_entities"]} == {
        "Abu Kamal",
        "Islamic State",
    }


def test_probable_matches_are_never_counted_as_carried(client, seeded):
    voa = by_outlet(coverage(client))["Voice of America"]
    for assertion, _ in near_matches(voa):
        assert assertion not in voa["assertions_carried"]
        assert assertion in voa["assertions_not_carried"]


def test_a_confirmed_same_assertion_leaves_the_probable_matches(client, seeded):
    withdrawn = claim_id("Islamic State militants have withdrawn")
    fled = claim_id("Islamic State militants fled the town")
    with database.connection_context():
        ClaimRelation.create(source=withdrawn, target=fled, type="same_assertion")
    voa = by_outlet(coverage(client))["Voice of America"]
    assert withdrawn in voa["assertions_carried"]
    assert withdrawn not in {item["assertion"] for item in voa["probably_carried"]}
