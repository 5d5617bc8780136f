"""The Chroma store: embedded in a folder, or a Chroma server; telemetry off.

By default the store is an embedded PersistentClient in `store_dir`, for one
process. With `chroma_url` set it is Chroma's own server (`chroma run`),
reached through HttpClient, which several processes can share.

`open_store(settings, embeddings, info)` opens an existing index for reading
and checks that it was built with the same embedding model and dimension;
`create=True` (ingest) makes it when missing. The collection's metadata
records the model, so wrong vectors are never queried, and a version (a hash
of its ids) that changes whenever ingest changes the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import IndexMismatch, IndexMissing, StoreUnavailable
from bot.types import Chunk

REBUILD_HINT = "Build it with `python -m ingest` (or `make run`, which builds it when missing)."

SERVER_HINT = (
    "Start it with `chroma run --path <folder> --host 127.0.0.1 --port <port>`, "
    "or unset MSGUIDE_CHROMA_URL to use the embedded store."
)


@dataclass
class Store:
    vectorstore: Chroma
    collection: chromadb.Collection
    where: str  # the folder or the server's address, for messages
    db: chromadb.ClientAPI

    def chunks(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk in the store, in corpus order, and its stored embedding (one row each)."""
        with self.reachable():
            got = self.vectorstore.get(include=["documents", "metadatas", "embeddings"])
        rows = sorted(
            zip(got["documents"], got["metadatas"], got["embeddings"]),
            key=lambda r: (r[1]["source"], int(r[1]["index"])),
        )
        chunks = [Chunk.from_stored(d, m) for d, m, _ in rows]
        return chunks, np.asarray([v for _, _, v in rows], dtype=np.float32)

    def count(self) -> int:
        with self.reachable():
            return self.collection.count()

    def version(self) -> str:
        """The index's version as ingest last recorded it ("" before any)."""
        with self.reachable():
            fresh = self.db.get_collection(self.collection.name)
        return str((fresh.metadata or {}).get("version", ""))

    def reachable(self):
        return reachable(self.where)

    def search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks (k at most the store's size) with their cosine similarity."""
        if k <= 0:
            return []
        with self.reachable():
            found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=k)
        # The collection uses cosine distance: similarity = 1 - distance.
        return [(Chunk.from_stored(d.page_content, d.metadata), 1.0 - dist) for d, dist in found]


@contextmanager
def reachable(where: str):
    """Turn a lost connection to a Chroma server into StoreUnavailable."""
    try:
        yield
    except httpx.HTTPError as exc:
        raise StoreUnavailable(
            f"The Chroma server at {where} is not answering ({exc}). {SERVER_HINT}"
        ) from exc


def version_of(ids: Iterable[str]) -> str:
    """A short hash of a collection's ids (themselves hashes of their content)."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()[:16]


def rebuild_hint(settings: Settings) -> str:
    """How to build this index: into the server when there is one."""
    if settings.chroma_url:
        return f"Build it with `python -m ingest --chroma-url {settings.chroma_url}`."
    return REBUILD_HINT


def where(settings: Settings) -> str:
    return settings.chroma_url or str(settings.store_dir)


def client(settings: Settings) -> chromadb.ClientAPI:
    """The embedded client on store_dir, or an HttpClient on chroma_url."""
    chroma = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        return chromadb.PersistentClient(path=str(settings.store_dir), settings=chroma)
    url = urlsplit(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname or url.path not in ("", "/"):
        raise StoreUnavailable(
            f"MSGUIDE_CHROMA_URL (--chroma-url) must be a server's address such as "
            f"http://127.0.0.1:8000, not {settings.chroma_url!r}."
        )
    try:
        port = url.port or (443 if url.scheme == "https" else 8000)
        return chromadb.HttpClient(
            host=url.hostname, port=port, ssl=url.scheme == "https", settings=chroma
        )
    except (ValueError, httpx.HTTPError) as exc:
        raise StoreUnavailable(
            f"Cannot reach a Chroma server at {settings.chroma_url}. {SERVER_HINT}"
        ) from exc


def open_store(
    settings: Settings, embeddings: Embeddings, info: ModelInfo, *, create: bool = False
) -> Store:
    """Open the index; raise IndexMissing or IndexMismatch with the fix."""
    embedded = not settings.chroma_url
    if embedded and not create and not (settings.store_dir / "chroma.sqlite3").is_file():
        raise IndexMissing(f"There is no index at {settings.store_dir}. {REBUILD_HINT}")
    db = client(settings)
    with reachable(where(settings)):
        names = {c if isinstance(c, str) else c.name for c in db.list_collections()}
        meta = (db.get_collection(settings.collection).metadata or {}) if settings.collection in names else {}
    if settings.collection in names:
        built = (meta.get("embedding_model"), meta.get("embedding_dimension"))
        if built != (info.id, info.dimension):
            raise IndexMismatch(
                f"The index at {where(settings)} was built with the embedding model "
                f"{built[0]!r} ({built[1]} dimensions), but the guide is set to use "
                f"{info.id!r} ({info.dimension} dimensions). Rebuild it with "
                "`python -m ingest --rebuild`, or set MSGUIDE_MODEL back."
            )
    elif not create:
        raise IndexMissing(
            f"The index at {where(settings)} has no collection {settings.collection!r}. "
            f"{rebuild_hint(settings)}"
        )
    with reachable(where(settings)):
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
        return Store(vectorstore, db.get_collection(settings.collection), where(settings), db)
