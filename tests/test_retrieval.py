"""Hybrid retrieval: each question finds its passage among the top 3."""

import pytest

from bot.lay_terms import expand
from bot.retrieve import Query

pytestmark = pytest.mark.slow

# question -> a verbatim phrase of the passage that must be in the top 3
TOP3 = [
    ("Can massage help with MS fatigue?", "gentle but vigorous strokes"),
    ("I'm worn out all the time", "bouts of tiredness"),  # lay paraphrase
    ("brittle bones", "thinning bones"),  # lay paraphrase
    ("Is massage ok with an enlarged spleen?", "enlarged liver or spleen"),  # exact medical word
    ("edema", "swelling due to extra fluid"),
    ("My feet and ankles are swollen", "swollen feet and ankles"),
    ("What is Swedish massage?", "vibration, kneading, and friction"),
    ("What is the German massage?", "healing baths"),
    ("What is acupressure?", "originated from acupuncture"),
    ("Tell me about shiatsu", "preventing conditions, not healing them"),
    ("What other kinds of bodywork are there?", "Feldenkrais method"),
    ("What is the Trager method?", "Trager method"),
    ("How do I find a massage therapist?", "American Massage Therapy Association"),
    ("What should I tell my massage therapist?", "tell them what MS symptoms"),
    ("Does massage help spasticity?", "relaxing your muscles"),
    ("my muscles are stiff and spasm", "stiffness and muscle spasms"),
    ("Can massage help with MS pain?", "releasing feel-good chemicals"),
    ("I can't sleep at night, would a massage help?", "possibly sleep better"),
    ("How can I avoid bedsores?", "avoid getting pressure sores"),
    ("Will massage improve my circulation?", "improve circulation through veins"),
    ("I have osteoporosis, can I get a massage?", "don't get massages unless they say"),
    ("Do steroids weaken bones?", "corticosteroid drugs"),
    ("I'm pregnant, is massage safe?", "Are pregnant"),
    ("Is it safe to get a massage during a flare-up?", "new MS symptoms or old ones come back"),
    ("What side effects can massage have?", "headache, muscle pain, and tiredness"),
    ("Should the therapist use heat or ice?", "high heat or cold"),
    ("Could I have trouble walking after a massage?", "trouble walking"),
    ("Does massage help with anxiety and depression?", "anxiety and depression"),
    ("Can massage help grip strength?", "grip strength"),
    ("Who should not have bodywork?", "not be a candidate for bodywork therapy"),
    ("Can massage cure MS?", "won't change the course of your MS"),
    ("Does massage help range of motion?", "range of motion"),
    ("Should I talk to my doctor before massage?", "Talk with your doctor before you try"),
    ("What is lymphedema?", "Doctors call this lymphedema"),
    ("Can massage reduce swelling?", "bringing down swelling"),
]


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
