"""The Chroma store, for reading: embedded in a folder, or a Chroma server; telemetry off.

An index is published in generations, so that nobody ever reads a half-built
one. Ingest writes a whole new generation beside the current one, checks it,
then moves one pointer to it in a single atomic step (ingest/publish.py). A
run killed before that step leaves the current generation as it was.

    embedded store (store_dir)                a Chroma server (chroma_url)
    current       the current generation's    the collection <collection>; its
                  name (a file, replaced      metadata `generation` names the
                  with os.replace)            current one
    gen-<stamp>/  one Chroma folder each      one collection <collection>-gen-<stamp> each
    .ingest.lock  held by the ingest that is writing  (a lock file in the temporary folder)

`open_store(settings, embeddings, info)` opens the current generation and
checks that it was built with the same embedding model and dimension (its
collection's metadata records them), so wrong vectors are never queried.
Every error from Chroma becomes StoreUnavailable (a server not answering) or
IndexDamaged (an index that cannot be read), each saying how to fix it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from bot import selfcheck
from bot.selfcheck import self_check
from bot.config import Settings
from bot.embeddings import ModelInfo
from bot.errors import GuideError, IndexDamaged, IndexMismatch, IndexMissing, StoreUnavailable
from bot.types import Chunk

REBUILD_HINT = "Build it with `python -m ingest` (or `make run`, which builds it when missing)."

SERVER_HINT = (
    "Start it with `chroma run --path <folder> --host 127.0.0.1 --port <port>`, "
    "or unset MSGUIDE_CHROMA_URL to use the embedded store."
)
POINTER = "current"  # the file naming the current generation, in store_dir
GENERATION = re.compile(r"gen-\d{8}T\d{12}-[0-9a-f]{8}")


@dataclass
class Store:
    vectorstore: Chroma
    collection: chromadb.Collection
    where: str  # the folder or the server's address, for messages
    db: chromadb.ClientAPI
    generation: str  # which generation of the index this is

    def chunks(self) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk in the store, in corpus order, and its stored embedding (one row each)."""
        with guarded(self.where):
            got = self.vectorstore.get(include=["documents", "metadatas", "embeddings"])
            rows = sorted(
                zip(got["documents"], got["metadatas"], got["embeddings"]),
                key=lambda r: (r[1]["source"], int(r[1]["index"])),
            )
            chunks = [Chunk.from_stored(d, m) for d, m, _ in rows]
        return chunks, np.asarray([v for _, _, v in rows], dtype=np.float32)

    def count(self) -> int:
        with guarded(self.where):
            return self.collection.count()

    def search(self, vector: list[float], k: int) -> list[tuple[Chunk, float]]:
        """The k nearest chunks (k at most the store's size) with their cosine similarity."""
        if k <= 0:
            return []
        with guarded(self.where):
            found = self.vectorstore.similarity_search_by_vector_with_relevance_scores(vector, k=k)
            # The collection uses cosine distance: similarity = 1 - distance.
            return [(Chunk.from_stored(d.page_content, d.metadata), 1.0 - dist) for d, dist in found]


@contextmanager
def guarded(where: str, hint: str = ""):
    """Chroma's errors as ours: a lost server is StoreUnavailable, the rest IndexDamaged."""
    try:
        yield
    except GuideError:
        raise
    except httpx.HTTPError as exc:
        raise StoreUnavailable(
            f"The Chroma server at {where} is not answering ({exc}). {SERVER_HINT}"
        ) from exc
    except Exception as exc:  # Chroma raises many kinds (sqlite, its own, the Rust core's)
        raise IndexDamaged(
            f"The index at {where} cannot be read ({type(exc).__name__}: {exc}). "
            f"{hint or 'Rebuild it with `python -m ingest --rebuild`.'}"
        ) from exc


def rebuild_hint(settings: Settings, *, rebuild: bool = False) -> str:
    """How to build this index: into the server when there is one."""
    flags = " --rebuild" if rebuild else ""
    if settings.chroma_url:
        return f"Build it with `python -m ingest{flags} --chroma-url {settings.chroma_url}`."
    return f"Build it with `python -m ingest{flags}`." if rebuild else REBUILD_HINT


def where(settings: Settings) -> str:
    return settings.chroma_url or str(settings.store_dir)


def client(settings: Settings, generation: str = "") -> chromadb.ClientAPI:
    """The embedded client on a generation's folder (the current one unless
    named), or an HttpClient on chroma_url."""
    chroma = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        generation = generation or current(settings)
        if not generation:
            raise IndexMissing(f"There is no index at {settings.store_dir}. {REBUILD_HINT}")
        with guarded(where(settings), rebuild_hint(settings, rebuild=True)):
            return chromadb.PersistentClient(path=str(settings.store_dir / generation), settings=chroma)
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


