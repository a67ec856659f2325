"""/v1/articles: the published texts, their outlets and their claims."""

from tests.helpers import assert_problem, error_parameters


def test_articles_carry_outlet_body_and_how_their_date_is_known(client, seeded):
    articles = client.get("/v1/articles").get_json()["data"]
    assert [article["outlet"]["name"] for article in articles] == ["CGTN", "Voice of America"]
    cgtn = articles[0]
    assert cgtn["headline"] == "Syrian army claims to have retaken Al-Bukamal for second time"
    assert cgtn["section"] == "World Today"
    assert cgtn["bylines"] == ["Alaa Ebrahim"]
    assert cgtn["published_on"] is None and "2017-11-19" in cgtn["published_on_note"]
    assert len(cgtn["body_sha256"]) == 64


def test_get_one_article(client, seeded):
    first = client.get("/v1/articles").get_json()["data"][0]
    assert client.get(f"/v1/articles/{first['id']}").get_json() == first
    assert_problem(client.get("/v1/articles/31337"), 404)
    assert_problem(client.get("/v1/articles/31337/claims"), 404)


def test_filter_by_outlet_and_published_range(client, seeded, app):
    from models import Article, database

    outlets = client.get("/v1/outlets").get_json()["data"]
    voa = next(outlet for outlet in outlets if outlet["slug"] == "voa")
    found = client.get(f"/v1/articles?outlet_id={voa['id']}").get_json()["data"]
    assert [article["outlet"]["id"] for article in found] == [voa["id"]]

    with database.connection_context():
        Article.update(published_on="2017-11-09").where(Article.outlet == voa["id"]).execute()
    in_range = client.get("/v1/articles?published_since=2017-11-01&published_until=2017-11-10")
    assert [a["outlet"]["id"] for a in in_range.get_json()["data"]] == [voa["id"]]
    body = assert_problem(
        client.get("/v1/articles?published_since=2017-12-01&published_until=2017-11-01"), 422
    )
    assert error_parameters(body) == {"published_since"}
