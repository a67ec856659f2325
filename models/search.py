"""Full-text search over claim texts, article headlines and bodies, and speaker names.

One query language of our own, parsed here and never handed raw to the database:

    query   := all (OR all)*           OR binds looser than the implicit AND
    all     := atom ([AND] atom)*
    atom    := word | word* | "a phrase" | "a phrase"*

Words are runs of letters and digits, compared ignoring case, without stemming (SQLite's
unicode61 tokenizer; PostgreSQL's `simple` configuration over the text with everything else
replaced by spaces). A word, phrase or run of words that spells an entity stands for every
spelling of it and for the claims about it (models.mention); an acronym spelling only in capitals.
Titles and snippets are HTML on both databases: the stored text escaped, matches marked
<mark>…</mark>. The engine marks matches with fresh random markers that no stored text can hold,
so only the marks it inserts become tags; a text holding `<mark>` or a marker's characters comes
out as escaped text.

One index, `search_index`, holds a row per claim, article and speaker (title, body, mentions),
kept in step with the tables by database triggers (migration 0003): an FTS5 table on SQLite, a
table with a generated tsvector column and a GIN index on PostgreSQL.
"""

import html
import re
import secrets
from dataclasses import dataclass

from peewee import (
    SQL,
    Cast,
    CharField,
    CompositeKey,
    Expression,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
    fn,
)

from models.db import database
from models.entity import Entity, EntityAlias, spellings_in
from models.tokens import is_acronym, word_key, words

KINDS = ("claim", "article", "speaker")
MAX_ATOMS = 12
MIN_PREFIX = 2  # letters before a `*`: a shorter prefix matches nearly everything
MARKS = ("<mark>", "</mark>")
ELLIPSIS = "…"
SNIPPET_WORDS = 32
OPERATORS = ("AND", "OR")


class QuerySyntaxError(ValueError):
    """A search query that does not follow the query language; the message says why."""


@dataclass(frozen=True)
class Words:
    """A word, or a phrase of words in this order; `prefix`: the last word may go on."""

    written: tuple[str, ...]
    prefix: bool = False

    @property
    def key(self) -> str:
        return word_key(" ".join(self.written))


@dataclass(frozen=True)
class About:
    """Annotated or detected as being about the entity."""

    entity_id: int


