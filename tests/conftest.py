"""Shared fixtures. The real model and a real Chroma store are session-wide:
loaded and built once, in a temporary folder, from the shipped corpus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import bot  # noqa: F401  (offline switches first)
from bot.config import ROOT, Settings

CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


def variants(folder: Path, count: int) -> Path:
    """The shipped corpus plus `count` extra articles made from it, every line of
    each its own words (no passage ties with another, so rankings are stable)."""
    shutil.copytree(CORPUS, folder)
    for n in range(1, count + 1):
        for src in sorted(CORPUS.glob("*.md")):
            _, meta, body = src.read_text(encoding="utf-8").split("---\n", 2)
            body = re.sub(r"(?m)^(?!#)(?=\S)", f"In edition {n}, ", body)
            meta = meta.replace("title: ", f"title: Edition {n} of ", 1)
            (folder / f"edition-{n}-{src.name}").write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def model():
    """The real all-MiniLM-L6-v2 embeddings, loaded once."""
    from bot.embeddings import load_embeddings

    return load_embeddings(Settings())


@pytest.fixture(scope="session")
def settings(tmp_path_factory) -> Settings:
    return Settings(store_dir=tmp_path_factory.mktemp("index"), corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def built(settings, model):
    """A real index of the shipped corpus; returns the ingest report."""
    from ingest.index import build

    report, problems = build(settings, *model, progress=False)
    assert not problems
    return report


@pytest.fixture(scope="session")
def guide(settings, model, built):
    """The whole pipeline on the real model and the real index."""
    from bot.chat import Bot

    return Bot(settings, *model)


def ask(guide, *turns: str):
    """Answer a conversation given as the user's turns (assistant turns elided)."""
    from evals.safety import conversation

    return guide.answer(conversation(list(turns)))


MARKER = re.compile(r"\[(\d+)\]")


def quotes(text: str) -> list[tuple[str, int]]:
    """(verbatim quote, n) for every block quote of a reply's text; each must end in its [n]."""
    from bot.compose import QUOTE_BLOCK, quoted

    found = quoted(text)
    assert len(found) == len(QUOTE_BLOCK.findall(text)), f"a quote without its marker: {text!r}"
    return found


def check_citations(reply) -> None:
    """Every [n] has a citation, every citation is used, every quote is verbatim
    in its cited passage, and every passage stands in its file at its offsets."""
    numbers = {int(n) for n in MARKER.findall(reply.text)}
    assert numbers == {c.n for c in reply.citations}
    assert [c.n for c in reply.citations] == list(range(1, len(reply.citations) + 1))
    by_n = {c.n: c for c in reply.citations}
    found = quotes(reply.text)
    assert {n for _, n in found} == numbers
    for quote, n in found:
        assert quote and quote in by_n[n].text, (quote, by_n[n].text)
    for c in reply.citations:
        text = (CORPUS / c.source).read_text(encoding="utf-8")
        assert text[c.start : c.end] == c.text
