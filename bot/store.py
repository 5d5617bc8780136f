"""The Chroma store: an embedded PersistentClient in a folder, telemetry off.

`open_store(settings, embeddings, info)` opens an existing index for reading
and checks that it was built with the same embedding model and dimension;
`create=True` (ingest) makes it when missing. The collection's metadata
records the model, so wrong vectors are never queried.
"""

from __future__ import annotations

from dataclasses import dataclass

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import IndexMismatch, IndexMissing
from bot.types import Chunk

REBUILD_HINT = "Build it with `python -m ingest` (or `make run`, which builds it when missing)."


@dataclass
class Store:
    vectorstore: Chroma
    collection: chromadb.Collection

    def chunks(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk in the store, in corpus order, and its stored embedding (one row each)."""
        got = self.vectorstore.get(include=["documents", "metadatas", "embeddings"])
        rows = sorted(
            zip(got["documents"], got["metadatas"], got["embeddings"]),
            key=lambda r: (r[1]["source"], int(r[1]["index"])),
        )
        chunks = [Chunk.from_stored(d, m) for d, m, _ in rows]
        return chunks, np.asarray([v for _, _, v in rows], dtype=np.float32)

    def count(self) -> int:
        return self.collection.count()

    def search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks (k at most the store's size) with their cosine similarity."""
        if k <= 0:
            return []
        found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=k)
        # The collection uses cosine distance: similarity = 1 - distance.
        return [(Chunk.from_stored(d.page_content, d.metadata), 1.0 - dist) for d, dist in found]


def client(settings: Settings) -> chromadb.ClientAPI:
    return chromadb.PersistentClient(
        path=str(settings.store_dir),
        settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
    )


def open_store(
    settings: Settings, embeddings: Embeddings, info: ModelInfo, *, create: bool = False
) -> Store:
    """Open the index; raise IndexMissing or IndexMismatch with the fix."""
    if not create and not (settings.store_dir / "chroma.sqlite3").is_file():
        raise IndexMissing(f"There is no index at {settings.store_dir}. {REBUILD_HINT}")
    db = client(settings)
    names = {c if isinstance(c, str) else c.name for c in db.list_collections()}
    if settings.collection in names:
        meta = db.get_collection(settings.collection).metadata or {}
        built = (meta.get("embedding_model"), meta.get("embedding_dimension"))
        if built != (info.id, info.dimension):
            raise IndexMismatch(
                f"The index at {settings.store_dir} was built with the embedding model "
                f"{built[0]!r} ({built[1]} dimensions), but the guide is set to use "
                f"{info.id!r} ({info.dimension} dimensions). Rebuild it with "
                "`python -m ingest --rebuild`, or set MSGUIDE_MODEL back."
            )
    elif not create:
        raise IndexMissing(
            f"The index at {settings.store_dir} has no collection {settings.collection!r}. "
            f"{REBUILD_HINT}"
        )
    vectorstore = Chroma(
        client=db,
        collection_name=settings.collection,
        embedding_function=embeddings,
        collection_metadata={
            "embedding_model": info.id,
            "embedding_dimension": info.dimension,
        },
        collection_configuration={"hnsw": {"space": "cosine"}},
    )
    return Store(vectorstore, db.get_collection(settings.collection))
