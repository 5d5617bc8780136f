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
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings
from rank_bm25 import BM25Okapi

from bot.store import Store
from bot.text import words
from bot.types import Chunk, Hit


@dataclass(frozen=True)
class Query:
    text: str
    weight: float = 1.0


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
        self.chunks: list[Chunk] = store.chunks()
        self._bm25 = BM25Okapi([words(c.embed_text) or ["_"] for c in self.chunks])
        self._max_idf = max(self._bm25.idf.values(), default=1.0)  # for unseen words

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
        vectors = self.embeddings.embed_documents([q.text for q in queries])
        fused: dict[str, float] = defaultdict(float)
        similarity: dict[str, float] = {}
        lexical: dict[str, float] = {}
        by_id: dict[str, Chunk] = {}
        best = -1.0
        for qi, (query, vector) in enumerate(zip(queries, vectors)):
            for rank, (chunk, sim) in enumerate(self.store.search(vector, self.candidates)):
                by_id[chunk.id] = chunk
                fused[chunk.id] += query.weight / (self.rrf_k + rank + 1)
                similarity[chunk.id] = max(similarity.get(chunk.id, -1.0), sim)
                if qi == 0:
                    best = max(best, sim)
            for rank, (pos, score) in enumerate(self.lexical(query.text)):
                chunk = self.chunks[pos]
                by_id.setdefault(chunk.id, chunk)
                fused[chunk.id] += query.weight / (self.rrf_k + rank + 1)
                lexical[chunk.id] = max(lexical.get(chunk.id, 0.0), score)
        ranked = sorted(fused, key=lambda cid: -fused[cid])[:top_k]
        hits = [
            Hit(by_id[cid], fused[cid], similarity.get(cid, -1.0), lexical.get(cid, 0.0))
            for cid in ranked
        ]
        return Retrieval(hits, best, vectors)
