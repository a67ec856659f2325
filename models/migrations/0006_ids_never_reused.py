"""Ids are never reused: on SQLite every table's `id` becomes INTEGER PRIMARY KEY AUTOINCREMENT.

Without AUTOINCREMENT, SQLite gives a new row the largest id in use plus one, so deleting the
newest row hands its id to the next row: that row's creation revision then collides with the
deleted row's history (409 on every later create), and a client holding the old id finds
another resource under it. PostgreSQL's serial sequences never go back: nothing to do there.

SQLite cannot change a primary key in place, so each table is rebuilt as its documentation
prescribes (https://www.sqlite.org/lang_altertable.html#otheralter), from the CREATE TABLE it
stores, which keeps every column, constraint and foreign key as it is: a new table with
AUTOINCREMENT added, the rows copied with their ids, the old table dropped, the new one renamed
and the old one's indexes created again. The triggers that keep the search index in step
(0003) name these tables, so they are dropped first and created again last, from their stored
text; the search index's rows, keyed by the ids that are kept, stay as they are. Foreign keys
are off meanwhile (the migrator turns them off) and are checked before the end.

Each table's sequence starts after the largest id it holds and the largest id its history
names, so that a row deleted before this migration does not lend its id either.
"""

from contextlib import contextmanager

from peewee import PostgresqlDatabase

TABLES = (
    "outlet",
    "article",
    "speaker",
    "speaker_alias",
    "claim",
    "revision",
    "idempotency_record",
    "entity",
    "entity_alias",
    "claim_mention",
    "claim_relation",
    "event",
    "event_article",
    "event_entity",
    "api_key",
)
ID = '"id" INTEGER NOT NULL PRIMARY KEY'
NEVER_REUSED = f"{ID} AUTOINCREMENT"


def up(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        return
    with triggers_set_aside(db):
        for table in TABLES:
            rebuild(db, table, ID, NEVER_REUSED)
            start_sequence(db, table)
    check_references(db)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        return
    with triggers_set_aside(db):
        for table in TABLES:
            rebuild(db, table, NEVER_REUSED, ID)
            db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    check_references(db)


@contextmanager
def triggers_set_aside(db):
    """Drop every trigger, and create each again from its stored text afterwards: renaming a
    table checks every trigger, and one that names a table dropped meanwhile would fail it."""
    triggers = db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    triggers = triggers.fetchall()
    for name, _ in triggers:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        db.execute_sql(sql)


def start_sequence(db, table: str) -> None:
    """Let new ids of `table` start after every id it holds or its history names."""
    (held,) = db.execute_sql(f'SELECT max(id) FROM "{table}"').fetchone()
    (named,) = db.execute_sql(
        "SELECT max(resource_id) FROM revision WHERE resource = ?", (table,)
    ).fetchone()
    db.execute_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    db.execute_sql(
        "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, max(held or 0, named or 0))
    )


def check_references(db) -> None:
    broken = db.execute_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"rows refer to rows that are not stored: {broken}")


def rebuild(db, table: str, id_before: str, id_after: str) -> None:
    """Rebuild `table` with its id column declared `id_after` instead of `id_before`, keeping
    its rows, their ids, its constraints and its indexes."""
    (create,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    head = f'CREATE TABLE "{table}" ('
    if not create.startswith(head) or create.count(id_before) != 1:
        raise RuntimeError(f"{table} is not as this migration expects: {create}")
    indexes = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table,),
    ).fetchall()
    rebuilt = f"{table}__rebuilt"
    columns = ", ".join(f'"{column.name}"' for column in db.get_columns(table))
    db.execute_sql(
        create.replace(head, f'CREATE TABLE "{rebuilt}" (', 1).replace(id_before, id_after, 1)
    )
    db.execute_sql(f'INSERT INTO "{rebuilt}" ({columns}) SELECT {columns} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{rebuilt}" RENAME TO "{table}"')
    for (sql,) in indexes:
        db.execute_sql(sql)
