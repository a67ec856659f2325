"""/v1/search and `q`: one query language, every spelling, ranked hits with marked matches."""

import pytest
from playhouse.migrations import Runner

from models import Article, Claim, Speaker, SpeakerAlias, database
from models.db import MIGRATIONS, migrate
from tests.helpers import all_pages, assert_problem, error_parameters

CAPTURE_CGTN = "it took the city of Al-Bukamal"  # the army's second announcement, spelled Al-
CAPTURE_VOA = "they have recaptured the border town of Boukamal"
FIRST_CAPTURE_CGTN = "it took the ISIL stronghold"  # about the town without naming it


def claim_id(text_start: str) -> int:
    with database.connection_context():
        return Claim.get(Claim.text.startswith(text_start)).id


def hits(client, query: str) -> list[dict]:
    response = client.get(f"/v1/search?{query}&limit=100")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["data"]


def found(client, query: str, kind: str = "claim") -> list[int]:
    return [hit["id"] for hit in hits(client, f"{query}&kind={kind}")]


def test_boukamal_finds_the_capture_statements_of_both_outlets_in_every_spelling(client, seeded):
    response = client.get("/v1/search?q=Boukamal&limit=100").get_json()
    assert [entity["name"] for entity in response["entities"]] == ["Abu Kamal"]
    claims = {hit["id"]: hit for hit in response["data"] if hit["kind"] == "claim"}
    assert claim_id(CAPTURE_CGTN) in claims
    assert claim_id(CAPTURE_VOA) in claims
    assert claim_id(FIRST_CAPTURE_CGTN) in claims
    assert {claims[claim_id(CAPTURE_CGTN)]["outlet"]["name"]} == {"CGTN"}
    assert claims[claim_id(CAPTURE_VOA)]["outlet"]["name"] == "Voice of America"
    assert claims[claim_id(CAPTURE_VOA)]["speaker"]["name"] == "Syrian army"
    headlines = [hit["title"] for hit in response["data"] if hit["kind"] == "article"]
    assert "Syrian army claims to have retaken <mark>Al-Bukamal</mark> for second time" in headlines


@pytest.mark.parametrize("spelling", ["Al-Bukamal", "Bukamal", "%22Abu%20Kamal%22", "abu kamal"])
def test_every_spelling_finds_the_same_statements(client, seeded, spelling):
    assert sorted(found(client, f"q={spelling}")) == sorted(found(client, "q=Boukamal"))


def test_a_persons_other_spelling_finds_the_article_that_names_him(client, seeded):
    for spelling in ("Soleimani", "%22Qasem%20Soleimani%22", "Sulimani"):
        (article,) = hits(client, f"q={spelling}&kind=article")
        assert "showed <mark>Kasem Sulimani</mark>, the well-known general" in article["snippet"]


def test_an_acronym_stands_for_its_group_only_in_capitals(client, seeded):
    by_is = found(client, "q=IS")
    assert claim_id(FIRST_CAPTURE_CGTN) in by_is  # says "ISIL", not "IS"
    assert sorted(by_is) == sorted(found(client, "q=ISIS"))
    assert sorted(by_is) == sorted(found(client, "q=Islamic%20State"))  # two words, one name
    demining = claim_id('government forces were "demining')  # says only "IS"
    assert demining in found(client, "q=ISIL")
    assert claim_id(FIRST_CAPTURE_CGTN) not in found(client, "q=is")  # the ordinary word


def test_matches_are_marked_in_snippets_and_titles(client, seeded):
    claims = hits(client, "q=Tehr*&kind=claim")
    assert len(claims) == 2
    for hit in claims:
        assert hit["title"] is None
        assert "<mark>Tehran</mark>" in hit["snippet"]
        unmarked = hit["snippet"].replace("<mark>", "").replace("</mark>", "")
        assert all(part in claim_text(hit["id"]) for part in unmarked.split("…"))
    (article,) = hits(client, "q=retaken&kind=article")
    assert (
        article["title"]
        == "Syrian army claims to have <mark>retaken</mark> Al-Bukamal for second time"
    )
    (speaker,) = hits(client, "q=SOHR&kind=speaker")
    assert speaker["title"] == "Syrian Observatory for Human Rights"
    assert speaker["snippet"] == "<mark>SOHR</mark>"


def claim_text(id: int) -> str:
    with database.connection_context():
        return Claim.get_by_id(id).text