@dataclass(frozen=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True)
class AnyOf:
    parts: tuple


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed query: `text` as typed and its syntax tree."""

    text: str
    tree: object


def parse(text: str) -> ParsedQuery:
    """The syntax tree of `text`; raises QuerySyntaxError saying what is wrong."""
    tokens = list(_tokens(text))
    if not tokens:
        raise QuerySyntaxError("The query has no word to search for.")
    atoms = sum(1 for token in tokens if isinstance(token, Words))
    if atoms > MAX_ATOMS:
        raise QuerySyntaxError(f"The query has {atoms} words or phrases; at most {MAX_ATOMS}.")
    alternatives, current, previous = [], [], None
    for token in tokens:
        if token in OPERATORS:
            if previous is None or previous in OPERATORS:
                raise QuerySyntaxError(f"{token} needs a word or phrase before it.")
            if token == "OR":
                alternatives.append(current)
                current = []
        else:
            current.append(token)
        previous = token
    if previous in OPERATORS:
        raise QuerySyntaxError(f"{previous} needs a word or phrase after it.")
    alternatives.append(current)
    return ParsedQuery(text, _either([_all(parts) for parts in alternatives]))


def _all(parts: list):
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _either(parts: list):
    return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))


def _tokens(text: str):
    position = 0
    while position < len(text):
        char = text[position]
        if char.isspace():
            position += 1
        elif char == '"':
            end = text.find('"', position + 1)
            if end == -1:
                raise QuerySyntaxError(
                    f"The quotation mark at character {position + 1} is never closed."
                )
            prefix = text.startswith("*", end + 1)
            yield _phrase(text[position + 1 : end], prefix, f'"{text[position + 1 : end]}"')
            position = end + 1 + prefix
        elif char in "()":
            raise QuerySyntaxError("Parentheses are not supported: OR binds looser than AND.")
        else:
            end = position
            while end < len(text) and not text[end].isspace() and text[end] not in '"()':
                end += 1
            yield _bare(text[position:end])
            position = end


def _bare(word: str):
    if word in OPERATORS:
        return word
    if word == "NOT" or word[0] in "-+!":
        raise QuerySyntaxError(f"{word!r}: excluding words is not supported.")
    prefix = word.endswith("*")
    return _phrase(word[:-1] if prefix else word, prefix, word)


def _phrase(text: str, prefix: bool, as_typed: str) -> Words:
    if "*" in text:
        raise QuerySyntaxError(f"{as_typed!r}: `*` may only end a word, as in Tehr*.")
    written = tuple(words(text))
    if not written:
        raise QuerySyntaxError(
            f'{as_typed!r} is not a word, a "phrase", a prefix* or OR.'
            if as_typed.strip('"')
            else "An empty phrase matches nothing."
        )
    if prefix and len(written[-1]) < MIN_PREFIX:
        raise QuerySyntaxError(
            f"{as_typed!r}: a prefix needs at least {MIN_PREFIX} letters before `*`."
        )
    return Words(written, prefix)


def expand_aliases(query: ParsedQuery) -> tuple[object, list[Entity]]:
    """The tree in which every word, phrase or run of words that spells an entity stands for
    all its spellings and for the claims about it; and those entities."""
    written: dict[str, set[str]] = {}

    def candidate(phrase: Words) -> None:
        written.setdefault(phrase.key, set()).add(" ".join(phrase.written))

    _rewrite(query.tree, candidate)  # a first pass only collects what could be a spelling
    entities_by_key: dict[str, list[Entity]] = {}
    for row in spellings_in(written):
        entities_by_key.setdefault(row.key, []).append(row.entity)
    if not entities_by_key:
        return query.tree, []
    spellings: dict[int, list[str]] = {}
    entity_ids = {entity.id for entities in entities_by_key.values() for entity in entities}
    for row in (
        EntityAlias.select().where(EntityAlias.entity.in_(entity_ids)).order_by(EntityAlias.id)
    ):
        spellings.setdefault(row.entity_id, []).append(row.alias)
    found: dict[int, Entity] = {}

    def standing_for(phrase: Words):
        alternatives = []
        for entity in entities_by_key.get(phrase.key, []):
            found[entity.id] = entity
            # An acronym would match the ordinary word in the case-blind index ("is").
            alternatives += [
                Words(tuple(words(spelling)))
                for spelling in spellings[entity.id]
                if not is_acronym(spelling)
            ]
            alternatives.append(About(entity.id))
        return AnyOf(tuple(dict.fromkeys(alternatives))) if alternatives else None

    tree = _rewrite(query.tree, standing_for)
    return tree, list(found.values())


def _rewrite(tree, standing_for):
    """`tree` with each run of plain words (no `*`) replaced by `standing_for(run)`, where that
    is not None; runs are tried longest first, from the left."""
    if isinstance(tree, AnyOf):
        return AnyOf(tuple(_rewrite(part, standing_for) for part in tree.parts))
    parts = list(tree.parts) if isinstance(tree, AllOf) else [tree]
    rewritten, start = [], 0
    while start < len(parts):
        replaced = None
        # The longest run wins: "Islamic State" is one name, not "Islamic" and "State".
        for end in range(len(parts), start, -1):
            run = parts[start:end]
            if all(isinstance(part, Words) and not part.prefix for part in run):
                replaced = standing_for(Words(sum((part.written for part in run), ())))
                if replaced is not None:
                    rewritten.append(replaced)
                    start = end
                    break
        if replaced is None:
            rewritten.append(parts[start])
            start += 1
    return _all(rewritten)


class SearchEntry(Model):
    """A row of the search index: one claim, article or speaker (maintained by triggers)."""

    kind = CharField()
    ref = IntegerField()
    title = TextField()  # headline, speaker name; empty for claims
    body = TextField()  # claim text, article body, speaker aliases
    mentions = TextField()  # "e<id>" for every entity a claim is about

    class Meta:
        database = database
        table_name = "search_index"
        primary_key = CompositeKey("kind", "ref")


@dataclass
class Hit:
    kind: str
    id: int
    score: float
    title: str | None
    snippet: str | None
    outlet: object = None  # filled in by whoever shows the hit
    speaker: object = None


class Fts5:
    """SQLite: an FTS5 table, MATCH expressions, bm25 ranking, snippet() and highlight()."""

    @staticmethod
    def compile(tree) -> str:
        # Words hold only letters and digits, so quoting them is all the escaping they need.
        if isinstance(tree, Words):
            star = " *" if tree.prefix else ""
            return f'{{title body}} : "{" ".join(tree.written)}"{star}'
        if isinstance(tree, About):
            return f'mentions : "e{tree.entity_id}"'
        joiner = " AND " if isinstance(tree, AllOf) else " OR "
        return "(" + joiner.join(Fts5.compile(part) for part in tree.parts) + ")"

    def condition(self, tree):
        return SQL("search_index MATCH ?", [self.compile(tree)])

    def hits(self, tree, markers: tuple[str, str]):
        # Column weights: kind, ref (not indexed), title, body, mentions.
        score = SQL("-bm25(search_index, 0, 0, 10.0, 1.0, 2.0)")
        title = SQL("highlight(search_index, 2, ?, ?)", markers)
        snippet = SQL(f"snippet(search_index, 3, ?, ?, ?, {SNIPPET_WORDS})", (*markers, ELLIPSIS))
        return _hits(score, title, snippet, self.condition(tree))


class Tsvector:
    """PostgreSQL: to_tsquery over the generated `document` column, ts_rank, ts_headline."""

    CONFIG = "simple"
    WEIGHTS = "{0.2, 0, 0.1, 1.0}"  # D, C, B, A: entity mentions, unused, bodies, titles

    @staticmethod
    def compile(tree) -> str:
        # Words hold only letters and digits, so quoting them is all the escaping they need.
        if isinstance(tree, Words):
            lexemes = [f"'{word}':AB" for word in tree.written]
            if tree.prefix:
                lexemes[-1] = f"'{tree.written[-1]}':*AB"
            return "(" + " <-> ".join(lexemes) + ")"
        if isinstance(tree, About):
            return f"'e{tree.entity_id}':D"
        joiner = " & " if isinstance(tree, AllOf) else " | "
        return "(" + joiner.join(Tsvector.compile(part) for part in tree.parts) + ")"

    def tsquery(self, tree):
        return fn.to_tsquery(self.CONFIG, self.compile(tree))

    def condition(self, tree):
        return Expression(SQL("document"), "@@", self.tsquery(tree))

    def hits(self, tree, markers: tuple[str, str]):
        query = self.tsquery(tree)
        # 1: divide the rank by the log of the length, as bm25 also prefers shorter texts.
        score = fn.ts_rank(Cast(self.WEIGHTS, "real[]"), SQL("document"), query, 1)
        marked = f"StartSel={markers[0]}, StopSel={markers[1]}"
        title = fn.ts_headline(
            self.CONFIG, SearchEntry.title, query, f"{marked}, HighlightAll=true"
        )
        snippet = fn.ts_headline(
            self.CONFIG,
            SearchEntry.body,
            query,
            f"{marked}, MaxFragments=1, MaxWords={SNIPPET_WORDS}, "
            f'MinWords={SNIPPET_WORDS // 2}, FragmentDelimiter="{ELLIPSIS}"',
        )
        return _hits(score, title, snippet, self.condition(tree))


def _hits(score, title, snippet, condition):
    return SearchEntry.select(
        SearchEntry.kind,
        SearchEntry.ref,
        score.alias("score"),
        title.alias("title"),
        snippet.alias("snippet"),
    ).where(condition)


ADJACENT_MARKS = re.compile(f"{re.escape(MARKS[1])}([ -]){re.escape(MARKS[0])}")


def fresh_markers() -> tuple[str, str]:
    """Stand-ins for MARKS for the engine to insert: random for each search, so that no stored
    text can contain them (html.escape leaves private-use characters and hex digits alone)."""
    nonce = secrets.token_hex(16)
    return f"\ue000{nonce}\ue001", f"\ue002{nonce}\ue001"


def as_html(marked: str | None, markers: tuple[str, str]) -> str | None:
    """The engine's output as HTML: its text escaped, its markers as MARKS, one mark around
    words marked one by one but adjacent ("Al-Bukamal", "Islamic State"), as FTS5 marks a
    phrase and ts_headline does not; None for nothing."""
    if not marked:
        return None
    escaped = html.escape(marked)
    for marker, mark in zip(markers, MARKS, strict=True):
        escaped = escaped.replace(marker, mark)
    return ADJACENT_MARKS.sub(r"\1", escaped)


def engine():
    """The implementation for the database the models are bound to."""
    return Tsvector() if isinstance(database.obj, PostgresqlDatabase) else Fts5()


def as_query(query: "ParsedQuery | str") -> ParsedQuery:
    """`query`, parsed if it is still text."""
    return parse(query) if isinstance(query, str) else query


def refs(query: "ParsedQuery | str", kind: str):
    """A subquery of the ids of the `kind` rows (claim, article, speaker) matching `query`."""
    tree, _ = expand_aliases(as_query(query))
    return SearchEntry.select(SearchEntry.ref).where(
        engine().condition(tree) & (SearchEntry.kind == kind)
    )


def search(query: "ParsedQuery | str", kinds=KINDS, offset: int = 0, limit: int = 20):
    """Hits for `query` among `kinds`, best first, with highlighted title and snippet (HTML);
    and the entities the query was expanded to."""
    tree, entities = expand_aliases(as_query(query))
    markers = fresh_markers()
    ranked = (
        engine()
        .hits(tree, markers)
        .where(SearchEntry.kind.in_(list(kinds)))
        .order_by(SQL("score").desc(), SearchEntry.kind, SearchEntry.ref)
        .offset(offset)
        .limit(limit)
    )
    hits = [
        Hit(
            row.kind,
            row.ref,
            round(row.score, 6),
            as_html(row.title, markers),
            as_html(row.snippet, markers),
        )
        for row in ranked.objects()
    ]
    return hits, entities
