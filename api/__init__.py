"""The HTTP layer: create_app() wires configuration, database, resources and errors."""

from flask import Flask

from api import articles, claims, docs, operations, outlets, speakers
from api.blueprint import IdConverter
from api.config import Config
from api.problems import ClaimsApi
from models import database, open_database
from schemas.common import MAX_ID


def create_app(config: Config | None = None) -> Flask:
    """A configured application; `config` defaults to the environment's."""
    app = Flask(__name__)
    app.config.from_object(config or Config.from_env())
    app.url_map.converters["id"] = IdConverter
    app.json.sort_keys = False

    open_database(app.config["DATABASE_URL"])
    app.before_request(connect_database)
    app.teardown_request(close_database)

    api = ClaimsApi(app)
    api.register_converter(
        IdConverter, lambda converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    )
    for module in (outlets, articles, speakers, claims, operations):
        api.register_blueprint(module.blp)
    app.register_blueprint(docs.blp)
    return app


def connect_database() -> None:
    database.connect(reuse_if_open=True)


def close_database(exc: BaseException | None) -> None:
    if not database.is_closed():
        database.close()
