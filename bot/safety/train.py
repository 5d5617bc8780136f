"""`python -m bot.safety.train`: build the learned key and its context reader from the examples table.

    python -m bot.safety.train            # writes .learned/safety-key.npz and safety-reader.npz
    python -m bot.safety.train --check    # also: 5-fold figures of both, through the safety check (crossval.py)

Reads `examples.csv` (columns `label`, `message`; a label is a rule id of
rules.yaml or `none`), embeds each message as the guide embeds a question
(lay words added, as retrieval searches it), and fits a multinomial
logistic regression on the vectors. Deterministic: the same table and model
give the same weights (lbfgs, no random state involved). With the context
reader, fine-tuned from the same table (teach.py), the build of the
12,519-row table (17,098 reader pairs) took 3 min 13 s to 3 min 31 s on
two cores of a processor with AVX-512 BF16 but no AMX (the key 45 s to
54 s, the reader 143 s to 154 s), with 4.1 GB of memory at its peak: over
the two minutes it may take. The 11,327-row table (12,258 pairs) took
1 min 45 s to 1 min 53 s on two cores with AMX, 2 min 36 s to 3 min 25 s
on two without.

A bad table is refused with the row that is wrong: an unknown label, an
empty message, a message given twice with different labels.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path
from typing import TextIO

import numpy as np

import bot  # noqa: F401  (offline switches first)
from bot.config import Settings
from bot.errors import GuideError
from bot.lay_terms import digest as lay_digest
from bot.safety import RULES_FILE, default
from bot.safety.learned import EXAMPLES_FILE, FORMAT, NONE, table_digest

C = 16.0  # inverse regularisation strength, chosen by cross-validation on the table (--check)


class ExamplesError(GuideError):
    """The examples table cannot be used to build the learned key."""


def read_examples(path: Path = EXAMPLES_FILE) -> list[tuple[str, str]]:
    """(label, message) rows of the table, checked."""
    known = {r.id for r in default().all_rules} | {NONE}
    rows: list[tuple[str, str]] = []
    labelled: dict[str, tuple[str, int]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames is None or {"label", "message"} - set(reader.fieldnames):
                raise ExamplesError(f"{path} needs the columns `label` and `message`.")
            for line, row in enumerate(reader, start=2):
                label, message = (row["label"] or "").strip(), " ".join((row["message"] or "").split())
                if label not in known:
                    raise ExamplesError(f"{path}, line {line}: unknown label {label!r}.")
                if not message:
                    raise ExamplesError(f"{path}, line {line}: the message is empty.")
                key = message.casefold()
                if key in labelled and labelled[key][0] != label:
                    raise ExamplesError(
                        f"{path}, line {line}: the same message is labelled {labelled[key][0]!r} "
                        f"on line {labelled[key][1]} and {label!r} here."
                    )
                labelled.setdefault(key, (label, line))
                rows.append((label, message))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ExamplesError(f"{path} cannot be read: {exc}") from exc
    if len({label for label, _ in rows}) < 2:
        raise ExamplesError(f"{path} needs messages of at least two labels.")
    return rows


def embed(embeddings, messages: list[str]) -> np.ndarray:
    """The messages' sentence vectors, as the guide embeds a question (in
    bfloat16 where the processor has it: teach.quick)."""
    from bot.lay_terms import expand
    from bot.safety.teach import quick, threads

    with threads(), quick():
        return np.asarray(embeddings.embed_documents([expand(m) for m in messages]), dtype=np.float32)


def fit(vectors: np.ndarray, labels: list[str]):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000).fit(vectors, labels)


def build(settings: Settings, embeddings=None, info=None, examples: Path = EXAMPLES_FILE,
          out: TextIO | None = None) -> Path:
    """Train the key and the context reader from `examples` and write them to
    settings.learned_key and settings.context_reader (each atomically),
    saying how long each took on `out` (standard error when None)."""
    out = out or sys.stderr
    from bot.embeddings import load_embeddings, sentence_model
    from bot.safety import teach
    from bot.safety.reader import FORMAT as READER_FORMAT

    started = time.perf_counter()
    rows = read_examples(examples)
    if embeddings is None:
        embeddings, info = load_embeddings(settings)
    vectors = embed(embeddings, [m for _, m in rows])
    model = fit(vectors, [label for label, _ in rows])
    path = settings.learned_key
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(
        partial, weights=model.coef_.astype(np.float32), bias=model.intercept_.astype(np.float32),
        labels=np.array(model.classes_, dtype=str), model=info.id, table=table_digest(examples),
        format=FORMAT, lay=lay_digest(),
    )
    partial.replace(path)
    print(f"Learned key: {len(rows)} examples, {len(model.classes_)} labels, "
          f"{time.perf_counter() - started:.1f} s -> {path}", file=out)
    started = time.perf_counter()
    taught = teach.pairs(rows)
    reader = teach.fit(sentence_model(embeddings), taught)
    teach.save(reader, settings.context_reader, info.id, table_digest(examples), READER_FORMAT,
               table_digest(RULES_FILE))
    print(f"Context reader: {len(taught)} pairs, {time.perf_counter() - started:.1f} s "
          f"-> {settings.context_reader}", file=out)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety.train", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="also print 5-fold cross-validated figures")
    args = parser.parse_args(argv)
    settings = Settings()
    try:
        build(settings)
        if args.check:
            from bot.safety import crossval

            crossval.report(settings)
    except GuideError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
