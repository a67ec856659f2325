"""/v1/claims: one request shows the whole attribution; filters narrow it."""

from tests.helpers import all_pages, assert_problem, error_parameters, ids


def speaker_id(client, name):
    return client.get(f"/v1/speakers?name={name}").get_json()["data"][0]["id"]


def test_a_claim_shows_its_speaker_article_outlet_and_context(client, seeded):
    shaaban = speaker_id(client, "shaaban")
    (claim,) = client.get(f"/v1/claims?speaker_id={shaaban}").get_json()["data"]
    response = client.get(f"/v1/claims/{claim['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body == claim
    assert body["speaker"] == {"id": shaaban, "name": "Bouthaina Shaaban"}
    assert body["outlet"]["name"] == "Voice of America"
    assert body["via"]["name"] == "Al Mayadeen"
    assert body["article"]["headline"] == "Syrian Government Forces Recapture Key Border Crossing"
    assert body["prefix"] == "Lebanon's al Mayadeen TV, that \""
    assert body["suffix"] == '"\n\nU.S. forces are backing the K'
    assert body["end"] - body["start"] == len(body["text"])
    assert {"created_at", "updated_at", "stated_on", "cue", "quote_type"} <= body.keys()


def test_text_is_the_article_body_at_its_offsets(client, seeded):
    for claim in all_pages(client, "/v1/claims"):
        article = client.get(f"/v1/articles/{claim['article']['id']}").get_json()
        assert article["body"][claim["start"] : claim["end"]] == claim["text"]
        assert article["body"][: claim["start"]].endswith(claim["prefix"])
        assert article["body"][claim["end"] :].startswith(claim["suffix"])


def test_all_claims_of_both_articles_are_listed(client, seeded):
    claims = all_pages(client, "/v1/claims?limit=5")
    assert len(claims) == 19
    assert {claim["outlet"]["name"] for claim in claims} == {"CGTN", "Voice of America"}


def test_filter_by_outlet_quote_type_and_cue(client, seeded):
    voa = client.get("/v1/outlets").get_json()["data"][1]
    assert voa["name"] == "Voice of America"
    direct = client.get(f"/v1/claims?outlet_id={voa['id']}&quote_type=direct").get_json()["data"]
    assert {claim["speaker"]["name"] for claim in direct} == {"Hilal Khashan", "Bouthaina Shaaban"}
    told = client.get("/v1/claims?cue=TOLD").get_json()["data"]
    assert {claim["cue"] for claim in told} == {"told"} and len(told) == 2


def test_q_searches_the_words_of_the_text_ignoring_case(client, seeded):
    found = client.get("/v1/claims?q=TEHRAN").get_json()["data"]
    assert len(found) == 2
    assert all("tehran" in claim["text"].lower() for claim in found)
    assert client.get("/v1/claims?q=100%25").get_json()["data"] == []  # % is no wildcard
    assert client.get("/v1/claims?q=EHRA").get_json()["data"] == []  # words, not substrings


def test_since_and_until_use_the_day_the_statement_was_made(client, seeded):
    later = client.get("/v1/claims?since=2017-11-10").get_json()["data"]
    assert [claim["stated_on"] for claim in later] == ["2017-11-19"]
    earlier = client.get("/v1/claims?until=2017-11-10").get_json()["data"]
    assert [claim["stated_on"] for claim in earlier] == ["2017-11-09"]


def test_since_falls_back_to_the_article_date(client, seeded, app):
    from models import Article, database

    with database.connection_context():
        Article.update(published_on="2017-11-20").where(Article.url.contains("000_")).execute()
    found = client.get("/v1/claims?since=2017-11-20").get_json()["data"]
    assert len(found) == 6  # CGTN's claims without a stated_on of their own
    assert all(claim["outlet"]["name"] == "CGTN" and not claim["stated_on"] for claim in found)


def test_filters_combine(client, seeded):
    khashan = speaker_id(client, "khashan")
    found = client.get(f"/v1/claims?speaker_id={khashan}&quote_type=indirect&q=Iran")
    assert len(found.get_json()["data"]) == 2


def test_unknown_claim_is_404(client, seeded):
    assert_problem(client.get("/v1/claims/999999"), 404)


def test_bad_filters_are_422_naming_the_parameter(client, seeded):
    cases = {
        "quote_type=shouted": "quote_type",
        "since=yesterday": "since",
        "speaker_id=abc": "speaker_id",
        "speaker_id=0": "speaker_id",
        "outlet_id=99999999999999": "outlet_id",
        "since=2017-12-01&until=2017-11-01": "since",
        "q=": "q",
        f"q={'x' * 201}": "q",
        "q=%00": "q",
        "speakerid=1": "speakerid",
    }
    for query, parameter in cases.items():
        body = assert_problem(client.get(f"/v1/claims?{query}"), 422)
        assert error_parameters(body) == {parameter}, query


def test_claims_of_an_article(client, seeded):
    cgtn_article = client.get("/v1/articles").get_json()["data"][0]
    claims = client.get(f"/v1/articles/{cgtn_article['id']}/claims").get_json()
    assert len(claims["data"]) == 8
    assert {claim["article"]["id"] for claim in claims["data"]} == {cgtn_article["id"]}
    assert ids(claims) == sorted(ids(claims))
