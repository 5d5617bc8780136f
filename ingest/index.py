"""Embed chunks into the Chroma store, idempotently and incrementally.

LangChain's indexing API does the bookkeeping: a SQL record manager (a
SQLite file beside the store) remembers the hash of every chunk it wrote, so
a second run embeds nothing, an edited file replaces only its own changed
chunks, and `cleanup="full"` removes chunks whose file is gone or changed.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from langchain_classic.indexes import SQLRecordManager
from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index as lc_index
from tqdm import tqdm

from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import CorpusEmpty
from bot.store import open_store
from bot.types import Chunk
from ingest.chunk import chunk
from ingest.load import Problem, load

RECORDS = "records.sqlite"


@dataclass(frozen=True)
class IndexReport:
    files: int
    chunks: int
    added: int
    updated: int
    removed: int
    unchanged: int
    seconds: float

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    def summary(self) -> str:
        line = (
            f"{self.files} files, {self.chunks} chunks: {self.added} added, "
            f"{self.updated} updated, {self.removed} removed, {self.unchanged} unchanged "
            f"in {self.seconds:.1f} s"
        )
        return line if self.changed else line + " (the index was already up to date)"


def wipe(store_dir: Path) -> None:
    """Remove an index folder (for --rebuild)."""
    if store_dir.exists():
        shutil.rmtree(store_dir)


def build(
    settings: Settings, embeddings: Embeddings, info: ModelInfo, *, progress: bool = True
) -> tuple[IndexReport, list[Problem]]:
    """The whole ingest: load the corpus folder, chunk it, index it.

    Returns what changed and the files that could not be read. With no
    readable article at all, raises CorpusEmpty naming the skipped files.
    """
    docs, problems = load(settings.corpus_dir)
    if not docs:
        skipped = "".join(f"\n  skipped {p}" for p in problems)
        raise CorpusEmpty(
            f"No article could be read in {settings.corpus_dir}, so the index was left "
            f"as it was.{skipped}"
        )
    chunks = chunk(docs, settings.chunk_size)
    return index(chunks, len(docs), settings, embeddings, info, progress=progress), problems


def index(
    chunks: list[Chunk],
    files: int,
    settings: Settings,
    embeddings: Embeddings,
    info: ModelInfo,
    *,
    progress: bool = True,
) -> IndexReport:
    """Make the store hold exactly `chunks`; return what changed."""
    if not chunks:
        # cleanup="full" with nothing would empty the index: refuse instead.
        raise CorpusEmpty(
            f"No article text was found in {settings.corpus_dir}, so the index was left as it was."
        )
    started = time.perf_counter()
    settings.store_dir.mkdir(parents=True, exist_ok=True)
    store = open_store(settings, embeddings, info, create=True)
    records = SQLRecordManager(
        f"chroma/{settings.collection}",
        db_url=f"sqlite:///{settings.store_dir / RECORDS}",
    )
    records.create_schema()
    docs = (LCDocument(page_content=c.embed_text, metadata=c.metadata()) for c in chunks)
    with tqdm(
        docs, total=len(chunks), desc="Embedding", unit="chunk", disable=not progress, leave=False
    ) as bar:
        result = lc_index(
            bar,
            records,
            store.vectorstore,
            cleanup="full",
            key_encoder="sha256",
            batch_size=64,
        )
    return IndexReport(
        files=files,
        chunks=len(chunks),
        added=result["num_added"],
        updated=result["num_updated"],
        removed=result["num_deleted"],
        unchanged=result["num_skipped"],
        seconds=time.perf_counter() - started,
    )
