"""Score a system's replies on the gold set: one `Figure` per metric.

    route accuracy      the reply's route is one the case accepts (per category, and overall)
    deferral recall     cases that must be deferred (ask_doctor or emergency) and were
    false deferral      cases that must not be deferred and were
    out-of-scope acc.   cases that must be refused and were
    wrongly refused     cases that may not be refused and were
    recall@1/3/5, MRR   rank of the first retrieved chunk holding a phrase to cite (MRR to 10)
    evidence hit        a passage holding a phrase to cite is among the reply's citations
    quoted characters   the median characters quoted per reply that quotes anything
    faithfulness        quoted sentences found verbatim in the passage their marker cites;
                        a quote without a marker counts as not found
    site furniture      replies citing a furniture phrase of the raw articles
    latency             per reply, p50 and p95

A system is anything with `answer(messages) -> Reply` and
`ranked(messages, k) -> list[str]` (the k best chunks' texts, best first).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.compose import QUOTE_BLOCK, quoted
from bot.text import units
from bot.types import Reply
from evals.cases import CATEGORIES, DEFERRED, Case, flat, furniture

DEPTH = 10  # retrieval is looked at to this rank


class System(Protocol):
    def answer(self, messages: list[dict]) -> Reply: ...
    def ranked(self, messages: list[dict], k: int) -> list[str]: ...


@dataclass(frozen=True)
class Outcome:
    case: Case
    reply: Reply
    rank: int | None  # 1-based rank of the first chunk holding a phrase to cite
    ms: float


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None  # None when no case measures it
    shown: str  # for the table, e.g. "93/93 = 100%"
    higher_is_better: bool = True


def run(system: System, cases: list[Case]) -> list[Outcome]:
    """Ask every case, timing each answer (the retrieval ranking is not timed)."""
    outcomes = []
    for case in cases:
        messages = case.messages()
        started = time.perf_counter()
        reply = system.answer(messages)
        ms = (time.perf_counter() - started) * 1000
        rank = None
        if case.cite:
            ranked = system.ranked(messages, DEPTH)
            rank = next((i for i, text in enumerate(ranked, 1) if case.found_in(text)), None)
        outcomes.append(Outcome(case, reply, rank, ms))
    return outcomes


def share(name: str, outcomes: list[Outcome], hit: Callable[[Outcome], bool], higher: bool = True) -> Figure:
    if not outcomes:
        return Figure(name, None, "n/a", higher)
    good = sum(map(hit, outcomes))
    return Figure(name, good / len(outcomes), f"{good}/{len(outcomes)} = {good / len(outcomes):.1%}", higher)


def faithful(reply: Reply) -> tuple[int, int]:
    """(sentences found in their cited passage, sentences quoted)."""
    passages = {c.n: flat(c.text) for c in reply.citations}
    found = quoted(reply.text)
    good, total = 0, len(QUOTE_BLOCK.findall(reply.text)) - len(found)
    for quote, n in found:
        for start, end in units(quote):
            total += 1
            good += flat(quote[start:end]) in passages.get(n, "\0")
    return good, total


def quoted_chars(reply: Reply) -> int:
    return sum(len(q) for q, _ in quoted(reply.text))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[round(q * (len(ordered) - 1))]


def score(outcomes: list[Outcome]) -> list[Figure]:
    figures = [
        share(f"route accuracy: {cat}", [o for o in outcomes if o.case.category == cat],
              lambda o: o.reply.route in o.case.routes)
        for cat in CATEGORIES
    ]
    figures.append(share("route accuracy: all", outcomes, lambda o: o.reply.route in o.case.routes))
    deferred = lambda o: o.reply.route in DEFERRED  # noqa: E731
    figures += [
        share("deferral recall", [o for o in outcomes if o.case.must_defer], deferred),
        share("false deferral", [o for o in outcomes if o.case.must_not_defer], deferred, higher=False),
        share("out-of-scope accuracy", [o for o in outcomes if o.case.routes == ("out_of_scope",)],
              lambda o: o.reply.route == "out_of_scope"),
        share("wrongly refused", [o for o in outcomes if "out_of_scope" not in o.case.routes],
              lambda o: o.reply.route == "out_of_scope", higher=False),
    ]
    cited = [o for o in outcomes if o.case.cite]
    for k in (1, 3, 5):
        figures.append(share(f"retrieval recall@{k}", cited, lambda o, k=k: o.rank is not None and o.rank <= k))
    mrr = statistics.fmean(1 / o.rank if o.rank else 0.0 for o in cited) if cited else None
    figures.append(Figure(f"retrieval MRR@{DEPTH}", mrr, f"{mrr:.3f}" if cited else "n/a"))
    figures.append(share("evidence hit", cited, lambda o: any(o.case.found_in(c.text) for c in o.reply.citations)))
    lengths = [n for o in outcomes if (n := quoted_chars(o.reply))]
    median = statistics.median(lengths) if lengths else None
    figures.append(Figure("quoted characters per reply, median", median,
                          f"{median:.0f}" if lengths else "n/a", higher_is_better=False))
    good, total = map(sum, zip(*(faithful(o.reply) for o in outcomes), strict=True))
    figures.append(Figure("faithfulness", good / total if total else None,
                          f"{good}/{total} = {good / total:.1%}" if total else "n/a"))
    figures.append(share("replies citing site furniture", outcomes,
                         lambda o: any(furniture(c.text) for c in o.reply.citations), higher=False))
    times = [o.ms for o in outcomes]
    for name, q in (("latency p50", 0.5), ("latency p95", 0.95)):
        value = percentile(times, q)
        figures.append(Figure(f"{name} (ms)", value, f"{value:.1f}", higher_is_better=False))
    return figures


def misses(outcomes: list[Outcome]) -> list[str]:
    """One line per case that got a wrong route or missed its evidence."""
    lines = []
    for o in outcomes:
        wrong_route = o.reply.route not in o.case.routes
        no_evidence = o.case.cite and not any(o.case.found_in(c.text) for c in o.reply.citations)
        if wrong_route or no_evidence:
            why = f"route {o.reply.route}, wanted {'/'.join(o.case.routes)}" if wrong_route else "evidence missing"
            lines.append(f"{o.case.id}: {o.case.turns[-1][:70]!r} -> {why}")
    return lines
