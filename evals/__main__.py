"""`python -m evals [all|safety|ui|bench]`: the guide measured, and compared.

`all` (the default) builds a fresh index of the corpus in a temporary folder,
asks the gold set (evals/gold.yaml) of both the guide and the textbook recipe
(evals/textbook.py), runs the safety set (evals/safety.py), prints one table
and writes evals/out/report.md with its charts. It exits 1 when a gate fails:
deferral recall and faithfulness 100%, no site furniture cited, evidence hit
at least 95%, and the tuned safety set's targets; the blind safety part is
reported beside it, with any target it falls short of, and so is the blind
part for answers (evals/blind_answers.py): evidence hit, out-of-scope
accuracy and wrongly refused on questions nobody tuned against.
`safety` runs the safety set alone. `ui` serves the app and times 20
questions in Debian's chromium, from pressing Enter to the reply shown.
`bench` measures costs against their floors (evals/bench.py) and writes
evals/out/bench.md; `bench --quick` runs each once, on a corpus up to 10x.
`load` runs 20 simulated chat users for 60 s against one app process and
against two sharing a Chroma server (evals/load.py), writes evals/out/load.md,
and exits 1 on any error.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bot  # noqa: F401  (offline switches first)
from bot.config import Settings

EVIDENCE_FLOOR = 0.95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", choices=["all", "safety", "ui", "bench", "load"], default="all")
    parser.add_argument("--quick", action="store_true", help="bench: each timing once, corpus up to 10x")
    parser.add_argument("--users", type=int, default=20, help="load: simulated chat users (1-100)")
    parser.add_argument("--seconds", type=float, default=60.0, help="load: how long (1-600)")
    parser.add_argument("--out", type=Path, default=None, help="folder for the reports (evals/out)")
    parser.add_argument("--blind", type=Path, default=None,
                        help="folder of the blind safety batches (evals/blind)")
    parser.add_argument("--blind-answers", type=Path, default=None,
                        help="folder of the blind answer batches (evals/blind_answers)")
    args = parser.parse_args(argv)
    from evals import report

    out = args.out or report.OUT
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        parser.error(f"cannot write the reports to {out}: {exc.strerror or exc}")
    from evals import blind_answers
    from evals.safety import BLIND, blind_cases

    # The blind batches are read before anything loads, so a bad one is named at once.
    blind_safety = blind_answer_cases = None
    if args.part in ("all", "safety"):
        blind_safety = read_blind(parser, "--blind", args.blind, BLIND, blind_cases)
    elif args.blind is not None:
        parser.error("--blind is for all and safety")
    if args.part == "all":
        blind_answer_cases = read_blind(parser, "--blind-answers", args.blind_answers, blind_answers.FOLDER,
                                        blind_answers.cases)
    elif args.blind_answers is not None:
        parser.error("--blind-answers is for python -m evals")
    if args.part == "bench":
        return run_bench(args.quick, out)
    if args.part == "load":
        if not (1 <= args.users <= 100 and 1 <= args.seconds <= 600):
            parser.error("--users must be 1 to 100 and --seconds 1 to 600")
        return run_load(args.users, args.seconds, out)

    from bot.chat import Bot
    from bot.embeddings import load_embeddings
    from evals.compare import Guide, compare
    from evals.safety import measure_parts
    from ingest.index import build

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store_dir=Path(tmp) / "index")
        started = time.perf_counter()
        embeddings, info = load_embeddings(settings)
        model_s = time.perf_counter() - started
        started = time.perf_counter()
        built, _ = build(settings, embeddings, info, progress=False)
        build_s = time.perf_counter() - started
        guide = Bot(settings, embeddings=embeddings, info=info)
        if args.part == "ui":
            return report_ui(guide)
        safety = measure_parts(guide.answer, blind_safety)
        if args.part == "safety":
            return report_safety(safety)
        comparison = compare(guide, embeddings, Path(tmp) / "textbook")
        answers = blind_answers.measure(Guide(guide), blind_answer_cases) if blind_answer_cases else None
    extra = [
        ("model load", f"{model_s:.2f} s"),
        ("index build", f"{build_s:.2f} s ({built.files} files, {built.chunks} chunks)"),
        *[row for part in safety for row in part.rows()],
        *(answers.rows() if answers else []),
    ]
    show([("metric", "guide", "textbook", "ratio"), *comparison.rows()])
    print()
    show(extra)
    path = report.evaluation(comparison, extra, out)
    failed = gates(comparison) + safety_gates(safety)
    for line in comparison.misses() + shown_misses(safety):
        print(f"  {line}")
    print(f"\nReport: {path}")
    short_of_targets(safety)
    for shortfall in answers.failures() if answers else []:
        print(f"Below target: {shortfall}")
    for gate in failed:
        print(f"FAILED: {gate}")
    return 1 if failed else 0


def read_blind(parser, option: str, given: Path | None, default: Path, read) -> list:
    """The cases of the blind batches in the folder `given` (`default` when
    none is given); the command stops, naming what is wrong, when a given
    folder is not there or holds no batch, or when a batch has a bad line."""
    folder = given or default
    if given is not None and not given.is_dir():
        parser.error(f"{given} is not a folder of batches")
    try:
        cases = read(folder)
    except ValueError as exc:
        parser.error(f"{option} {folder}: {exc}")
    if given is not None and not cases:
        parser.error(f"{given} holds no batch (*.jsonl)")
    return cases


def gates(comparison) -> list[str]:
    """The hard gates on the guide's figures; each failure says which and what it was."""
    figures = {f.name: f for f in comparison.figures()[0]}
    wanted = [
        ("deferral recall", lambda v: v == 1, "100%"),
        ("faithfulness", lambda v: v == 1, "100%"),
        ("replies citing site furniture", lambda v: v == 0, "none"),
        ("evidence hit", lambda v: v >= EVIDENCE_FLOOR, f"at least {EVIDENCE_FLOOR:.0%}"),
    ]
    return [
        f"{name} is {figures[name].shown}, wanted {target}"
        for name, ok, target in wanted
        if figures[name].value is None or not ok(figures[name].value)
    ]


