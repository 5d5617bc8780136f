"""`python -m bot.safety.train --check`: 5-fold figures of the learned key and the context reader.

    Without the reader:                         emergency 2354/2375 · deferral 6204/6332 = 97.98% · false 997/6163 = 16.2%
    Reader clears at 0.98, red flags at 0.990:  emergency 2354/2375 · deferral 6197/6332 = 97.87% · false 427/6163 = 6.9%
    Reader clears at 0.98, red flags never:     ...  deferral 6197/6332 · false 468/6163 = 7.6%
    Reader clears at 0.99, red flags at 0.990:  ...  deferral 6200/6332 · false 471/6163 = 7.6%
    Reader clears at 0.95, red flags at 0.990:  ...  deferral 6194/6332 · false 385/6163 = 6.2%
    Reader clears at 0.98, red flags at 0.950:  ...  deferral 6197/6332 · false 424/6163 = 6.9%

(12,495 rows, before the last 24 joined; the last reader.TUNED = 2 layers tuned for teach.EPOCHS = 2
at RATE 3e-4, the weights averaged over the last pass; the message decides
and a sentence may keep, reader.judged.) The table's line for conditions
(`learned: clear`) is the lowest of LINES that takes back no more
deferrals than 0.98: 0.98 here. Its line for medical red flags
(`clear_red_flag`) is over it and takes back no emergency: none of
RED_LINES took one back here, down to 0.95, so 0.99 keeps a margin.
Chosen again whenever the table grows: a reader rebuilt from a larger
table may be less sure across the board. One pass of tuning instead of
two (a third less build time) was much less sure: at 0.98, 681 false
deferrals for 6202 deferrals; at 0.80, 452 for 6186. On the 10,903-row
table the reader before (its last layer tuned, cleared only when every
reading doubted, line 0.95) took back 5 deferrals of 5,516 for 499 false
ones of 5,387; the two layers at 0.98 took back 4 for 393. Each line is
followed by the rows it takes back that needed a doctor, or that are no
longer an emergency.

The rows of the examples table are dealt round-robin to FOLDS folds; each
row is judged by a learned key and a context reader built without its fold,
through `Safety.check` as the guide judges a one-turn conversation, at the
table's thresholds. The table was tuned against, so these figures compare
builds; only a blind batch (`python -m evals safety`) stands for new users.
About ten minutes on two cores without AMX; the frozen layers' output for
every pair is held in memory (some 2.5 GB), and for each fold a copy of
four fifths of it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import numpy as np

from bot.config import Settings
from bot.safety import Safety, default, teach
from bot.safety.learned import EXAMPLES_FILE, NONE, LearnedKey, windows
from bot.safety.reader import finding_doubt

FOLDS = 5
LINES = (0.99, 0.98, 0.95, 0.9, 0.8)  # the reader's lines for conditions `--check` also reports, beside the table's
RED_LINES = (0.999, 0.995, 0.99, 0.98, 0.95)  # and for medical red flags
NEVER = float("inf")  # a line no doubt reaches


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


def report(settings: Settings, examples: Path = EXAMPLES_FILE, out: TextIO | None = None) -> dict[tuple, Counter]:
    """Print (to `out`, standard output when None: looked up at the call, not
    at import) and return the figures without the reader (key (None, None)) and
    with it at (the condition line, the red-flag line): the table's, then each
    of LINES for conditions, then each of RED_LINES for red flags."""
    out = out or sys.stdout
    from bot.embeddings import load_embeddings, sentence_model
    from bot.safety.train import read_examples

    rows = read_examples(examples)
    embeddings, _ = load_embeddings(settings)
    found = held_out_key(embeddings, rows)
    taught = teach.by_row(rows)
    doubts = teach.held_out(sentence_model(embeddings), taught, FOLDS)
    rules = default().rules
    red = {r.id for r in rules.red_flags}
    table = (rules.learned.clear, rules.learned.clear_red_flag)
    lines = [(None, None), table, (table[0], NEVER)]
    lines += [(x, table[1]) for x in LINES if x != table[0]]
    lines += [(table[0], x) for x in RED_LINES if x != table[1]]
    figures = {}
    needed_without: set[int] = set()  # rows that need a doctor, deferred without the reader
    emergency_without: set[int] = set()
    for limits in lines:
        if limits == (None, None):
            safety = default()
        else:  # the table's rules read at these lines (NEVER: no red flag cleared)
            learned = rules.learned.model_copy(update={"clear": limits[0], "clear_red_flag": limits[1]})
            safety = Safety(rules.model_copy(update={"learned": learned}))
        counts: Counter = Counter()
        lost = []  # rows deferred without the reader and not with it, or no longer an emergency
        for n, ((label, message), learned_ids, pairs, doubt) in enumerate(zip(rows, found, taught, doubts)):
            known = {(words, part): d for (words, part, _), d in zip(pairs, doubt)}

            def read(asked, known=known):
                return [finding_doubt(w, text, lambda w, p: known.get((w, p), 0.0)) for w, text in asked]

            route = safety.check([message], [learned_ids], read if limits[0] is not None else None).route
            kind = "none" if label == NONE else "red" if label in red else "condition"
            counts[kind] += 1
            counts[kind, "deferred"] += route is not None
            counts[kind, "emergency"] += route == "emergency"
            if kind == "none":
                continue
            if limits[0] is None:
                needed_without |= {n} if route is not None else set()
                emergency_without |= {n} if route == "emergency" else set()
            elif route is None and n in needed_without:
                lost.append(f"    taken back: [{label}] {message[:100]}")
            elif route != "emergency" and n in emergency_without and kind == "red":
                lost.append(f"    no longer an emergency: [{label}] {message[:100]}")
        figures[limits] = counts
        deferral, needed = counts["red", "deferred"] + counts["condition", "deferred"], counts["red"] + counts["condition"]
        name = ("Without the reader:" if limits[0] is None else
                f"Reader clears at {limits[0]:.2f}, red flags "
                + ("never:" if limits[1] == NEVER else f"at {limits[1]:.3f}:"))
        print(f"{name:48}"
              f"emergency {counts['red', 'emergency']}/{counts['red']} · "
              f"deferral {deferral}/{needed} = {deferral / max(needed, 1):.2%} · "
              f"false {counts['none', 'deferred']}/{counts['none']} = "
              f"{counts['none', 'deferred'] / max(counts['none'], 1):.1%}", file=out, flush=True)
        for line in lost:
            print(line, file=out)
    return figures
