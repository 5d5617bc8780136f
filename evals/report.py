"""The reports in evals/out/: Markdown tables and PNG charts (matplotlib, no display).

`evaluation(...)` writes report.md, metrics.png and quoted.png;
`benchmarks(...)` writes bench.md and growth.png; `load(...)` writes load.md.
Each returns the Markdown path.
"""

from __future__ import annotations

import os
import platform
from datetime import datetime
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from evals.bench import Bench  # noqa: E402
from evals.compare import Comparison  # noqa: E402
from evals.score import quoted_chars  # noqa: E402

OUT = Path(__file__).parent / "out"
GUIDE, TEXTBOOK = "#1f5fa8", "#b0b0b0"
# Shares shown side by side in metrics.png, as in the summary table.
CHARTED = [
    "route accuracy: all", "deferral recall", "false deferral", "out-of-scope accuracy",
    "retrieval recall@1", "retrieval recall@3", "evidence hit", "faithfulness",
    "replies citing site furniture",
]


def table(header: list[str], rows: list[tuple]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def stamp() -> str:
    return f"{datetime.now():%Y-%m-%d %H:%M}, {platform.node()}, Python {platform.python_version()}"


def evaluation(comparison: Comparison, extra: list[tuple[str, str]], out: Path = OUT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    guide, textbook = comparison.figures()
    _metrics_chart(guide, textbook, out / "metrics.png")
    _quoted_chart(comparison, out / "quoted.png")
    counts = {}
    for case in comparison.cases:
        counts[case.category] = counts.get(case.category, 0) + 1
    misses = comparison.misses()
    text = f"""# MS Massage Guide: evaluation

{stamp()}. {len(comparison.cases)} gold cases (evals/gold.yaml):
{", ".join(f"{n} {c.replace('_', ' ')}" for c, n in counts.items())}.

The textbook recipe: RecursiveCharacterTextSplitter (1000/200) over the articles
as received ({comparison.textbook_chunks} chunks), the same embedding model, Chroma,
the top 4 chunks quoted whole, no safety layer. Ratio = guide / textbook
("—" where the textbook's figure is 0).

{table(["metric", "guide", "textbook", "ratio"], comparison.rows())}

![Shares, guide and textbook](metrics.png)

![Characters quoted per reply](quoted.png)

## The guide's misses ({len(misses)})

{chr(10).join(f"- {m}" for m in misses) or "None."}

## Other figures

{table(["figure", "value"], extra)}
"""
    path = out / "report.md"
    path.write_text(text, encoding="utf-8")
    return path


def _metrics_chart(guide, textbook, path: Path) -> None:
    pairs = [(g, t) for g, t in zip(guide, textbook, strict=True) if g.name in CHARTED]
    fig, ax = plt.subplots(figsize=(8.5, 5.4))
    for offset, side, color, label in ((-0.2, 0, GUIDE, "guide"), (0.2, 1, TEXTBOOK, "textbook recipe")):
        values = [(pair[side].value or 0) * 100 for pair in pairs]
        y = [i + offset for i in range(len(pairs))]
        ax.barh(y, values, 0.4, color=color, label=label)
        for yi, v in zip(y, values):
            ax.text(v + 1, yi, f"{v:.0f}%", va="center", fontsize=8)
    names = [g.name + ("" if g.higher_is_better else " (lower is better)") for g, _ in pairs]
    ax.set_yticks(range(len(pairs)), names)
    ax.invert_yaxis()
    ax.set_xlim(0, 110)
    ax.set_xlabel("% of cases")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _quoted_chart(comparison: Comparison, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for outcomes, name, color in ((comparison.guide, "guide", GUIDE), (comparison.textbook, "textbook recipe", TEXTBOOK)):
        values = [n for o in outcomes if (n := quoted_chars(o.reply))]
        ax.hist(values, bins=30, range=(0, 4500), color=color, alpha=0.8, label=name)
    ax.set_xlabel("characters quoted in one reply")
    ax.set_ylabel("replies")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def benchmarks(bench: Bench, out: Path = OUT) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    _growth_chart(bench, out / "growth.png")
    rows = [(r.name, f"{r.measured:,.2f} {r.unit}", f"{r.floor:,.2f} {r.unit}", f"{r.ratio:.2f}x") for r in bench.rows]
    growth = [
        (f"{g.factor}x", f"{g.chunks:,}", f"{g.index_s:,.1f}", f"{g.open_s:,.2f}", f"{g.p50_ms:,.1f}", f"{g.p95_ms:,.1f}")
        for g in bench.growth
    ]
    text = f"""# MS Massage Guide: benchmarks

{stamp()}, {_cpus()} CPUs. The corpus has {bench.chunks} chunks.
Each figure against its floor, measured in the same run (see evals/bench.py).

{table(["figure", "measured", "floor", "ratio"], rows)}

## Growth with the corpus

{table(["corpus", "chunks", "index (s)", "open (s)", "answer p50 (ms)", "answer p95 (ms)"], growth)}

![Index time and answer latency against corpus size](growth.png)
"""
    path = out / "bench.md"
    path.write_text(text, encoding="utf-8")
    return path


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


def _growth_chart(bench: Bench, path: Path) -> None:
    chunks = [g.chunks for g in bench.growth]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    left.loglog(chunks, [g.index_s for g in bench.growth], "o-", color=GUIDE, label="index build")
    right.loglog(chunks, [g.p50_ms for g in bench.growth], "o-", color=GUIDE, label="answer p50")
    right.loglog(chunks, [g.p95_ms for g in bench.growth], "s--", color=GUIDE, label="answer p95")
    first = bench.growth[0]
    for ax, base in ((left, first.index_s), (right, first.p50_ms)):
        ax.loglog(chunks, [base * c / first.chunks for c in chunks], ":", color=TEXTBOOK, label="linear")
        ax.set_xlabel("chunks")
        ax.legend()
    left.set_ylabel("seconds")
    right.set_ylabel("milliseconds")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def load(runs, users: int, seconds: float, out: Path = OUT) -> Path:
    from evals.load import rows

    table_rows = rows(runs)
    text = f"""# MS Massage Guide: load

{stamp()}, {_cpus()} CPUs. {users} simulated chat users for {seconds:.0f} s per set-up,
each with its own session, asking gold questions through the app's HTTP API
(gradio_client), loopback only. Peak memory per process: the apps, then the Chroma server.

{table(list(table_rows[0]), table_rows[1:])}
"""
    path = out / "load.md"
    path.write_text(text, encoding="utf-8")
    return path
