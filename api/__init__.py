"""The HTTP layer: create_app() wires configuration, database, resources and errors."""

from flask import Flask, current_app

from api import (
    articles,
    claims,
    docs,
    entities,
    events,
    extractions,
    imports,
    operations,
    outlets,
    proposals,
    relations,
    search,
    speakers,
)
from api.auth import BEARER_SCHEME, authorize
from api.blueprint import IdConverter
from api.config import Config
from api.operability import init_operability
from api.pages import blp as pages_blueprint
from api.problems import ClaimsApi
from api.rate_limits import init_rate_limits
from api.request_body import read_whole_body
from models import database, open_database
from models.db import start_query_budget
from schemas.common import MAX_ID


def create_app(config: Config | None = None) -> Flask:
    """A configured application; `config` defaults to the environment's."""
    app = Flask(__name__)
    app.config.from_object(config or Config.from_env())
    app.url_map.converters["id"] = IdConverter
    app.json.sort_keys = False

    init_operability(app)  # first, so that every answer has a request id and a log line
    open_database(
        app.config["DATABASE_URL"],
        busy_timeout=app.config["DATABASE_BUSY_TIMEOUT_MS"] / 1000,
        query_budget_ms=app.config["QUERY_TIME_BUDGET_MS"],
    )
    app.before_request(connect_database)
    app.teardown_request(close_database)
    init_rate_limits(app)  # before authorize: refused keys still spend their address's budget
    app.before_request(authorize)
    app.before_request(read_whole_body)  # after authorize: a refused client's body is not read

    api = ClaimsApi(app)
    api.spec.components.security_scheme(
        BEARER_SCHEME,
        {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key from `claims-api keys create`, as "
            "`Authorization: Bearer ck_...`. Writes need the `write` scope.",
        },
    )
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    )
    resources = (
        *(outlets, articles, speakers, claims, relations, entities, events, search, imports),
        *(extractions, proposals),
    )
    for module in (*resources, operations):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs.blp)
    docs.link_reading_pages(api)
    app.register_blueprint(pages_blueprint)  # HTML, not in the OpenAPI description
    return app


def connect_database() -> None:
    database.connect(reuse_if_open=True)
    start_query_budget(current_app.config["QUERY_TIME_BUDGET_MS"])


def close_database(exc: BaseException | None) -> None:
    if not database.is_closed():
        database.close()
