"""Source noun phrases: where the source of a cue is, what it is called, and what kind it is.

The source of a cue is the subject before it (*Professor Hilal Khashan, who teaches ..., told*)
or, inverted, the noun phrase after it (*"...," said John Smith*). Appositives and relative
clauses are set aside, a proper-name run is preferred as the name, titles and determiners are
dropped, and the kind is read from the words: a pronoun, an organisation word (*army*, *ministry*,
*newspaper*), a document (*the report*), an unnamed or plural source (*officials*, *a spokesman*)
or a person's name."""

from extraction.sentences import Token, word_set

PRONOUNS = {"he": "person", "she": "person", "they": "group", "it": "organisation"}
WRITER_PRONOUNS = frozenset({"i", "we", "you"})
RELATIVES = frozenset({"who", "which", "that", "whose", "whom"})
DETERMINERS = word_set("the a an this that these those his her its their our my some")
TITLES = word_set(
    "mr mrs ms miss dr prof professor president sen senator rep representative gov governor gen "
    "general lt col sgt capt maj secretary minister premier chancellor judge justice mayor sir "
    "lord lady dame chief ceo chairman chairwoman director commissioner ambassador king queen "
    "prince princess pope rev father sister brother coach officer sheriff detective speaker "
    "leader vice deputy former acting attorney u.s"
)
PARTICLES = word_set("al el bin ibn de del della di da van von der den du la le st st. dos")
ORG_CONNECTORS = frozenset({"of", "for", "and", "on", "&"})
ORGANISATION_WORDS = word_set(
    "army government ministry department office company corporation inc inc. corp corp. ltd llc "
    "plc agency police court council committee commission university college school party "
    "observatory organisation organization association union bank board newspaper tv television "
    "network channel station radio paper magazine times post news journal press forces military "
    "administration house kremlin pentagon congress parliament senate fbi cia nasa group "
    "institute foundation center centre firm authority authorities service services club team "
    "league federation coalition alliance campaign hospital clinic studio studios label records "
    "airline airlines brand retailer network's"
)
DOCUMENT_WORDS = word_set(
    "report statement study document documents filing complaint lawsuit indictment letter memo "
    "survey data research analysis poll findings paper release post tweet ruling order "
    "affidavit transcript email emails summary guidelines guidance notice"
)
UNNAMED_WORDS = word_set(
    "officials official spokesman spokeswoman spokesperson spokespeople source sources aide "
    "aides commander diplomat diplomats insider insiders person people representative "
    "representatives executive executives investigators prosecutors officers witness witnesses "
    "employee employees staffer staffers"
)
GROUP_WORDS = word_set(
    "analysts experts residents protesters critics media activists scientists researchers "
    "economists doctors lawyers fans voters supporters opponents lawmakers democrats "
    "republicans students teachers parents observers organisers organizers leaders users "
    "members"
)
_NOT_NAMES = word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december the a an in on at but and or if when "
    "as after before while"
)
# Between a subject and its cue: auxiliaries and adverbs ("has also said", "had originally").
SKIPPABLE = word_set(
    "has have had also previously later then again recently earlier further would will could "
    "may might did does do not never once publicly repeatedly originally first quickly simply "
    "just only already often always still since privately separately flatly openly subsequently "
    "initially last yesterday today tonight"
)
_CLAUSE_BREAKS = frozenset(
    {",", ";", ":", "—", "–", "-", "(", ")", '"', "“", "”", "‘", "’", "'", "«", "»", "that", "but"}
) | word_set("after before when while although because since if though as until whereas where what")


_PREPOSITIONS_BEFORE_RELATIVE = word_set("in of by from with to for on at")
_AUXILIARIES = word_set("has have had is are was were will would can could should must")
_TIME_PREPOSITIONS = frozenset({"on", "in", "at", "during", "last", "this", "early", "late"})
_TIME_WORDS = word_set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december week month year morning afternoon "
    "evening night weekend"
)


def _is_time_word(tok: Token) -> bool:
    return tok.lower in _TIME_WORDS or tok.text[0].isdigit()


# Finite verbs: a bare clause after a cue shows one; a subject stops before one.
FINITE_VERBS = word_set(
    "is are was were has have had will would can could may might should must do does did took "
    "made went came gave got won lost left saw knew thought began became fell rose held kept "
    "met paid ran sent spent stood told wrote said found brought bought built caught chose "
    "drove felt fought grew hit hurt led meant put read set shot shut sold sought struck taught "
    "threw understood wore isn't wasn't aren't weren't won't can't don't doesn't didn't hasn't "
    "haven't"
)


def _is_adverb(tok: Token) -> bool:
    return tok.is_word and not tok.is_capitalised and tok.lower.endswith("ly") and len(tok.text) > 4


def looks_finite(tok: Token) -> bool:
    """A lower-case word that looks like a past-tense or auxiliary verb."""
    return (
        tok.is_word
        and not tok.is_capitalised
        and (tok.lower in _AUXILIARIES or (tok.lower.endswith("ed") and len(tok.text) > 3))
    )


