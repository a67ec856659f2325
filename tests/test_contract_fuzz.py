"""schemathesis fuzzes every operation of the committed description in-process, on seeded data,
with its default checks; answers the description documents for reasons a JSON Schema cannot
state are configured as expected per check and operation, never by turning a check off."""

import itertools
import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from models import ApiKey, database
from models.db import migrate
from models.seeding import load_seeds
from schemas.common import MAX_ID, encode_cursor
from tests.conftest import ON_POSTGRES, SEEDS, reset_postgres
from tests.tooling import OPENAPI_YAML

# Date ranges given as two query parameters; a reversed range is a documented 422.
DATE_RANGES = (("since", "until"), ("published_since", "published_until"))
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e][\x20-\x7e]{0,200}")
# schemathesis' default expected statuses, which the configuration below extends.
MISSING_HEADER_REJECTED = ["400", "401", "403", "406", "415", "422"]
# 413: a body can be valid and still larger than MAX_BODY_BYTES (generated bodies sometimes are).
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "413", "429", "5xx"]
REJECTED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429",
            "5xx"]  # fmt: skip

REFERENCING_STORED_DATA = ["createArticle", "updateArticle", "createClaim", "updateClaim",
                           "createImport", "extractAttributions", "acceptProposal"]  # fmt: skip

FUZZ_CONFIG = {
    "generation": {"max-examples": 15},
    "checks": {
        # A write without If-Match is 428 Precondition Required (RFC 6585), as documented.
        "missing_required_header": {"expected-statuses": [*MISSING_HEADER_REJECTED, "428"]},
    },
    "operations": [
        {
            # Ids in a body must name stored resources (an article's outlet_id, a claim's
            # article_id...), a claim's text must stand in its article's body at start..end
            # (end > start), an import names stored outlets and speakers, an extraction reads
            # `text` or `article_id` (not both): rules on stored data and across fields,
            # documented as 422 with a pointer.
            "include-operation-id": REFERENCING_STORED_DATA,
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "412", "422"]}
            },
        },
        {
            # A well-formed If-Match that is not the current ETag is 412, as documented.
            "include-method": ["PATCH", "DELETE"],
            "checks": {
                "positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "412"]},
                "negative_data_rejection": {"expected-statuses": [*REJECTED, "412"]},
            },
        },
    ],
}

# Valid cursors are those the API issued (`format: cursor`); anything else is a 422.
schemathesis.openapi.format("cursor", st.integers(0, MAX_ID).map(encode_cursor))
# Valid search queries are those of its language (`format: search-query`): lowercase words
# (so never an operator), some with a prefix `*`, joined by spaces or by OR.
SEARCH_WORDS = st.lists(st.from_regex(r"[a-z]{2,12}\*?", fullmatch=True), min_size=1, max_size=6)
schemathesis.openapi.format(
    "search-query", st.one_of(SEARCH_WORDS.map(" ".join), SEARCH_WORDS.map(" OR ".join))
)


@schemathesis.serializer("application/x-ndjson")
def ndjson(context, value) -> bytes:
    """A generated import line as an NDJSON body of one line."""
    return (json.dumps(value) + "\n").encode()


schema = schemathesis.openapi.from_path(
    OPENAPI_YAML, config=schemathesis.Config.from_dict(FUZZ_CONFIG)
)
fresh_keys = itertools.count()


@schema.hook
def filter_query(context, query) -> bool:
    """Leave out reversed date ranges, a rule across two parameters that JSON Schema cannot say."""
    if not isinstance(query, dict):
        return True
    return not any(
        isinstance(query.get(low), str)
        and isinstance(query.get(high), str)
        and query[low] > query[high]
        for low, high in DATE_RANGES
    )


@schemathesis.hook
def before_call(context, case, kwargs) -> None:
    """A valid Idempotency-Key is made unique per request, as a client makes it: reusing one
    with another body is a documented 422 that the generated cases would keep running into."""
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key):
        case.headers["Idempotency-Key"] = f"{key}-{next(fresh_keys)}"


@schema.auth(refresh_interval=None)
class WriterKey:
    """The `writer` fixture's API key, sent where the description asks for bearerAuth (and
    left out by the checks that prove a request without it is refused)."""

    headers: dict = {}

    def get(self, case, context):
        return WriterKey.headers.get("Authorization")

    def set(self, case, data, context):
        if data:
            case.headers = {**(case.headers or {}), "Authorization": data}


@pytest.fixture
def fuzzed_app(seeded, writer):
    """The seeded app the schema's calls go to, with the writer's key for bearerAuth."""
    schema.app, WriterKey.headers = seeded, writer
    yield seeded
    schema.app, WriterKey.headers = None, {}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_answers_as_documented(case, fuzzed_app):
    # Each parametrized test holds its own copy of the schema and operation: point them at the app.
    case.operation.app = case.operation.schema.app = fuzzed_app
    case.call_and_validate()


def test_chained_calls_answer_as_documented(fuzzed_app):
    class Scenario(schema.as_state_machine()):
        def setup(self):
            # Every scenario starts from the seed data, so hypothesis can replay any of them.
            WriterKey.headers = reseeded_database()

    Scenario.run(settings=settings(Scenario.TestCase.settings, max_examples=20))


def reseeded_database() -> dict:
    """The seed data alone in the test's database again; headers with a new write key."""
    with database.connection_context():
        if ON_POSTGRES:
            reset_postgres()
        else:
            database.execute_sql("PRAGMA foreign_keys = OFF")
            for table in database.get_tables():
                if table != "sqlite_sequence":  # SQLite's own AUTOINCREMENT counters stay
                    database.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
            database.execute_sql("PRAGMA foreign_keys = ON")
        migrate(database.obj)
        load_seeds(SEEDS)
        return {"Authorization": f"Bearer {ApiKey.issue('fuzzer', 'write')[1]}"}