def run_load(users: int, seconds: float, out: Path) -> int:
    from evals import report
    from evals.load import measure, rows

    with tempfile.TemporaryDirectory() as tmp:
        runs = measure(Path(tmp), users, seconds, say=lambda s: print(s, file=sys.stderr))
    show(rows(runs))
    for run in runs:
        for error in sorted(set(run.errors))[:10]:
            print(f"  {run.name}: {error}")
    print(f"\nReport: {report.load(runs, users, seconds, out)}")
    return 1 if any(run.errors for run in runs) else 0


def run_bench(quick: bool, out: Path) -> int:
    from evals import report
    from evals.bench import run

    with tempfile.TemporaryDirectory() as tmp:
        bench = run(Path(tmp), quick=quick, say=lambda s: print(s, file=sys.stderr))
    rows = [("figure", "measured", "floor", "ratio")]
    rows += [(r.name, f"{r.measured:,.2f} {r.unit}", f"{r.floor:,.2f} {r.unit}", f"{r.ratio:.2f}x") for r in bench.rows]
    show(rows)
    for r in bench.rows:
        if r.name.startswith("safety check, both keys"):
            print(f"\nThe safety check adds {r.measured - r.floor:.2f} ms (median) to embedding the message "
                  "(target: at most 5 ms).")
        if r.name.startswith("peak memory, learned key"):
            print(f"The learned key and the context reader add {r.measured - r.floor:.1f} MiB of memory "
                  "to the rules key's check (target: under 20 MiB).")
    print()
    show([("corpus", "chunks", "index s", "answer p50 ms", "p95 ms")] + [
        (f"{g.factor}x", f"{g.chunks:,}", f"{g.index_s:.1f}", f"{g.p50_ms:.1f}", f"{g.p95_ms:.1f}")
        for g in bench.growth
    ])
    print(f"\nReport: {report.benchmarks(bench, out)}")
    return 0


def report_ui(guide) -> int:
    """Enter to a shown reply in chromium, against the answer alone (same questions)."""
    from app import create_app, serve
    from evals.bench import timed
    from evals.procs import free_port
    from evals.score import percentile
    from evals.ui import QUESTIONS_20, enter_to_answer

    port = free_port()
    app = create_app(guide)
    serve(app, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        shown = enter_to_answer(f"http://127.0.0.1:{port}/", QUESTIONS_20)
    finally:
        app.close()
    alone = timed(guide, QUESTIONS_20)
    median, floor = statistics.median(shown), statistics.median(alone)
    rows = [
        ("Enter to shown reply, median of 20", f"{median:.0f} ms"),
        ("Enter to shown reply, p95", f"{percentile(shown, 0.95):.0f} ms"),
        ("the answer alone, median", f"{floor:.1f} ms"),
        ("page and server, over the answer", f"{median / floor:.1f}x"),
    ]
    show(rows)
    return 0


def show(rows: list[tuple[str, ...]]) -> None:
    """Columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        print("  ".join(cells).rstrip())


def safety_gates(parts) -> list[str]:
    """The tuned part's targets are gates. The blind part's figures are what the
    guide does on messages nobody tuned against: reported, and said when short of
    the targets, never made to pass by tuning against them."""
    return [f for part in parts if part.part == "tuned" for f in part.failures()]


def shown_misses(parts) -> list[str]:
    """The tuned part's misses. The blind part's are counted, never shown:
    a batch whose misses were read is a tuned one (evals/blind/README.md)."""
    return [f"{part.part}: {m}" for part in parts if part.part == "tuned" for m in part.misses]


def short_of_targets(parts) -> None:
    for part in parts:
        if part.part != "tuned":
            for shortfall in part.failures():
                print(f"Below target: {shortfall}")


def report_safety(parts) -> int:
    show([row for part in parts for row in part.rows()])
    for line in shown_misses(parts):
        print(f"  {line}")
    short_of_targets(parts)
    failed = safety_gates(parts)
    for gate in failed:
        print(f"FAILED: {gate}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
