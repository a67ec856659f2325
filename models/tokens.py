"""How text splits into words: as the full-text indexes split it (SQLite's unicode61 tokenizer,
PostgreSQL's `simple` configuration), so that matching in Python agrees with the indexes."""

import re

# Letters and digits; everything else (hyphens, apostrophes, underscores, punctuation) separates.
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of `text`, as written."""
    return WORD.findall(text)


def word_key(text: str) -> str:
    """What two spellings share when they differ only in case and punctuation."""
    return " ".join(word.lower() for word in words(text))


def is_acronym(text: str) -> bool:
    """Written in capitals ("IS", "ISIL"): such a spelling only matches in capitals, since in
    lower case it is often an ordinary word ("is")."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)
