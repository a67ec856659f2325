"""The seed articles: every attributed statement is loaded, anchored, and attributed right."""

import shutil

import pytest
import yaml

from models import Article, Claim, Outlet, Speaker, database
from models.seeding import SeedError, load_seeds
from tests.conftest import SEEDS


@pytest.fixture
def db(seeded):
    with database.connection_context():
        yield


def claims_of(slug: str) -> list[Claim]:
    return list(Claim.select().join(Speaker).where(Speaker.slug == slug).order_by(Claim.start))


def test_every_claim_is_the_exact_span_of_its_article(db):
    claims = list(Claim.select())
    assert claims
    for claim in claims:
        assert claim.article.body[claim.start : claim.end] == claim.text


def test_each_article_has_every_attributed_statement(db):
    counts = {article.outlet.slug: article.claims.count() for article in Article.select()}
    assert counts == {"cgtn": 8, "voa": 11}


def test_bodies_are_the_source_texts_without_page_chrome(db):
    voa = Article.get(Article.url == "urn:claims-api:seed:001_6a3fc99cb0af5862")
    assert voa.body.startswith("A picture taken from video provided Nov 8, 2017")
    assert "Accessibility links" not in voa.body and "Breaking News" not in voa.body
    cgtn = Article.get(Article.url == "urn:claims-api:seed:000_73de7036e52b0233")
    assert cgtn.body.startswith("This frame grab")
    assert "militants’ positions" in cgtn.body  # the right single quote survives verbatim


def test_khashan_has_one_direct_quote_and_two_paraphrases_in_voa(db):
    claims = claims_of("hilal-khashan")
    assert [claim.quote_type for claim in claims] == ["indirect", "direct", "indirect"]
    assert {claim.outlet.slug for claim in claims} == {"voa"}
    assert claims[1].text.startswith("Now the Iraqis and Syrians have connected [at Boukamal]")


def test_shaaban_is_quoted_by_voa_via_al_mayadeen(db):
    (claim,) = claims_of("bouthaina-shaaban")
    assert claim.outlet.slug == "voa"
    assert claim.via.slug == "al-mayadeen"
    assert claim.quote_type == "direct"
    assert claim.stated_on is None and "Wednesday" in claim.stated_on_note


def test_sqer_is_quoted_by_cgtn(db):
    (claim,) = claims_of("kamel-sqer")
    assert claim.outlet.slug == "cgtn"
    assert claim.cue == "said"
    assert "regional dimensions of fighting" in claim.text


def test_offsets_count_unicode_code_points(db):
    (claim,) = claims_of("syrian-field-commander")
    assert "group’s" in claim.text
    assert claim.end - claim.start == len(claim.text)


def test_dates_are_only_what_the_texts_establish(db):
    assert all(article.published_on is None for article in Article.select())
    assert all(article.published_on_note for article in Article.select())
    dated = {str(claim.stated_on) for claim in Claim.select() if claim.stated_on}
    assert dated == {"2017-11-09", "2017-11-19"}


def test_seeding_twice_changes_nothing(db):
    before = [(claim.id, claim.version, claim.updated_at) for claim in Claim.select()]
    counts = load_seeds(SEEDS)
    assert not any(counts.values())
    assert [(c.id, c.version, c.updated_at) for c in Claim.select()] == before
    assert Outlet.select().count() == 3


def test_a_statement_not_in_its_article_fails_naming_it(app, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    annotations = yaml.safe_load((seeds / "annotations.yaml").read_text(encoding="utf-8"))
    annotations["claims"][3]["text"] = "it took the ISIL stronghold twice"
    (seeds / "annotations.yaml").write_text(yaml.safe_dump(annotations), encoding="utf-8")
    with database.connection_context():
        with pytest.raises(SeedError, match=r"claim 4 \(syrian-army, cgtn\).*stronghold twice"):
            load_seeds(seeds)
        assert Claim.select().count() == 0  # all or nothing
