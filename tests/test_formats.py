"""Interchange formats: a claim as schema.org `Claim` JSON-LD, its span as a W3C Web Annotation.

The JSON Schemas below restate what each standard requires of these documents, so that a
document missing a required key, or with a key of the wrong type, fails here.
"""

from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from tests.helpers import all_pages, assert_problem

ANNOTATION_MEDIA_TYPE = 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"'
URL = {"type": "string", "pattern": "^https?://"}

THING = {  # a schema.org node: a type and, for ours, an @id that resolves on the API
    "type": "object",
    "required": ["@type", "@id", "name"],
    "properties": {"@id": URL, "name": {"type": "string", "minLength": 1}},
}

# https://schema.org/Claim: a CreativeWork with text, author and where it appeared.
SCHEMA_ORG_CLAIM = {
    "type": "object",
    "required": ["@context", "@type", "@id", "text", "author", "appearance"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "Claim"},
        "@id": URL,
        "text": {"type": "string", "minLength": 1},
        "author": {
            **THING,
            "properties": {
                **THING["properties"],
                "@type": {"enum": ["Person", "Organization"]},
                "sameAs": {"type": "string", "pattern": "^https://www.wikidata.org/wiki/Q"},
            },
        },
        "appearance": {
            "type": "object",
            "required": ["@type", "@id", "url", "headline", "publisher"],
            "properties": {
                "@type": {"const": "NewsArticle"},
                "@id": URL,
                "url": {"type": "string", "minLength": 1},
                "headline": {"type": "string"},
                "datePublished": {"type": "string", "format": "date"},
                "publisher": {
                    **THING,
                    "properties": {
                        **THING["properties"],
                        "@type": {"const": "NewsMediaOrganization"},
                    },
                },
            },
        },
        "firstAppearance": {
            "type": "object",
            "required": ["@type", "publisher"],
            "properties": {"@type": {"const": "CreativeWork"}, "publisher": THING},
        },
        "dateCreated": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    },
    "additionalProperties": False,
}

# https://www.w3.org/TR/annotation-model/: an Annotation with an IRI id, a target whose
# source is the annotated resource, and selectors as the model defines them.
WEB_ANNOTATION = {
    "type": "object",
    "required": ["@context", "id", "type", "target"],
    "properties": {
        "@context": {"const": "http://www.w3.org/ns/anno.jsonld"},
        "id": URL,
        "type": {"const": "Annotation"},
        "motivation": {"const": "identifying"},
        "body": URL,
        "created": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$"},
        "modified": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$"},
        "target": {
            "type": "object",
            "required": ["source", "selector"],
            "properties": {
                "source": {"type": "string", "minLength": 1},
                "selector": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 2,
                    "prefixItems": [
                        {
                            "type": "object",
                            "required": ["type", "exact"],
                            "properties": {
                                "type": {"const": "TextQuoteSelector"},
                                "exact": {"type": "string", "minLength": 1},
                                "prefix": {"type": "string"},
                                "suffix": {"type": "string"},
                            },
                            "additionalProperties": False,
                        },
                        {
                            "type": "object",
                            "required": ["type", "start", "end"],
                            "properties": {
                                "type": {"const": "TextPositionSelector"},
                                "start": {"type": "integer", "minimum": 0},
                                "end": {"type": "integer", "minimum": 0},
                            },
                            "additionalProperties": False,
                        },
                    ],
                },
            },
        },
    },
    "additionalProperties": False,
}


def assert_valid(document: dict, shape: dict) -> None:
    errors = [error.message for error in Draft202012Validator(shape).iter_errors(document)]
    assert errors == [], errors


def test_the_shapes_refuse_documents_that_break_them():
    assert list(Draft202012Validator(SCHEMA_ORG_CLAIM).iter_errors({"@type": "Claim"}))
    broken = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "x", "type": "Annotation"}
    assert list(Draft202012Validator(WEB_ANNOTATION).iter_errors(broken))


