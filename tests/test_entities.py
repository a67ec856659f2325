"""/v1/entities: places, groups and people under every spelling, and the claims about them."""

from models import Claim, ClaimMention, database, link_mentions
from models.entity import detect_mentions
from tests.helpers import all_pages, assert_problem, error_parameters


def entity(client, name: str) -> dict:
    (found,) = client.get(f"/v1/entities?name={name}").get_json()["data"]
    return found


def test_entities_carry_kind_name_and_aliases(client, seeded):
    abu_kamal = entity(client, "Boukamal")  # found by an alias
    assert abu_kamal["name"] == "Abu Kamal"
    assert abu_kamal["kind"] == "place"
    assert abu_kamal["aliases"] == ["Al-Bukamal", "Boukamal", "Bukamal"]
    assert client.get(f"/v1/entities/{abu_kamal['id']}").get_json() == abu_kamal
    islamic_state = entity(client, "isil")
    assert islamic_state["aliases"] == ["IS", "ISIL", "ISIS"]
    assert entity(client, "Kasem")["name"] == "Qasem Soleimani"


def test_entities_are_filtered_by_kind_and_paged(client, seeded):
    places = client.get("/v1/entities?kind=place").get_json()["data"]
    assert {item["name"] for item in places} >= {"Abu Kamal", "Al-Qaim", "Tehran", "Beirut"}
    assert {item["kind"] for item in places} == {"place"}
    assert len(all_pages(client, "/v1/entities?limit=3")) == len(
        client.get("/v1/entities").get_json()["data"]
    )
    assert error_parameters(assert_problem(client.get("/v1/entities?kind=city"), 422)) == {"kind"}


def test_claims_about_an_entity_whatever_spelling_they_use(client, seeded):
    abu_kamal = entity(client, "Abu%20Kamal")
    claims = all_pages(client, f"/v1/entities/{abu_kamal['id']}/claims?limit=4")
    texts = [claim["text"] for claim in claims]
    assert any("Al-Bukamal" in text for text in texts)  # CGTN's spelling
    assert any("Boukamal" in text for text in texts)  # VOA's
    assert "it took the ISIL stronghold" in texts  # annotated: the town, not named
    assert {claim["outlet"]["name"] for claim in claims} == {"CGTN", "Voice of America"}
    assert [claim["id"] for claim in claims] == sorted(claim["id"] for claim in claims)


def test_entity_claims_take_the_claim_filters(client, seeded):
    islamic_state = entity(client, "ISIS")
    url = f"/v1/entities/{islamic_state['id']}/claims?quote_type=mixed"
    (mixed,) = client.get(url).get_json()["data"]
    assert mixed["text"].endswith('booby-trapped by IS."')  # "IS" in capitals is the group
    assert client.get(f"{url}&q=Tehran").get_json()["data"] == []
    assert_problem(client.get(f"/v1/entities/{islamic_state['id']}/claims?q=%22"), 422)


def test_unknown_entity_is_404(client, seeded):
    assert_problem(client.get("/v1/entities/777777"), 404)
    assert_problem(client.get("/v1/entities/777777/claims"), 404)


def named(text: str) -> list[str]:
    return [item.name for item in detect_mentions(text)]


def test_detection_matches_whole_spellings_and_acronyms_only_in_capitals(app, seeded):
    with database.connection_context():
        assert named("Troops entered Al-Bukamal and abu kamal") == ["Abu Kamal"]
        assert named("This is where IS fighters were") == ["Islamic State"]
        assert named("this is where it is") == []
        assert named("Boukamalis") == []  # whole words only
        assert named("Kasem Sulimani met Hezbollah in Tehran") == [
            "Qasem Soleimani",
            "Hezbollah",
            "Tehran",
        ]


def mentions_of(claim: Claim) -> set[tuple[str, str]]:
    rows = ClaimMention.select().where(ClaimMention.claim == claim)
    return {(row.entity.name, row.source) for row in rows}


def test_linking_on_write_follows_the_text_and_keeps_annotations(app, seeded):
    with database.connection_context():
        claim = Claim.get(Claim.text == "it took the ISIL stronghold")
        assert mentions_of(claim) == {("Islamic State", "detected"), ("Abu Kamal", "annotated")}
        assert link_mentions(claim) is False  # nothing to change
        claim.text, claim.end = "it took", claim.start + len("it took")
        claim.save()  # saving relinks: the detected mention went with the words
        assert mentions_of(claim) == {("Abu Kamal", "annotated")}
        assert link_mentions(claim) is False
