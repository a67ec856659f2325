"""The cue lexicon: words that attribute speech or writing, with their inflections.

A verb form counts as a cue outside quotations and not in an agentless passive (*was reported*,
*is said to*). Bare forms that are also nouns (*report*, *claim*, *note*) count only after a
pronoun, a modal or *to*, so *the report said* has one cue, *said*."""

from dataclasses import dataclass

from extraction.sentences import Token, word_set

# lemma: its forms (past, 3rd person, -ing, past participle when irregular).
_VERBS = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "add": ("added", "adds", "adding"),
    "announce": ("announced", "announces", "announcing"),
    "confirm": ("confirmed", "confirms", "confirming"),
    "warn": ("warned", "warns", "warning"),
    "argue": ("argued", "argues", "arguing"),
    "write": ("wrote", "writes", "writing", "written"),
    "report": ("reported", "reports", "reporting"),
    "testify": ("testified", "testifies", "testifying"),
    "rule": ("ruled", "rules", "ruling"),
    "state": ("stated", "states", "stating"),
    "explain": ("explained", "explains", "explaining"),
    "note": ("noted", "notes", "noting"),
    "claim": ("claimed", "claims", "claiming"),
    "maintain": ("maintained", "maintains", "maintaining"),
    "acknowledge": ("acknowledged", "acknowledges", "acknowledging"),
    "admit": ("admitted", "admits", "admitting"),
    "insist": ("insisted", "insists", "insisting"),
    "assert": ("asserted", "asserts", "asserting"),
    "declare": ("declared", "declares", "declaring"),
    "predict": ("predicted", "predicts", "predicting"),
    "deny": ("denied", "denies", "denying"),
    "recall": ("recalled", "recalls", "recalling"),
    "reply": ("replied", "replies", "replying"),
    "respond": ("responded", "responds", "responding"),
    "concede": ("conceded", "concedes", "conceding"),
    "allege": ("alleged", "alleges", "alleging"),
    "complain": ("complained", "complains", "complaining"),
    "tweet": ("tweeted", "tweets", "tweeting"),
    "emphasize": ("emphasized", "emphasizes", "emphasizing"),
    "emphasise": ("emphasised", "emphasises", "emphasising"),
    "stress": ("stressed", "stresses", "stressing"),
    "observe": ("observed", "observes", "observing"),
    "remark": ("remarked", "remarks", "remarking"),
    "reveal": ("revealed", "reveals", "revealing"),
    "disclose": ("disclosed", "discloses", "disclosing"),
    "contend": ("contended", "contends", "contending"),
    "caution": ("cautioned", "cautions", "cautioning"),
    "estimate": ("estimated", "estimates", "estimating"),
    "suggest": ("suggested", "suggests", "suggesting"),
    "agree": ("agreed", "agrees", "agreeing"),
    "exclaim": ("exclaimed", "exclaims", "exclaiming"),
    "joke": ("joked", "jokes", "joking"),
    "boast": ("boasted", "boasts", "boasting"),
    "promise": ("promised", "promises", "promising"),
    "vow": ("vowed", "vows", "vowing"),
    "counter": ("countered", "counters", "countering"),
    "continue": ("continued", "continues"),
    "show": ("showed", "shows", "shown"),
    "find": ("found", "finds"),
    "conclude": ("concluded", "concludes", "concluding"),
    "describe": ("described", "describes", "describing"),
    "post": ("posted",),
    "quip": ("quipped", "quips"),
    "shout": ("shouted", "shouts"),
    "ask": ("asked", "asks"),
    "accuse": ("accused", "accuses", "accusing"),
    "hint": ("hinted", "hints", "hinting"),
    "read": ("reads",),
    "reiterate": ("reiterated", "reiterates", "reiterating"),
    "comment": ("commented", "comments"),
    "urge": ("urged", "urges", "urging"),
}
# Cues that take a clause only when "that" or a quotation introduces it; otherwise their object
# is a noun phrase ("showed a video", "found the body", "promised a review").
THAT_ONLY = word_set(
    "show find conclude suggest agree promise vow recall respond reply counter joke boast hint "
    "write tweet"
)
# Cues that attribute only a quotation ("asked" takes questions, "continued" anything).
QUOTE_ONLY = word_set("ask continue shout quip exclaim post urge read")
# Cues that often take a noun phrase object: a bare clause after them must show a verb.
OBJECT_PRONE = word_set(
    "announce confirm deny acknowledge admit claim report note reveal disclose warn maintain "
    "predict estimate state declare rule testify stress emphasize emphasise caution observe "
    "remark write tweet explain add"
)
# Evaluative speech acts and the word that introduces their predicate ("accused X of Y",
# "described X as Y"): the content runs from the object to the end of the clause.
EVALUATIVE = {"accuse": "of", "describe": "as"}
# A cue followed by one of these reports a question, not an assertion.
_QUESTION_WORDS = word_set("whether which what who how why when where if")
# Bare forms that are nouns too.
_NOUN_LIKE = word_set(
    "report claim note state rule estimate reply tweet post remark promise vow caution counter "
    "stress show find joke shout quip ask respond continue describe observe warn write accuse "
    "urge comment"
)
# Phrasal cues: (lemma, particle).
_PHRASAL = {"point": "out", "pointed": "out", "points": "out", "pointing": "out"}

