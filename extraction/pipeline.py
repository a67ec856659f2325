"""The extraction pipeline: for each sentence, its cues; for each cue, its source and content;
then quoted sentences with no cue of their own, which continue the previous speaker.

Content spans follow ../shared/docs/ATTRIBUTION-GUIDE.md: direct = inside the marks with a
trailing comma dropped; indirect = the reported clause without "that", cue, source, addressee and
final punctuation; mixed = the whole clause with its quoted parts. Cues inside an attribution's
content are nested attributions and are not proposed."""

import time
from dataclasses import dataclass

from extraction.coreference import Discourse
from extraction.cues import (
    EVALUATIVE,
    FORMS,
    OBJECT_PRONE,
    PARTICIPLES,
    QUOTE_ONLY,
    THAT_ONLY,
    Cue,
    find_cues,
)
from extraction.model import (
    Directory,
    Proposal,
    Span,
    SpeakerGuess,
    TimeBudgetExceeded,
    ViaGuess,
)
from extraction.quotations import Quotation
from extraction.resolution import find_via, match_speaker
from extraction.sentences import Sentence, Token, paragraphs, word_set
from extraction.sources import (
    DETERMINERS,
    DOCUMENT_WORDS,
    FINITE_VERBS,
    RELATIVES,
    WRITER_PRONOUNS,
    describe,
    head_run,
    is_name_token,
    looks_finite,
    noun_phrase_after,
    relative_antecedent,
    source_after,
    subject_before,
)

# Words after "told" that are its addressee, not the start of the reported clause.
_ADDRESSEES = word_set(
    "reporters journalists him her them us me you lawmakers investigators police members "
    "supporters viewers listeners readers attendees students audiences crowds"
)
_ADDRESSEE_NOUNS = word_set(
    "newspaper paper station network agency outlet magazine committee court jury audience crowd "
    "house senate panel board website program programme show podcast press media conference "
    "meeting rally"
)
_TRAILER_STARTS = word_set(
    "in on at during last this to after before when while earlier late early monday tuesday "
    "wednesday thursday friday saturday sunday yesterday today tonight recently previously also "
    "then via through as"
)
_FINAL = ".!?"
_PREPOSITIONS = word_set("with about of for by from into against over under among between")
# Lower-case words a quoted title may hold ("Takin' It To the Streets").
_TITLE_SMALL_WORDS = word_set("a an the of and or to in on at for with by from")
# A single quoted word after these is a name or a term ("popularly called "al-Hashd""), which
# does not make speech mixed.
_NAMING = word_set("called named dubbed so-called known term word as")
_TAKES_ADDRESSEE = frozenset({"tell", "urge"})
_MEDIA_ADJECTIVES = word_set("state local national public official")
_MEDIA = word_set("tv television media radio newspaper newspapers broadcaster outlets")
_CLAUSE_SUBJECTS = word_set("he she it they we i there you")
_BE_FORMS = word_set("is are was were am been 's ’s")
_SUBORDINATORS = word_set("as when while after before because if since although though until")
_LEADING_CONJUNCTIONS = frozenset({"but", "and", "so", "yet"})


@dataclass(frozen=True)
class _Source:
    """A resolved source mention; `named` when it can antecede later pronouns."""

    mention: Span
    speaker: SpeakerGuess
    factor: float
    named: bool


@dataclass
class _Found:
    """A proposal under construction, with what continuation needs."""

    proposal: Proposal
    paragraph: int


def _span(text: str, start: int, end: int) -> Span:
    return Span(text[start:end], start, end)


