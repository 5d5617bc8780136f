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