FORMS: dict[str, str] = {}
for _lemma, _forms in _VERBS.items():
    FORMS[_lemma] = _lemma
    for _form in _forms:
        FORMS[_form] = _lemma

_NEGATION = word_set("not never also n't")
_BE = word_set("is are was were be been being 's")
_AUX = word_set(
    "i we you they he she it to will would can could may might must should shall did do does "
    "not never also always often"
)
PARTICIPLES = frozenset(f for f, lemma in FORMS.items() if f.endswith("ing") and f != lemma)
# "said" between a determiner and a noun is an adjective ("the said company").
_DETERMINERS = word_set("the a an this that these those his her its their our my your")


@dataclass(frozen=True)
class Cue:
    """A cue in a sentence: token indices [first, last] and its lemma."""

    first: int
    last: int
    lemma: str


def _clause_follows(tokens: list[Token], i: int) -> bool:
    """Whether what follows a cue looks like its content ("that", a mark, a subject)."""
    if i >= len(tokens):
        return True
    tok = tokens[i]
    return tok.quoted or tok.lower in _CLAUSE_OPENERS or not tok.is_word


_CLAUSE_OPENERS = word_set("that he she it they we i there the a an this his her their")


def find_cues(tokens: list[Token]) -> list[Cue]:
    """The cues among a sentence's tokens, in order."""
    cues = []
    for i, tok in enumerate(tokens):
        if tok.quoted or not tok.is_word:
            continue
        low = tok.lower
        prev = tokens[i - 1].lower if i > 0 else ""
        nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
        if low == "according" and nxt == "to":
            cues.append(Cue(i, i + 1, "according to"))
            continue
        if low in _PHRASAL and nxt == _PHRASAL[low]:
            cues.append(Cue(i, i + 1, "point out"))
            continue
        lemma = FORMS.get(low)
        if lemma is None:
            continue
        before = [t.lower for t in tokens[max(0, i - 3) : i] if t.lower not in _NEGATION]
        if before and before[-1] in _BE and low != lemma and not low.endswith("ing"):
            continue  # agentless passive: "was reported", "is said to", "was not announced"
        if prev == "to" and not (i >= 3 and tokens[i - 2].lower == "on"):
            continue  # an infinitive ("declined to say", "is to say"), but "went on to say"
        if low == "said" and prev in _DETERMINERS:
            continue
        if low == lemma and lemma in _NOUN_LIKE and prev not in _AUX:
            continue
        if low == lemma and prev in _DETERMINERS:
            continue
        if (
            lemma in _NOUN_LIKE
            and low.endswith("s")
            and low != lemma
            and not _clause_follows(tokens, i + 1)
            and prev not in {",", "”", '"', "’", "'"}
        ):
            continue  # "parliamentary reports urging", "the United States"
        if nxt in _QUESTION_WORDS and lemma != "ask":
            continue
        cues.append(Cue(i, i, lemma))
    return cues
