"""Write a synthetic corpus as an import file: NDJSON, one article with its claims per line.

Deterministic (a seeded RNG): the same arguments give the same bytes. At full size, 1,000,000
claims in 50,000 articles (20 each) by 20,000 speakers in 500 outlets; `--claims N` scales the
articles and speakers with it. Every claim is a sentence of its article's body, given with its
`start`; the first line that uses an outlet or speaker defines it in full, later lines name it
by slug, as an exported archive would.

    python bench/generate.py --claims 1000000 --output bench/data/corpus-1000000.ndjson
"""

import argparse
import json
import random
import sys
from datetime import date, timedelta

CLAIMS_PER_ARTICLE = 20
FILLER_PER_ARTICLE = 5
CLAIMS_PER_SPEAKER = 50
MAX_OUTLETS = 500
QUOTE_TYPES = ("direct", "indirect", "mixed")
CUES = ("said", "told", "stated", "claimed", "acknowledged", "warned", "added", "denied")
KINDS = ("person", "person", "person", "organisation", "group")
# Real words, so full-text search has terms of known frequency: each stands in about 1 in 40
# sentences; "ceasefire" is the benchmark's search term.
TOPICAL = ("ceasefire", "border", "election", "minister", "refugees", "pipeline", "tariffs")
EPOCH = date(2017, 1, 1)


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Pronounceable made-up words: a vocabulary without a dictionary file."""
    onsets, vowels, codas = "bcdfghklmnprstvz", "aeiou", ["", "n", "r", "s", "l", "t"]
    words = set()
    while len(words) < count:
        syllables = rng.randint(1, 3)
        words.add(
            "".join(
                rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                for _ in range(syllables)
            )
        )
    return sorted(words)


class Corpus:
    def __init__(self, claims: int, seed: int):
        self.rng = random.Random(seed)
        self.articles = max(1, claims // CLAIMS_PER_ARTICLE)
        self.speakers = max(1, claims // CLAIMS_PER_SPEAKER)
        self.outlets = min(MAX_OUTLETS, max(1, self.articles // 100))
        self.vocabulary = pseudo_words(self.rng, 5000)
        self.defined: set[str] = set()

    def sentence(self, number: int) -> str:
        """A sentence unique within its article (it carries its number)."""
        words = self.rng.choices(self.vocabulary, k=self.rng.randint(8, 20))
        if self.rng.random() < 0.2:
            words[self.rng.randrange(len(words))] = self.rng.choice(TOPICAL)
        return f"{' '.join(words).capitalize()} ({number})."

    def outlet(self, number: int):
        slug = f"outlet-{number}"
        if slug in self.defined:
            return slug
        self.defined.add(slug)
        return {"name": f"Outlet {number}", "slug": slug, "country": "US", "language": "en"}

    def speaker(self, number: int):
        slug = f"speaker-{number}"
        if slug in self.defined:
            return slug
        self.defined.add(slug)
        return {
            "name": f"Speaker {number}",
            "slug": slug,
            "kind": self.rng.choice(KINDS),
            "description": f"Spokesperson number {number}",
        }

    def article(self, number: int) -> dict:
        rng = self.rng
        count = CLAIMS_PER_ARTICLE + FILLER_PER_ARTICLE
        sentences = [self.sentence(index) for index in range(count)]
        body = " ".join(sentences)
        quoted = sorted(rng.sample(range(count), CLAIMS_PER_ARTICLE))
        starts, at = [], 0
        for sentence in sentences:
            starts.append(at)
            at += len(sentence) + 1
        claims = []
        for index in quoted:
            # Speakers cluster by outlet, as beats do, but any speaker may appear anywhere.
            claims.append(
                {
                    "speaker": self.speaker(rng.randrange(self.speakers)),
                    "text": sentences[index],
                    "start": starts[index],
                    "quote_type": rng.choice(QUOTE_TYPES),
                    "cue": rng.choice(CUES),
                    "stated_on": (EPOCH + timedelta(days=rng.randrange(2000))).isoformat()
                    if rng.random() < 0.5
                    else None,
                }
            )
        return {
            "outlet": self.outlet(number % self.outlets),
            "url": f"https://news.example/{number % self.outlets}/articles/{number}",
            "headline": self.sentence(number)[:-1],
            "bylines": [f"Reporter {rng.randrange(1000)}"],
            "published_on": (EPOCH + timedelta(days=rng.randrange(2000))).isoformat(),
            "language": "en",
            "body": body,
            "claims": claims,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=argparse.FileType("w", encoding="utf-8"), default="-")
    args = parser.parse_args()
    corpus = Corpus(args.claims, args.seed)
    for number in range(corpus.articles):
        args.output.write(json.dumps(corpus.article(number), ensure_ascii=False) + "\n")
    print(
        f"{corpus.articles * CLAIMS_PER_ARTICLE} claims, {corpus.articles} articles, "
        f"{len([d for d in corpus.defined if d.startswith('speaker')])} speakers, "
        f"{corpus.outlets} outlets",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
