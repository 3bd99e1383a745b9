"""Precision and recall on the labelled corpus must not fall below these floors.

The floors sit a little under the measured values (see `python tests/corpus_eval.py`) so a regression
fails loudly; raise them when the matcher improves, never lower them to make a change pass.
"""

import pytest
from corpus_eval import HOLDOUT, evaluate

FLOORS = {  # verdict: (precision, recall)
    "unsupported": (0.94, 0.87),
    "misleading": (0.95, 0.91),
    "accurate": (0.93, 0.89),
    "unverified": (0.85, 0.80),
}


# The held-out corpus is never used to tune the matcher, so its floors are lower; they guard against
# changes that help the tuning corpus by overfitting it. (Too few `unverified` labels there to judge.)
HOLDOUT_FLOORS = {
    "unsupported": (0.83, 0.74),
    "misleading": (0.79, 0.80),
    "accurate": (0.78, 0.77),
}


@pytest.fixture(scope="module")
def result():
    return evaluate()


@pytest.fixture(scope="module")
def holdout():
    return evaluate(HOLDOUT)


def _assert_floors(tally, verdict, floors):
    precision_floor, recall_floor = floors[verdict]
    assert tally.precision(verdict) >= precision_floor, f"{verdict} precision {tally.precision(verdict):.3f}"
    assert tally.recall(verdict) >= recall_floor, f"{verdict} recall {tally.recall(verdict):.3f}"


@pytest.mark.parametrize("verdict", sorted(HOLDOUT_FLOORS))
def test_held_out_precision_and_recall_floors(holdout, verdict):
    _assert_floors(holdout[0], verdict, HOLDOUT_FLOORS)


@pytest.mark.parametrize("verdict", sorted(FLOORS))
def test_precision_and_recall_floors(result, verdict):
    _assert_floors(result[0], verdict, FLOORS)


def test_sentences_without_claims_stay_silent(result):
    _, counts = result
    assert counts["silent_ok"] / counts["silent_total"] >= 0.95


def test_corpus_is_big_enough_to_mean_something(result):
    _, counts = result
    assert counts["sentences"] >= 300 and counts["passages"] >= 20
