"""The extraction pipeline: sentences, quotations, cues, sources, coreference, resolution."""

import time

from extraction.model import Directory, Proposal, TimeBudgetExceeded


def extract(
    text: str, directory: Directory = Directory(), *, deadline: float | None = None
) -> list[Proposal]:
    """Proposed attributions in text order. `deadline` is a time.monotonic() value; past it the
    extractor raises TimeBudgetExceeded (the API answers a problem)."""
    if deadline is not None and time.monotonic() > deadline:
        raise TimeBudgetExceeded
    return []
