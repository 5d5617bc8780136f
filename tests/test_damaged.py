"""A damaged or missing store: refused with what is wrong and `--rebuild`,
rebuilt by `make run` (load_bot), never queried when it cannot be trusted."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

from bot.__main__ import load_bot
from bot.chat import Bot
from bot.config import ROOT, Settings
from bot.errors import IndexDamaged
from bot.store import current
from ingest.chunk import chunk
from ingest.index import build, index
from ingest.load import load
from tests.conftest import CORPUS, variants

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Can massage help with MS fatigue?"}]


def generation(store: Path) -> Path:
    return store / current(Settings(store_dir=store))


def segment(store: Path) -> Path:
    """The folder of the vector index (HNSW) inside the current generation."""
    (folder,) = [p for p in generation(store).iterdir() if p.is_dir()]
    return folder


def scramble(path: Path) -> None:
    path.write_bytes(np.random.default_rng(7).bytes(max(path.stat().st_size, 64)))


# Each fault, as it would be found on disk.
FAULTS = {
    "the pointer is garbage": lambda s: (s / "current").write_bytes(b"\xff\xfe\x00junk"),
    "the pointer is empty": lambda s: (s / "current").write_text(""),
    "the pointer names no generation": lambda s: (s / "current").write_text("gen-20990101T000000000000-00000000\n"),
    "the generation is gone": lambda s: shutil.rmtree(generation(s)),
    "the database is garbage": lambda s: scramble(generation(s) / "chroma.sqlite3"),
    "the database is cut short": lambda s: (generation(s) / "chroma.sqlite3").write_bytes(
        (generation(s) / "chroma.sqlite3").read_bytes()[:100_000]
    ),
    "the database is empty": lambda s: (generation(s) / "chroma.sqlite3").write_bytes(b""),
}


@pytest.fixture(scope="module")
def clean(tmp_path_factory, model):
    store = tmp_path_factory.mktemp("clean") / "index"
    settings = Settings(corpus_dir=CORPUS, store_dir=store)
    build(settings, *model, progress=False)
    return store, Bot(settings, *model).answer(QUESTION)


@pytest.fixture
def damaged(clean, tmp_path, request):
    store = tmp_path / "index"
    shutil.copytree(clean[0], store)
    FAULTS[request.param](store)
    return Settings(corpus_dir=CORPUS, store_dir=store)


@pytest.mark.parametrize("damaged", FAULTS, indirect=True)
def test_a_damaged_store_is_refused_then_rebuilt_by_make_run(damaged, clean, model):
    with pytest.raises(IndexDamaged, match=r"python -m ingest --rebuild"):
        Bot(damaged, *model)
    err = io.StringIO()
    guide = load_bot(damaged, err)  # what `make run` and the CLI do at start
    said = err.getvalue()
    assert "python -m ingest --rebuild" in said and "Rebuilding it from" in said
    assert guide.answer(QUESTION) == clean[1]
    assert Bot(damaged, *model).answer(QUESTION) == clean[1]  # and it stays mended


def cli(store: Path, corpus: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "--store", str(store), "ask", "What is Swedish massage?"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
        env={**os.environ, "MSGUIDE_CORPUS_DIR": str(corpus)},
    )


def test_the_cli_says_what_is_wrong_and_rebuilds(clean, tmp_path):
    store = tmp_path / "index"
    shutil.copytree(clean[0], store)
    FAULTS["the database is garbage"](store)
    nothing = cli(store, tmp_path / "no-corpus")  # no articles here to rebuild from
    assert nothing.returncode == 1 and "Traceback" not in nothing.stderr
    assert "Error: The index at" in nothing.stderr and "cannot be read" in nothing.stderr
    assert "Build it with `python -m ingest --rebuild`." in nothing.stderr
    mended = cli(store, CORPUS)
    assert mended.returncode == 0 and "Traceback" not in mended.stderr, mended.stderr
    assert "cannot be read" in mended.stderr and "Rebuilding it from" in mended.stderr
    assert "Swedish massage" in mended.stdout


class Scattered(Embeddings):
    """Seeded random unit vectors, each one new: builds a large index in a
    moment (the vectors' meaning does not matter to these faults)."""

    def __init__(self):
        self.rng = np.random.default_rng(7)

    def embed_documents(self, texts):
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text):
        v = self.rng.normal(size=384)
        return (v / np.linalg.norm(v)).tolist()


LARGE_FAULTS = {
    "the vector index's files are gone": lambda s: shutil.rmtree(segment(s)),
    "its vectors are garbage": lambda s: scramble(segment(s) / "data_level0.bin"),
    # (link_lists.bin scrambled, its upper layers, gave the same 10 nearest for 50 of 50 searches)
    "its id map is garbage": lambda s: scramble(segment(s) / "index_metadata.pickle"),
}


@pytest.fixture(scope="module")
def large(tmp_path_factory, model):
    """Over a thousand chunks, so that Chroma keeps them in its vector index files."""
    root = tmp_path_factory.mktemp("large")
    docs, _ = load(variants(root / "corpus", 40))
    settings = Settings(corpus_dir=root / "corpus", store_dir=root / "index")
    chunks = chunk(docs)
    index(chunks, len(docs), settings, Scattered(), model[1], progress=False)
    assert len(chunks) > 1000 and (segment(settings.store_dir) / "data_level0.bin").is_file()
    return settings


@pytest.mark.parametrize("fault", LARGE_FAULTS)
def test_a_damaged_vector_index_is_never_queried(large, model, tmp_path, fault):
    Bot(large, *model)  # whole, it loads
    store = tmp_path / "index"
    shutil.copytree(large.store_dir, store)
    LARGE_FAULTS[fault](store)
    with pytest.raises(IndexDamaged, match=r"python -m ingest --rebuild"):
        Bot(Settings(store_dir=store), *model)


def test_a_running_guide_keeps_its_index_when_the_new_one_is_damaged(clean, model, tmp_path, caplog):
    store = tmp_path / "index"
    shutil.copytree(clean[0], store)
    settings = Settings(corpus_dir=CORPUS, store_dir=store, index_check_seconds=0)
    guide = Bot(settings, *model)
    FAULTS["the pointer names no generation"](store)
    assert guide.refresh() is False
    assert "Kept the index in use" in caplog.text and "fatigue" not in caplog.text
    assert guide.answer(QUESTION) == clean[1]


def test_the_page_keeps_the_question_when_the_index_cannot_be_read():
    from app import STORE_DOWN, ask

    class Broken:
        def answer(self, messages):
            raise IndexDamaged("The index at /srv/index cannot be read (…). Build it with …")

    chat, conversation, box, status = ask(Broken(), "What is reiki?", [])
    assert (chat, conversation, box, status) == ([], [], "What is reiki?", STORE_DOWN)
