"""`python -m evals`: build time, warm answer latency and the top-3 hit rate.

Builds a fresh index of the corpus in a temporary folder (timed), then asks
the gold questions against it: the top-3 table (is the passage among the
three best chunks?) and 50 questions for the warm latency (median and p95,
after one warm-up question). Prints one summary table.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import bot  # noqa: F401  (offline switches first)
from bot.config import Settings


def main() -> int:
    from bot.chat import Bot
    from bot.embeddings import load_embeddings
    from bot.lay_terms import expand
    from bot.retrieve import Query
    from evals.gold import OUT_OF_SCOPE, TOP3
    from ingest.index import build

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store_dir=Path(tmp) / "index")
        started = time.perf_counter()
        embeddings, info = load_embeddings(settings)
        model_s = time.perf_counter() - started
        started = time.perf_counter()
        report, _ = build(settings, embeddings, info, progress=False)
        build_s = time.perf_counter() - started
        guide = Bot(settings, embeddings=embeddings, info=info)

        hits = sum(
            any(phrase in h.chunk.text for h in guide.retriever.retrieve([Query(expand(q))], 3).hits)
            for q, phrase in TOP3
        )
        questions = ([q for q, _ in TOP3] + OUT_OF_SCOPE)[:50]
        guide.answer([{"role": "user", "content": "warm-up"}])
        times = []
        for q in questions:
            t = time.perf_counter()
            guide.answer([{"role": "user", "content": q}])
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    rows = [
        ("model load", f"{model_s:.2f} s"),
        ("index build", f"{build_s:.2f} s ({report.files} files, {report.chunks} chunks)"),
        ("top-3 hit rate", f"{hits}/{len(TOP3)} = {hits / len(TOP3):.0%}"),
        (f"warm answer latency, median of {len(times)}", f"{statistics.median(times):.1f} ms"),
        ("warm answer latency, p95", f"{times[int(0.95 * (len(times) - 1))]:.1f} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