def test_phrases_match_words_in_order_and_prefixes_only_with_a_star(client, seeded):
    (article,) = hits(client, "q=%22land%20route%22")
    assert article["kind"] == "article" and "<mark>land" in article["snippet"]
    assert hits(client, "q=%22route%20land%22") == []
    assert hits(client, "q=Tehr") == []  # no stemming, no implicit prefix
    assert hits(client, "q=%22land%20rou%22*")[0]["id"] == article["id"]


def test_words_are_anded_and_or_binds_looser(client, seeded):
    tehran = set(found(client, "q=Tehran"))
    beirut = set(found(client, "q=Beirut"))
    euphrates = set(found(client, "q=Euphrates"))
    assert set(found(client, "q=Tehran%20Beirut")) == tehran & beirut
    assert set(found(client, "q=Tehran%20AND%20Beirut")) == tehran & beirut
    assert set(found(client, "q=Tehran%20OR%20Euphrates")) == tehran | euphrates
    either = set(found(client, "q=Tehran%20Beirut%20OR%20Euphrates"))
    assert either == (tehran & beirut) | euphrates and euphrates - tehran


def test_shorter_texts_rank_first(client, seeded):
    ranked = found(client, "q=victory")
    assert ranked[0] == claim_id("victory")  # the one-word claim
    recapture = claim_id("the recapture of Boukamal represents")  # 14 words
    assert ranked.index(recapture) < ranked.index(claim_id("Saudi Arabia and Israel"))  # 35
    scores = [hit["score"] for hit in hits(client, "q=victory")]
    assert scores == sorted(scores, reverse=True)


def test_a_match_in_the_headline_outranks_one_in_the_body(client, seeded):
    with database.connection_context():
        outlet = Article.get().outlet
        in_body = Article.create(
            outlet=outlet,
            url="urn:test:body",
            headline="Fighting goes on",
            body="Raqqa has fallen, reports say. Fighting went on for days.",
        )
        in_headline = Article.create(
            outlet=outlet,
            url="urn:test:headline",
            headline="Raqqa has fallen",
            body="Reports say fighting went on for days.",
        )
    assert found(client, "q=Raqqa", "article") == [in_headline.id, in_body.id]


MALFORMED = {
    "%22land%20route": "never closed",
    "OR%20Tehran": "OR needs a word or phrase before it",
    "Tehran%20OR": "OR needs a word or phrase after it",
    "Tehran%20OR%20OR%20Beirut": "OR needs a word or phrase before it",
    "Tehran%20AND%20OR%20Beirut": "OR needs a word or phrase before it",
    "*": "not a word",
    "%26%26": "not a word",
    "Te*hr": "`*` may only end a word",
    "T*": "at least 2 letters",
    "(Tehran%20OR%20Beirut)": "Parentheses",
    "-Tehran": "excluding words",
    "NOT%20Tehran": "excluding words",
    "%22%22": "empty phrase",
    "%20".join(["word"] * 13): "at most 12",
    "": "between 1 and 200",
    "x" * 201: "between 1 and 200",
    "%00": "control characters",
}


@pytest.mark.parametrize("path", ["/v1/search", "/v1/claims"])
def test_malformed_queries_are_422_naming_q_and_saying_why(client, seeded, path):
    for query, reason in MALFORMED.items():
        body = assert_problem(client.get(f"{path}?q={query}"), 422)
        assert error_parameters(body) == {"q"}, query
        assert reason.lower() in body["errors"][0]["detail"].lower(), (query, body)


def test_q_is_required_and_kinds_are_checked(client, seeded):
    assert error_parameters(assert_problem(client.get("/v1/search"), 422)) == {"q"}
    body = assert_problem(client.get("/v1/search?q=Tehran&kind=quote"), 422)
    assert error_parameters(body) == {"kind"}


def test_kind_restricts_hits_and_can_be_repeated(client, seeded):
    assert {hit["kind"] for hit in hits(client, "q=Syrian")} == {"claim", "article", "speaker"}
    assert {hit["kind"] for hit in hits(client, "q=Syrian&kind=article")} == {"article"}
    both = hits(client, "q=Syrian&kind=article&kind=speaker")
    assert {hit["kind"] for hit in both} == {"article", "speaker"}


def test_pages_of_hits_follow_the_ranking_without_repeats(client, seeded):
    every = hits(client, "q=Syrian")
    paged = all_pages(client, "/v1/search?q=Syrian&limit=3")
    assert [(hit["kind"], hit["id"]) for hit in paged] == [(h["kind"], h["id"]) for h in every]
    first = client.get("/v1/search?q=Syrian&kind=claim&kind=speaker&limit=2")
    assert "kind=claim&kind=speaker" in first.headers["Link"]


