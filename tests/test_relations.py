"""/v1/claims/{id}/related: the same assertion across outlets, contradictions, elaborations,
updates; and suggestions of claims that may be related."""

import pytest

from models import Claim, ClaimRelation, database
from models.relation import SelfRelation
from tests.helpers import all_pages, assert_problem

FIRST_CAPTURE_CGTN = "it took the ISIL stronghold"
FIRST_CAPTURE_VOA = "they have recaptured the border town of Boukamal"
SECOND_CAPTURE = "it took the city of Al-Bukamal"


def claim_id(text_start: str) -> int:
    with database.connection_context():
        return Claim.get(Claim.text.startswith(text_start)).id


def related(client, text_start: str) -> dict[int, str]:
    url = f"/v1/claims/{claim_id(text_start)}/related?limit=2"
    return {item["claim"]["id"]: item["relation"] for item in all_pages(client, url)}


def test_the_armys_announcement_is_one_assertion_in_cgtn_and_voa(client, seeded):
    cgtn = related(client, FIRST_CAPTURE_CGTN)
    assert cgtn[claim_id(FIRST_CAPTURE_VOA)] == "same_assertion"
    assert related(client, FIRST_CAPTURE_VOA)[claim_id(FIRST_CAPTURE_CGTN)] == "same_assertion"
    assert cgtn[claim_id("victory")] == "same_assertion"


def test_the_later_announcement_updates_the_first_read_from_either_end(client, seeded):
    assert related(client, SECOND_CAPTURE) == {
        claim_id(FIRST_CAPTURE_CGTN): "updates",
        claim_id(FIRST_CAPTURE_VOA): "updates",
    }
    assert related(client, FIRST_CAPTURE_CGTN)[claim_id(SECOND_CAPTURE)] == "updated_by"


def test_contradictions_and_elaborations(client, seeded):
    advisors = related(client, "Iranian troops only operate")
    assert set(advisors.values()) == {"contradicts"} and len(advisors) == 2
    quote = related(client, "Now the Iraqis and Syrians")
    assert quote == {claim_id("the recapture of Boukamal represents"): "elaborates"}
    assert related(client, "the recapture of Boukamal represents") == {
        claim_id("Now the Iraqis and Syrians"): "elaborated_by"
    }


def test_a_related_item_carries_the_whole_claim(client, seeded):
    (item,) = client.get(f"/v1/claims/{claim_id('Now the Iraqis')}/related").get_json()["data"]
    assert item["claim"]["speaker"]["name"] == "Hilal Khashan"
    assert item["claim"]["outlet"]["name"] == "Voice of America"
    assert item["claim"] == client.get(f"/v1/claims/{item['claim']['id']}").get_json()


def test_a_claim_with_no_relation_lists_none(client, seeded):
    assert related(client, "there were some pockets of resistance") == {}


def test_unknown_claim_is_404(client, seeded):
    assert_problem(client.get("/v1/claims/424242/related"), 404)
    assert_problem(client.get("/v1/claims/424242/related/suggestions"), 404)


def test_symmetric_relations_are_stored_once_and_never_with_oneself(app, seeded):
    with database.connection_context():
        first, second = claim_id(FIRST_CAPTURE_CGTN), claim_id(FIRST_CAPTURE_VOA)
        assert ClaimRelation.select().where(ClaimRelation.type == "same_assertion").count() == 2
        with pytest.raises(SelfRelation):
            ClaimRelation.create(source=first, target=first, type="contradicts")
        relation = ClaimRelation.create(
            source=max(first, second) + 1, target=min(first, second), type="contradicts"
        )
        assert relation.source_id < relation.target_id


def test_deleting_a_claim_deletes_its_relations(client, seeded):
    with database.connection_context():
        Claim.delete().where(Claim.id == claim_id(FIRST_CAPTURE_VOA)).execute()
    assert set(related(client, FIRST_CAPTURE_CGTN).values()) == {"same_assertion", "updated_by"}
    assert len(related(client, SECOND_CAPTURE)) == 1


def suggestions(client, text_start: str) -> list[dict]:
    url = f"/v1/claims/{claim_id(text_start)}/related/suggestions?limit=3"
    return all_pages(client, url)


def test_suggestions_rank_by_shared_words_and_entities_and_skip_related_claims(client, seeded):
    found = suggestions(client, "Islamic State militants fled the town")
    ids = [item["claim"]["id"] for item in found]
    assert ids[0] == claim_id("Islamic State militants have withdrawn")  # CGTN's SOHR caption
    best = found[0]
    assert [entity["name"] for entity in best["shared_entities"]] == ["Abu Kamal", "Islamic State"]
    assert best["score"] == pytest.approx(best["similarity"] + 0.25 * 2, abs=1e-3)
    assert [item["score"] for item in found] == sorted((i["score"] for i in found), reverse=True)
    assert claim_id("Islamic State militants fled") not in ids
    linked = suggestions(client, FIRST_CAPTURE_CGTN)
    assert claim_id(FIRST_CAPTURE_VOA) not in [item["claim"]["id"] for item in linked]