def collection_name(settings: Settings, generation: str) -> str:
    """Inside a generation's own folder the name is plain; on a server it carries the generation."""
    return f"{settings.collection}-{generation}" if settings.chroma_url else settings.collection


def collection_names(db: chromadb.ClientAPI) -> set[str]:
    return {c if isinstance(c, str) else c.name for c in db.list_collections()}


def current(settings: Settings, db: chromadb.ClientAPI | None = None) -> str:
    """The current generation's name, "" when none was ever published."""
    damaged = rebuild_hint(settings, rebuild=True)
    if not settings.chroma_url:
        pointer = settings.store_dir / POINTER
        try:
            name = pointer.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return ""
        except (OSError, UnicodeDecodeError) as exc:
            raise IndexDamaged(f"The index's pointer {pointer} cannot be read ({exc}). {damaged}") from exc
        if not GENERATION.fullmatch(name):
            raise IndexDamaged(f"The index's pointer {pointer} does not name a generation. {damaged}")
        return name
    db = db or client(settings)
    with guarded(where(settings), damaged):
        if settings.collection not in collection_names(db):
            return ""
        meta = db.get_collection(settings.collection).metadata or {}
    return str(meta.get("generation", ""))


def probe(settings: Settings, generation: str) -> None:
    """Open an embedded generation in a child process first: a damaged vector
    index can crash Chroma's native code, which must not take the guide down."""
    folder = settings.store_dir / generation
    run = "import runpy, sys; runpy.run_path(sys.argv.pop(1), run_name='__main__')"
    done = subprocess.run(  # the file alone, not the bot package: a quick start
        [sys.executable, "-c", run, selfcheck.__file__, str(folder), settings.collection],
        capture_output=True, text=True,
    )
    if done.returncode:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        why = lines[-1] if lines and done.returncode > 0 else f"reading it crashed (signal {-done.returncode})"
        raise IndexDamaged(
            f"The index at {settings.store_dir} cannot be read ({why}). "
            f"{rebuild_hint(settings, rebuild=True)}"
        )


def open_store(
    settings: Settings,
    embeddings: Embeddings,
    info: ModelInfo,
    *,
    generation: str = "",
    create: bool = False,
) -> Store:
    """Open the current generation (or the one named); raise IndexMissing,
    IndexDamaged or IndexMismatch with the fix. `create` makes a new one."""
    generation = generation or current(settings)
    if not generation:
        raise IndexMissing(f"There is no index at {where(settings)}. {rebuild_hint(settings)}")
    damaged = rebuild_hint(settings, rebuild=True)
    if not settings.chroma_url and not create:
        if not (settings.store_dir / generation / "chroma.sqlite3").is_file():
            raise IndexDamaged(
                f"The index at {settings.store_dir} names {generation}, whose files are "
                f"missing. {damaged}"
            )
        probe(settings, generation)
    db = client(settings, generation)
    name = collection_name(settings, generation)
    with guarded(where(settings), damaged):
        if name in collection_names(db):
            meta = db.get_collection(name).metadata or {}
            built = (meta.get("embedding_model"), meta.get("embedding_dimension"))
            if built != (info.id, info.dimension):
                raise IndexMismatch(
                    f"The index at {where(settings)} was built with the embedding model "
                    f"{built[0]!r} ({built[1]} dimensions), but the guide is set to use "
                    f"{info.id!r} ({info.dimension} dimensions). Rebuild it with "
                    "`python -m ingest --rebuild`, or set MSGUIDE_MODEL back."
                )
        elif not create:
            raise IndexDamaged(
                f"The index at {where(settings)} names {generation}, which holds no "
                f"collection {name!r}. {damaged}"
            )
        vectorstore = Chroma(
            client=db,
            collection_name=name,
            embedding_function=embeddings,
            collection_metadata={
                "embedding_model": info.id,
                "embedding_dimension": info.dimension,
            },
            collection_configuration={"hnsw": {"space": "cosine"}},
        )
        collection = db.get_collection(name)
        # A folder was checked by probe() above, in a child process; a server in-process.
        wrong = self_check(collection) if settings.chroma_url and not create else ""
    if wrong:
        raise IndexDamaged(f"The index at {where(settings)}: {wrong}. {damaged}")
    return Store(vectorstore, collection, where(settings), db, generation)
