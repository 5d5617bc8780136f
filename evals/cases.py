"""The gold set (evals/gold.yaml) as Case values, and the site furniture of the raw articles.

    >>> case = load()[0]
    >>> case.category, case.routes, case.messages()[-1]["role"]
    ('benefit', ('answer',), 'user')
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.text import flat  # noqa: F401  (the cases compare text as the guide does)

GOLD = Path(__file__).parent / "gold.yaml"
CATEGORIES = (
    "benefit", "information", "contraindication", "emergency",
    "out_of_scope", "adversarial", "multi_turn",
)
ROUTES = {"answer", "ask_doctor", "emergency", "out_of_scope"}
DEFERRED = frozenset({"ask_doctor", "emergency"})
# What `pad` repeats to make a very long message.
FILLER = "I have been meaning to ask about this for a while, so here is some background. "

# Site furniture of the articles as received: never guidance, never to be cited.
FURNITURE = [
    "MORE:",  # promo line
    "MOREWhat is reflexology",  # promo line run into its link
    "licensing rules your state has",  # dangling link text ("... here.")
    "strictly a news and information website",  # site disclaimer
    "Never disregard professional medical advice",  # site disclaimer
    "Leave a Comment",  # comment form
    "Your email address will not be published",  # comment form
    "My patient (wife)",  # a reader's comment
    "5 min read",  # page furniture
]


@dataclass(frozen=True)
class Case:
    id: str  # category and number, e.g. "benefit-03"
    category: str
    turns: tuple[str, ...]  # the user's messages, in order
    routes: tuple[str, ...]  # acceptable routes
    cite: tuple[str, ...]  # a right reply cites a passage holding one of these

    @property
    def must_defer(self) -> bool:
        return set(self.routes) <= DEFERRED

    @property
    def must_not_defer(self) -> bool:
        return not DEFERRED & set(self.routes)

    def messages(self) -> list[dict]:
        """The conversation, with a stand-in for each earlier reply (only user turns are read)."""
        from evals.safety import conversation

        return conversation(list(self.turns))

    def found_in(self, text: str) -> bool:
        """Does `text` hold one of the phrases to cite?"""
        return any(flat(p) in flat(text) for p in self.cite)


def furniture(text: str) -> list[str]:
    """The furniture phrases in `text`."""
    return [p for p in FURNITURE if flat(p) in flat(text)]


def load(path: Path = GOLD) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for category, rows in data["cases"].items():
        if category not in CATEGORIES:
            raise ValueError(f"{path.name}: unknown category {category!r}")
        for i, row in enumerate(rows, start=1):
            turns = [row["ask"]] if isinstance(row["ask"], str) else list(row["ask"])
            if pad := row.get("pad", 0):
                filler = (FILLER * (abs(pad) // len(FILLER) + 1))[: abs(pad)]
                turns[-1] = f"{turns[-1]} {filler}" if pad > 0 else f"{filler} {turns[-1]}"
            routes = tuple(row.get("routes") or data["defaults"][category])
            if not set(routes) <= ROUTES:
                raise ValueError(f"{path.name}: {category} case {i} has an unknown route")
            cases.append(
                Case(f"{category}-{i:02d}", category, tuple(turns), routes, tuple(row.get("cite", ())))
            )
    return cases


def batch_rows(folder: Path) -> Iterator[tuple[str, dict]]:
    """Each row of every batch (`*.jsonl`, one JSON object a line) in `folder`,
    with where it stands ("a.jsonl, line 3") for an error to name."""
    for path in sorted(folder.glob("*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}, line {n}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{where}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{where}: not a JSON object")
            yield where, row
