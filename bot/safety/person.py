"""Whom a conversation is about: the user ("self"), or someone they care for.

    about(["My wife has MS.", "She has osteoporosis, can I massage her back?"])  -> "her"
    about(["I have osteoporosis"])                                              -> "self"

A caregiver names the person ("my wife", "Dad", "my client") or speaks of
"she" or "he" without speaking of their own body. The first such person in
the conversation is the one the reply speaks about; otherwise it speaks to
the user. Words only, in a reviewable table below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.safety.rules import Person

_HER = (r"wife|mum|mom|mother|mam|mummy|mommy|daughter|sister|grandma|granny|gran|nan|nana"
        r"|grandmother|girlfriend|fiancee|aunt|auntie|niece|stepmother|mother-in-law|lady")
_HIM = (r"husband|hubby|dad|daddy|father|son|brother|grandad|granddad|grandpa|grandfather"
        r"|boyfriend|fiance|uncle|nephew|stepfather|father-in-law")
_THEM = r"partner|spouse|client|patient|friend|parent|child|kid|relative|loved one|resident"
NAMED: list[tuple[Person, re.Pattern[str]]] = [
    ("her", re.compile(rf"\b(my|our|his|her)\s+({_HER})\b|^\W*(mum|mom|mam|nan|gran)\b", re.I)),
    ("him", re.compile(rf"\b(my|our|his|her)\s+({_HIM})\b|^\W*(dad|grandad|grandpa)\b", re.I)),
    ("them", re.compile(rf"\b(my|our)\s+({_THEM})s?\b", re.I)),
]
PRONOUNS: list[tuple[Person, re.Pattern[str]]] = [
    ("her", re.compile(r"\b(she|she'?s|herself)\b", re.I)),
    ("him", re.compile(r"\b(he|he'?s|himself)\b", re.I)),
]
# The user speaking of their own body or state: "I have", "I'm", "my legs".
OWN = re.compile(r"\b(i|i'?m|i'?ve|i'?d|myself)\b(?!\s+(care|look after|help|massage)\b)", re.I)


def references(text: str) -> list[tuple[int, Person]]:
    """(position, person) of each mention of someone in the message, in order."""
    found: list[tuple[int, Person]] = [(m.start(), who) for who, p in NAMED for m in p.finditer(text)]
    found += [(m.start(), who) for who, p in PRONOUNS for m in p.finditer(text)]
    found += [(m.start(), "self") for m in OWN.finditer(text)]
    return sorted(found)


def person(text: str, words: str = "") -> Person:
    """Whom one message says has what was found (`words`, as the rules key
    gives them): the nearest mention before those words, else after them.
    Without the words, anyone it names before the user themself."""
    text = text.replace("\u2019", "'")
    refs = references(text)
    at = text.casefold().find(words.split()[0]) if words else -1
    if at >= 0:
        before = [who for pos, who in refs if pos < at]
        after = [who for pos, who in refs if pos >= at]
        return (before or after or ["self"])[-1 if before else 0]
    for who, pattern in NAMED:
        if pattern.search(text):
            return who
    if OWN.search(text):
        return "self"
    return next((who for _, who in refs), "self")


def about(turns: Sequence[str], found: Sequence[tuple[int, str]]) -> Person:
    """The person the conversation's findings are about: (turn, words) of each,
    the first that is someone else decides; otherwise the user."""
    people = [person(turns[turn], words) for turn, words in found]
    return next((who for who in people if who != "self"), "self")
