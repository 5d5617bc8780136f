"""Is a Chroma collection's vector index whole? `self_check(collection)`.

Run as a script (`bot/store.py: probe` does) it opens an embedded store in a
process of its own and exits with what is wrong, so that a damaged file which
crashes Chroma's native code cannot take the guide down. It imports nothing of
the guide, to start quickly.
"""

from __future__ import annotations

import sys

import numpy as np


def self_check(collection, samples: int = 5, k: int = 10) -> str:
    """What is wrong with a collection's vectors, "" when nothing.

    Chroma keeps its vector index (HNSW) apart from the stored vectors; a
    damaged one answers wrongly without an error. So a few stored vectors are
    searched for, and Chroma's nearest neighbours must be as near as the exact
    ones (at least 80% of them: the index is approximate; equal vectors tie).
    """
    got = collection.get(include=["embeddings"])
    ids, vectors = got["ids"], np.asarray(got["embeddings"], dtype=np.float32)
    if not ids:
        return ""
    k = min(k, len(ids))
    picks = sorted({round(i * (len(ids) - 1) / max(samples - 1, 1)) for i in range(samples)})
    found = collection.query(
        query_embeddings=vectors[picks].tolist(), n_results=k, include=["distances"]
    )["distances"]
    norms = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    agree = 0
    for pick, theirs in zip(picks, found):
        kth = np.sort(1.0 - norms @ norms[pick])[k - 1]  # the exact k-th nearest cosine distance
        agree += sum(d <= kth + 1e-4 for d in theirs)
    if agree < 0.8 * k * len(picks):
        return f"its vector index is damaged: it found {agree} of the {k * len(picks)} nearest passages"
    return ""


if __name__ == "__main__":
    import chromadb
    from chromadb.config import Settings

    folder, name = sys.argv[1:3]
    db = chromadb.PersistentClient(path=folder, settings=Settings(anonymized_telemetry=False))
    sys.exit(self_check(db.get_collection(name)) or None)