def _short_title_before(tokens: list[Token], start: int, lo: int) -> bool:
    """Whether tokens[start - 1] closes a quotation of at most three words that follows a
    determiner or a word (a title inside a noun phrase), not a clause boundary."""
    k = start - 1
    if k - 1 < lo or tokens[k].is_word or tokens[k].quoted or not tokens[k - 1].quoted:
        return False
    j = k - 1
    while j >= lo and tokens[j].quoted:
        j -= 1
    words = sum(1 for t in tokens[j + 1 : k] if t.is_word)
    return (
        words <= 3
        and j - 1 >= lo
        and not tokens[j].is_word
        and tokens[j - 1].lower in DETERMINERS | {"'s", "’s"}
    )


def is_name_token(tok: Token) -> bool:
    """A capitalised word that can belong to a name (not a weekday, month or function word)."""
    return tok.is_word and tok.is_capitalised and tok.lower not in _NOT_NAMES


def _trim_leading(tokens: list[Token], lo: int, hi: int) -> int:
    """Skip a leading preposition phrase ("On Monday the company") and determiners."""
    if hi - lo > 2 and tokens[lo].lower in {"on", "in", "at", "last", "this", "earlier"}:
        for k in range(lo + 1, hi - 1):
            if tokens[k].lower in DETERMINERS:
                return k
    return lo


def subject_before(tokens: list[Token], cue: int, lo: int) -> tuple[int, int] | None:
    """Token range [a, b) of the subject before the cue at index `cue`, not before `lo`."""
    j = cue
    if j - 3 >= lo and tokens[j - 1].lower == "to" and tokens[j - 2].lower == "on":
        j -= 3  # "went on to point out"
    while j - 1 >= lo and (tokens[j - 1].lower in SKIPPABLE or _is_adverb(tokens[j - 1])):
        j -= 1
    if j - 1 >= lo and tokens[j - 1].lower in {"and", "but"}:
        # "X touched upon the idea and noted ...": the subject of the first verb.
        for v in range(j - 2, lo, -1):
            if tokens[v].quoted or tokens[v].text in {",", ";"}:
                break
            if looks_finite(tokens[v]):
                return subject_before(tokens, v, lo)
    if j - 1 >= lo and tokens[j - 1].text == "," and j - 2 >= lo:
        # "X, who teaches ..., told" / "X, a spokesman, said": the subject is before the
        # parenthetical, unless the parenthetical is all there is.
        k = j - 2
        while k >= lo and tokens[k].text not in {",", "(", "—"}:
            k -= 1
        if k >= lo and tokens[k].text == ",":
            inner = tokens[k + 1 : j - 1]
            if (
                inner
                and all(is_name_token(t) or t.lower in PARTICLES for t in inner)
                and (k - 1 >= lo and not is_name_token(tokens[k - 1]))
            ):
                return k + 1, j - 1  # "The company that runs the AMAs, Dick Clark Productions,"
            j = k
        elif any(looks_finite(t) for t in tokens[max(lo, k + 1) : j - 1]):
            return None  # "Physicians are volunteering ..., said Arroyo": a clause, inverted cue
        else:
            j -= 1
    end = j
    while end - 1 >= lo and tokens[end - 1].quoted:
        return None
    start = end
    while start - 1 >= lo:
        if _short_title_before(tokens, start, lo):
            # "the "Pose" actor": a quoted title inside the noun phrase.
            start -= 1
            while tokens[start - 1].quoted:
                start -= 1
            start -= 1
            continue
        if tokens[start - 1].lower in _CLAUSE_BREAKS or tokens[start - 1].quoted:
            break
        start -= 1
    if start >= end:
        return None
    if tokens[end - 1].lower in RELATIVES or tokens[start].lower in RELATIVES:
        return None
    for k in range(start + 1, end):
        low = tokens[k].lower
        nxt = tokens[k + 1] if k + 1 < end else None
        if low in RELATIVES and tokens[k - 1].lower in _PREPOSITIONS_BEFORE_RELATIVE:
            start = k + 1  # "billboards in which people say"
            continue
        if low in RELATIVES or low in _AUXILIARIES:
            end = k  # "A field commander who took part", "the office has for the first time"
            break
        if low in _TIME_PREPOSITIONS and nxt is not None and _is_time_word(nxt):
            end = k  # "The army on November 9th"
            break
    start = _trim_leading(tokens, start, end)
    while start < end - 1 and tokens[start].lower in {"and", "but", "or", "so"}:
        start += 1  # ", and Vindman reported to him": a new clause, not a post-posed cue
    if end - start > 1 and tokens[end - 1].lower in PRONOUNS:
        start = end - 1  # "In a post at the time she described"
    if end - start > 12:
        return None
    return start, end


