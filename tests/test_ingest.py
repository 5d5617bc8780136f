"""Ingest into a real Chroma store with the real model: idempotent, incremental."""

import shutil
import subprocess
import sys

import pytest

from bot.config import ROOT, Settings
from bot.errors import CorpusEmpty, IndexMismatch, IndexMissing
from bot.store import current, open_store
from ingest.index import build
from tests.conftest import CORPUS
from tests.test_corpus import FURNITURE

pytestmark = pytest.mark.slow


def run(settings, model):
    return build(settings, *model, progress=False)[0]


def stored(settings, model):
    return open_store(settings, *model).chunks()[0]


@pytest.fixture
def workspace(tmp_path, model):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    settings = Settings(corpus_dir=corpus, store_dir=tmp_path / "index")
    first = run(settings, model)
    return settings, first


def test_first_run_adds_every_chunk(workspace, model):
    settings, first = workspace
    assert first.files == 2 and first.added == first.chunks > 20
    assert first.removed == first.unchanged == 0
    assert len(stored(settings, model)) == first.chunks


def test_second_run_changes_nothing_and_says_so(workspace, model):
    settings, first = workspace
    before = {c.id: c for c in stored(settings, model)}
    again = run(settings, model)
    assert (again.added, again.removed, again.unchanged) == (0, 0, first.chunks)
    assert "already up to date" in again.summary()
    assert {c.id: c for c in stored(settings, model)} == before


def test_an_edit_replaces_only_that_files_chunks(workspace, model):
    settings, _ = workspace
    before = stored(settings, model)
    path = settings.corpus_dir / "massage-and-bodywork-for-ms.md"
    path.write_text(
        path.read_text().replace("kneading, and friction.", "kneading, tapping, and friction."),
        encoding="utf-8",
    )
    report = run(settings, model)
    edited = [c for c in before if c.source == path.name]
    # The edited chunk and those after it in the same file (their offsets moved)
    # are replaced; nothing of the other file is touched.
    assert 1 <= report.added == report.removed <= len(edited)
    assert report.unchanged == len(before) - report.added
    after = stored(settings, model)
    other = lambda cs: [c for c in cs if c.source == "massage-and-ms.md"]  # noqa: E731
    assert other(after) == other(before)
    assert any("tapping" in c.text for c in after)
    assert not any("kneading, and friction." in c.text for c in after)


def test_a_removed_file_takes_its_chunks_along(workspace, model):
    settings, first = workspace
    (settings.corpus_dir / "massage-and-bodywork-for-ms.md").unlink()
    report = run(settings, model)
    left = stored(settings, model)
    assert report.removed == first.chunks - len(left) > 0
    assert {c.source for c in left} == {"massage-and-ms.md"}


def test_a_new_review_date_alone_updates_the_stored_metadata(workspace, model):
    settings, first = workspace
    path = settings.corpus_dir / "massage-and-ms.md"
    path.write_text(path.read_text().replace("reviewed_on: 2024-06-03", "reviewed_on: 2025-01-31"))
    report = run(settings, model)
    mine = [c for c in stored(settings, model) if c.source == path.name]
    assert report.added == report.removed == len(mine) > 0  # no word changed, yet each is renewed
    assert {c.reviewed_on for c in mine} == {"2025-01-31"}


def test_the_store_is_its_own_record(workspace, model):
    # A vector deleted behind ingest's back is put back; nothing beside the store can disagree.
    settings, first = workspace
    store = open_store(settings, *model)
    victim = store.collection.get(include=[])["ids"][0]
    store.collection.delete(ids=[victim])
    report = run(settings, model)
    assert (report.added, report.removed) == (1, 0)
    assert len(stored(settings, model)) == first.chunks



def test_each_change_is_a_new_generation_and_the_one_before_is_kept(workspace, model):
    settings, _ = workspace
    first = current(settings)
    path = settings.corpus_dir / "massage-and-ms.md"
    for word in ("alpha", "beta"):
        path.write_text(path.read_text() + f"\n\nA closing line, {word}.\n", encoding="utf-8")
        run(settings, model)
    newest = current(settings)
    gens = sorted(p.name for p in settings.store_dir.iterdir() if p.is_dir())
    # the first generation is pruned; the one before the newest stays for guides still reading it
    assert len(gens) == 2 and gens[-1] == newest and first not in gens
    assert sorted(p.name for p in settings.store_dir.iterdir() if p.is_file()) == [".ingest.lock", "current"]
    assert run(settings, model).changed is False and current(settings) == newest  # nothing new published


def test_no_furniture_is_indexed(settings, model, built):
    texts = "\n".join(c.text for c in stored(settings, model)).lower()
    for phrase in FURNITURE:
        assert phrase.lower() not in texts


def test_an_empty_corpus_leaves_the_index_alone(workspace, model):
    settings, first = workspace
    for f in settings.corpus_dir.iterdir():
        f.unlink()
    with pytest.raises(CorpusEmpty, match="left as it was"):
        run(settings, model)
    assert len(stored(settings, model)) == first.chunks


def test_the_collection_records_its_model(workspace, model):
    settings, _ = workspace
    meta = open_store(settings, *model).collection.metadata
    assert meta["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert meta["embedding_dimension"] == 384


def test_a_store_from_another_model_is_refused(workspace, model):
    settings, _ = workspace
    embeddings, info = model
    other = type(info)(id="some/other-model", dimension=768)
    with pytest.raises(IndexMismatch, match="--rebuild"):
        open_store(settings, embeddings, other)


def test_a_missing_store_says_how_to_build_it(tmp_path, model):
    with pytest.raises(IndexMissing, match="python -m ingest"):
        open_store(Settings(store_dir=tmp_path / "none"), *model)
    assert not (tmp_path / "none").exists()  # looking did not create it


def test_cli_names_each_bad_file_and_indexes_the_rest(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (corpus / "broken.md").write_bytes(b"caf\xe9 \xff\xfe")
    (corpus / "notes.md").write_text("# Notes\n\nSome words about massage.\n", encoding="utf-8")
    with open(corpus / "huge.md", "wb") as f:
        f.write(b"---\ntitle: Huge\n---\n" + b"Massage helps. " * 3_400_000)  # 51 MB
    shutil.copy(corpus / "massage-and-ms.md", corpus / "zz-copy-of-massage-and-ms.md")
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "--corpus", str(corpus), "--store", str(tmp_path / "ix"), "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for line in (
        "Skipped broken.md: is not UTF-8 text",
        "Skipped empty.md: is empty",
        "Skipped huge.md: is 51.0 MB, too big for an article",
        "Skipped notes.md: has no front matter",
        "Skipped photo.md: looks like a binary file",
        "Skipped zz-copy-of-massage-and-ms.md: has the same text as massage-and-ms.md",
    ):
        assert line in done.stderr
    assert "2 files," in done.stderr and "added" in done.stderr
    assert "Traceback" not in done.stderr
