"""`python -m bot` end to end, in subprocesses, on a real index."""

import json
import os
import subprocess
import sys

import pytest

from bot.config import ROOT
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


def run(args, store, stdin="", env=None):
    return subprocess.run(
        [sys.executable, "-m", "bot", "--store", str(store), *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "MSGUIDE_CORPUS_DIR": str(CORPUS), **(env or {})},
    )


def test_ask_prints_a_quoted_answer_with_sources(settings, built):
    done = run(["ask", "Can massage help with MS fatigue?"], settings.store_dir)
    assert done.returncode == 0, done.stderr
    assert "ease your fatigue with gentle but vigorous strokes" in done.stdout
    assert "**Sources**" in done.stdout and "[1]" in done.stdout
    assert "Traceback" not in done.stderr


def test_out_of_scope_is_marked(settings, built):
    done = run(["ask", "What's the weather tomorrow?"], settings.store_dir)
    assert done.returncode == 0
    assert "NOT COVERED BY THIS GUIDE" in done.stdout and "You could ask" in done.stdout


@pytest.mark.parametrize(
    "question, banner, words",
    [
        ("I'm pregnant, can I get a massage?", "CHECK WITH YOUR DOCTOR FIRST", "Are pregnant"),
        ("I have chest pain", "GET HELP NOW", "emergency number"),
        ("I want to kill myself", "GET HELP NOW", "988"),
    ],
)
def test_safety_replies_are_marked_with_a_banner_first(settings, built, question, banner, words):
    done = run(["ask", question], settings.store_dir)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1] == banner and set(lines[0]) == {"="}  # the very first thing printed
    assert words in done.stdout


@pytest.mark.parametrize("args", [["ask"], ["ask", ""], ["ask", "   "]])
def test_ask_without_a_question_says_how(settings, built, args):
    done = run(args, settings.store_dir)
    assert done.returncode == 2
    assert "type a question" in done.stderr.lower() and "Traceback" not in done.stderr


def test_jsonl_end_to_end(settings, built):
    lines = [
        json.dumps({"id": "a", "messages": [{"role": "user", "content": "What is Swedish massage?"}]}),
        "this is not json",
        json.dumps({"id": "b", "messages": [
            {"role": "user", "content": "What is Swedish massage?"},
            {"role": "assistant", "content": "(answer)"},
            {"role": "user", "content": "and the German one?"},
        ]}),
        json.dumps([1, 2]),
        json.dumps({"id": "c", "messages": []}),
        json.dumps({"id": "d"}),
        json.dumps({"id": "e", "messages": [{"role": "user", "content": "   "}]}),
        "",
        json.dumps({"id": 7, "messages": [{"role": "user", "content": "What's the weather tomorrow?"}]}),
        json.dumps({"id": "f", "messages": [
            {"role": "user", "content": "My wife has osteoporosis."},
            {"role": "assistant", "content": "(answer)"},
            {"role": "user", "content": "Would a back massage help her?"},
        ]}),
        json.dumps({"id": "g", "messages": [{"role": "user", "content": "I can't breathe"}]}),
    ]
    done = run(["ask", "--jsonl"], settings.store_dir, stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", None, "b", None, "c", "d", "e", 7, "f", "g"]
    assert [o["route"] for o in out] == [
        "answer", "error", "answer", "error", "error", "error", "error", "out_of_scope",
        "ask_doctor", "emergency",
    ]
    assert "osteoporosis" in out[8]["answer"] and out[8]["citations"]
    assert out[9]["citations"] == []
    a, b = out[0], out[2]
    assert set(a) == {"id", "route", "answer", "citations", "latency_ms"}
    assert a["citations"][0]["section"] == "Swedish massage"
    assert set(a["citations"][0]) >= {"n", "source", "title", "section", "text"}
    assert b["citations"][0]["section"] == "German massage"  # the follow-up used the conversation
    assert all(0 < o["latency_ms"] < 60_000 for o in (a, b, out[7]))
    assert "line 2: not valid JSON" in out[1]["error"]
    assert "empty" in out[4]["error"] and "empty" in out[6]["error"]
    assert "Traceback" not in done.stderr
    assert done.stderr.count("Loading the guide") == 1  # one model load for the run


def test_chat_keeps_the_conversation(settings, built):
    done = run(["chat"], settings.store_dir, stdin="What is Swedish massage?\nand the German one?\n\n")
    assert done.returncode == 0, done.stderr
    assert "vibration, kneading, and friction" in done.stdout
    assert "healing baths" in done.stdout
    assert "Goodbye" in done.stdout


def test_a_missing_index_is_built_saying_so(tmp_path):
    store = tmp_path / "fresh"
    done = run(["ask", "What is shiatsu?"], store)
    assert done.returncode == 0, done.stderr
    assert "No index yet: building it" in done.stderr
    assert "preventing conditions" in done.stdout
    again = run(["ask", "What is shiatsu?"], store)
    assert "building" not in again.stderr


def test_a_missing_index_with_no_corpus_says_how_to_build(tmp_path):
    done = run(["ask", "What is shiatsu?"], tmp_path / "none",
               env={"MSGUIDE_CORPUS_DIR": str(tmp_path / "no-corpus")})
    assert done.returncode == 1
    assert "python -m ingest" in done.stderr and "Traceback" not in done.stderr
