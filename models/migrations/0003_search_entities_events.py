"""Full-text search index, entities with their spellings, claim mentions and relations, events.

The search index is kept in step with claims, articles, speakers, speaker aliases and claim
mentions by triggers, so every write path (seeds, API, SQL) updates it. SQLite: an FTS5 table
whose rowid is `ref * 4 + kind` (1 claim, 2 article, 3 speaker) so a trigger finds a row without
a scan. PostgreSQL: a table with a generated tsvector (`simple` configuration; weights A title,
B body, D mentions) over the letters-and-digits words of each column, and a GIN index.

A frozen copy of the new tables as they were at this migration.
"""

from peewee import (
    CharField,
    Check,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
)

SQLITE = [
    """CREATE VIRTUAL TABLE search_index USING fts5(
        kind UNINDEXED, ref UNINDEXED, title, body, mentions,
        tokenize = 'unicode61 remove_diacritics 0')""",
    # Claims: body = text; mentions = "e<entity id>" per entity the claim is about.
    """CREATE TRIGGER claim_search_insert AFTER INSERT ON claim BEGIN
        INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        VALUES (new.id * 4 + 1, 'claim', new.id, '', new.text, '');
    END""",
    """CREATE TRIGGER claim_search_update AFTER UPDATE OF text ON claim BEGIN
        UPDATE search_index SET body = new.text WHERE rowid = new.id * 4 + 1;
    END""",
    """CREATE TRIGGER claim_search_delete AFTER DELETE ON claim BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 1;
    END""",
    """CREATE TRIGGER claim_mention_search_insert AFTER INSERT ON claim_mention BEGIN
        UPDATE search_index SET mentions = (
            SELECT coalesce(group_concat('e' || entity_id, ' '), '')
            FROM claim_mention WHERE claim_id = new.claim_id)
        WHERE rowid = new.claim_id * 4 + 1;
    END""",
    """CREATE TRIGGER claim_mention_search_delete AFTER DELETE ON claim_mention BEGIN
        UPDATE search_index SET mentions = (
            SELECT coalesce(group_concat('e' || entity_id, ' '), '')
            FROM claim_mention WHERE claim_id = old.claim_id)
        WHERE rowid = old.claim_id * 4 + 1;
    END""",
    # Articles: title = headline, body = body.
    """CREATE TRIGGER article_search_insert AFTER INSERT ON article BEGIN
        INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        VALUES (new.id * 4 + 2, 'article', new.id, new.headline, new.body, '');
    END""",
    """CREATE TRIGGER article_search_update AFTER UPDATE OF headline, body ON article BEGIN
        UPDATE search_index SET title = new.headline, body = new.body
        WHERE rowid = new.id * 4 + 2;
    END""",
    """CREATE TRIGGER article_search_delete AFTER DELETE ON article BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 2;
    END""",
    # Speakers: title = name, body = aliases.
    """CREATE TRIGGER speaker_search_insert AFTER INSERT ON speaker BEGIN
        INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        VALUES (new.id * 4 + 3, 'speaker', new.id, new.name, (
            SELECT coalesce(group_concat(alias, ' / '), '')
            FROM speaker_alias WHERE speaker_id = new.id), '');
    END""",
    """CREATE TRIGGER speaker_search_update AFTER UPDATE OF name ON speaker BEGIN
        UPDATE search_index SET title = new.name WHERE rowid = new.id * 4 + 3;
    END""",
    """CREATE TRIGGER speaker_search_delete AFTER DELETE ON speaker BEGIN
        DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
    END""",
    *(
        f"""CREATE TRIGGER speaker_alias_search_{event.split()[0].lower()}
        AFTER {event} ON speaker_alias BEGIN
            UPDATE search_index SET body = (
                SELECT coalesce(group_concat(alias, ' / '), '')
                FROM speaker_alias WHERE speaker_id = search_index.ref)
            WHERE rowid IN ({rows});
        END"""
        for event, rows in (
            ("INSERT", "new.speaker_id * 4 + 3"),
            ("UPDATE", "new.speaker_id * 4 + 3, old.speaker_id * 4 + 3"),
            ("DELETE", "old.speaker_id * 4 + 3"),
        )
    ),
    """INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        SELECT id * 4 + 1, 'claim', id, '', text, '' FROM claim""",
    """INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        SELECT id * 4 + 2, 'article', id, headline, body, '' FROM article""",
    """INSERT INTO search_index (rowid, kind, ref, title, body, mentions)
        SELECT id * 4 + 3, 'speaker', id, name, (
            SELECT coalesce(group_concat(alias, ' / '), '')
            FROM speaker_alias WHERE speaker_id = speaker.id), '' FROM speaker""",
]

