"""Hybrid retrieval: each question finds its passage among the top 3."""

import pytest

from bot.lay_terms import expand
from bot.retrieve import Query
from evals.gold import TOP3

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def retriever(guide):
    return guide.retriever


@pytest.mark.parametrize("question, phrase", TOP3)
def test_passage_in_top_3(retriever, question, phrase):
    hits = retriever.retrieve([Query(expand(question))], top_k=3).hits
    assert any(phrase in h.chunk.text for h in hits), [h.chunk.section for h in hits]


def test_scores_are_ordered_and_similarities_real(retriever):
    found = retriever.retrieve([Query("What is Swedish massage?")], top_k=4)
    scores = [h.score for h in found.hits]
    assert scores == sorted(scores, reverse=True)
    assert 0.5 < found.best_similarity <= 1.0


def test_bm25_finds_exact_rare_words(retriever):
    # "Feldenkrais" appears once in the corpus: BM25 ranks its chunk first.
    pos, _ = retriever.lexical("Feldenkrais")[0]
    assert "Feldenkrais" in retriever.chunks[pos].text
    assert retriever.lexical("the of and") == []


def test_hit_similarities_are_the_stored_vectors_against_each_query(guide, retriever):
    # The in-memory vectors must line up with their chunks (a misaligned row
    # would give every hit another chunk's similarity).
    import numpy as np

    queries = [Query("What is Swedish massage?"), Query("fatigue", weight=0.5)]
    found = retriever.retrieve(queries, top_k=4)
    embed = guide.retriever.embeddings
    for hit in found.hits:
        chunk_vec = np.asarray(embed.embed_documents([hit.chunk.embed_text])[0])
        for vec, sim in zip(found.vectors, hit.similarities):
            assert abs(float(chunk_vec @ np.asarray(vec)) - sim) < 1e-4
    assert found.hits[0].similarity == max(found.hits[0].similarities)
