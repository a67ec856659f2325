"""The examples in openapi.yaml are taken from the seed data: each resource's example is a
seeded resource, field for field (an article's `body` example is an excerpt of its body)."""

import pytest

from tests.helpers import all_pages
from tests.tooling import openapi_document

COLLECTIONS = {"Outlet": "/v1/outlets", "Speaker": "/v1/speakers", "Article": "/v1/articles",
               "Claim": "/v1/claims"}  # fmt: skip


def example_of(schema: dict, components: dict) -> dict:
    """The example that a schema's property examples compose (following `$ref`s)."""
    example = {}
    for name, prop in schema["properties"].items():
        if "example" in prop:
            example[name] = prop["example"]
        elif "$ref" in prop:
            nested = example_of(components[prop["$ref"].rsplit("/", 1)[1]], components)
            if nested:
                example[name] = nested
    return example


@pytest.mark.parametrize("name", COLLECTIONS)
def test_the_example_of_each_resource_is_a_seeded_one(client, seeded, name):
    components = openapi_document()["components"]["schemas"]
    example = example_of(components[name], components)
    body_excerpt = example.pop("body", None)

    matches = [
        item
        for item in all_pages(client, f"{COLLECTIONS[name]}?limit=100")
        if all(item.get(field) == value for field, value in example.items())
    ]

    assert len(example) >= 3, f"{name} has almost no examples"
    assert matches, f"no seeded {name.lower()} is {example}"
    if body_excerpt is not None:
        (article,) = matches
        assert body_excerpt in client.get(f"/v1/articles/{article['id']}").get_json()["body"]
