"""The context reader: what it reads of a message, how the rules key uses its
doubts, its file, and the real reader built from the shipped table.

The fast tests give `check` hand-made doubts; the slow ones use the reader
`make` built, on the real model.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.errors import LearnedKeyMissing
from bot.safety import check, default
from bot.safety.reader import ContextReader, around

RULES = default().rules


@pytest.mark.parametrize(
    "text, words, parts",
    [
        # the sentence of the words alone: the rest of the message cannot sway it
        ("My mum's hip healed years ago. I'm pregnant, is massage ok?", "pregnant",
         ["I'm pregnant, is massage ok?"]),
        # each sentence that holds the words
        ("Ulcers again. My ulcers hurt!", "ulcers", ["Ulcers again.", "My ulcers hurt!"]),
        # words split over two sentences: the whole (short) message
        ("She broke. Her hip.", "broke her hip", ["She broke. Her hip."]),
        ("no full stop at all my dog has arthritis", "arthritis", ["no full stop at all my dog has arthritis"]),
        # a line break ends a sentence too
        ("line one\nmy wife is pregnant", "pregnant", ["my wife is pregnant"]),
    ],
)
def test_around_reads_the_sentence_that_holds_the_words(text, words, parts):
    assert around(text, words) == parts


def doubting(**doubts):
    """A stand-in reader: the doubt of each pair by its words (0 when not given)."""
    asked = []

    def read(pairs):
        asked.extend(pairs)
        return [doubts.get(words, 0.0) for words, _ in pairs]

    return read, asked


@pytest.mark.parametrize(
    "text, doubts, found",
    [
        # at the threshold the condition is cleared; just under it, kept
        ("Rex has arthritis.", {"arthritis": RULES.learned.clear}, []),
        ("Rex has arthritis.", {"arthritis": RULES.learned.clear - 0.01}, ["arthritis"]),
        # each condition is judged on its own: one cleared, the other kept
        ("I'm pregnant and Rex has arthritis.", {"arthritis": 0.99}, ["pregnancy"]),
        # a red flag is never asked about, so never cleared
        ("Crushing chest pain, and Rex has arthritis.", {"arthritis": 0.99, "chest pain": 1.0},
         ["chest_pain"]),
    ],
)
def test_the_reader_clears_only_conditions_it_doubts_enough(text, doubts, found):
    read, asked = doubting(**doubts)
    verdict = check([text], doubts=read)
    assert [f.rule.id for f in verdict.findings] == found
    assert "chest pain" not in {words for words, _ in asked}


def test_the_reader_is_not_asked_about_what_the_context_cues_cleared():
    read, asked = doubting()
    assert check(["How can massage help prevent pressure sores?"], doubts=read).route is None
    assert asked == []


def test_a_condition_the_reader_cleared_may_still_be_found_by_the_learned_key():
    read, _ = doubting(arthritis=1.0)
    verdict = check(["Rex has arthritis."], [["arthritis"]], doubts=read)
    assert [(f.rule.id, f.key) for f in verdict.findings] == [("arthritis", "learned")]


@pytest.mark.parametrize(
    "change, message",
    [
        (None, "is not built yet"),
        ({"model": "another"}, "another model"),
        ({"table": "0" * 64}, "another examples table"),
        ({"format": 0}, "old layout"),
    ],
)
def test_a_missing_or_stale_reader_is_refused_with_the_fix(tmp_path, change, message):
    from bot.safety.learned import table_digest

    path = tmp_path / "r.npz"
    if change is not None:
        fields = {"model": "m", "table": table_digest(), "format": 1, "head.weight": np.zeros((1, 3))}
        np.savez(path, **{**fields, **change})
    with pytest.raises(LearnedKeyMissing, match=message) as caught:
        ContextReader.load(path, "m", encoder=None)
    assert "python -m bot.safety.train" in str(caught.value)


# --- the real reader ------------------------------------------------------------------


@pytest.fixture(scope="module")
def reader(model, settings):
    from bot.embeddings import sentence_model

    return ContextReader.load(settings.context_reader, model[1].id, sentence_model(model[0]))


@pytest.mark.slow
def test_the_reader_clears_what_the_rules_words_alone_cannot(reader):
    """A pet the cues do not name ("our old labrador Bess"): the rules alone defer it."""
    text = "Our old labrador Bess has arthritis, poor thing. Can massage help my MS legs?"
    assert check([text]).route == "ask_doctor"
    assert check([text], doubts=reader.doubts).route is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # what a review found a whole-message reading cleared: conditions the person has now
        "I broke my wrist yesterday, can I still get a shoulder massage?",
        "My mum's hip was replaced years ago and healed fine. I'm pregnant, is a massage ok for me?",
        "My wife has osteoporosis, can I massage her back?",
        "My client just told me she's pregnant. She has MS. What should I change?",
        "My neighbour who I care for has MS and was just diagnosed with cancer. Can I still do her hand massages?",
    ],
)
def test_the_reader_keeps_the_persons_own_conditions(reader, text):
    found = default().find(text)
    assert found and all(d < RULES.learned.clear for d in reader.doubts([(w, text) for _, w in found]))


def test_a_flood_of_findings_is_kept_without_reading_it():
    """Past MAX_PAIRS distinct (words, sentence) pairs, nothing is doubted and the model is not run."""
    from bot.safety.reader import MAX_PAIRS

    flood = [("arthritis", f"Dog number {n} has arthritis.") for n in range(MAX_PAIRS + 1)]
    assert ContextReader(encoder=None, layer=None, head=None).doubts(flood) == [0.0] * len(flood)
