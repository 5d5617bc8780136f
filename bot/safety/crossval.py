"""`python -m bot.safety.train --check`: 5-fold figures of the learned key and the context reader.

    Without the reader:         emergency 2115/2138 · deferral 5615/5742 = 97.79% · false 835/5585 = 15.0%
    Reader clears at 0.98:      emergency 2115/2138 · deferral 5608/5742 = 97.67% · false 382/5585 = 6.8%
    Reader clears at 0.99:      ...  deferral 5609/5742 · false 419/5585 = 7.5%
    Reader clears at 0.95:      ...  deferral 5604/5742 · false 353/5585 = 6.3%

(11,327 rows; the last reader.TUNED = 2 layers tuned for teach.EPOCHS = 2
at RATE 3e-4, the weights averaged over the last pass; the message decides
and a sentence may keep, reader.judged.) The table's line (`learned:
clear`) is the lowest of LINES that takes back no more deferrals than 0.98:
0.98 here. Chosen again whenever the table grows: a reader rebuilt from a
larger table may be less sure across the board. On the 10,903-row table
the reader before (its last layer tuned, cleared only when every reading
doubted, line 0.95) took back 5 deferrals of 5,516 for 499 false ones of
5,387; this one at 0.98 takes back 4 for 393. In trials there at 0.98, two
layers tuned gave 5389 deferrals and 506 false ones, their weights
averaged as well 5388 and 471, and letting the message decide as well
5388 and 393. Each line is followed by the rows it takes back that needed
a doctor.

The rows of the examples table are dealt round-robin to FOLDS folds; each
row is judged by a learned key and a context reader built without its fold,
through `Safety.check` as the guide judges a one-turn conversation, at the
table's thresholds. The table was tuned against, so these figures compare
builds; only a blind batch (`python -m evals safety`) stands for new users.
About seven minutes on two cores.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.safety import default, teach
from bot.safety.learned import EXAMPLES_FILE, NONE, LearnedKey, windows
from bot.safety.reader import finding_doubt

FOLDS = 5
LINES = (0.99, 0.98, 0.95, 0.9, 0.8)  # the reader's lines `--check` also reports, beside the table's


def held_out_key(embeddings, rows: list[tuple[str, str]]) -> list[list[str]]:
    """What a key built without each row's fold finds in it (the row's windows read as the guide reads them)."""
    from bot.safety.train import embed, fit

    rules = default().rules
    read = [windows(message) for _, message in rows]
    flat = embed(embeddings, [part for parts in read for part in parts])
    at = np.cumsum([0] + [len(parts) for parts in read])
    vectors = flat[at[:-1]]  # each message whole, as the key is built from
    labels = np.array([label for label, _ in rows])
    fold = np.arange(len(rows)) % FOLDS
    found: list[list[str]] = [[] for _ in rows]
    for k in range(FOLDS):
        model = fit(vectors[fold != k], list(labels[fold != k]))
        key = LearnedKey(tuple(model.classes_), model.coef_.astype(np.float32),
                         model.intercept_.astype(np.float32), frozenset(r.id for r in rules.red_flags),
                         rules.learned)
        for i in np.flatnonzero(fold == k):
            found[i] = key.find_in_turn(flat[at[i] : at[i + 1]], len(rows[i][1].split()))
    return found


def report(settings: Settings, examples: Path = EXAMPLES_FILE, out=sys.stdout) -> dict[float | None, Counter]:
    """Print and return the figures without the reader (key None) and with it
    at the table's line and at each of LINES."""
    from bot.embeddings import load_embeddings, sentence_model
    from bot.safety.train import read_examples

    rows = read_examples(examples)
    embeddings, _ = load_embeddings(settings)
    found = held_out_key(embeddings, rows)
    taught = teach.by_row(rows)
    doubts = teach.held_out(sentence_model(embeddings), taught, FOLDS)
    safety = default()
    red = {r.id for r in safety.rules.red_flags}
    table = safety.rules.learned.clear
    figures = {}
    deferred_without: set[int] = set()
    for limit in (None, table, *(x for x in LINES if x != table)):
        counts: Counter = Counter()
        lost = []  # rows that need a doctor, deferred without the reader and not with it
        for n, ((label, message), learned, pairs, doubt) in enumerate(zip(rows, found, taught, doubts)):
            known = {(words, part): d for (words, part, _), d in zip(pairs, doubt)}

            def read(asked, known=known, limit=limit):
                # a doubt at `limit` or over clears, whatever the table's line
                return [float(finding_doubt(w, text, lambda w, p: known.get((w, p), 0.0)) >= limit)
                        for w, text in asked]

            route = safety.check([message], [learned], read if limit is not None else None).route
            kind = "none" if label == NONE else "red" if label in red else "condition"
            counts[kind] += 1
            counts[kind, "deferred"] += route is not None
            counts[kind, "emergency"] += route == "emergency"
            if kind != "none":
                if limit is None and route is not None:
                    deferred_without.add(n)
                elif route is None and n in deferred_without:
                    lost.append(f"    taken back: [{label}] {message[:100]}")
        figures[limit] = counts
        deferral, needed = counts["red", "deferred"] + counts["condition", "deferred"], counts["red"] + counts["condition"]
        name = "Without the reader:" if limit is None else f"Reader clears at {limit:.2f}:"
        print(f"{name:28}"
              f"emergency {counts['red', 'emergency']}/{counts['red']} · "
              f"deferral {deferral}/{needed} = {deferral / max(needed, 1):.2%} · "
              f"false {counts['none', 'deferred']}/{counts['none']} = "
              f"{counts['none', 'deferred'] / max(counts['none'], 1):.1%}", file=out)
        for line in lost:
            print(line, file=out)
    return figures