def _trim(text: str, start: int, end: int, quotes: list[Quotation]) -> tuple[int, int]:
    """Drop spaces, a trailing comma and sentence-final punctuation outside quotation marks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start:
        c = text[end - 1]
        inside = any(q.start < end - 1 < q.end for q in quotes)
        if c.isspace() or (c in _FINAL + ",;:—–" and not inside):
            end -= 1
            continue
        break
    return start, end


class _Sentence:
    """One sentence being read: its tokens, cues and the character ranges already claimed."""

    def __init__(self, text: str, sentence: Sentence, quotes: list[Quotation]) -> None:
        self.text = text
        self.s = sentence
        self.tokens: list[Token] = sentence.tokens
        self.quotes = quotes
        self.claimed: list[tuple[int, int]] = []

    def is_claimed(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.claimed)

    def quote_at(self, tok_index: int) -> Quotation | None:
        """The quotation whose opening mark is the token at tok_index."""
        if tok_index >= len(self.tokens):
            return None
        pos = self.tokens[tok_index].start
        return next((q for q in self.quotes if q.open_at == pos), None)

    def quote_ending_before(self, tok_index: int) -> Quotation | None:
        """The quotation closing just before the token at tok_index (a comma may sit between)."""
        k = tok_index - 1
        while k >= 0 and self.tokens[k].text in {",", "—", "–"}:
            k -= 1
        if k < 0:
            return None
        pos = self.tokens[k].start
        return next((q for q in self.quotes if q.end == pos or (q.end <= pos < q.outer_end)), None)


def _skip_addressee(tokens: list[Token], k: int, hi: int) -> int:
    """Index after the addressee of "told" ("told VOA", "told reporters", "told the paper")."""
    if k >= hi or tokens[k].quoted:
        return k
    low = tokens[k].lower
    if low in _ADDRESSEES:
        return k + 1
    if low in _MEDIA_ADJECTIVES and k + 1 < hi and tokens[k + 1].lower in _MEDIA:
        return k + 2  # "told state television"
    if is_name_token(tokens[k]):
        j = k
        while j < hi and (is_name_token(tokens[j]) or tokens[j].lower in {"of", "'s", "’s"}):
            j += 1
        return j
    if low in DETERMINERS:
        j = k + 1
        if j < hi and is_name_token(tokens[j]):
            while j < hi and is_name_token(tokens[j]):
                j += 1
            return j  # "told the BBC"
        while j < hi and j - k <= 4 and tokens[j].is_word:
            if tokens[j].lower in _ADDRESSEE_NOUNS or tokens[j].lower in _ADDRESSEES:
                return j + 1
            j += 1
        j = k + 1
        while j < hi and j - k <= 3 and tokens[j].is_word and not tokens[j].is_capitalised:
            j += 1
            if (
                j < hi
                and (tokens[j].lower in _CLAUSE_SUBJECTS or tokens[j].lower in DETERMINERS)
                and _looks_like_clause(tokens, j, hi)
            ):
                return j  # "told the council the dam was sound", not "told the tale of a man"
    return k


def _looks_like_clause(tokens: list[Token], k: int, hi: int) -> bool:
    """Whether tokens[k:hi] start a clause: a subject pronoun, or a finite verb appears."""
    if k >= hi:
        return False
    if tokens[k].lower in _CLAUSE_SUBJECTS:
        return True
    for j in range(k + 1, min(hi, k + 25)):
        low = tokens[j].lower
        if tokens[j].quoted:
            continue
        if low in RELATIVES or low in _SUBORDINATORS:
            return False  # "wait times that exceeded", "victory as the House concluded"
        if low in FINITE_VERBS:
            return True
        if (
            len(low) > 4
            and low.endswith("ed")
            and (j + 1 >= hi or tokens[j + 1].lower not in _PREPOSITIONS | {"to", "in", "on", "at"})
            and tokens[j - 1].lower not in DETERMINERS
            and tokens[j - 1].is_word
            and not is_name_token(tokens[j])
            and tokens[j - 1].lower not in {"of", "to", "for", "with", "and", "in", "on", "by"}
        ):
            return True
    return False


_MONTHS = word_set(
    "jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. "
    "nov nov. dec dec. january february march april may june july august september october "
    "november december"
)


def _is_date(tokens: list[Token], k: int) -> bool:
    """ "Nov. 18", "May 3": a date right after a cue ("announced Nov. 18 that")."""
    return tokens[k].lower in _MONTHS and k + 1 < len(tokens) and tokens[k + 1].text[0].isdigit()


def _first_comma(tokens: list[Token], k: int, stop: int) -> int:
    """Index of the first unquoted comma in tokens[k:stop], else stop."""
    return next((j for j in range(k, stop) if tokens[j].text == "," and not tokens[j].quoted), stop)


def _not_only(tokens: list[Token], k: int, j: int) -> bool:
    """Whether "not only" comes before the "but" at j ("not only X, but Y" is one clause)."""
    return any(tokens[i].lower == "not" and tokens[i + 1].lower == "only" for i in range(k, j - 1))


def _nominalised_proposition(tokens: list[Token], k: int, hi: int) -> bool:
    """ "acknowledged the presence of X": an object that names a proposition."""
    return (
        k + 2 < hi
        and tokens[k].lower == "the"
        and tokens[k + 1].lower.endswith(("ence", "ance", "ment", "tion", "sion", "ity"))
        and tokens[k + 2].lower == "of"
    )


class _Reader:
    """Reads the whole text, sentence by sentence, keeping the discourse for coreference."""

    def __init__(self, text: str, directory: Directory, deadline: float | None) -> None:
        self.text = text
        self.directory = directory
        self.deadline = deadline
        self.discourse = Discourse()
        self.found: list[_Found] = []
        self.pending: _Found | None = None

    def run(self) -> list[Proposal]:
        for para in paragraphs(self.text):
            for sentence in para.sentences:
                if self.deadline is not None and time.monotonic() > self.deadline:
                    raise TimeBudgetExceeded
                reading = _Sentence(self.text, sentence, sentence.quotes)
                before = len(self.found)
                self._read_cues(reading)
                if len(self.found) == before:
                    self._continue_previous(reading)
                self._note_people(reading)
        return [f.proposal for f in sorted(self.found, key=lambda f: f.proposal.content.start)]

    # -- sources -----------------------------------------------------------------------------

    def _source(self, r: _Sentence, a: int, b: int) -> _Source | None:
        """The source mention tokens[a:b], resolved; None for the writer's own I/we."""
        np = r.tokens[a:b]
        name, kind, form = describe(np, self.text)
        if not name or name.lower() in WRITER_PRONOUNS:
            return None
        mention = _span(self.text, np[0].start, np[-1].end)
        position = np[0].start
        factor = 1.0
        resolved = None
        if form == "pronoun":
            resolved = self.discourse.pronoun(kind, position)
            factor = 0.85 if resolved else 0.4
        elif form == "name" and " " not in name:
            resolved = self.discourse.surname(name, position)
        elif form == "description" and np[0].lower == "the" and len(name.split()) <= 3:
            resolved = self.discourse.description(name.split()[-1], position)
            factor = 0.85 if resolved else 0.9
        if resolved is not None:
            name, kind = resolved.name, resolved.kind
        known = match_speaker(name, self.directory)
        if known is not None:
            guess = SpeakerGuess(known.id, known.name, known.kind)
        else:
            guess = SpeakerGuess(None, name, kind)
        return _Source(mention, guess, factor, form != "pronoun")

    def _participle_subject(self, r: _Sentence, cue: Cue) -> tuple[int, int] | None:
        """For "..., saying ...": the subject of the sentence's main verb."""
        tokens = r.tokens
        cue_start = tokens[cue.first].start
        same = [f for f in self.found if r.s.start <= f.proposal.cue.start < cue_start]
        if same:
            src = same[-1].proposal.source
            idx = [i for i, t in enumerate(tokens) if src.start <= t.start < src.end]
            if idx:
                return idx[0], idx[-1] + 1
        for k in range(cue.first - 1, 0, -1):
            if tokens[k].quoted or is_name_token(tokens[k]) or not tokens[k].is_word:
                continue
            if tokens[k].lower in FINITE_VERBS or looks_finite(tokens[k]):
                return subject_before(tokens, k, 0)
        return None

    # -- cues --------------------------------------------------------------------------------

    def _read_cues(self, r: _Sentence) -> None:
        tokens = r.tokens
        for cue in find_cues(tokens):
            if r.is_claimed(tokens[cue.first].start):
                continue
            if cue.lemma == "according to":
                self._according_to(r, cue)
            else:
                self._verb_cue(r, cue)

    def _verb_cue(self, r: _Sentence, cue: Cue) -> None:
        tokens, text = r.tokens, self.text
        n = len(tokens)
        cue_form = tokens[cue.first].lower
        subject = None
        inverted = False
        before = tokens[cue.first - 1] if cue.first > 0 else None
        if cue_form in PARTICIPLES and before is not None and before.lower in _BE_FORMS:
            subject = subject_before(tokens, cue.first - 1, 0)  # "The Democrats are alleging"
        elif cue_form in PARTICIPLES:
            if before is None or not (before.text == "," or before.lower in DOCUMENT_WORDS):
                return
            subject = self._participle_subject(r, cue)
        else:
            subject = subject_before(tokens, cue.first, 0)
            if subject and tokens[subject[0]].lower in RELATIVES:
                subject = relative_antecedent(tokens, subject[0], 0)
            if subject is None and cue.first > 0 and tokens[cue.first - 1].lower in RELATIVES:
                subject = relative_antecedent(tokens, cue.first - 1, 0)
            if subject is None:
                subject = source_after(tokens, cue.last, n)
                inverted = subject is not None
        if subject is None:
            return
        source = self._source(r, *subject)
        if source is None:
            return
        cue_span = _span(text, tokens[cue.first].start, tokens[cue.last].end)
        # After the cue: addressee, adverbials, "that" or a quotation.
        k = subject[1] if inverted else cue.last + 1
        addressed = k
        if cue.lemma in _TAKES_ADDRESSEE:
            k = _skip_addressee(tokens, k, n)
        after = self._content_after(r, cue, k)
        if (
            after is not None
            and not after[2]
            and cue.lemma == "tell"
            and k == addressed
            and not inverted
        ):
            after = None  # "tells the truth": no addressee, so an object, not a clause
        pre = self._content_before(r, cue, subject, inverted, after)
        if pre is not None and after is not None and not after[2]:
            after = None  # ", Benioff said, ever since ...": the cue is a parenthesis
        contents = [c for c in (pre, after) if c is not None]
        if not contents:
            if k < n and tokens[k].text == ":" and k == n - 1:
                # "X said:" closing its paragraph: the quotation that follows is the content.
                self.pending = _Found(
                    Proposal(
                        cue_span,
                        "direct",
                        cue_span,
                        source.mention,
                        source.speaker,
                        None,
                        source.factor * 0.9,
                    ),
                    r.s.paragraph,
                )
            return
        via = find_via(text[tokens[cue.first].start : r.s.end], self.directory)
        if via is None and subject[0] > 0:
            via = find_via(text[r.s.start : tokens[subject[0]].start], self.directory)
        for start, end, introduced in contents:
            self._propose(r, cue_span, source, via, start, end, introduced)

    def _content_after(self, r: _Sentence, cue: Cue, k: int) -> tuple[int, int, bool] | None:
        """The content after the cue, starting at token k; the flag says whether "that" or a
        quotation introduced it."""
        tokens, n = r.tokens, len(r.tokens)
        introduced = False
        evaluative = EVALUATIVE.get(cue.lemma)
        if evaluative is not None:
            # "accused X of Y", "described X as Y": X and its predicate.
            if not any(t.lower == evaluative for t in tokens[k : k + 10]):
                return None
            introduced = True
        elif k < n and (
            tokens[k].lower in _TRAILER_STARTS
            or (tokens[k].text == "," and k + 1 < n and tokens[k + 1].lower in _TRAILER_STARTS)
            or _is_date(tokens, k)
        ):
            # "said on Sunday that", "said Wednesday, in an interview with ..., that"
            for j in range(k, min(n, k + 20)):
                if tokens[j].quoted or tokens[j].text in {".", "!", "?", ";"}:
                    break
                if tokens[j].lower == "that" and j + 1 < n:
                    k, introduced = j + 1, True
                    break
                if r.quote_at(j) is not None and tokens[j - 1].text in {",", ":"}:
                    k, introduced = j, True
                    break
        elif k < n and tokens[k].lower == "that":
            k, introduced = k + 1, True
        elif cue.lemma in _TAKES_ADDRESSEE:
            # "told a few thousand teachers who covered the lawn that ..."
            for j in range(k, min(n, k + 15)):
                if tokens[j].quoted or tokens[j].text in {".", "!", "?", ";", ":"}:
                    break
                if tokens[j].lower == "that" and j + 1 < n:
                    k, introduced = j + 1, True
                    break
        while k < n and tokens[k].text in {",", ":", "—", "–"}:
            k += 1
        if k >= n or tokens[k].lower in RELATIVES - {"that"}:
            return None
        if r.quote_at(k) is not None:
            introduced = True
        if not introduced:
            if tokens[k].text in _FINAL or tokens[k].lower in _PREPOSITIONS:
                return None
            if (
                cue.lemma in OBJECT_PRONE
                and tokens[k].lower.endswith("ing")
                and not is_name_token(tokens[k])
            ):
                return None  # "denied being unfair": a gerund, not a clause
            if tokens[k].lower in _TRAILER_STARTS and not _looks_like_clause(tokens, k, n):
                return None
            if cue.lemma in THAT_ONLY or cue.lemma in QUOTE_ONLY:
                return None
        if cue.lemma in QUOTE_ONLY and r.quote_at(k) is None:
            return None
        start = tokens[k].start
        end = r.s.end
        stop = n
        # A later participle cue after a comma ("..., adding that ...") or "according to"
        # starts an attribution of its own; ", but", ", while" and ";" the writer's next clause.
        for j in range(k + 1, n):
            if tokens[j].quoted:
                continue
            if tokens[j].lower == "and" and j + 1 < n and tokens[j + 1].lower in FORMS:
                stop, end = j, tokens[j].start  # "said A and added, ...": a second cue
                break
            if tokens[j].text == ";" or (
                tokens[j - 1].text == ","
                and (
                    tokens[j].lower in PARTICIPLES
                    or (tokens[j].lower == "but" and not _not_only(tokens, k, j))
                    or tokens[j].lower in {"while", "whereas", "though", "although", "which"}
                    or (
                        tokens[j].lower == "according" and j + 1 < n and tokens[j + 1].lower == "to"
                    )
                )
            ):
                stop = j - 1 if tokens[j - 1].text == "," else j
                end = tokens[stop].start
                break
        if tokens[0].lower in _SUBORDINATORS:
            # "While X said A, he did B": the content ends with the subordinate clause.
            for j in range(k + 1, stop - 1):
                if (
                    tokens[j].text == ","
                    and not tokens[j].quoted
                    and tokens[j + 1].lower in _CLAUSE_SUBJECTS
                ):
                    stop, end = j, tokens[j].start
                    break
        if (
            not introduced
            and cue.lemma in OBJECT_PRONE
            and not (
                _looks_like_clause(tokens, k, _first_comma(tokens, k, stop))
                or _nominalised_proposition(tokens, k, stop)
            )
        ):
            return None
        q = r.quote_at(k)
        if q is not None and q.outer_end >= end - 2 and not q.closed:
            end = q.end
        return start, end, introduced

    def _content_before(
        self, r: _Sentence, cue: Cue, subject: tuple[int, int], inverted: bool, after
    ) -> tuple[int, int, bool] | None:
        """The content before a post-posed cue ("...," she said / ..., officials said)."""
        tokens = r.tokens
        left = cue.first if inverted else subject[0]
        start_tok = 0
        for _, b in r.claimed:
            idx = [i for i, t in enumerate(tokens) if t.start >= b and i < left]
            if idx:
                start_tok = max(start_tok, idx[0])
        while start_tok < left and tokens[start_tok].lower in _LEADING_CONJUNCTIONS:
            start_tok += 1
        q = r.quote_ending_before(left) if left > 0 else None
        if (
            q is not None
            and len(self.text[q.start : q.end].split()) > 1
            and not self._speakers_words(r, q)
        ):
            q = None  # 'After hitting "Takin' It To the Streets," the singer told ...'
        if q is not None and not r.is_claimed(q.start):
            clause_start = tokens[start_tok].start
            if q.open_at > clause_start and any(
                t.is_word and not t.quoted and clause_start <= t.start < q.open_at for t in tokens
            ):
                return clause_start, q.outer_end, True  # 'Apple was "pulled into it," he said'
            return q.open_at, q.outer_end, True
        if left == 0 or tokens[left - 1].text not in {",", "—", "–"}:
            return None
        if after is not None and after[2]:
            return None
        if after is None and not self._only_trailer_after(r, cue, subject, inverted):
            return None
        following = (subject[1] if inverted else cue.last + 1) if after is not None else None
        if following is not None and (following >= len(tokens) or tokens[following].text != ","):
            return None  # only a cue set off by commas on both sides is a parenthesis
        if cue.lemma in QUOTE_ONLY or cue.lemma in EVALUATIVE:
            return None
        if left - 1 - start_tok < 3:
            return None
        if not any(
            t.lower in FINITE_VERBS or looks_finite(t) or t.lower in {"he", "she", "they", "we"}
            for t in tokens[start_tok : left - 1]
        ):
            return None  # "Later, Kurt Volker, a former envoy, testified": no clause before
        return tokens[start_tok].start, tokens[left - 2].end, False

    def _only_trailer_after(
        self, r: _Sentence, cue: Cue, subject: tuple[int, int], inverted: bool
    ) -> bool:
        """Whether only adverbials follow the cue (", officials said on Monday.")."""
        tokens, n = r.tokens, len(r.tokens)
        k = subject[1] if inverted else cue.last + 1
        if cue.lemma in _TAKES_ADDRESSEE:
            k = _skip_addressee(tokens, k, n)
        rest = [t for t in tokens[k:] if t.text not in {",", "."}]
        if not rest:
            return True
        if any(t.quoted for t in rest) or len(rest) > 12:
            return False
        return rest[0].lower in _TRAILER_STARTS or rest[0].text in _FINAL

    def _according_to(self, r: _Sentence, cue: Cue) -> None:
        tokens, text, n = r.tokens, self.text, len(r.tokens)
        a, b = noun_phrase_after(tokens, cue.last + 1, n)
        if b <= a:
            return
        source = self._source(r, a, b)
        if source is None:
            return
        cue_span = _span(text, tokens[cue.first].start, tokens[cue.last].end)
        start_tok = 0
        for _, e in r.claimed:
            idx = [i for i, t in enumerate(tokens) if t.start >= e and i < cue.first]
            if idx:
                start_tok = max(start_tok, idx[0])
        k = b
        while k < n and tokens[k].text in {",", ":"}:
            k += 1
        before_words = sum(1 for t in tokens[start_tok : cue.first] if t.is_word)
        after_words = sum(1 for t in tokens[k:] if t.is_word)
        if after_words > before_words and k < n:
            # "According to X, ..." or "President Trump, according to X, made ...".
            start, end = tokens[k].start, r.s.end
        elif before_words >= 3:
            start, end = tokens[start_tok].start, tokens[cue.first - 1].end
        else:
            return
        via = find_via(text[r.s.start : r.s.end], self.directory)
        self._propose(r, cue_span, source, via, start, end, False, 0.95)

    # -- proposals ---------------------------------------------------------------------------

    def _propose(
        self,
        r: _Sentence,
        cue_span: Span,
        source: _Source,
        via: ViaGuess | None,
        start: int,
        end: int,
        introduced: bool,
        factor: float = 1.0,
    ) -> None:
        """Propose content text[start:end] (trimmed and typed by the guide's span rules)."""
        text = self.text
        start, end = _trim(text, start, end, r.quotes)
        if end <= start:
            return
        inside = [q for q in r.quotes if start <= q.open_at and q.end <= end + 1]
        whole = next((q for q in inside if q.open_at == start and q.outer_end >= end), None)
        if whole is not None:
            quote_type = "direct"
            start, end = whole.start, whole.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
                end -= 1
            base = 0.92
        elif any(self._speakers_words(r, q) for q in inside):
            quote_type, base = "mixed", 0.8
        else:
            quote_type, base = "indirect", 0.8 if introduced else 0.72
        words = text[start:end].split()
        if len(words) < 2 and quote_type != "direct":
            return
        if not words:
            return
        proposal = Proposal(
            content=_span(text, start, end),
            quote_type=quote_type,
            cue=cue_span,
            source=source.mention,
            speaker=source.speaker,
            via=via,
            confidence=round(min(1.0, base * factor * source.factor), 2),
        )
        if source.named:
            s = source.speaker
            self.discourse.add(
                s.name, s.kind, f"{source.mention.text} {s.name}", source.mention.start
            )
        mention = source.mention
        r.claimed.append((min(start, mention.start, cue_span.start), max(end, cue_span.end)))
        r.claimed.append((start, end))
        self.found.append(_Found(proposal, r.s.paragraph))

    def _speakers_words(self, r: _Sentence, q: Quotation) -> bool:
        """Whether a quotation inside a clause quotes the speaker, not a name or a term."""
        quoted = self.text[q.start : q.end].split()
        if len(quoted) <= 6 and all(
            w[:1].isupper() or w in _TITLE_SMALL_WORDS for w in quoted if w[:1].isalpha()
        ):
            return False  # a title or a name ("Bad Blood", "Dancing with the Stars")
        if len(quoted) >= 2:
            return True
        if not quoted or not quoted[0][:1].islower():
            return False
        before = [t for t in r.tokens if t.end <= q.open_at and t.is_word]
        return not (before and before[-1].lower in _NAMING)

    def _continue_previous(self, r: _Sentence) -> None:
        """A quoted sentence with no cue continues the previous speaker (same or last paragraph)."""
        tokens = r.tokens
        if self.pending is not None and self.pending.paragraph == r.s.paragraph:
            return
        pending, self.pending = self.pending, None
        if not tokens or not (self.found or pending):
            return
        q = r.quote_at(0)
        if q is None:
            return
        previous = pending or max(self.found, key=lambda f: f.proposal.content.start)
        gap = r.s.paragraph - previous.paragraph
        if gap > 1:
            return
        if not any(t.text in _FINAL for t in tokens[-3:]):
            return  # a quoted heading ("The Gordon problem"), not a continuation
        quoted = sum(1 for t in tokens if t.quoted and t.is_word)
        if quoted < 3 or quoted < 0.6 * sum(1 for t in tokens if t.is_word):
            return
        p = previous.proposal
        for quote in r.quotes:
            if quote.open_at < r.s.start or quote.open_at >= r.s.end:
                continue
            if len(self.text[quote.start : quote.end].split()) < 3:
                continue
            start, end = quote.start, quote.end
            while start < end and self.text[start].isspace():
                start += 1
            while end > start and (self.text[end - 1].isspace() or self.text[end - 1] == ","):
                end -= 1
            proposal = Proposal(
                content=_span(self.text, start, end),
                quote_type="direct",
                cue=p.cue,
                source=p.source,
                speaker=p.speaker,
                via=p.via,
                confidence=round(min(p.confidence, 0.85) * (0.85 if gap else 0.9), 2),
            )
            self.found.append(_Found(proposal, r.s.paragraph))

    def _note_people(self, r: _Sentence) -> None:
        """Record people named at the start of a clause, for later pronouns."""
        tokens = r.tokens
        for i, tok in enumerate(tokens):
            if tok.quoted or not is_name_token(tok):
                continue
            if i > 0 and (is_name_token(tokens[i - 1]) or tokens[i - 1].lower in {"'s", "of"}):
                continue
            if i > 3 and tokens[i - 1].text != ",":
                continue
            run = head_run(tokens[i : i + 5])
            if len(run) < 2 or run[0] is not tok:
                continue
            name, kind, form = describe(run, self.text)
            if kind == "person" and form == "name":
                self.discourse.add(name, kind, name, tok.start)


_EMPTY = Directory()


def extract(
    text: str, directory: Directory = _EMPTY, *, deadline: float | None = None
) -> list[Proposal]:
    """Proposed attributions in text order. `deadline` is a time.monotonic() value; past it the
    extractor raises TimeBudgetExceeded (the API answers a problem)."""
    if deadline is not None and time.monotonic() > deadline:
        raise TimeBudgetExceeded
    return _Reader(text, directory, deadline).run()
