"""The blind part for answers: questions nobody tuned the answer path against.

    report = measure(system)  # evidence hit, out-of-scope accuracy, wrongly refused
    report.rows()             # -> [("answers, blind: evidence hit", "hits/answerable = ..%"), ...]

Each batch in `evals/blind_answers/` was written by someone shown only the two
articles and the route definitions, never the gold set or the code: one JSON
object a line, `{"turns": [...], "routes": ["answer"] | ["out_of_scope"],
"cite": [...]}`, where `cite` holds short verbatim phrases of the passage that
answers (a right reply cites a passage holding one of them, as in the gold set).
`python -m evals` reports the three figures beside the gold set's, and says which
falls short of its target; it never shows a miss, since a batch whose misses were
read is a tuned one (evals/blind_answers/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evals.cases import ROUTES, Case, batch_rows
from evals.score import Figure, System, run, score

FOLDER = Path(__file__).parent / "blind_answers"
# each figure's target (a floor, or for "wrongly refused" a ceiling)
TARGETS = {"evidence hit": 0.98, "out-of-scope accuracy": 0.95, "wrongly refused": 0.02}


def cases(folder: Path = FOLDER) -> list[Case]:
    """Every batch in `folder`, checked line by line."""
    out = []
    for where, row in batch_rows(folder):
        turns, routes, cite = row.get("turns"), row.get("routes"), row.get("cite", [])
        if not (isinstance(turns, list) and turns and all(isinstance(t, str) and t.strip() for t in turns)):
            raise ValueError(f"{where}: needs turns, a list of the user's messages")
        if not (isinstance(routes, list) and routes and set(routes) <= ROUTES):
            raise ValueError(f"{where}: needs routes, a list of {', '.join(sorted(ROUTES))}")
        if not (isinstance(cite, list) and all(isinstance(c, str) and c.strip() for c in cite)):
            raise ValueError(f"{where}: cite must be a list of phrases")
        if "answer" in routes and not cite:
            raise ValueError(f"{where}: an answerable question needs a phrase to cite")
        out.append(Case(where, "blind", tuple(turns), tuple(routes), tuple(cite)))
    return out


@dataclass(frozen=True)
class AnswersReport:
    figures: list[Figure]  # one for each of TARGETS, in its order

    def rows(self) -> list[tuple[str, str]]:
        return [(f"answers, blind: {f.name}", f.shown) for f in self.figures]

    def failures(self) -> list[str]:
        """Each target the blind part falls short of, with its figure."""
        failed = []
        for f in self.figures:
            target = TARGETS[f.name]
            if f.value is None:
                continue
            if f.higher_is_better and f.value < target:
                failed.append(f"answers, blind {f.name} is {f.shown}, wanted at least {target:.0%}")
            elif not f.higher_is_better and f.value > target:
                failed.append(f"answers, blind {f.name} is {f.shown}, wanted at most {target:.0%}")
        return failed


def measure(system: System, blind: list[Case] | None = None) -> AnswersReport:
    """Ask every blind question of `system` and score the three figures."""
    figures = {f.name: f for f in score(run(system, cases() if blind is None else blind))}
    return AnswersReport([figures[name] for name in TARGETS])
