"""The guide and the textbook recipe on the same gold cases, metric by metric.

`compare(bot, embeddings, folder)` builds the textbook's index in `folder`
with the guide's own embedding model, asks both every case, and returns the
figures side by side. The ratio is the guide's figure over the textbook's
("—" where the textbook's figure is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.chat import Bot, user_turns
from evals.cases import Case, load
from evals.score import Figure, Outcome, misses, run, score
from evals.textbook import Textbook


class Guide:
    """The guide as a scored system: its answers and its retrieval ranking."""

    def __init__(self, bot: Bot):
        self.bot = bot

    def answer(self, messages: list[dict]):
        return self.bot.answer(messages)

    def ranked(self, messages: list[dict], k: int) -> list[str]:
        question, earlier, _ = self.bot.turns(user_turns(messages))
        found = self.bot.retriever.retrieve(self.bot.queries(question, earlier), k)
        return [h.chunk.text for h in found.hits]


@dataclass
class Comparison:
    cases: list[Case]
    guide: list[Outcome]
    textbook: list[Outcome]
    textbook_chunks: int

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(metric, guide, textbook, ratio) for every figure."""
        return [(g.name, g.shown, t.shown, ratio(g, t)) for g, t in zip(*self.figures(), strict=True)]

    def figures(self) -> tuple[list[Figure], list[Figure]]:
        """The guide's figures and the textbook's, scored once."""
        return self._figures

    @cached_property
    def _figures(self) -> tuple[list[Figure], list[Figure]]:
        return score(self.guide), score(self.textbook)

    def misses(self) -> list[str]:
        return misses(self.guide)


def ratio(guide: Figure, textbook: Figure) -> str:
    if guide.value is None or textbook.value is None:
        return "n/a"
    if textbook.value == 0:
        return "—"  # the textbook's figure is 0: no ratio
    return f"{guide.value / textbook.value:.2f}x"


def compare(bot: Bot, embeddings: Embeddings, folder: Path, cases: list[Case] | None = None) -> Comparison:
    cases = cases if cases is not None else load()
    textbook = Textbook(embeddings, folder)
    guide = Guide(bot)
    guide.answer([{"role": "user", "content": "warm-up"}])
    textbook.answer([{"role": "user", "content": "warm-up"}])
    return Comparison(cases, run(guide, cases), run(textbook, cases), len(textbook.chunks))
