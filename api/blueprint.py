"""What every resource blueprint shares: strict argument parsing, item look-up by id."""

import flask_smorest
import marshmallow as ma
from flask_smorest import abort
from webargs.flaskparser import FlaskParser
from werkzeug.routing import IntegerConverter

from schemas.common import MAX_ID


class Blueprint(flask_smorest.Blueprint):
    """A flask-smorest blueprint whose arguments reject unknown fields and query parameters,
    so that a typo (`?speakr_id=3`) is a 422, not a silently unfiltered list."""

    ARGUMENTS_PARSER = FlaskParser(unknown=ma.RAISE)


class IdConverter(IntegerConverter):
    """`<id:...>` in a route: a positive id in PostgreSQL's integer range (others are 404)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=MAX_ID)


def get_or_404(query, model, id: int):
    """The row of `query` with this id, or a 404 problem naming what was looked for."""
    item = query.where(model.id == id).get_or_none()
    if item is None:
        abort(404, message=f"There is no {model.__name__.lower()} with id {id}.")
    return item
