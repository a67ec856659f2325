"""Articles: the published text of a report, the ground every claim is anchored in."""

import hashlib
from datetime import date
from typing import NamedTuple

from peewee import CharField, DateField, ForeignKeyField, JSONField, TextField

from models.base import BaseModel
from models.outlet import Outlet


class Span(NamedTuple):
    """A half-open range of Unicode code points in an article body."""

    start: int
    end: int


class AnchorError(ValueError):
    """A statement's text cannot be tied to exactly one place in its article."""


class TextNotInBody(AnchorError):
    def __init__(self, text: str, start: int | None = None):
        where = f" at offset {start}" if start is not None else ""
        super().__init__(f"the text {text!r} does not occur in the article body{where}")
        self.text = text
        self.start = start


class AmbiguousText(AnchorError):
    def __init__(self, text: str, offsets: list[int]):
        super().__init__(
            f"the text {text!r} occurs {len(offsets)} times in the article body "
            f"(at offsets {offsets}); give `start` to choose one"
        )
        self.text = text
        self.offsets = offsets


class Article(BaseModel):
    outlet = ForeignKeyField(Outlet, backref="articles", on_delete="RESTRICT")
    url = CharField(max_length=2000, unique=True)
    headline = CharField(max_length=500)
    section = CharField(max_length=200, null=True)  # section or programme, e.g. "World Today"
    bylines = JSONField(default=list)
    published_on = DateField(null=True, index=True)
    published_on_note = TextField(null=True)  # how the date is known, or why it is not
    language = CharField(max_length=35, null=True)
    body = TextField()  # the published text without page chrome, verbatim
    body_sha256 = CharField(max_length=64)

    def save(self, *args, **kwargs):
        self.body_sha256 = hashlib.sha256(self.body.encode("utf-8")).hexdigest()
        return super().save(*args, **kwargs)

    @classmethod
    def matching(
        cls,
        outlet_id: int | None = None,
        published_since: date | None = None,
        published_until: date | None = None,
    ):
        """Articles, with their outlet, passing every given filter."""
        query = cls.select(cls, Outlet).join(Outlet)
        if outlet_id is not None:
            query = query.where(cls.outlet == outlet_id)
        if published_since is not None:
            query = query.where(cls.published_on >= published_since)
        if published_until is not None:
            query = query.where(cls.published_on <= published_until)
        return query

    def find_span(self, text: str, start: int | None = None) -> Span:
        """Where `text` stands in the body: at `start` if given, else its only occurrence."""
        if not text:
            raise TextNotInBody(text, start)
        if start is not None:
            if start < 0 or self.body[start : start + len(text)] != text:
                raise TextNotInBody(text, start)
            return Span(start, start + len(text))
        offsets = occurrences(self.body, text)
        if not offsets:
            raise TextNotInBody(text)
        if len(offsets) > 1:
            raise AmbiguousText(text, offsets)
        return Span(offsets[0], offsets[0] + len(text))


def occurrences(haystack: str, needle: str) -> list[int]:
    """Every offset at which `needle` starts in `haystack`, overlapping ones included."""
    offsets, at = [], haystack.find(needle)
    while at != -1:
        offsets.append(at)
        at = haystack.find(needle, at + 1)
    return offsets
