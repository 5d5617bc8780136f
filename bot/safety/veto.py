"""The context check: is a condition the rules found really the person's, now?

    features(text, ["broke", "hip"], token_vectors, offsets)  # -> 768 numbers, or None
    clears(features, weights, bias, threshold)                # -> True: not a finding

The rules find "broke her hip" in "When I was 24 I broke my hip; it healed
long ago", and their cue lists cannot name every way of saying "long ago",
"not me" or "ruled out". The words' own vectors, as the embedding model
reads them in their sentence (its contextual token vectors), carry that
context. A logistic regression over two vectors, the mean of the matched
words' token vectors and the mean of all of the message's, gives the
chance that a message where the rules found a condition needs no doctor.
It is trained by `python -m bot.safety.train` on the messages of the
examples table in which the rules find a condition, and it clears them
only when it is very sure (`learned: veto` in rules.yaml), so that it takes
almost nothing from recall.

Leaves out: red flags (never cleared by it), and a message longer than the
model reads (256 word pieces): where the matched words lie past that, the
finding stands.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.safety.match import tokens

Offsets = Sequence[tuple[int, int]]  # each word piece's characters in the text; (0, 0) for a marker


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def pieces_of(text: str, words: set[str], offsets: Offsets) -> list[int]:
    """The word pieces that belong to one of `words` (as `tokens` normalises them).

    >>> pieces_of("She broke her hip.", {"broke", "hip"}, [(0, 0), (0, 3), (4, 9), (10, 13), (14, 17), (17, 18)])
    [2, 4]
    """
    return [i for i, span in enumerate(offsets) if span[0] != span[1] and set(_words_at(text, span)) & words]


def features(text: str, words: set[str], vectors: np.ndarray, offsets: Offsets) -> np.ndarray | None:
    """The matched words' mean token vector and the message's (the sentence
    vector), each of unit length, side by side; None when some of the words
    lie past what the model read."""
    at = pieces_of(text, words, offsets)
    if words - {w for i in at for w in _words_at(text, offsets[i])}:  # some lie past what was read
        return None
    return np.concatenate([_unit(vectors[at].mean(axis=0)), _unit(vectors.mean(axis=0))]).astype(np.float32)


def _words_at(text: str, span: tuple[int, int]) -> list[str]:
    """The words of the whole word (or words) a piece is part of."""
    start, end = span
    if not any(c.isalnum() for c in text[start:end]):  # punctuation is no word's part
        return []
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return tokens(text[start:end])


def chance(x: np.ndarray, weights: np.ndarray, bias: float) -> float:
    """The chance that the message needs no doctor after all."""
    return float(1 / (1 + np.exp(-(float(x @ weights) + bias))))


def clears(x: np.ndarray | None, weights: np.ndarray, bias: float, threshold: float) -> bool:
    return x is not None and chance(x, weights, bias) >= threshold