def relative_antecedent(tokens: list[Token], rel: int, lo: int) -> tuple[int, int] | None:
    """For "..., who said", the name just before the comma before "who"."""
    j = rel - 1
    if j < lo or tokens[j].text != ",":
        return None
    end = j
    start = end
    while start - 1 >= lo and (
        is_name_token(tokens[start - 1]) or (tokens[start - 1].lower in PARTICLES and start < end)
    ):
        start -= 1
    return (start, end) if start < end else None


def source_after(tokens: list[Token], cue: int, hi: int) -> tuple[int, int] | None:
    """Token range of an inverted source ("..., said John Smith, a spokesman.")."""
    start = cue + 1
    if start >= hi or tokens[start].quoted:
        return None
    first = tokens[start]
    if not (
        is_name_token(first)
        or first.lower in DETERMINERS
        or first.lower in GROUP_WORDS
        or first.lower in UNNAMED_WORDS
    ):
        return None
    if first.lower in PRONOUNS or first.lower in WRITER_PRONOUNS:
        return None
    end = start
    while end < hi and tokens[end].is_word and not tokens[end].quoted and end - start < 10:
        if tokens[end].lower in RELATIVES or (
            end > start and tokens[end].lower in {"in", "on", "at", "during", "to", "after"}
        ):
            break
        end += 1
    if (
        end < hi
        and tokens[end].text not in {",", ".", ";", "!", "?", ")", "—"}
        and tokens[end].lower not in {"in", "on", "at", "during", "to", "after"}
    ):
        return None
    return (start, end) if end > start else None


def noun_phrase_after(tokens: list[Token], start: int, hi: int) -> tuple[int, int]:
    """The noun phrase from `start` up to punctuation (for "according to X")."""
    end = start
    while end < hi and tokens[end].text not in {",", ".", ";", ":", "!", "?", "—", "(", ")"}:
        if tokens[end].quoted:
            break
        end += 1
    return start, end


def head_run(np: list[Token]) -> list[Token]:
    """The last run of capitalised words in np (particles inside allowed)."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for i, tok in enumerate(np):
        if is_name_token(tok) or (
            current
            and (tok.lower in PARTICLES or tok.lower in ORG_CONNECTORS)
            and i + 1 < len(np)
            and is_name_token(np[i + 1])
        ):
            current.append(tok)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs[-1] if runs else []


def describe(np: list[Token], text: str) -> tuple[str, str, str]:
    """(name, kind, form) of a source noun phrase; form is pronoun, name, description."""
    words = [t for t in np if t.is_word or t.text in {"-", "&"}]
    if not words:
        return "", "anonymous", "description"
    low = [t.lower for t in words]
    if len(words) == 1 and low[0] in PRONOUNS:
        return words[0].text, PRONOUNS[low[0]], "pronoun"
    for i, tok in enumerate(words):
        if tok.lower.endswith(("'s", "’s")) and i + 1 < len(words):
            words, low = words[i + 1 :], low[i + 1 :]
            break
    while words and (words[0].lower in DETERMINERS or words[0].text.endswith(("-based", "-owned"))):
        words, low = words[1:], low[1:]
    if not words:
        return "", "anonymous", "description"
    for i in range(2, len(words) - 1):
        if (
            low[i] in {"of", "at", "from", "with"}
            and is_name_token(words[i - 1])
            and is_name_token(words[i - 2])
            and not any(w in ORGANISATION_WORDS for w in low[:i])
        ):
            words, low = words[:i], low[:i]  # "Robin Biesbroek of the CDF"
            break
    if "of" in low[1:-1]:
        of = low.index("of", 1)
        if words[of - 1].text.islower() and not words[0].is_capitalised:
            # "press office of the Lebanese Hezbollah": the head is before "of".
            return text[words[0].start : words[-1].end], "organisation", "name"
    run = head_run(words)
    lowset = set(low)
    head = low[-1]
    kind = _kind(lowset, head, run)
    if run and run[-1] is words[-1]:
        names = list(run)
        titled = [i for i, t in enumerate(names[:-1]) if t.lower.rstrip(".") in TITLES]
        if titled:
            names = names[titled[-1] + 1 :]  # "Teachers Association President Keith Gambill"
        if kind != "person" and len(run) < len(words) and not lowset & ORGANISATION_WORDS:
            names = list(run)
        name = text[names[0].start : names[-1].end]
        return name, kind, "name"
    name = text[words[0].start : words[-1].end]
    return name, kind, "description" if not run else "name"


def _kind(words: set[str], head: str, run: list[Token]) -> str:
    if head in DOCUMENT_WORDS:
        return "anonymous"
    if len(run) >= 2 and run[-1].lower == head and not {t.lower for t in run} & ORGANISATION_WORDS:
        return "person"  # "High school math teacher Angela Cooper"
    if words & ORGANISATION_WORDS:
        return "organisation"
    if head in UNNAMED_WORDS:
        return "anonymous"
    if head in GROUP_WORDS:
        return "group"
    if len(run) >= 2:
        return "person"
    if run:
        return "person" if run[-1].text[1:].islower() else "organisation"
    return "anonymous"
