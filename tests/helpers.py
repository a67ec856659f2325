"""Assertions shared by the test files."""

PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def assert_problem(response, status: int) -> dict:
    """`response` is an RFC 9457 problem document for `status`; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body.keys() >= PROBLEM_FIELDS
    assert body["status"] == status
    assert body["instance"] == response.request.path
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def error_parameters(body: dict) -> set[str]:
    """The query parameters a 422 problem names."""
    return {error["parameter"] for error in body["errors"] if "parameter" in error}


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["data"]]


def all_pages(client, url: str) -> list[dict]:
    """Every item of a list, following `next_cursor` from page to page."""
    items, separator = [], "&" if "?" in url else "?"
    page = client.get(url).get_json()
    items += page["data"]
    while page["next_cursor"]:
        page = client.get(f"{url}{separator}cursor={page['next_cursor']}").get_json()
        items += page["data"]
    return items


def stored_rows() -> dict:
    """Every row of the data, its history and idempotency records, to show that a refused
    write changed nothing. (API keys are left out: using one notes when it was last used.)"""
    from models import (
        Article,
        Claim,
        IdempotencyRecord,
        Outlet,
        Proposal,
        Revision,
        Speaker,
        SpeakerAlias,
        database,
    )

    models = (Outlet, Article, Speaker, SpeakerAlias, Claim, Revision, IdempotencyRecord, Proposal)
    with database.connection_context():
        return {model.__name__: list(model.select().order_by(model.id).dicts()) for model in models}


def error_pointers(body: dict) -> set[str]:
    """The request body fields (JSON pointers) a problem names."""
    return {error["pointer"] for error in body["errors"] if "pointer" in error}


def stored_tables() -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows, to show that a refused request
    changed nothing anywhere (API keys left out: using one notes when it was last used)."""
    import hashlib

    from models import ApiKey, database

    tables = {}
    with database.connection_context():
        for table in database.get_tables():
            if table == ApiKey._meta.table_name:
                continue
            rows = sorted(repr(row) for row in database.execute_sql(f'SELECT * FROM "{table}"'))
            tables[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return tables
