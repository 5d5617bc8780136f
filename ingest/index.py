"""Embed chunks into a new generation of the index, then publish it.

A run never writes to the index in use. Under a lock (a second run waits for
the first, then goes on from its result), it makes a new generation, copies
into it the stored vectors of every chunk it still has (a vector's id is a
hash of exactly what is stored for it: the embedded text and its metadata),
embeds only the chunks that are new or changed, checks the count, and then
publishes it (ingest/publish.py). Killed at any moment before that, it leaves the
current generation answering; killed after it, the new one. Older
generations and the leftovers of killed runs are pruned; the previous one is
kept for guides still reading it until they reload.

A run that would change nothing publishes nothing.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import CorpusEmpty, IndexDamaged, IndexMismatch, IndexMissing
from bot.store import Store, guarded, open_store
from ingest.publish import locked, new_generation, prune, publish
from bot.types import Chunk
from ingest.chunk import chunk
from ingest.load import Problem, load

BATCH = 64  # chunks embedded and written at a time


@dataclass(frozen=True)
class IndexReport:
    files: int
    chunks: int
    added: int  # an edited chunk is added anew and its old version removed
    removed: int
    unchanged: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)

    def summary(self) -> str:
        line = (
            f"{self.files} files, {self.chunks} chunks: {self.added} added, "
            f"{self.removed} removed, {self.unchanged} unchanged in {self.seconds:.1f} s"
        )
        return line if self.changed else line + " (the index was already up to date)"


def build(
    settings: Settings,
    embeddings: Embeddings,
    info: ModelInfo,
    *,
    progress: bool = True,
    rebuild: bool = False,
    out: TextIO | None = None,
) -> tuple[IndexReport, list[Problem]]:
    """The whole ingest: load the corpus folder, chunk it, index it.

    Returns what changed and the files that could not be used. With no
    usable article at all, raises CorpusEmpty naming the skipped files.
    `rebuild` embeds everything anew instead of reusing stored vectors.
    Progress and waits are said on `out`, standard error when None.
    """
    docs, problems = load(settings.corpus_dir)
    if not docs:
        skipped = "".join(f"\n  skipped {p}" for p in problems)
        raise CorpusEmpty(
            f"No article could be read in {settings.corpus_dir}, so the index was left "
            f"as it was.{skipped}"
        )
    chunks = chunk(docs, settings.chunk_size)
    report = index(
        chunks, len(docs), settings, embeddings, info, progress=progress, rebuild=rebuild, out=out
    )
    return report, problems


def index(
    chunks: list[Chunk],
    files: int,
    settings: Settings,
    embeddings: Embeddings,
    info: ModelInfo,
    *,
    progress: bool = True,
    rebuild: bool = False,
    out: TextIO | None = None,
) -> IndexReport:
    """Publish a generation holding exactly `chunks`, under the lock; return what changed."""
    out = out or sys.stderr
    if not chunks:
        # Publishing nothing would empty the index: refuse instead.
        raise CorpusEmpty(
            f"No article text was found in {settings.corpus_dir}, so the index was left as it was."
        )
    with locked(settings, out):  # a second run waits here, then builds on this one
        started = time.perf_counter()
        wanted = {key(c): c for c in chunks}
        old, held = (None, {}) if rebuild else _current(settings, embeddings, info, out)
        if old and held.keys() == wanted.keys():
            prune(settings, {old.generation}, old.db)
            return _report(files, wanted, held, started)

        store = open_store(settings, embeddings, info, generation=new_generation(), create=True)
        kept = [k for k in wanted if k in held]
        new = [k for k in wanted if k not in held]
        with guarded(store.where):
            for batch in _batches(kept):
                store.collection.add(
                    ids=batch,
                    embeddings=[held[k] for k in batch],
                    documents=[wanted[k].embed_text for k in batch],
                    metadatas=[wanted[k].metadata() for k in batch],
                )
            with tqdm(total=len(new), desc="Embedding", unit="chunk", disable=not progress, leave=False) as bar:
                for batch in _batches(new):
                    store.vectorstore.add_documents(
                        [LCDocument(page_content=wanted[k].embed_text, metadata=wanted[k].metadata()) for k in batch],
                        ids=batch,
                    )
                    bar.update(len(batch))
        if store.count() != len(wanted):  # never expected; the current generation stays in use
            raise IndexDamaged(
                f"The new index at {store.where} holds {store.count()} chunks where "
                f"{len(wanted)} were written, so it was not used."
            )
        publish(settings, store.generation, store.db)
        prune(settings, {store.generation} | ({old.generation} if old else set()), store.db)
        return _report(files, wanted, held, started)


def _current(
    settings: Settings, embeddings: Embeddings, info: ModelInfo, out: TextIO
) -> tuple[Store | None, dict[str, list[float]]]:
    """The generation in use and its vectors by id, to be copied instead of
    embedded again; (None, {}) when there is none or it cannot be built on (saying why)."""
    try:
        store = open_store(settings, embeddings, info)
        with guarded(store.where):
            got = store.collection.get(include=["embeddings"])
            return store, {i: list(map(float, v)) for i, v in zip(got["ids"], got["embeddings"])}
    except IndexMissing:
        return None, {}
    except (IndexDamaged, IndexMismatch) as exc:
        print(f"{exc}\nBuilding the index anew.", file=out)
        return None, {}


def _batches(keys: list[str]):
    return (keys[i : i + BATCH] for i in range(0, len(keys), BATCH))


def _report(files: int, wanted: dict, held: dict, started: float) -> IndexReport:
    unchanged = sum(k in held for k in wanted)
    return IndexReport(
        files=files,
        chunks=len(wanted),
        added=len(wanted) - unchanged,
        removed=sum(k not in wanted for k in held),
        unchanged=unchanged,
        seconds=time.perf_counter() - started,
    )


def key(c: Chunk) -> str:
    """The chunk's id in the store: a hash of everything stored for it."""
    stored = json.dumps([c.embed_text, c.metadata()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(stored.encode("utf-8")).hexdigest()
