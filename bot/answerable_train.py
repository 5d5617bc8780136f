"""`python -m bot.answerable_train`: build the question check (bot/answerable.py)
from the labelled questions in `answerable.jsonl`.

Each line is `{"turns": [question], "routes": ["answer"] | ["out_of_scope"],
"cite": [words of the sentence that answers, ...]}`. Each question is embedded
as the search embeds it (its lay words added), and each answerable one once
more with typing slips (`misspelt`); a logistic regression learns
p(unanswerable) from the vectors, and the line is the lowest p at which 5-fold
cross-validation (a question and its copy in one fold) refuses no more than
`MAX_REFUSED` of the answerable questions. The same table and model give the
same file.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TextIO

import numpy as np

import bot  # noqa: F401  (offline switches first)
from bot.answerable import FORMAT, TABLE_FILE, table_digest
from bot.config import Settings
from bot.errors import GuideError
from bot.text import flat

MAX_REFUSED = 0.005  # the share of answerable questions the check may refuse
C = 10.0  # the regression's regularisation (smaller is stronger)


def read_table(path: Path = TABLE_FILE) -> list[tuple[str, list[str]]]:
    """(question, words to cite; none for an unanswerable one) for each line;
    ValueError names a bad one."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            (question,), routes, cite = row["turns"], row["routes"], row.get("cite", [])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise ValueError(f"{path.name}, line {n}: needs one question in `turns`, and `routes`") from None
        if not (isinstance(question, str) and question.strip()):
            raise ValueError(f"{path.name}, line {n}: the question is empty")
        if routes not in (["answer"], ["out_of_scope"]) or (routes == ["answer"]) != bool(cite):
            raise ValueError(f"{path.name}, line {n}: an answerable question needs words to cite, and only it")
        rows.append((question, cite))
    if len({bool(c) for _, c in rows}) < 2:
        raise ValueError(f"{path.name} needs questions of both kinds")
    return rows


def misspelt(question: str, seed: int) -> str:
    """The question with a letter dropped, doubled or swapped in about one word
    in three of four letters or more; the same seed gives the same slips.

    >>> misspelt("can massage help with fatigue", 1)
    'can massage help wtih fatiguue'
    """
    rng = np.random.default_rng(seed)
    out = []
    for word in question.split(" "):
        if len(word) >= 4 and rng.random() < 0.35:
            i = int(rng.integers(1, len(word) - 1))
            slip = int(rng.integers(3))
            word = (word[:i] + word[i + 1 :], word[:i] + word[i] + word[i:], word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :])[slip]
        out.append(word)
    return " ".join(out)


def taught_on(rows, documents) -> list[str]:
    """The corpus files that hold words the table cites: the articles its questions were asked of."""
    cited = {flat(p) for _, cite in rows for p in cite}
    return sorted(d.source for d in documents if any(p in flat(d.text) for p in cited))


def build(settings: Settings, embeddings=None, info=None, table: Path = TABLE_FILE, out: TextIO | None = None) -> Path:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold, cross_val_predict

    from bot.embeddings import load_embeddings
    from bot.lay_terms import digest as lay_digest
    from bot.lay_terms import expand
    from ingest.load import load

    started = time.perf_counter()
    rows = read_table(table)
    if embeddings is None or info is None:
        embeddings, info = load_embeddings(settings)
    # Each answerable question is taught a second time as typed by unsteady hands,
    # so that "can masage help with fatigu??" is not taken for an unanswerable one.
    groups = list(range(len(rows))) + [n for n, (_, cite) in enumerate(rows) if cite]  # a copy folds with its question
    rows = rows + [(misspelt(q, n), cite) for n, (q, cite) in enumerate(rows) if cite]
    vectors = np.asarray(embeddings.embed_documents([expand(q) for q, _ in rows]), dtype=np.float32)
    unanswerable = np.array([not c for _, c in rows])
    model = LogisticRegression(C=C, max_iter=5000)
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    p = cross_val_predict(model, vectors, unanswerable, groups=groups, cv=folds, method="predict_proba")[:, 1]
    answerable_p = np.sort(p[~unanswerable])[::-1]
    allowed = int(MAX_REFUSED * len(answerable_p))  # this many may reach the line
    refuse_at = float(answerable_p[allowed]) + 1e-6
    model.fit(vectors, unanswerable)
    sources = taught_on(rows, load(settings.corpus_dir)[0])
    path = settings.answerable
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(
        partial, weights=model.coef_[0].astype(np.float32), bias=np.float32(model.intercept_[0]),
        refuse_at=np.float32(refuse_at), sources=np.array(sources),
        model=info.id, table=table_digest(table), format=str(FORMAT), lay=lay_digest(),
    )
    partial.replace(path)
    print(
        f"Question check: {len(rows)} questions (with the misspelt copies), taught on {', '.join(sources)}; line {refuse_at:.3f} (5-fold: "
        f"{int((p[unanswerable] >= refuse_at).sum())}/{int(unanswerable.sum())} unanswerable refused, "
        f"{int((answerable_p >= refuse_at).sum())}/{len(answerable_p)} answerable), "
        f"{time.perf_counter() - started:.1f} s -> {path}",
        file=out or sys.stdout,
    )
    return path


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m bot.answerable_train", description=__doc__.split("\n\n")[0]).parse_args(argv)
    try:
        build(Settings())
    except (GuideError, ValueError, OSError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
