"""Queries compiled to SQL once and then run many times with new values.

peewee compiles a query each time it runs, and for a claim joined with its article, speaker and
outlets that takes longer than SQLite takes to find it by id. A query built with a `Slot` where a
value goes is compiled on first use; later runs only fill the slots.
"""

from collections.abc import Callable
from typing import NamedTuple

from peewee import Node

from models.db import database


class Opening(NamedTuple):
    """Where a slot's value goes among a compiled query's parameters."""

    name: str


class Slot(Node):
    """A named value of a prepared query, given when it runs."""

    def __init__(self, name: str):
        self.name = name

    def __sql__(self, ctx):
        # converter=False: the value is given as the database takes it, not converted by a field.
        return ctx.value(Opening(self.name), converter=False)


class Prepared:
    """The SQL of `query` (built with Slots), compiled once."""

    def __init__(self, query):
        self.sql, self.params = query.sql()

    def rows(self, values: dict) -> list[tuple]:
        """The rows, as the database gives them, with `values` (slot name -> value) filled in."""
        params = [values[p.name] if isinstance(p, Opening) else p for p in self.params]
        return database.execute_sql(self.sql, params).fetchall()


_compiled: dict[tuple, Prepared] = {}


def prepared(key: tuple, build: Callable[[], object]) -> Prepared:
    """The query `build()` makes, compiled once per `key` and kind of database (whose SQL
    dialects differ)."""
    key = (type(database.obj), *key)
    if key not in _compiled:
        _compiled[key] = Prepared(build())
    return _compiled[key]
