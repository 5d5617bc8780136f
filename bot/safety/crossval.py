"""`python -m bot.safety.train --check`: 5-fold figures of the learned key and the context reader.

    Without the reader: emergency 1646/1661 · deferral 4380/4502 = 97.29% · false 604/4385 = 13.8%
    With the reader:    emergency 1646/1661 · deferral 4377/4502 = 97.22% · false 405/4385 = 9.2%

(teach.EPOCHS = 2 at RATE 3e-4, on the table of 8,887 rows. 3 passes at 2e-4
gave 4371/4502 and 376/4385: the reader took back 9 deferrals instead of 3
for 29 fewer false ones, and the build came within seconds of two minutes.
On 6,853 rows 4 passes had taken back more still.)

The rows of the examples table are dealt round-robin to FOLDS folds; each
row is judged by a learned key and a context reader built without its fold,
through `Safety.check` as the guide judges a one-turn conversation, at the
table's thresholds. The table was tuned against, so these figures compare
builds; only a blind batch (`python -m evals safety`) stands for new users.
About six minutes on two cores.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from bot.config import Settings
from bot.safety import default, teach
from bot.safety.learned import EXAMPLES_FILE, NONE, LearnedKey, windows
from bot.safety.reader import around, says_nothing

FOLDS = 5


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


def report(settings: Settings, examples: Path = EXAMPLES_FILE, out=sys.stdout) -> dict[bool, Counter]:
    """Print and return the figures without and with the reader."""
    from bot.embeddings import load_embeddings, sentence_model
    from bot.safety.train import read_examples

    rows = read_examples(examples)
    embeddings, _ = load_embeddings(settings)
    found = held_out_key(embeddings, rows)
    taught = teach.by_row(rows)
    doubts = teach.held_out(sentence_model(embeddings), taught, FOLDS)
    safety = default()
    red = {r.id for r in safety.rules.red_flags}
    figures = {}
    for reading in (False, True):
        counts: Counter = Counter()
        for (label, message), learned, pairs, doubt in zip(rows, found, taught, doubts):
            known = {(words, part): d for (words, part, _), d in zip(pairs, doubt)}

            def read(asked, known=known):
                parts = [(w, around(text, w)) for w, text in asked]
                return [0.0 if says_nothing(read, w) else min((known.get((w, p), 0.0) for p in read), default=0.0)
                        for w, read in parts]

            route = safety.check([message], [learned], read if reading else None).route
            kind = "none" if label == NONE else "red" if label in red else "condition"
            counts[kind] += 1
            counts[kind, "deferred"] += route is not None
            counts[kind, "emergency"] += route == "emergency"
        figures[reading] = counts
        deferral, needed = counts["red", "deferred"] + counts["condition", "deferred"], counts["red"] + counts["condition"]
        print(f"{('With' if reading else 'Without') + ' the reader:':20}"
              f"emergency {counts['red', 'emergency']}/{counts['red']} · "
              f"deferral {deferral}/{needed} = {deferral / max(needed, 1):.2%} · "
              f"false {counts['none', 'deferred']}/{counts['none']} = "
              f"{counts['none', 'deferred'] / max(counts['none'], 1):.1%}", file=out)
    return figures