def test_q_on_claims_is_full_text_and_combines_with_every_filter(client, seeded):
    outlets = {o["slug"]: o["id"] for o in client.get("/v1/outlets").get_json()["data"]}
    url = f"/v1/claims?q=Boukamal&outlet_id={outlets['cgtn']}&quote_type=indirect"
    cgtn = client.get(url).get_json()["data"]
    assert {claim["outlet"]["name"] for claim in cgtn} == {"CGTN"}
    assert {claim_id(CAPTURE_CGTN), claim_id(FIRST_CAPTURE_CGTN)} <= {c["id"] for c in cgtn}
    dated = client.get("/v1/claims?q=Bukamal&since=2017-11-15").get_json()["data"]
    assert [claim["id"] for claim in dated] == [claim_id(CAPTURE_CGTN)]
    assert client.get("/v1/claims?q=ehra").get_json()["data"] == []  # words, not substrings


def test_the_index_follows_every_write_whatever_its_path(client, seeded):
    with database.connection_context():
        article = Article.get(Article.url.contains("000_"))
        claim = Claim.anchored(
            article,
            "Militants still control a handful of villages there",
            speaker=Speaker.get(Speaker.slug == "syrian-field-commander"),
            quote_type="indirect",
        )
        claim.save()
    assert found(client, "q=villages") == [claim.id]

    with database.connection_context():
        Claim.update(text="Militants", end=claim.start + len("Militants")).where(
            Claim.id == claim.id
        ).execute()
    assert found(client, "q=villages") == []
    assert claim.id in found(client, "q=Militants")

    with database.connection_context():
        Claim.delete().where(Claim.id == claim.id).execute()
    assert claim.id not in found(client, "q=Militants")

    with database.connection_context():
        Article.update(headline="Damascus retakes the town").where(
            Article.id == article.id
        ).execute()
        speaker = Speaker.get(Speaker.slug == "kamel-sqer")
        SpeakerAlias.create(speaker=speaker, alias="K. Sqer of Damascus")
    assert found(client, "q=Damascus", "article") == [article.id]
    assert found(client, "q=Damascus", "speaker") == [speaker.id]
    with database.connection_context():
        Speaker.update(name="Kamil Saqr").where(Speaker.id == speaker.id).execute()
        SpeakerAlias.delete().where(SpeakerAlias.alias == "K. Sqer of Damascus").execute()
    assert found(client, "q=Saqr", "speaker") == [speaker.id]
    assert found(client, "q=Damascus", "speaker") == []


def test_migration_indexes_rows_written_before_it(client, seeded):
    with database.connection_context():
        Runner(database.obj, str(MIGRATIONS)).down("0003_search_entities_events")
        migrate(database.obj)
    assert claim_id(CAPTURE_VOA) in found(client, "q=recaptured")
    assert found(client, "q=SOHR", "speaker")


def test_what_the_api_writes_is_searchable_at_once(client, seeded, writer):
    outlet = client.post("/v1/outlets", json={"name": "Daily Example"}, headers=writer)
    article = client.post(
        "/v1/articles",
        json={
            "outlet_id": outlet.get_json()["id"],
            "url": "https://example.org/deir-ez-zor",
            "headline": "Deir ez-Zor cleared",
            "body": "The governor said the road to Deir ez-Zor was open.",
        },
        headers=writer,
    ).get_json()
    speaker = client.get("/v1/speakers?name=Sqer").get_json()["data"][0]
    claim = client.post(
        "/v1/claims",
        json={
            "article_id": article["id"],
            "speaker_id": speaker["id"],
            "quote_type": "indirect",
            "text": "the road to Deir ez-Zor was open",
        },
        headers=writer,
    )
    assert claim.status_code == 201, claim.get_json()
    assert found(client, "q=%22Deir%20ez-Zor%22", "article") == [article["id"]]
    assert found(client, "q=%22Deir%20ez-Zor%22") == [claim.get_json()["id"]]
    deleted = client.delete(
        f"/v1/claims/{claim.get_json()['id']}",
        headers={**writer, "If-Match": claim.headers["ETag"]},
    )
    assert deleted.status_code == 204, deleted.get_data(as_text=True)
    assert found(client, "q=%22Deir%20ez-Zor%22") == []
