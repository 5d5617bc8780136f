"""Everyday words for what the articles name in clinical words.

A question in lay words ("I'm worn out all the time") shares no word with
its passage ("bouts of tiredness", "fatigue"), and the embedding model alone
does not always bridge the gap. `expand` adds the articles' words to the
search (never to what is quoted). One row per lay phrase, reviewable.
"""

from __future__ import annotations

import re

LAY_TERMS: list[tuple[str, str]] = [
    # lay phrase (regular expression)       the articles' words
    (r"worn[- ]out|exhausted|wiped out|no energy|tired", "fatigue tiredness"),
    (r"stiff|tight muscles|cramps?|spasms?", "spasticity stiffness"),
    (r"can'?t sleep|insomnia|sleepless|awake at night", "sleep"),
    (r"bed ?sores?|skin (breakdown|ulcers?)", "pressure sores"),
    (r"brittle bones?|thin(ning)? bones?|weak bones?", "osteoporosis"),
    (r"swollen|puffy|fluid in my (legs|feet|ankles)", "edema swelling"),
    (r"cold (hands|feet)|blood flow", "circulation"),
    (r"unsteady|can'?t walk|walking", "walking ambulation"),
    (r"anxious|worried|low mood|depressed", "anxiety depression"),
]

_PATTERNS = [(re.compile(rf"\b({lay})\b", re.I), words) for lay, words in LAY_TERMS]


def expand(question: str) -> str:
    """The question, followed by the articles' words for any lay phrase in it."""
    extra = [words for pattern, words in _PATTERNS if pattern.search(question)]
    return f"{question} ({' '.join(extra)})" if extra else question
