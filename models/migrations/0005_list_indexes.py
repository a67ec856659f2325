"""Indexes for every list filter in its id order, so that a filtered page, a page deep into the
cursor and a streamed export read only the rows they return.

`(reference, id)` replaces the one-column index peewee made for each reference: it serves the
same look-ups and also hands the matches over already in id (keyset) order. The expression
index serves the case-blind `cue` filter.
"""

REFERENCES = (("claim", "speaker_id"), ("claim", "article_id"), ("article", "outlet_id"))
ADDED = {
    "claim_quote_type_id": "claim (quote_type, id)",
    "claim_lower_cue_id": "claim (LOWER(cue), id)",
    "speaker_kind_id": "speaker (kind, id)",
}


def up(migrator, db):
    for table, column in REFERENCES:
        db.execute_sql(f"CREATE INDEX {table}_{column}_id ON {table} ({column}, id)")
        db.execute_sql(f"DROP INDEX {table}_{column}")
    for name, columns in ADDED.items():
        db.execute_sql(f"CREATE INDEX {name} ON {columns}")


def down(migrator, db):
    for name in ADDED:
        db.execute_sql(f"DROP INDEX {name}")
    for table, column in REFERENCES:
        db.execute_sql(f"CREATE INDEX {table}_{column} ON {table} ({column})")
        db.execute_sql(f"DROP INDEX {table}_{column}_id")
