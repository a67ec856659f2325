"""Liveness and readiness probes."""

from tests.helpers import assert_problem


def test_livez_needs_nothing(client):
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_checks_the_database(client):
    assert client.get("/readyz").get_json() == {"status": "ok", "reasons": []}


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    from api import create_app
    from api.config import TestConfig

    config = TestConfig()
    config.DATABASE_URL = f"sqlite:///{tmp_path / 'nowhere' / 'claims.db'}"
    assert_problem(create_app(config).test_client().get("/readyz"), 503)
