"""Publishing a generation of the index, and the lock that serialises ingests.

The layout is described in bot/store.py, which reads it; this module writes
it. `publish` moves the pointer in one atomic step (a file replaced with
os.replace and fsync'd, or one metadata update on a server); `prune` deletes
the generations no guide should still read, and what killed runs left.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import tempfile
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import chromadb
from filelock import FileLock, Timeout

from bot.config import Settings
from bot.errors import IngestBusy
from bot.store import GENERATION, POINTER, client, collection_names, guarded, where

LOCK = ".ingest.lock"


def new_generation() -> str:
    """A fresh generation's name; names sort in the order they were made."""
    return f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{secrets.token_hex(4)}"


def publish(settings: Settings, generation: str, db: chromadb.ClientAPI | None = None) -> None:
    """Make `generation` the current one, in one atomic step."""
    if settings.chroma_url:
        db = db or client(settings)
        with guarded(where(settings)):
            db.get_or_create_collection(settings.collection).modify(metadata={"generation": generation})
        return
    pointer = settings.store_dir / POINTER
    staged = pointer.with_name(f".{POINTER}-{os.getpid()}")
    with open(staged, "w", encoding="ascii") as f:
        f.write(generation + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(staged, pointer)
    folder = os.open(settings.store_dir, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself is on disk
    finally:
        os.close(folder)


def prune(settings: Settings, keep: set[str], db: chromadb.ClientAPI | None = None) -> list[str]:
    """Delete every generation but those in `keep` (and leftovers of killed runs); their names."""
    if settings.chroma_url:
        db = db or client(settings)
        prefix = f"{settings.collection}-"
        with guarded(where(settings)):
            gone = [
                n for n in collection_names(db)
                if n.startswith(prefix) and GENERATION.fullmatch(n[len(prefix):])
                and n[len(prefix):] not in keep
            ]
            for name in gone:
                db.delete_collection(name)
        return [n[len(prefix):] for n in gone]
    if not settings.store_dir.is_dir():
        return []
    gone = []
    for path in settings.store_dir.iterdir():
        if GENERATION.fullmatch(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            gone.append(path.name)
        elif path.name.startswith(f".{POINTER}-"):
            path.unlink(missing_ok=True)
    return gone


def lock_path(settings: Settings) -> Path:
    """The ingest lock: in the store's folder, or for a server in the temporary folder."""
    if not settings.chroma_url:
        return settings.store_dir / LOCK
    name = hashlib.sha256(f"{settings.chroma_url}\n{settings.collection}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"msguide-ingest-{name}.lock"


@contextmanager
def locked(settings: Settings, out: TextIO):
    """Hold the ingest lock; wait up to `ingest_wait_seconds` for another run, then refuse."""
    path = lock_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(
            f"Another ingest is updating the index at {where(settings)}: waiting for it to finish...",
            file=out,
        )
        try:
            lock.acquire(timeout=settings.ingest_wait_seconds)
        except Timeout:
            raise IngestBusy(
                f"Another ingest is still updating the index at {where(settings)} after "
                f"{settings.ingest_wait_seconds:g} s, so this one stopped and changed nothing. "
                "Run it again when the other has finished."
            ) from None
    try:
        yield
    finally:
        lock.release()