SPEAKER_ALIASES = """(SELECT coalesce(string_agg(alias, ' / ' ORDER BY id), '')
    FROM speaker_alias WHERE speaker_id = {speaker})"""
MENTIONS = """(SELECT coalesce(string_agg('e' || entity_id, ' ' ORDER BY entity_id), '')
    FROM claim_mention WHERE claim_id = {claim})"""


def _postgres_trigger(table: str, columns: str, on_insert: str, on_update: str, on_delete: str):
    return [
        f"""CREATE FUNCTION {table}_search() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN {on_insert};
            ELSIF TG_OP = 'UPDATE' THEN {on_update};
            ELSE {on_delete};
            END IF;
            RETURN NULL;
        END $$""",
        f"""CREATE TRIGGER {table}_search AFTER INSERT OR UPDATE {columns}OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_search()""",
    ]


# Only letters and digits make words, as for SQLite's unicode61 and models.tokens: PostgreSQL's
# parser would also make "ez-zor" a word, between "deir" and "ez", and break the phrase.
WORDS_OF = "regexp_replace({column}, '[^[:alnum:]]+', ' ', 'g')"

POSTGRES = [
    """CREATE TABLE search_index (
        kind varchar(8) NOT NULL,
        ref integer NOT NULL,
        title text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        mentions text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple', {words_of_title}), 'A')
            || setweight(to_tsvector('simple', {words_of_body}), 'B')
            || setweight(to_tsvector('simple', mentions), 'D')) STORED,
        PRIMARY KEY (kind, ref))""".format(
        words_of_title=WORDS_OF.format(column="title"),
        words_of_body=WORDS_OF.format(column="body"),
    ),
    "CREATE INDEX search_index_document ON search_index USING gin (document)",
    *_postgres_trigger(
        "claim",
        "OF text ",
        "INSERT INTO search_index (kind, ref, body) VALUES ('claim', NEW.id, NEW.text)",
        "UPDATE search_index SET body = NEW.text WHERE kind = 'claim' AND ref = NEW.id",
        "DELETE FROM search_index WHERE kind = 'claim' AND ref = OLD.id",
    ),
    *_postgres_trigger(
        "article",
        "OF headline, body ",
        "INSERT INTO search_index (kind, ref, title, body) "
        "VALUES ('article', NEW.id, NEW.headline, NEW.body)",
        "UPDATE search_index SET title = NEW.headline, body = NEW.body "
        "WHERE kind = 'article' AND ref = NEW.id",
        "DELETE FROM search_index WHERE kind = 'article' AND ref = OLD.id",
    ),
    *_postgres_trigger(
        "speaker",
        "OF name ",
        "INSERT INTO search_index (kind, ref, title, body) VALUES ('speaker', NEW.id, NEW.name, "
        + SPEAKER_ALIASES.format(speaker="NEW.id")
        + ")",
        "UPDATE search_index SET title = NEW.name WHERE kind = 'speaker' AND ref = NEW.id",
        "DELETE FROM search_index WHERE kind = 'speaker' AND ref = OLD.id",
    ),
    *_postgres_trigger(
        "speaker_alias",
        "",
        "UPDATE search_index SET body = "
        + SPEAKER_ALIASES.format(speaker="NEW.speaker_id")
        + " WHERE kind = 'speaker' AND ref = NEW.speaker_id",
        "UPDATE search_index SET body = "
        + SPEAKER_ALIASES.format(speaker="search_index.ref")
        + " WHERE kind = 'speaker' AND ref IN (NEW.speaker_id, OLD.speaker_id)",
        "UPDATE search_index SET body = "
        + SPEAKER_ALIASES.format(speaker="OLD.speaker_id")
        + " WHERE kind = 'speaker' AND ref = OLD.speaker_id",
    ),
    *_postgres_trigger(
        "claim_mention",
        "",
        "UPDATE search_index SET mentions = "
        + MENTIONS.format(claim="NEW.claim_id")
        + " WHERE kind = 'claim' AND ref = NEW.claim_id",
        "UPDATE search_index SET mentions = "
        + MENTIONS.format(claim="search_index.ref")
        + " WHERE kind = 'claim' AND ref IN (NEW.claim_id, OLD.claim_id)",
        "UPDATE search_index SET mentions = "
        + MENTIONS.format(claim="OLD.claim_id")
        + " WHERE kind = 'claim' AND ref = OLD.claim_id",
    ),
    "INSERT INTO search_index (kind, ref, body) SELECT 'claim', id, text FROM claim",
    "INSERT INTO search_index (kind, ref, title, body) "
    "SELECT 'article', id, headline, body FROM article",
    "INSERT INTO search_index (kind, ref, title, body) SELECT 'speaker', id, name, "
    + SPEAKER_ALIASES.format(speaker="speaker.id")
    + " FROM speaker",
]


