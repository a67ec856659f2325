"""Simple coreference: pronouns, surnames and definite descriptions to earlier named sources.

*He said* goes to the nearest earlier person or single unnamed source (a source, or a person's
name opening a clause); *they* to the nearest organisation, group or plural source, *it* to the
nearest organisation; a surname (*Khashan*) to
the earlier full name ending in it; a description (*the professor*, *the company*) to the
nearest earlier mention whose words contain its head noun, or for organisation words to the
nearest earlier organisation."""

from dataclasses import dataclass

from extraction.sources import ORGANISATION_WORDS


@dataclass(frozen=True)
class Mention:
    """A named source or person seen so far: its name, kind, the words around it, position."""

    name: str
    kind: str
    words: frozenset[str]
    position: int

    @property
    def plural(self) -> bool:
        last = self.name.lower().split()[-1]
        return last.endswith("s") and not last.endswith(("ss", "us", "news"))


class Discourse:
    """The mentions of a text in order, to resolve later sources against."""

    def __init__(self) -> None:
        self.mentions: list[Mention] = []

    def add(self, name: str, kind: str, phrase: str, position: int) -> None:
        """Record a named mention (a resolved source or a person introduced by name)."""
        words = frozenset(w.strip(".,").lower() for w in phrase.split())
        name = name.removesuffix("'s").removesuffix("’s")
        self.mentions.append(Mention(name, kind, words, position))

    def _before(self, position: int):
        return (m for m in reversed(self.mentions) if m.position < position)

    def pronoun(self, kind: str, position: int) -> Mention | None:
        """The nearest earlier mention a pronoun of this kind can refer to."""
        for m in self._before(position):
            if kind == "person" and (
                m.kind == "person" or (m.kind == "anonymous" and not m.plural)
            ):
                return m
            if kind == "group" and (m.kind in {"organisation", "group"} or m.plural):
                return m
            if kind == "organisation" and m.kind == "organisation":
                return m
        return None

    def surname(self, name: str, position: int) -> Mention | None:
        """The earlier person whose full name ends with this single name."""
        last = name.lower()
        for m in self._before(position):
            parts = m.name.lower().split()
            if m.kind == "person" and len(parts) > 1 and parts[-1] == last:
                return m
        return None

    def description(self, head: str, position: int) -> Mention | None:
        """The earlier mention a definite description ("the professor") refers to."""
        head = head.lower()
        for m in self._before(position):
            if head in m.words and m.name.lower() != f"the {head}":
                return m
        if head in ORGANISATION_WORDS:
            return next((m for m in self._before(position) if m.kind == "organisation"), None)
        return None
