"""The guide's scoring rule (extraction.scoring) on hand-made cases."""

import pytest

from extraction.scoring import Attribution, Score, match, same_speaker, score, spans_match

TEXT = 'Ana Ruiz said "the bridge is safe," and the mayor said the road would reopen soon.'


def at(fragment: str, speaker: str = "Ana Ruiz", quote_type: str = "direct", **kw) -> Attribution:
    start = TEXT.index(fragment)
    return Attribution(start, start + len(fragment), speaker, quote_type, **kw)


def test_spans_match_at_half_of_their_union_and_not_below():
    a = Attribution(0, 10, "x", "direct")
    assert spans_match(a, Attribution(5, 10, "x", "direct"))  # overlap 5 of union 10
    assert not spans_match(a, Attribution(5, 11, "x", "direct"))  # 5 of 11
    assert not spans_match(a, Attribution(10, 20, "x", "direct"))


def test_matching_is_one_to_one_and_greedy_by_overlap():
    gold = [Attribution(0, 10, "x", "direct")]
    proposed = [Attribution(2, 10, "x", "direct"), Attribution(0, 10, "x", "direct")]
    assert match(gold, proposed) == [(0, 1)]


def test_a_proposal_matches_at_most_one_gold():
    gold = [Attribution(0, 10, "x", "direct"), Attribution(0, 9, "x", "direct")]
    proposed = [Attribution(0, 10, "x", "direct")]
    s = score("a" * 20, gold, proposed)
    assert (s.matched, s.recall, s.precision) == (1, 0.5, 1.0)


def test_recall_precision_and_f1():
    gold = [at("the bridge is safe"), at("the road would reopen soon", "mayor", "indirect")]
    proposed = [at("the bridge is safe"), at("Ana Ruiz", "Ana Ruiz")]
    s = score(TEXT, gold, proposed)
    assert (s.gold, s.proposed, s.matched) == (2, 2, 1)
    assert s.recall == s.precision == s.f1 == 0.5


def test_exact_span_ignores_quote_marks_and_trailing_punctuation():
    gold = [at("the bridge is safe")]
    proposed = [at('"the bridge is safe,"')]
    assert score(TEXT, gold, proposed).exact_rate == 1.0
    assert score(TEXT, gold, [at("the bridge is")]).exact_rate == 0.0


@pytest.mark.parametrize(
    ("proposed", "right"),
    [
        ("Ana Ruiz", True),
        ("ruiz", True),  # contained in the gold name, case ignored
        ("Mayor Ana Ruiz", True),  # titles ignored
        ("the spokeswoman Ana Ruiz of the city", True),  # contains the gold name
        ("Ruiz Lopez", False),
        ("she", False),
    ],
)
def test_speaker_containment_either_way(proposed, right):
    assert same_speaker(proposed, Attribution(0, 1, "Ana Ruiz", "direct")) is right


def test_speaker_may_match_a_non_pronoun_mention_of_the_gold_speaker():
    gold = Attribution(0, 1, "Ana Ruiz", "direct", mentions=("the city's spokeswoman", "she"))
    assert same_speaker("spokeswoman", gold)
    assert not same_speaker("she", gold)


def test_type_and_speaker_accuracy_are_among_matches_only():
    gold = [at("the bridge is safe"), at("the road would reopen soon", "mayor", "indirect")]
    proposed = [at("the bridge is safe", "Ana Ruiz", "mixed"), at("the road would reopen", "Ana")]
    s = score(TEXT, gold, proposed)
    assert s.matched == 2
    assert (s.speaker_accuracy, s.type_accuracy, s.exact_rate) == (0.5, 0.0, 0.5)


def test_scores_add_up_over_articles():
    total = Score(gold=2, proposed=1, matched=1, speaker=1) + Score(gold=1, proposed=3, matched=1)
    assert (total.gold, total.proposed, total.matched, total.speaker) == (3, 4, 2, 1)
    assert total.speaker_accuracy == 0.5


def test_nothing_to_find_and_nothing_found_is_perfect():
    s = score("", [], [])
    assert (s.recall, s.precision) == (1.0, 1.0)
