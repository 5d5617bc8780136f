"""The context check (bot/safety/veto.py) and how the rules key applies it.

Fast: hand-made token vectors and a hand-made context callable. The real
check, built from the examples table, is tried in test_learned.py.
"""

import numpy as np
import pytest

from bot.safety import check
from bot.safety.veto import chance, clears, features, pieces_of

TEXT = "She broke her hip."
OFFSETS = [(0, 0), (0, 3), (4, 9), (10, 13), (14, 17), (17, 18), (0, 0)]  # [CLS] she broke her hip . [SEP]


@pytest.mark.parametrize(
    "text, words, offsets, pieces",
    [
        (TEXT, {"broke", "hip"}, OFFSETS, [2, 4]),
        (TEXT, {"knee"}, OFFSETS, []),  # not there
        ("osteoporosis", {"osteoporosis"}, [(0, 0), (0, 5), (5, 9), (9, 12), (0, 0)], [1, 2, 3]),  # one word, three pieces
        ("I'm PREGNANT", {"pregnant"}, [(0, 1), (1, 2), (2, 3), (4, 12)], [3]),  # case, apostrophes
        ("hip.", {"hip"}, [(0, 3), (3, 4)], [0]),  # a full stop is no part of the word before it
    ],
)
def test_pieces_of(text, words, offsets, pieces):
    assert pieces_of(text, words, offsets) == pieces


def test_features_are_the_words_and_the_whole_message_each_of_unit_length():
    vectors = np.zeros((7, 4), np.float32)
    vectors[2] = [3, 0, 0, 0]  # broke
    vectors[4] = [3, 0, 0, 0]  # hip
    vectors[1] = [0, 0, 6, 0]
    x = features(TEXT, {"broke", "hip"}, vectors, OFFSETS)
    assert x is not None and x.shape == (8,)
    assert np.allclose(x[:4], [1, 0, 0, 0])
    assert np.isclose(np.linalg.norm(x[4:]), 1) and x[4] > 0 and x[6] > 0


def test_words_past_what_the_model_read_get_no_features():
    """The model reads 256 pieces; where a matched word lies past them, the finding stands."""
    assert features(TEXT, {"broke", "hip", "pregnant"}, np.ones((7, 4), np.float32), OFFSETS) is None


@pytest.mark.parametrize(
    "bias, threshold, cleared",
    [
        (4.0, 0.95, True),  # chance 0.98
        (2.0, 0.95, False),  # chance 0.88: not sure enough
        (-4.0, 0.6, False),
    ],
)
def test_clears_only_at_or_over_the_threshold(bias, threshold, cleared):
    x = np.ones(2, np.float32)
    assert clears(x, np.zeros(2, np.float32), bias, threshold) is cleared
    assert clears(None, np.zeros(2, np.float32), 50.0, 0.95) is False  # no features: the finding stands


def test_chance_is_a_logistic():
    assert chance(np.array([1.0]), np.array([2.0]), -2.0) == pytest.approx(0.5)


# --- in the rules key -----------------------------------------------------------------


def never(text, words):
    raise AssertionError("the context check was asked about a message with no condition")


@pytest.mark.parametrize(
    "turns, learned, route",
    [
        (["I broke my hip at the weekend"], [[]], None),  # cleared
        (["I broke my hip at the weekend"], [["recent_injury"]], None),  # and the learned key does not bring it back
        (["I broke my hip at the weekend", "I have edema"], [[], []], "ask_doctor"),  # each turn on its own
        (["I broke my hip at the weekend and now chest pain"], [[]], "emergency"),  # never a red flag
        (["I broke my hip at the weekend"], [["chest_pain"]], "emergency"),  # nor the learned key's
    ],
)
def test_the_context_check_clears_the_rules_conditions_of_a_turn(turns, learned, route):
    asked = []

    def context(text, words):
        asked.append((text, words))
        return "weekend" in text  # (a fake: the real check would keep this one)

    assert check(turns, learned, context).route == route
    # asked once per turn with a condition, with the words the rules matched there
    assert [text for text, _ in asked] == [t for t in turns if "hip" in t or "edema" in t]
    assert all({"hip"} <= words or words == {"edema"} for _, words in asked)


def test_the_context_check_is_asked_only_where_the_rules_found_a_condition():
    assert check(["What is shiatsu?", "Can it help my MS fatigue?"], [[], []], never).route is None
    assert check(["chest pain now"], [[]], never).route == "emergency"


def test_a_context_check_that_keeps_the_finding_changes_nothing():
    kept = check(["I have osteoporosis"], [[]], lambda text, words: False)
    assert kept == check(["I have osteoporosis"])
