"""Embed chunks into the Chroma store, idempotently and incrementally.

The store is its own record: every vector's id is a hash of exactly what is
stored for it (the embedded text and its metadata). A run asks the store
which ids it holds, embeds only the chunks whose id is missing and deletes
the ids no chunk has any more. A second run embeds nothing, an edited file
replaces only its changed chunks, and nothing beside the store can drift
from it (the same holds for a Chroma server shared by several processes).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass

from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import CorpusEmpty
from bot.store import client, open_store, reachable, version_of, where
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


def wipe(settings: Settings) -> None:
    """Remove the index (for --rebuild): the folder, or the server's collection."""
    if not settings.chroma_url:
        if settings.store_dir.exists():
            shutil.rmtree(settings.store_dir)
        return
    db = client(settings)
    with reachable(where(settings)):
        names = {c if isinstance(c, str) else c.name for c in db.list_collections()}
        if settings.collection in names:
            db.delete_collection(settings.collection)


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
        # Syncing to nothing would empty the index: refuse instead.
        raise CorpusEmpty(
            f"No article text was found in {settings.corpus_dir}, so the index was left as it was."
        )
    started = time.perf_counter()
    store = open_store(settings, embeddings, info, create=True)
    wanted = {key(c): c for c in chunks}
    held = set(store.collection.get(include=[])["ids"])
    new = [(k, c) for k, c in wanted.items() if k not in held]
    gone = sorted(held - wanted.keys())
    with tqdm(total=len(new), desc="Embedding", unit="chunk", disable=not progress, leave=False) as bar:
        for batch in (new[i : i + BATCH] for i in range(0, len(new), BATCH)):
            store.vectorstore.add_documents(
                [LCDocument(page_content=c.embed_text, metadata=c.metadata()) for _, c in batch],
                ids=[k for k, _ in batch],
            )
            bar.update(len(batch))
    for i in range(0, len(gone), 5000):
        store.collection.delete(ids=gone[i : i + 5000])
    if new or gone or not store.version():  # running guides reload when this changes
        meta = dict(store.collection.metadata or {})
        store.collection.modify(metadata={**meta, "version": version_of(wanted)})
    return IndexReport(
        files=files,
        chunks=len(wanted),
        added=len(new),
        removed=len(gone),
        unchanged=len(wanted) - len(new),
        seconds=time.perf_counter() - started,
    )


def key(c: Chunk) -> str:
    """The chunk's id in the store: a hash of everything stored for it."""
    stored = json.dumps([c.embed_text, c.metadata()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(stored.encode("utf-8")).hexdigest()
