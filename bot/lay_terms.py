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

# More lay words, for the word search only (BM25, `search_words`): the sentence vector
# of a message stays that of `expand`, which the safety layer's learned key was trained on.
SEARCH_TERMS: list[tuple[str, str]] = [
    (r"(more|some|bit of|little) energy|drained|knackered|shattered|tired\w*|fatigued", "fatigue tiredness"),
    (r"stiff\w*|rigid|cramp\w*|spasm\w*|jerk\w*|twitch\w*", "spasticity stiffness"),
    (r"(don'?t|can'?t|won'?t) (bend|straighten|move)|bend as far|flexib\w*|loosen\w* up", "range of motion"),
    (r"wheelchair|in bed all day", "pressure sores"),
    (r"barely moves?|not (very )?active|inactive|sedentary", "circulation"),
    (r"wobbly", "walking ambulation"),
    (r"anxiety|nervous|on edge|stressed|feeling (low|flat|down|blue)|fed up|mood", "anxiety depression"),
    (r"ach(e|es|ing)|hurts?|hurting|sore|painful", "pain"),
]

_PATTERNS = [(re.compile(rf"\b({lay})\b", re.I), words) for lay, words in LAY_TERMS]
_SEARCH = _PATTERNS + [(re.compile(rf"\b({lay})\b", re.I), words) for lay, words in SEARCH_TERMS]


def digest() -> str:
    """The SHA-256 of LAY_TERMS: the safety layer's learned key reads messages
    as `expand` gives them, so a key built with other rows is refused."""
    import hashlib

    return hashlib.sha256(repr(LAY_TERMS).encode("utf-8")).hexdigest()


def expand(question: str) -> str:
    """The question, followed by the articles' words for any lay phrase in it.

    >>> expand("I'm worn out and my legs are stiff")
    "I'm worn out and my legs are stiff (fatigue tiredness spasticity stiffness)"
    >>> expand("What is Swedish massage?")
    'What is Swedish massage?'
    """
    return _added(question, _PATTERNS)


def search_words(question: str) -> str:
    """`expand` with SEARCH_TERMS too: what the word search (BM25) looks for.

    >>> search_words("I'm knackered, my knees don't bend as far")
    "I'm knackered, my knees don't bend as far (fatigue tiredness range of motion)"
    """
    return _added(question, _SEARCH)


def _added(question: str, patterns) -> str:
    extra = list(dict.fromkeys(words for pattern, words in patterns if pattern.search(question)))
    return f"{question} ({' '.join(extra)})" if extra else question
