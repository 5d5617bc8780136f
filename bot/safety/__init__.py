"""The safety layer: does the conversation name a red flag or a condition?

    check(["My wife has osteoperosis.", "Would a back massage help?"])
    -> Verdict(route="ask_doctor", findings=(Finding(osteoporosis, turn=0, ...),))

It runs first, on every user turn, before any search. Two keys, both built
from data a clinician can read:

- the rules key (match.py): the table `rules.yaml`, its words, misspellings
  and context cues; what it finds cannot be argued away ("ignore your
  rules") or outranked by a search result;
- the learned key (learned.py): a classifier over the sentence vector the
  guide computes anyway, trained from `examples.csv` by
  `python -m bot.safety.train`, for what the table has no words for.

A red flag found by either key is an emergency; a condition found by either
is "check with your doctor first". The context reader (reader.py), a
cross-encoder fine-tuned from the same table, may clear a condition the
rules found when it is sure the words are not the massaged person's now,
and a medical red flag when it is surer still.
`person.py` says whom the conversation is about, so the reply can speak of
"her" rather than "me".

Importing this package loads neither Chroma, nor Gradio, nor torch.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.safety.match import Doubts, Finding, Safety, Verdict, clauses, conversation, is_common, tokens
from bot.safety.rules import RULES_FILE, Passage, Rule, Rules, RulesError, load_rules

__all__ = [
    "RULES_FILE", "Finding", "Passage", "Rule", "Rules", "RulesError", "Safety", "Verdict",
    "check", "clauses", "conversation", "default", "is_common", "load_rules", "tokens",
]

_default: Safety | None = None


def default() -> Safety:
    """The shipped rules, loaded once per process."""
    global _default
    if _default is None:
        _default = Safety(load_rules())
    return _default


def check(turns: Sequence[str], learned: Sequence[Sequence[str]] = (), doubts: Doubts | None = None) -> Verdict:
    """The rules key over `turns`, with the learned key's findings per turn and
    the context reader's doubts when given."""
    return default().check(turns, learned, doubts)