def up(migrator, db):
    class Stored(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        version = IntegerField(default=1)

        class Meta:
            database = db

    class Claim(Model):
        class Meta:
            database = db
            table_name = "claim"

    class Article(Model):
        class Meta:
            database = db
            table_name = "article"

    class Entity(Stored):
        slug = CharField(unique=True, max_length=64)
        name = CharField(max_length=200)
        kind = CharField(
            max_length=16,
            constraints=[Check("kind IN ('place', 'group', 'person', 'organisation')")],
        )
        description = TextField(null=True)

        class Meta:
            table_name = "entity"

    class EntityAlias(Model):
        entity = ForeignKeyField(Entity, on_delete="CASCADE")
        alias = CharField(max_length=200)
        key = CharField(max_length=200, index=True)

        class Meta:
            database = db
            table_name = "entity_alias"
            indexes = ((("entity", "alias"), True),)

    class ClaimMention(Model):
        claim = ForeignKeyField(Claim, on_delete="CASCADE")
        entity = ForeignKeyField(Entity, on_delete="CASCADE")
        source = CharField(max_length=9, constraints=[Check("source IN ('detected', 'annotated')")])

        class Meta:
            database = db
            table_name = "claim_mention"
            indexes = ((("claim", "entity"), True),)

    class ClaimRelation(Stored):
        source = ForeignKeyField(Claim, on_delete="CASCADE")
        target = ForeignKeyField(Claim, on_delete="CASCADE")
        type = CharField(
            max_length=16,
            constraints=[
                Check("type IN ('same_assertion', 'contradicts', 'elaborates', 'updates')")
            ],
        )

        class Meta:
            table_name = "claim_relation"
            indexes = ((("source", "target"), True),)
            constraints = [Check("source_id <> target_id")]

    class Event(Stored):
        slug = CharField(unique=True, max_length=64)
        name = CharField(max_length=200)
        description = TextField(null=True)
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)

        class Meta:
            table_name = "event"

    class EventArticle(Model):
        event = ForeignKeyField(Event, on_delete="CASCADE")
        article = ForeignKeyField(Article, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "event_article"
            indexes = ((("event", "article"), True),)

    class EventEntity(Model):
        event = ForeignKeyField(Event, on_delete="CASCADE")
        entity = ForeignKeyField(Entity, on_delete="CASCADE")

        class Meta:
            database = db
            table_name = "event_entity"
            indexes = ((("event", "entity"), True),)

    db.create_tables(
        [Entity, EntityAlias, ClaimMention, ClaimRelation, Event, EventArticle, EventEntity]
    )
    for statement in POSTGRES if isinstance(db, PostgresqlDatabase) else SQLITE:
        db.execute_sql(statement)


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for table in ("claim", "article", "speaker", "speaker_alias", "claim_mention"):
            db.execute_sql(f"DROP TRIGGER {table}_search ON {table}")
            db.execute_sql(f"DROP FUNCTION {table}_search()")
    else:
        for (name,) in db.execute_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_search_%'"
        ).fetchall():
            db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql("DROP TABLE search_index")
    for table in (
        "event_entity",
        "event_article",
        "event",
        "claim_relation",
        "claim_mention",
        "entity_alias",
        "entity",
    ):
        migrator.migrate(migrator.drop_table(table))
