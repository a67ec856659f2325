"""Quotation structure of a paragraph: which stretches are inside quotation marks.

Double marks (curly “ ”, straight ", guillemets « ») quote; single marks quote only in a paragraph
that has no double marks (British style), because ’ is also the apostrophe. The direction of a mark
is read from its neighbours (space before and a letter after opens; a letter before and space or
punctuation after closes), so mismatched marks (“...“ or "...”) still pair. A quote left open at
the end of its paragraph runs to the paragraph's end: the convention of quotes over several
paragraphs, each reopened and only the last closed."""

import re
from dataclasses import dataclass

DOUBLE_MARKS = frozenset('“”"«»„')
SINGLE_MARKS = frozenset("‘’'")
_DOUBLE = re.compile("[" + "".join(sorted(DOUBLE_MARKS)) + "]")
_OPENING_CONTEXT = frozenset(" \t\n([{—–-/")


@dataclass(frozen=True)
class Quotation:
    """A quoted stretch: `start`/`end` are the inside of the marks; `open_at` the opening mark."""

    open_at: int
    start: int
    end: int
    closed: bool
    outer_end: int  # just past the closing mark (the paragraph's end for an open quote)


def _direction(text: str, i: int, lo: int, hi: int) -> str:
    """'open', 'close' or 'either' for the mark at text[i], judged by its neighbours."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    if text[i] in "“«„‘" and not (after.isspace() or after in ",.;:!?"):
        return "open"
    if text[i] in "”»":
        return "close"
    if before in _OPENING_CONTEXT and not after.isspace():
        return "open"
    if not before.isspace() and (after.isspace() or after in ",.;:!?)]—–-" or i + 1 >= hi):
        return "close"
    return "either"


def _is_single_quote_mark(text: str, i: int, lo: int, hi: int) -> bool:
    """A single mark that can quote: not an apostrophe inside a word (don’t, O’Neill)."""
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    return not (before.isalnum() and after.isalnum())


def quotations(text: str, lo: int, hi: int) -> list[Quotation]:
    """The quotations of the paragraph text[lo:hi], in order, never overlapping."""
    has_double = _DOUBLE.search(text, lo, hi) is not None
    marks = DOUBLE_MARKS if has_double else SINGLE_MARKS
    found: list[Quotation] = []
    open_at: int | None = None
    width = 1
    i = lo
    while i < hi:
        c = text[i]
        doubled = c in SINGLE_MARKS and i + 1 < hi and text[i + 1] == c
        if c not in marks and not doubled:
            i += 1
            continue
        if not has_double and not doubled and not _is_single_quote_mark(text, i, lo, hi):
            i += 1
            continue
        # Two single marks (’’ or '') typed for one double mark.
        mark_width = 2 if doubled else 1
        direction = _direction(text, i + mark_width - 1 if doubled else i, lo, hi)
        if open_at is None:
            if direction != "close" or i == lo:
                open_at, width = i, mark_width
        elif direction == "open" and i > open_at + width and text[i - 1].isspace():
            # A new opening mark while one is open: the earlier quote lost its closing mark.
            found.append(_quote(text, open_at, width, i, 0))
            open_at, width = i, mark_width
        elif has_double or doubled or direction != "either":
            found.append(_quote(text, open_at, width, i, mark_width))
            open_at = None
        i += mark_width
    if open_at is not None:
        found.append(_quote(text, open_at, width, hi, 0))
    return [q for q in found if q.end > q.start]


def _quote(text: str, open_at: int, width: int, close_at: int, close_width: int) -> Quotation:
    start, end = open_at + width, close_at
    if not close_width:
        while end > start and text[end - 1].isspace():
            end -= 1
    return Quotation(open_at, start, end, bool(close_width), close_at + close_width)
