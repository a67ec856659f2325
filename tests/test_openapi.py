"""The committed contract is what the code generates, valid, and served with its docs page."""

import json
from pathlib import Path

import yaml
from openapi_spec_validator import validate

from api.docs import openapi_yaml

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.yaml"


def generated(app) -> dict:
    return yaml.safe_load(openapi_yaml(app.extensions["flask-smorest"]["apis"][""]["ext_obj"]))


def test_committed_openapi_yaml_is_what_the_code_generates(app):
    committed = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert committed == generated(app), "openapi.yaml is stale: run `make openapi`"


def test_openapi_yaml_is_a_valid_openapi_3_1_document():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_operation_ids_are_stable_and_readable():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    operation_ids = {
        operation["operationId"]
        for path in spec["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {
        "listClaims",
        "getClaim",
        "listSpeakers",
        "getSpeaker",
        "listSpeakerClaims",
        "listArticles",
        "getArticle",
        "listArticleClaims",
        "listOutlets",
        "getOutlet",
        "listOutletArticles",
        "listOutletClaims",
        "getLiveness",
        "getReadiness",
    } <= operation_ids


def test_every_error_response_is_a_problem_document():
    spec = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    for name, response in spec["components"]["responses"].items():
        if "content" in response and name != "OK":
            assert list(response["content"]) == ["application/problem+json"], name


def test_spec_is_served_as_json_and_yaml(client):
    as_json = client.get("/openapi.json")
    as_yaml = client.get("/openapi.yaml")
    assert as_json.status_code == as_yaml.status_code == 200
    assert as_yaml.content_type.startswith("application/yaml")
    assert yaml.safe_load(as_yaml.get_data(as_text=True)) == json.loads(as_json.get_data())


def test_docs_page_loads_its_assets_from_the_app(client):
    page = client.get("/docs").get_data(as_text=True)
    assets = ["/docs/assets/swagger-ui.css", "/docs/assets/swagger-ui-bundle.js"]
    for asset in assets:
        assert f'"{asset}"' in page
        response = client.get(asset)
        assert response.status_code == 200 and len(response.get_data()) > 1000
    assert "http://" not in page.replace("http://localhost", "") and "https://" not in page
