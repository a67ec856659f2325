"""Absolute URLs in answers (Location, Link, JSON-LD ids) are on the configured PUBLIC_URL: a
client's Host header, or any forwarding header, never shows in what the API answers."""

import http.client
import json
import re
import subprocess
from urllib.parse import urlsplit

import pytest

from api.config import Config, ConfigError
from tests.conftest import ROOT

PUBLIC = "https://claims.example.org:8443"
HOSTILE = {
    "Host": "evil.example",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Proto": "gopher",
    "X-Forwarded-Prefix": "/evil.example",
    "Forwarded": "host=evil.example;proto=gopher",
}


@pytest.fixture
def public(app_with):
    """A test client of the app serving PUBLIC, on this test's database."""
    return app_with(PUBLIC_URL=PUBLIC).test_client()


def sent(response) -> str:
    """Everything a response tells the client: status line, headers and body."""
    headers = "".join(f"{name}: {value}\n" for name, value in response.headers.items())
    return f"{response.status}\n{headers}\n{response.get_data(as_text=True)}"


def create(client, writer, path: str, body: dict) -> dict:
    response = client.post(path, json=body, headers={**writer, **HOSTILE})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert "evil" not in sent(response) and "gopher" not in sent(response)
    assert response.headers["Location"] == f"{PUBLIC}{path}/{response.get_json()['id']}"
    return response.get_json()


def test_a_create_answers_its_location_on_the_public_url_whatever_host_was_sent(public, writer):
    outlet = create(public, writer, "/v1/outlets", {"name": "Hostile Herald"})
    speaker = create(public, writer, "/v1/speakers", {"name": "A Host", "kind": "person"})
    article = create(
        public,
        writer,
        "/v1/articles",
        {
            "outlet_id": outlet["id"],
            "url": "https://example.org/host",
            "headline": "Hosts",
            "body": "The host said it.",
        },
    )
    create(
        public,
        writer,
        "/v1/claims",
        {
            "article_id": article["id"],
            "speaker_id": speaker["id"],
            "text": "it",
            "quote_type": "indirect",
        },
    )


@pytest.mark.parametrize(
    "path",
    [
        "/v1/claims?limit=1&quote_type=direct",
        "/v1/outlets?limit=1",
        "/v1/speakers/4/claims?limit=1",
        "/v1/search?q=Boukamal&kind=claim&kind=article&limit=1",
        "/v1/entities?limit=1&cursor=eyJhZnRlciI6IDB9",
        "/v1/events/1/timeline?limit=1",
    ],
)
def test_the_next_page_link_is_on_the_public_url(public, seeded, path):
    response = public.get(path, headers=HOSTILE)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "evil" not in sent(response) and "gopher" not in sent(response)
    link = re.fullmatch(r'<([^>]*)>; rel="next"', response.headers["Link"]).group(1)
    assert link.startswith(f"{PUBLIC}{urlsplit(path).path}?")
    assert public.get(link.removeprefix(PUBLIC)).status_code == 200


def test_linked_data_ids_are_on_the_public_url(public, seeded):
    document = public.get("/v1/claims/3", headers={**HOSTILE, "Accept": "application/ld+json"})
    annotation = public.get("/v1/claims/3/annotation", headers=HOSTILE)
    for response in (document, annotation):
        assert response.status_code == 200, response.get_data(as_text=True)
        assert "evil" not in sent(response) and "gopher" not in sent(response)
    claim = document.get_json()
    assert claim["@id"] == f"{PUBLIC}/v1/claims/3"
    assert claim["author"]["@id"] == f"{PUBLIC}/v1/speakers/{claim_speaker(public)}"
    assert claim["appearance"]["@id"] == f"{PUBLIC}/v1/articles/1"
    assert claim["appearance"]["publisher"]["@id"] == f"{PUBLIC}/v1/outlets/1"
    assert annotation.get_json()["id"] == f"{PUBLIC}/v1/claims/3/annotation"
    assert annotation.get_json()["body"] == f"{PUBLIC}/v1/claims/3"


def claim_speaker(client) -> int:
    return client.get("/v1/claims/3").get_json()["speaker"]["id"]


def test_no_answer_of_any_route_names_the_host_a_client_sent(public, seeded):
    paths = {re.sub(r"<[^>]+>", "1", rule.rule) for rule in public.application.url_map.iter_rules()}
    assert len(paths) > 25
    asked = [("GET", accept) for accept in ("application/json", "application/ld+json", "text/csv")]
    asked += [("GET", "text/html"), ("HEAD", "*/*"), ("OPTIONS", "*/*"), ("DELETE", "*/*")]
    for path in sorted(paths):
        for variant in (path, f"{path}/", f"{path}?limit=1"):
            for method, accept in asked:
                response = public.open(
                    variant, method=method, headers={**HOSTILE, "Accept": accept}
                )
                assert "evil" not in sent(response), (method, variant, sent(response))
                assert "gopher" not in sent(response), (method, variant, sent(response))


def test_a_live_server_answers_on_its_public_url_not_on_the_host_sent(gunicorn, issue_key):
    base, _ = gunicorn(PUBLIC_URL="http://claims.test:8000")
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    body = json.dumps({"name": "Live Host Gazette"})
    headers = {
        "Authorization": f"Bearer {issue_key('write')}",
        "Content-Type": "application/json",
        **HOSTILE,
    }
    connection.request("POST", "/v1/outlets", body=body, headers=headers)
    response = connection.getresponse()
    created = json.loads(response.read())
    connection.close()
    assert response.status == 201, created
    assert response.getheader("Location") == f"http://claims.test:8000/v1/outlets/{created['id']}"


def test_make_serve_passes_its_port_as_the_public_url():
    def recipe(*arguments: str, **environment: str) -> str:
        return subprocess.run(
            ["make", "-n", "serve", *arguments],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin", **environment},
        ).stdout

    assert "PUBLIC_URL='http://127.0.0.1:8000' " in recipe()
    assert "PUBLIC_URL='http://127.0.0.1:9123' " in recipe("PORT=9123")
    assert "PUBLIC_URL='https://claims.example.org' " in recipe(
        PUBLIC_URL="https://claims.example.org"
    )


@pytest.mark.parametrize(
    "value",
    [
        "claims.example.org",
        "ftp://claims.example.org",
        "https://",
        "https://claims.example.org/api",
        "https://claims.example.org/?a=1",
        "https://claims.example.org/#top",
        "https://user@claims.example.org",
        "https://claims.example.org:port",
    ],
)
def test_a_public_url_that_is_not_an_origin_is_refused(value):
    with pytest.raises(ConfigError) as refused:
        Config.from_env({"PUBLIC_URL": value})
    assert str(refused.value).startswith(f"PUBLIC_URL={value!r}: ")
    assert "e.g. https://claims.example.org" in str(refused.value)


@pytest.mark.parametrize(
    "value", ["https://claims.example.org", "http://127.0.0.1:9000/", "http://[::1]:8000"]
)
def test_a_public_url_is_read_from_the_environment(value):
    assert value == Config.from_env({"PUBLIC_URL": value}).PUBLIC_URL
    assert Config().PUBLIC_URL == "http://127.0.0.1:8000"