def test_every_claim_is_a_schema_org_claim(client, seeded):
    for claim in all_pages(client, "/v1/claims"):
        response = client.get(
            f"/v1/claims/{claim['id']}", headers={"Accept": "application/ld+json"}
        )
        assert response.status_code == 200
        assert response.mimetype == "application/ld+json"
        assert_valid(response.get_json(), SCHEMA_ORG_CLAIM)


def test_json_ld_says_who_said_what_and_where_it_appeared(client, seeded):
    claims = all_pages(client, "/v1/claims")
    relayed = next(claim for claim in claims if claim["via"])
    document = client.get(
        f"/v1/claims/{relayed['id']}", headers={"Accept": "application/ld+json"}
    ).get_json()
    assert document["@id"] == f"http://localhost/v1/claims/{relayed['id']}"
    assert document["text"] == relayed["text"]
    assert document["author"]["@type"] == "Person"
    assert document["author"]["name"] == relayed["speaker"]["name"]
    assert document["appearance"]["url"] == relayed["article"]["url"]
    assert document["appearance"]["headline"] == relayed["article"]["headline"]
    assert document["appearance"]["publisher"]["name"] == relayed["outlet"]["name"]
    assert document["firstAppearance"]["publisher"]["name"] == relayed["via"]["name"]
    assert document.get("dateCreated") == relayed["stated_on"]  # left out when unknown
    for node in (document, document["author"], document["appearance"]):
        assert client.get(urlsplit(node["@id"]).path).status_code == 200


def test_every_claim_span_is_a_web_annotation_that_selects_its_text(client, seeded):
    for claim in all_pages(client, "/v1/claims"):
        response = client.get(f"/v1/claims/{claim['id']}/annotation")
        assert response.status_code == 200
        assert response.content_type == ANNOTATION_MEDIA_TYPE
        annotation = response.get_json()
        assert_valid(annotation, WEB_ANNOTATION)
        article = client.get(f"/v1/articles/{claim['article']['id']}").get_json()
        assert annotation["target"]["source"] == article["url"]
        quote, position = annotation["target"]["selector"]
        body = article["body"]
        assert body[position["start"] : position["end"]] == quote["exact"] == claim["text"]
        assert body[: position["start"]].endswith(quote["prefix"])
        assert body[position["end"] :].startswith(quote["suffix"])
        assert annotation["body"] == f"http://localhost/v1/claims/{claim['id']}"


def test_claim_json_stays_the_default(client, seeded):
    claim = all_pages(client, "/v1/claims")[0]
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        response = client.get(f"/v1/claims/{claim['id']}", headers=headers)
        assert response.get_json() == claim
        assert response.headers["Vary"] == "Accept"


def test_the_annotation_is_plain_json_to_a_client_that_asks_only_for_json(client, seeded):
    claim = all_pages(client, "/v1/claims")[0]
    as_json = client.get(
        f"/v1/claims/{claim['id']}/annotation", headers={"Accept": "application/json"}
    )
    as_ld = client.get(f"/v1/claims/{claim['id']}/annotation", headers={"Accept": "*/*"})
    assert as_json.mimetype == "application/json"
    assert as_ld.content_type == ANNOTATION_MEDIA_TYPE
    assert as_json.get_json() == as_ld.get_json()


def test_formats_a_resource_does_not_offer_are_406(client, seeded):
    claim = all_pages(client, "/v1/claims")[0]
    assert_problem(client.get(f"/v1/claims/{claim['id']}", headers={"Accept": "text/csv"}), 406)
    annotation = client.get(f"/v1/claims/{claim['id']}/annotation", headers={"Accept": "text/html"})
    assert_problem(annotation, 406)


def test_unknown_claim_has_no_annotation(client, seeded):
    assert_problem(client.get("/v1/claims/999999/annotation"), 404)
    assert_problem(client.get("/v1/claims/999999", headers={"Accept": "application/ld+json"}), 404)
