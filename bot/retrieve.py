"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by rank.

Dense search finds paraphrases ("worn out all the time" -> fatigue); BM25
finds exact words the model blurs ("spleen", "Feldenkrais"). Reciprocal rank
fusion merges the lists without calibrating their scores. Several weighted
queries can be fused at once: a follow-up ("what about sleep?") is searched
alone and together with the question before it.

BM25 is built from the store's own contents, so it cannot drift from it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings
from rank_bm25 import BM25Okapi

from bot.store import Store
from bot.text import words
from bot.types import Hit


@dataclass(frozen=True)
class Query:
    text: str  # what the word search (BM25) looks for
    weight: float = 1.0
    vector: Sequence[float] | None = None  # its embedding, when already computed (the safety key's)
    embed: str | None = None  # what is embedded, when not `text`


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]  # best first
    best_similarity: float  # the highest cosine similarity of any chunk to the first query
    vectors: list[list[float]]  # each query's embedding, in order


class Retriever:
    def __init__(
        self, store: Store, embeddings: Embeddings, *, candidates: int = 20, rrf_k: int = 60
    ):
        self.store = store
        self.embeddings = embeddings
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.chunks, self.vectors = store.chunks()
        self._position = {c.id: i for i, c in enumerate(self.chunks)}
        self._bm25 = BM25Okapi([words(c.embed_text) or ["_"] for c in self.chunks])
        self._max_idf = max(self._bm25.idf.values(), default=1.0)  # for unseen words

    def knows(self, word: str) -> bool:
        """Do the articles use this (stemmed) word?"""
        return word in self._bm25.idf

    def weight(self, word: str) -> float:
        """How telling a (stemmed) word is: its BM25 IDF, small for common words."""
        return max(self._bm25.idf.get(word, self._max_idf), 0.05)

    def lexical(self, text: str) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) of chunks sharing a word with `text`, best first."""
        terms = words(text)
        if not terms:
            return []
        scores = self._bm25.get_scores(terms)
        ranked = sorted(((i, s) for i, s in enumerate(scores) if s > 0), key=lambda x: -x[1])
        return ranked[: self.candidates]

    def retrieve(self, queries: list[Query], top_k: int = 4) -> Retrieval:
        """The top_k chunks for the weighted queries, fused by reciprocal rank."""
        missing = [q.embed or q.text for q in queries if q.vector is None]
        embedded = iter(self.embeddings.embed_documents(missing) if missing else [])
        vectors = [list(q.vector) if q.vector is not None else next(embedded) for q in queries]
        k = min(self.candidates, len(self.chunks))
        fused: dict[int, float] = defaultdict(float)  # chunk position -> fused score
        lexical: dict[int, float] = {}
        best = -1.0
        for qi, (query, vector) in enumerate(zip(queries, vectors)):
            for rank, (chunk, sim) in enumerate(self.store.search(vector, k)):
                fused[self._position[chunk.id]] += query.weight / (self.rrf_k + rank + 1)
                if qi == 0:
                    best = max(best, sim)
            for rank, (pos, score) in enumerate(self.lexical(query.text)):
                fused[pos] += query.weight / (self.rrf_k + rank + 1)
                lexical[pos] = max(lexical.get(pos, 0.0), score)
        ranked = sorted(fused, key=lambda pos: -fused[pos])[:top_k]
        # Each hit's similarity to every query, from the vectors the store holds.
        sims = self.vectors[ranked] @ np.asarray(vectors, dtype=np.float32).T
        hits = [
            Hit(self.chunks[pos], fused[pos], tuple(float(s) for s in row), lexical.get(pos, 0.0))
            for pos, row in zip(ranked, sims)
        ]
        return Retrieval(hits, best, vectors)
