"""Queries compiled to SQL once and then run many times with new values.

peewee compiles a query each time it runs, and for a claim joined with its article, speaker and
outlets that takes longer than SQLite takes to find it by id. A query built with a `Slot` where a
value goes is compiled on first use; later runs only fill the slots. On PostgreSQL the statement
is also prepared on the server, once per connection: planning the joins took longer than
running them.
"""

import itertools
import re
import weakref
from collections.abc import Callable
from typing import NamedTuple

from peewee import Node, PostgresqlDatabase

from models.db import database

_names = (f"claims_api_{number}" for number in itertools.count(1))
# The statements prepared on each PostgreSQL connection (they last as long as it does).
_prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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
        self.name = next(_names)

    def rows(self, values: dict) -> list[tuple]:
        """The rows, as the database gives them, with `values` (slot name -> value) filled in."""
        params = [values[p.name] if isinstance(p, Opening) else p for p in self.params]
        if not isinstance(database.obj, PostgresqlDatabase):
            return database.execute_sql(self.sql, params).fetchall()
        prepared_here = _prepared_on.setdefault(database.connection(), set())
        if self.name not in prepared_here:
            numbered = iter(range(1, len(params) + 1))  # psycopg's %s as PostgreSQL's $1, $2...
            sql = re.sub("%s", lambda _: f"${next(numbered)}", self.sql)
            database.execute_sql(f"PREPARE {self.name} AS {sql}")
            prepared_here.add(self.name)
        marks = ", ".join(["%s"] * len(params))
        return database.execute_sql(
            f"EXECUTE {self.name}({marks})" if params else f"EXECUTE {self.name}", params
        ).fetchall()


_compiled: dict[tuple, Prepared] = {}


def prepared(key: tuple, build: Callable[[], object]) -> Prepared:
    """The query `build()` makes, compiled once per `key` and kind of database (whose SQL
    dialects differ)."""
    key = (type(database.obj), *key)
    if key not in _compiled:
        _compiled[key] = Prepared(build())
    return _compiled[key]
