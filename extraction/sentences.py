"""Paragraphs, sentences and word tokens, all with code-point offsets into the text.

A sentence ends at . ! ? (and any closing marks after it) followed by space and a capital, a digit
or an opening mark — but never inside a quotation, so a quote of several sentences stays in the
sentence of its cue, and never after a known abbreviation or an initial."""

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from extraction.quotations import Quotation, quotations


def word_set(words: str) -> frozenset[str]:
    """A lexicon written as space-separated words."""
    return frozenset(words.split())


_PARAGRAPH = re.compile(r"[^\n]+")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[’'.\-&]\w+)*\.?|[^\w\s]")
_END = re.compile(r"[.!?]+[”\"’')\]»]*(?=\s+[\"“‘'(«A-Z0-9])")
_CUE_AFTER_QUOTE = re.compile(
    r"\s+(?:(?:[A-Z][\w.’'-]*|the|a|an|[a-z]+ly)\s+){0,4}(?:said|says|asked|asks|added|adds|told|"
    r"tells|wrote|writes|explained|replied|continued|noted|recalled|shouted|exclaimed|quipped|"
    r"joked|laughed|insisted|argued|warned)\b"
)
ABBREVIATIONS = word_set(
    "mr mrs ms dr prof sen rep gov gen lt col sgt capt maj st jr sr inc corp co ltd no vs etc "
    "jan feb mar apr aug sept sep oct nov dec u.s u.k u.n e.u d.c a.m p.m mt ft rev hon atty "
    "supt insp det cmdr adm pres"
)


class Token:
    """A word or punctuation mark; `quoted` says whether it lies inside a quotation."""

    __slots__ = ("text", "start", "end", "quoted", "lower", "is_word", "is_capitalised")

    def __init__(self, text: str, start: int, end: int, quoted: bool) -> None:
        self.text, self.start, self.end, self.quoted = text, start, end, quoted
        self.lower = text.lower()
        self.is_word = text[0].isalnum()
        self.is_capitalised = text[0].isupper()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end}, {self.quoted})"


@dataclass
class Sentence:
    """A sentence of a paragraph with its tokens and the quotations overlapping it."""

    start: int
    end: int
    paragraph: int
    quotes: list[Quotation]
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Paragraph:
    """A line of the text with its quotations and sentences."""

    index: int
    start: int
    end: int
    quotations: list[Quotation]
    sentences: list[Sentence] = field(default_factory=list)


def _overlapping(quotes: list[Quotation], opens: list[int], start: int, end: int):
    """The quotations overlapping text[start:end]; they never overlap each other, so they are
    a run of the list, found by bisection (a paragraph may hold thousands)."""
    i = max(0, bisect_right(opens, start) - 1)
    j = bisect_left(opens, end)
    return [q for q in quotes[i:j] if q.outer_end > start]


def _sentence_ends(
    text: str, lo: int, hi: int, quotes: list[Quotation], opens: list[int]
) -> list[int]:
    ends = []
    for m in _END.finditer(text, lo, hi):
        around = [
            q
            for q in _overlapping(quotes, opens, m.start(), m.start() + 1)
            if q.open_at < m.start() < q.end
        ]
        if around:
            if not around[0].end <= m.end() <= around[0].outer_end:
                continue
            if m.group()[0] in "?!" and _CUE_AFTER_QUOTE.match(text, m.end(), hi):
                continue  # '"Can I?" Brooke asked': the cue belongs to the quote's sentence
        word = re.search(r"([\w.]+)\.$", text[max(lo, m.start() - 40) : m.start() + 1])
        if m.group().startswith(".") and word:
            w = word.group(1).lower().rstrip(".")
            if w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()):
                continue
        ends.append(m.end())
    return ends


def paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of text, each split into sentences and tokens."""
    result = []
    for m in _PARAGRAPH.finditer(text):
        lo, hi = m.start(), m.end()
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if lo == hi:
            continue
        quotes = quotations(text, lo, hi)
        opens = [q.open_at for q in quotes]
        para = Paragraph(index=len(result), start=lo, end=hi, quotations=quotes)
        begin = lo
        for end in [*_sentence_ends(text, lo, hi, quotes, opens), hi]:
            while begin < end and text[begin].isspace():
                begin += 1
            if begin < end:
                near = _overlapping(quotes, opens, begin, end)
                para.sentences.append(_sentence(text, begin, end, para.index, near))
            begin = end
        result.append(para)
    return result


def _sentence(text: str, start: int, end: int, paragraph: int, quotes: list[Quotation]) -> Sentence:
    sentence = Sentence(start=start, end=end, paragraph=paragraph, quotes=quotes)
    inside = [(q.start, q.end) for q in quotes]
    for m in _TOKEN.finditer(text, start, end):
        word = m.group()
        tok_end = m.end()
        if word.endswith(".") and len(word) > 1:
            bare = word[:-1].lower()
            if bare not in ABBREVIATIONS and "." not in bare and len(bare) != 1:
                tok_end -= 1
                word = word[:-1]
        quoted = any(a <= m.start() < b for a, b in inside)
        sentence.tokens.append(Token(word, m.start(), tok_end, quoted))
        if tok_end < m.end():
            sentence.tokens.append(Token(".", tok_end, m.end(), quoted))
    return sentence
