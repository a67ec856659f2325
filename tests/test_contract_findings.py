"""What the fuzzer found, pinned: input the description allows is accepted, input it refuses
is a 422, never a 500 or a silent success."""

import pytest

from schemas.common import MAX_ID, encode_cursor
from tests.helpers import assert_problem, error_parameters, error_pointers


@pytest.mark.parametrize(
    "cursor", [encode_cursor(1) + "!", encode_cursor(MAX_ID + 1), encode_cursor(2**64), "e30"]
)
def test_a_cursor_the_api_did_not_issue_is_a_422(client, seeded, cursor):
    body = assert_problem(client.get("/v1/claims", query_string={"cursor": cursor}), 422)
    assert error_parameters(body) == {"cursor"}


def test_a_cursor_the_api_issued_is_accepted(client, seeded):
    page = client.get("/v1/claims?limit=2").get_json()
    assert client.get(f"/v1/claims?cursor={page['next_cursor']}").status_code == 200


@pytest.mark.parametrize("outlet_id", [1.0, 1])
def test_an_id_is_a_json_integer_whole_floats_included(client, seeded, writer, outlet_id):
    article = {"outlet_id": outlet_id, "url": f"https://example.org/{outlet_id}",
               "headline": "Crossing reopens", "body": "The crossing reopened."}  # fmt: skip
    response = client.post("/v1/articles", json=article, headers=writer)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["outlet"]["id"] == 1


@pytest.mark.parametrize("outlet_id", [1.5, "1", True])
def test_an_id_that_is_no_whole_number_is_a_422(client, seeded, writer, outlet_id):
    article = {"outlet_id": outlet_id, "url": "https://example.org/a", "headline": "Crossing",
               "body": "The crossing reopened."}  # fmt: skip
    body = assert_problem(client.post("/v1/articles", json=article, headers=writer), 422)
    assert error_pointers(body) == {"#/outlet_id"}


def test_search_text_with_a_control_character_is_a_422(client, seeded):
    body = assert_problem(client.get("/v1/speakers", query_string={"name": "Kha\x00shan"}), 422)
    assert error_parameters(body) == {"name"}
