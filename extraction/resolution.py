"""Resolution to what the API knows: speakers by name, alias or surname; via outlets.

A via is the outlet or occasion that relayed a statement, found in relay phrasing only: *in an
interview with X*, *speaking to X*, *told state TV*, *in comments to X*, *X quoted ... as*. A
plain *told X* is usually the publishing outlet itself (*told VOA* in a VOA report), which the
guide says is not a via, and the extractor is not told the publisher — so it proposes no via for
it unless X is a broadcaster named generically (*state television*, *local media*)."""

import re

from extraction.model import Directory, Known, ViaGuess


def _words(s: str) -> list[str]:
    return re.findall(r"\w+(?:[’'.\-]\w+)*", s.lower().replace("’", "'"))


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _match(name: str, known: tuple[Known, ...], *, surname: bool) -> Known | None:
    """The Known best matching name: exact spelling, then a spelling inside the name, then (for
    people) the name as a surname of a spelling."""
    words = _words(name)
    if not words:
        return None
    best: tuple[int, Known] | None = None
    for k in known:
        for spelling in k.spellings:
            sw = _words(spelling)
            if sw == words:
                score = 1000
            elif _contains(words, sw) and (len(sw) > 1 or len(words) <= 2):
                score = 100 + len(sw)
            elif surname and k.kind == "person" and len(words) == 1 and sw[-1:] == words:
                score = 10
            else:
                continue
            if best is None or score > best[0]:
                best = (score, k)
    return best[1] if best else None


def match_speaker(name: str, directory: Directory) -> Known | None:
    """The Directory speaker a source name refers to, if any."""
    return _match(name, directory.speakers, surname=True)


def match_outlet(phrase: str, directory: Directory) -> Known | None:
    """The Directory outlet named in phrase, if any."""
    return _match(phrase, directory.outlets, surname=False)


_RELAY = re.compile(
    r"\b(?:in an? (?:\w+ )?(?:interview|interviews|conversation|comments|remarks|op-ed|"
    r"column|post|statement|appearance) (?:with|to|on|for|in)|speaking (?:to|with|on)|"
    r"(?:in|during) an? (?:\w+ )?(?:broadcast|press conference|briefing|speech|podcast) "
    r"(?:on|by|of|with)|told|quoted by|in comments to|writing (?:in|for))\s+"
    r"((?:[\w’'\-.]+ ){0,5}?[\w’'\-.]+?)(?=\s*(?:[,.;:]|$| that| on | in | the | as ))",
)
_GENERIC_BROADCASTERS = re.compile(
    r"^(?:\w+'s |\w+’s )?(?:state|state-run|state-owned|local|national|public|official|"
    r"government-run|pro-government)\s+(?:tv|television|radio|media|news agency|broadcaster|"
    r"newspaper|outlets?)\b",
    re.IGNORECASE,
)


def find_via(segment: str, directory: Directory) -> ViaGuess | None:
    """The relaying outlet or occasion in a segment next to a cue, if it is phrased as relay."""
    for m in _RELAY.finditer(segment):
        phrase = m.group(1).strip(" ,.")
        told = m.group(0).lstrip().startswith("told")
        outlet = match_outlet(phrase, directory)
        if told and not _GENERIC_BROADCASTERS.match(phrase):
            continue
        if outlet is not None:
            return ViaGuess(outlet.id, outlet.name)
        if phrase[:1].isupper() or _GENERIC_BROADCASTERS.match(phrase):
            return ViaGuess(None, re.sub(r"^(?:the|an?)\s+", "", phrase, flags=re.I))
    return None
