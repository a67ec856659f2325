"""Every error is an RFC 9457 problem document, never HTML, never a stack trace."""

from tests.helpers import assert_problem, error_parameters


def test_unknown_route_is_a_404_problem(client, seeded):
    body = assert_problem(client.get("/v1/quotes"), 404)
    assert body["title"] == "Not Found"
    assert body["type"] == "about:blank"


def test_ids_outside_the_id_range_are_404(client, seeded):
    for path in ("/v1/claims/0", "/v1/claims/-3", "/v1/claims/abc", "/v1/claims/99999999999"):
        assert_problem(client.get(path), 404)


def test_wrong_method_is_405_with_allow(client, seeded):
    response = client.delete("/v1/claims")
    assert_problem(response, 405)
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "HEAD"}


def test_unknown_query_parameters_are_rejected(client, seeded):
    body = assert_problem(client.get("/v1/speakers?nme=khashan"), 422)
    assert error_parameters(body) == {"nme"}
    assert body["errors"][0]["detail"] == "Unknown field."


def test_several_bad_parameters_are_all_named(client, seeded):
    body = assert_problem(client.get("/v1/claims?limit=0&quote_type=x&foo=1"), 422)
    assert error_parameters(body) == {"limit", "quote_type", "foo"}


def test_a_database_that_does_not_answer_is_503_not_500(tmp_path):
    from api import create_app
    from api.config import TestConfig

    config = TestConfig()
    config.DATABASE_URL = f"sqlite:///{tmp_path / 'missing' / 'dir' / 'claims.db'}"
    response = create_app(config).test_client().get("/v1/claims")
    assert_problem(response, 503)
    assert response.headers["Retry-After"]
