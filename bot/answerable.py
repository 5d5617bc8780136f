"""The learned question check: do the articles answer this question at all?

    check = Answerable.load(path, model_id)  # AnswerableMissing if not built, or stale
    check.refuses(vector, source)            # -> True: give the out-of-scope reply

A logistic regression over the question's vector (the one the search already
made), built by `python -m bot.answerable_train` from the labelled questions in
`answerable.jsonl`: questions the articles answer, with words of the sentence
that answers, and close ones they leave unanswered (what a session costs, how
often to go, a product, a therapy only named, MS medicine). It refuses from the
line the build chose: no more than 1 in 200 of the table's answerable questions
refused, in 5-fold cross-validation.

It was taught what the shipped articles answer, so it speaks only when the best
passage found is from one of them: a clinic's own leaflet may answer what the
articles do not. The scope rules (scope.py) and the relevance floor (chat.py)
still refuse first.

Leaves out: scoring single sentences (tried: it chose no better passages than
the composer's similarity and shared words), and any word list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import AnswerableMissing
from bot.safety.learned import stale
from bot.safety.learned import table_digest as file_digest

TABLE_FILE = Path(__file__).with_name("answerable.jsonl")
FORMAT = 2  # the file's layout; a check of another layout is rebuilt
BUILD_HINT = "Build it with `python -m bot.answerable_train` (or `make`)"


def table_digest(path: Path = TABLE_FILE) -> str:
    """The SHA-256 of the table the check is built from (the safety key's digest)."""
    return file_digest(path)


@dataclass(frozen=True)
class Answerable:
    weights: np.ndarray
    bias: float
    refuse_at: float  # p(unanswerable) from which a question is refused
    sources: frozenset[str]  # the corpus files it was taught on

    def unanswerable(self, vector) -> float:
        """p(the articles do not answer the question), from its vector."""
        z = float(np.asarray(vector, dtype=np.float32) @ self.weights + self.bias)
        return 1.0 / (1.0 + np.exp(-z))

    def refuses(self, vector, source: str) -> bool:
        """Refuse the question, whose best passage found is from `source`?"""
        return bool(source in self.sources and self.unanswerable(vector) >= self.refuse_at)

    @classmethod
    def load(cls, path: Path, model_id: str, table: Path = TABLE_FILE) -> Answerable:
        """The check in `path`, if it was built from `table` for `model_id`."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                meta = {k: str(saved[k]) for k in ("model", "table", "format", "lay")}
                found = cls(
                    saved["weights"].astype(np.float32), float(saved["bias"]),
                    float(saved["refuse_at"]), frozenset(str(s) for s in saved["sources"]),
                )
        except FileNotFoundError:
            raise AnswerableMissing(f"The question check {path} is not built yet. {BUILD_HINT}.") from None
        except (OSError, ValueError, KeyError) as exc:
            raise AnswerableMissing(f"The question check {path} cannot be read ({exc}). {BUILD_HINT}.") from exc
        # it reads a question with the lay words added: other lay words, other vectors
        if why := stale(meta, model_id, table, FORMAT, lay=True, table_name="table of questions"):
            raise AnswerableMissing(f"The question check {path} {why}. {BUILD_HINT}.")
        return found
