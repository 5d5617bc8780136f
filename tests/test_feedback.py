"""Feedback on answers: nothing kept without opting in, the question only with consent."""

from types import SimpleNamespace

import pytest

from app import feedback
from bot.feedback import REASONS, Feedback, FeedbackLog

CONVERSATION = [
    {"role": "user", "content": "Can massage help my pain?", "shown": ""},
    {"role": "assistant", "content": "(answer)", "shown": "", "route": "answer",
     "sources": ["massage-and-ms.md: Pain"]},
]


def like(liked, index=1):
    return SimpleNamespace(index=index, liked=liked)


@pytest.fixture
def log(tmp_path):
    return FeedbackLog(tmp_path / "feedback" / "feedback.jsonl")


def test_nothing_is_kept_without_opting_in(log):
    said = feedback(log, CONVERSATION, False, True, like(True))
    assert "not kept" in said and "Keep my feedback" in said
    assert not log.path.exists()


@pytest.mark.parametrize(
    "liked, helpful, reason",
    [
        (True, True, None),  # thumb up
        (False, False, None),  # thumb down
        ("Like", True, None),
        ("Dislike", False, None),
        ("Hard to understand", False, "Hard to understand"),  # a reason from the flag
    ],
)
def test_opted_in_feedback_is_kept_without_the_question(log, liked, helpful, reason):
    said = feedback(log, CONVERSATION, True, False, like(liked))
    assert said == "Thank you. Your feedback was kept."
    [kept] = log.read()
    assert kept["helpful"] is helpful and kept["reason"] == reason
    assert kept["route"] == "answer" and kept["sources"] == ["massage-and-ms.md: Pain"]
    assert kept["question"] is None
    assert "pain" not in log.path.read_text().lower().replace("massage-and-ms.md: pain", "")


def test_the_question_only_with_both_boxes_ticked(log):
    assert "with your question" in feedback(log, CONVERSATION, True, True, like(False))
    assert log.read()[0]["question"] == "Can massage help my pain?"


@pytest.mark.parametrize(
    "data",
    [
        like(None),  # a thumb taken back
        like(""),
        like(True, index=0),  # a user message, not an answer
        like(True, index=7),  # past the end (a stale page)
    ],
)
def test_nothing_to_keep(log, data):
    assert feedback(log, CONVERSATION, True, True, data) == ""
    assert not log.path.exists()


def test_an_unknown_reason_is_refused(log):
    with pytest.raises(ValueError, match="Unknown reason"):
        log.add(Feedback(helpful=False, reason="<script>", route="answer", sources=[]))


def test_lines_are_appended(log):
    for reason in REASONS:
        log.add(Feedback(helpful=False, reason=reason, route="answer", sources=[]))
    assert [k["reason"] for k in log.read()] == list(REASONS)
    assert all(len(k["at"]) == len("2026-01-01T10:00Z") for k in log.read())
