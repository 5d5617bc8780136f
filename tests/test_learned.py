"""The learned key: its examples table, its file, its thresholds, and how it is built.

The fast tests use small hand-made weights; the slow ones build the real key
from the shipped table with the real model.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from bot import lay_terms
from bot.errors import LearnedKeyMissing
from bot.safety import check, default
from bot.safety.learned import BRIEF_WORDS, EXAMPLES_FILE, NONE, LearnedKey, table_digest, windows
from bot.safety.train import ExamplesError, read_examples

RULES = default().rules
RED = frozenset(r.id for r in RULES.red_flags)


def key(thresholds=RULES.learned) -> LearnedKey:
    """Three labels over 2-d vectors: x points to "none", y to "edema", -x to "chest_pain"."""
    weights = np.array([[4, 0], [0, 4], [-4, 0]], dtype=np.float32)
    return LearnedKey((NONE, "edema", "chest_pain"), weights, np.zeros(3, np.float32), RED, thresholds)


# --- the table -----------------------------------------------------------------


def test_the_table_is_large_and_covers_every_rule():
    rows = read_examples()
    labels = [label for label, _ in rows]
    assert len(rows) >= 2000
    assert labels.count(NONE) >= 500
    for rule in RULES.conditions + RULES.red_flags:
        assert labels.count(rule.id) >= 40, rule.id


def test_the_table_has_long_rambling_messages_and_caregivers_words():
    messages = [m for _, m in read_examples()]
    assert sum(len(m.split()) >= 60 for m in messages) >= 40
    assert sum(any(w in m.lower().split() for w in ("she", "he", "wife", "husband", "mum", "dad")) for m in messages) >= 200


def _table(tmp_path, rows, header=("label", "message")):
    path = tmp_path / "examples.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "rows, header, message",
    [
        ([("oedema", "my feet swell")], ("label", "message"), "unknown label 'oedema'"),  # a misspelt id
        ([("none", "   ")], ("label", "message"), "line 2: the message is empty"),
        ([("none", "Is reiki nice?"), ("edema", "is reiki NICE?")], ("label", "message"), "labelled 'none' on line 2"),
        ([("none", "hello")], ("label", "text"), "needs the columns"),
        ([("none", "hello"), ("none", "hi")], ("label", "message"), "at least two labels"),
    ],
)
def test_a_bad_table_is_refused_with_the_row(tmp_path, rows, header, message):
    with pytest.raises(ExamplesError, match=message):
        read_examples(_table(tmp_path, rows, header))


def test_a_table_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "examples.csv"
    path.write_bytes("label,message\nnone,caf\xe9\n".encode("latin-1"))
    with pytest.raises(ExamplesError, match="cannot be read"):
        read_examples(path)


# --- finding -------------------------------------------------------------------


@pytest.mark.parametrize(
    "vector, found",
    [
        ([1, 0], []),  # "none"
        ([0, 1], ["edema"]),  # the condition, sure enough
        ([-1, 0], ["chest_pain"]),  # the red flag
        ([0.05, 0.05], []),  # unsure: no label reaches its threshold
    ],
)
def test_find_applies_the_thresholds(vector, found):
    assert sorted(key().find([vector])[0]) == sorted(found)


def test_a_window_counts_a_red_flag_only_as_its_likeliest_label():
    unsure = [-0.2, 0.25]  # edema likeliest, chest pain over its threshold
    assert "chest_pain" in key().find([unsure])[0]
    assert key().find([unsure], top_only=True) == [[]]
    # a short message is one vector; a long one, the whole and its windows
    assert key().find_in_turn([unsure]) == ["chest_pain"]
    assert key().find_in_turn([[-1, 0], [1, 0]]) == []  # the windows judge a long one
    assert key().find_in_turn([[1, 0], unsure]) == []
    assert key().find_in_turn([[1, 0], [-1, 0]]) == ["chest_pain"]
    # a short message: a red flag only when the red flags are at least as likely as "none"
    # ("ok but how does that actually work" was 0.44 suicide, 0.55 none); from BRIEF_WORDS,
    # its own threshold
    nothing_likelier = [0.05, -0.2]  # none 0.49, chest pain 0.33, edema 0.18
    assert key().find_in_turn([nothing_likelier], words=3) == []
    assert key().find_in_turn([nothing_likelier], words=BRIEF_WORDS - 1) == []
    assert key().find_in_turn([nothing_likelier], words=BRIEF_WORDS) == ["chest_pain"]
    assert key().find_in_turn([[-1, 0]], words=3) == ["chest_pain"]
    # a condition likelier than the red flag takes nothing away: none is least likely
    assert key().find_in_turn([unsure], words=3) == ["chest_pain"]


def test_red_flags_have_the_lower_threshold():
    assert RULES.learned.red_flag <= RULES.learned.condition


def test_nothing_to_read_finds_nothing():
    assert key().find(np.zeros((0, 2))) == []


def test_the_learned_keys_findings_join_the_rules():
    verdict = check(["my ankles look like balloons"], [["edema"]])
    assert verdict.route == "ask_doctor"
    assert [(f.rule.id, f.key) for f in verdict.findings] == [("edema", "learned")]
    both = check(["I have edema"], [["edema"]])  # found by both keys: named once, by the rules
    assert [(f.rule.id, f.key) for f in both.findings] == [("edema", "rules")]
    assert check(["What is shiatsu?"], [["chest_pain"]]).route == "emergency"


class Reads:
    """A stand-in learned key that finds, in a text's vector (here the text
    itself), the ids `finds` gives for it; and a bot that reads a text as itself."""

    red_flags = frozenset({"chest_pain"})

    def __init__(self, finds):
        self.finds = finds
        self.asked = []

    def find_in_turn(self, vectors, words):
        self.asked.append(vectors[0])
        return self.finds.get(vectors[0], [])


def stand_in(finds):
    from bot.chat import Bot

    guide = object.__new__(Bot)
    guide.learned = Reads(finds)
    guide.read = lambda turns: [[t] for t in turns]
    return guide


FIRST, SORRY = "Is massage ok with cancer?", "Sorry, it's my mother-in-law who has it."


@pytest.mark.parametrize(
    "first, finds, found",
    [
        # found again in the conversation from the turn on: it stands
        (["cancer"], {f"{FIRST}\n{SORRY}": ["cancer"]}, ["cancer"]),
        # not found again: the later turn took it back
        (["cancer"], {}, []),
        # a red flag stands whatever the later turns say
        (["chest_pain", "cancer"], {}, ["chest_pain"]),
    ],
)
def test_a_condition_the_learned_key_found_must_be_found_again_with_the_later_turns(first, finds, found):
    assert stand_in(finds).still_found([FIRST, SORRY], first) == found


def test_the_last_turn_and_red_flags_alone_are_not_read_again():
    guide = stand_in({})
    assert guide.still_found([SORRY], ["cancer"]) == ["cancer"]
    assert guide.still_found([FIRST, SORRY], ["chest_pain"]) == ["chest_pain"]
    assert guide.learned.asked == []


@pytest.mark.parametrize(
    "text, learned",
    [
        ("Can massage prevent bedsores?", "pressure_sore"),  # prevention
        ("my dog has arthritis", "arthritis"),  # a pet's
        ("I'm not pregnant", "pregnancy"),  # ruled out
    ],
)
def test_a_condition_the_rules_context_cleared_stays_cleared(text, learned):
    """The rules saw the words and their context: the learned key's guess at the
    same condition in the same turn does not bring it back."""
    assert check([text], [[learned]]).route is None
    assert check([text, "and I have edema"], [[], ["edema"]]).route == "ask_doctor"


@pytest.mark.parametrize(
    "text, count",
    [
        ("Short question about shiatsu?", 1),
        (" ".join(f"word{i}" for i in range(39)), 1),  # forty words: read whole only
        (" ".join(f"Sentence number {i} is here." for i in range(12)), 3),  # sixty: whole, two windows
        (" ".join(f"word{i}" for i in range(100)), 4),  # one long sentence: in pieces of forty words
        # filler is not read: the whole, and the question alone
        ("Can massage help with MS fatigue? " + "really " * 100, 2),
        ("My legs ache. " + "blah blah blah. " * 40 + "Is massage ok?", 3),
    ],
)
def test_windows(text, count):
    found = windows(text)
    assert found[0] == text and len(found) == count
    assert all(len(w.split()) <= 40 for w in found[1:])


def test_a_red_flag_at_the_end_of_a_long_message_has_a_window_of_its_own():
    text = "I have had MS for years and love my massages. " * 8 + "Now my chest hurts badly."
    assert windows(text)[-1].endswith("Now my chest hurts badly.")


# --- the file ------------------------------------------------------------------


def _save(path, **changes):
    fields = dict(
        weights=np.eye(3, 2, dtype=np.float32), bias=np.zeros(3, np.float32),
        labels=np.array([NONE, "edema", "chest_pain"]), model="m", table=table_digest(), format=1,
        lay=lay_terms.digest(),
    )
    fields.update(changes)
    np.savez(path, **fields)
    return path


def test_a_key_loads_when_it_matches_the_table_and_model(tmp_path):
    loaded = LearnedKey.load(_save(tmp_path / "k.npz"), "m", RULES)
    assert loaded.labels == (NONE, "edema", "chest_pain") and loaded.red_flags == RED


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: None, "is not built yet"),
        (lambda p: _save(p, model="another"), "another model"),
        (lambda p: _save(p, table="0" * 64), "another examples table"),
        (lambda p: _save(p, format=0), "old layout"),
        # it reads messages with the lay words added: a key built with others reads them otherwise
        (lambda p: _save(p, lay="0" * 64), "other lay words"),
        (lambda p: p.write_bytes(b"not a key"), "cannot be read"),
        (lambda p: np.savez(p, weights=np.zeros(2)), "cannot be read"),  # fields missing
    ],
)
def test_a_missing_or_stale_key_is_refused_with_the_fix(tmp_path, make, message):
    path = tmp_path / "k.npz"
    make(path)
    with pytest.raises(LearnedKeyMissing, match=message) as caught:
        LearnedKey.load(path, "m", RULES)
    assert "python -m bot.safety.train" in str(caught.value)


def test_the_shipped_table_is_the_one_packaged():
    import tomllib

    from bot.config import ROOT

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert EXAMPLES_FILE.name in pyproject["tool"]["setuptools"]["package-data"]["bot.safety"]


# --- the real key ----------------------------------------------------------------


@pytest.mark.slow
def test_building_the_key_twice_gives_the_same_predictions(tmp_path, model, settings):
    """Two builds from one table (every twentieth row of the shipped one, so
    that the test builds quickly) agree exactly: the key and the context
    reader. That `make` built today's files from today's table is
    checked apart: a file built from another table is refused (above)."""
    from bot.embeddings import sentence_model
    from bot.safety.reader import ContextReader
    from bot.safety.train import build, embed

    table = tmp_path / "examples.csv"
    with open(table, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["label", "message"])
        out.writerows(read_examples()[::20])
    builds = [
        settings.model_copy(update={"learned_key": tmp_path / f"key{n}.npz", "context_reader": tmp_path / f"r{n}.npz"})
        for n in (1, 2)
    ]
    for again in builds:
        build(again, *model, examples=table)
    first, second = (LearnedKey.load(s.learned_key, model[1].id, RULES, table) for s in builds)
    messages = [m for _, m in read_examples()][::7]
    vectors = embed(model[0], messages)
    assert len(first.labels) > 10 and first.labels == second.labels
    assert first.find(vectors) == second.find(vectors)
    assert np.allclose(first.probabilities(vectors), second.probabilities(vectors), atol=1e-5)

    readers = [ContextReader.load(s.context_reader, model[1].id, sentence_model(model[0]), table) for s in builds]
    pairs = [(w, m) for m in messages for _, w in default().scan(m, context=False)[0]]
    doubts = [r.doubts(pairs) for r in readers]
    assert len(pairs) > 100
    for line in (RULES.learned.clear, RULES.learned.clear_red_flag):
        assert [d >= line for d in doubts[0]] == [d >= line for d in doubts[1]]
    assert np.allclose(*doubts, atol=1e-4)


@pytest.mark.slow
def test_the_vectors_the_key_is_built_from_are_the_guides(model, settings):
    """The build embeds the table in bfloat16 where the processor has it
    (teach.quick); the guide embeds a question in float32. The vectors agree
    to within 1e-4 of cosine, the key's probabilities to within 0.02, and what
    it finds differs only where a probability is at its threshold (2 of 2,022
    table messages when measured)."""
    from bot.lay_terms import expand
    from bot.safety.train import embed

    messages = [m for _, m in read_examples()][::5]
    built = embed(model[0], messages)
    asked = np.asarray(model[0].embed_documents([expand(m) for m in messages]), dtype=np.float32)
    assert float((built * asked).sum(1).min()) > 0.9999
    key = LearnedKey.load(settings.learned_key, model[1].id, RULES)
    assert float(np.abs(key.probabilities(built) - key.probabilities(asked)).max()) < 0.02
    differ = sum(x != y for x, y in zip(key.find(built), key.find(asked)))
    assert differ <= len(messages) // 500


@pytest.mark.slow
def test_the_key_finds_on_its_own_what_the_rules_have_no_words_for(guide):
    """A message in words the table lacks: the rules miss it, the learned key does not."""
    from tests.conftest import ask

    text = "by teatime my ankles are twice their size and my socks leave deep grooves"
    assert check([text]).route is None
    verdict, _ = guide.check([text])
    assert [(f.rule.id, f.key) for f in verdict.findings] == [("edema", "learned")]
    reply = ask(guide, text)
    assert reply.route == "ask_doctor" and "**swelling (edema)**" in reply.text


@pytest.mark.parametrize(
    "chances, found",
    [
        ((0.2, 0.42, 0.38, 1e-6), ["edema"]),  # neither alone is sure: together they are
        ((0.4, 0.32, 0.28, 1e-6), []),  # together still short of the threshold
    ],
)
def test_conditions_count_together_and_the_likeliest_is_named(chances, found):
    labels = (NONE, "edema", "heart", "chest_pain")
    bias = np.log(np.array(chances, dtype=np.float32))
    split = LearnedKey(labels, np.zeros((4, 2), np.float32), bias, RED, RULES.learned)
    assert RULES.learned.condition == 0.7
    assert split.find([[0, 0]]) == [found]


def test_a_short_message_finds_a_condition_only_as_its_likeliest_label():
    labels = (NONE, "edema", "heart", "ulcers", "chest_pain")
    bias = np.log(np.array((0.28, 0.25, 0.24, 0.23, 1e-6), dtype=np.float32))
    split = LearnedKey(labels, np.zeros((5, 2), np.float32), bias, RED, RULES.learned)
    assert split.find([[0, 0]]) == [["edema"]]  # together 0.72: found in an ordinary message
    assert split.find_in_turn([[0, 0]], words=4) == []  # "can masage help with fatigu??": none is likeliest
    sure = LearnedKey(labels, np.zeros((5, 2), np.float32),
                      np.log(np.array((0.1, 0.45, 0.25, 0.2, 1e-6), dtype=np.float32)), RED, RULES.learned)
    assert sure.find_in_turn([[0, 0]], words=4) == []  # likeliest, but 0.45 alone is not sure enough
    assert sure.find_in_turn([[0, 0]], words=10) == ["edema"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "later",
    [
        "I don't have any other conditions, is massage ok?",  # too loose to take it back
        "thanks! and what about sleep?",  # another question
    ],
)
def test_the_keys_condition_in_an_earlier_turn_stands_when_a_later_turn_does_not_take_it_back(guide, later):
    text = "by teatime my ankles are twice their size and my socks leave deep grooves"
    verdict, _ = guide.check([text, later])
    assert [(f.rule.id, f.turn, f.key) for f in verdict.findings] == [("edema", 0, "learned")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "turns, red_flag",
    [
        (["My neck has gone really stiff today, would a massage loosen it?",
          "oh and I'm shivering and boiling hot at the same time, thermometer says 39.8"], "meningitis"),
        (["is a massage ok for a pounding headache?",
          "it came on all at once ten minutes ago, the worst I've ever had"], "headache"),
    ],
)
def test_a_red_flag_said_across_two_turns_is_an_emergency(guide, turns, red_flag):
    """Neither turn alone is an emergency; the conversation read whole is."""
    assert all(guide.check([turn])[0].route != "emergency" for turn in turns)
    verdict, _ = guide.check(turns)
    assert verdict.route == "emergency"
    assert (red_flag, 1, "learned") in [(f.rule.id, f.turn, f.key) for f in verdict.findings]
