"""The learned key: a linear classifier over the sentence vector of a message.

    key = LearnedKey.load(path, model_id, rules)  # LearnedKeyMissing if not built, or stale
    key.find(vectors)  # -> [["flare_up"], [], ...]: rule ids found, one list per vector

It is built by `python -m bot.safety.train` from `examples.csv`: the frozen
all-MiniLM-L6-v2 vectors of the table's messages and a multinomial logistic
regression (scikit-learn). Here it is one matrix product and a softmax in
numpy, so scikit-learn is not imported at run time and the file is a few
tens of kilobytes. The file records the model it was trained on and the
SHA-256 of the table: a key built from another table or model is refused.

A label counts when its probability reaches the table's threshold for its
kind (`learned:` in rules.yaml): red flags have the lower one, so that a
red flag said in words the rules do not know still reaches emergency help.

Leaves out: what the vector blurs. A long message is read in windows of
sentences (`windows`), so a red flag at its end is not averaged away.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import LearnedKeyMissing
from bot.lay_terms import digest as lay_digest
from bot.safety.rules import Learned, Rules

EXAMPLES_FILE = Path(__file__).with_name("examples.csv")
NONE = "none"  # the label of a message that needs neither the doctor nor help now
FORMAT = 1  # the file's layout; a key of another layout is rebuilt
BUILD_HINT = "Build it with `python -m bot.safety.train` (or `make`)"
WINDOW_WORDS = 40  # a message longer than this is also read a few sentences at a time
SHORT_WORDS = 6  # a message shorter than this names a condition only as its likeliest label
BRIEF_WORDS = 12  # and one shorter than this a red flag only when red flags outweigh "none"
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def table_digest(path: Path = EXAMPLES_FILE) -> str:
    """The SHA-256 of a file the learned parts are built from (the table, the rules)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def stale(meta: dict[str, str], model_id: str, table: Path, fmt: int, rules: Path | None = None,
          lay: bool = False, table_name: str = "examples table") -> str | None:
    """Why a built file's `meta` does not fit the model, the table it is built
    from, the rules (when given: they choose the words the context reader is
    taught), the layout of today, or (with `lay`) today's lay words, which it
    reads a message with; None when it fits."""
    return (
        "was built with another model" if meta["model"] != model_id
        else f"was built from another {table_name}" if meta["table"] != table_digest(table)
        else "was built with other rules (rules.yaml)" if rules and meta.get("rules") != table_digest(rules)
        else "has an old layout" if meta["format"] != str(fmt)
        else "was built with other lay words (bot/lay_terms.py)" if lay and meta.get("lay") != lay_digest()
        else None
    )


def refuse_stale(what: str, path: Path, meta: dict[str, str], model_id: str, examples: Path, fmt: int,
                 rules: Path | None = None, lay: bool = False) -> None:
    """LearnedKeyMissing, saying why, when a built file is `stale`."""
    if why := stale(meta, model_id, examples, fmt, rules, lay):
        raise LearnedKeyMissing(f"{what} {path} {why}. {BUILD_HINT}.")


def filler(words: Sequence[str]) -> bool:
    """At most three different words said over and over ("blah blah blah"):
    nothing the keys were taught to read.

    >>> filler(["really"] * 40), filler("my old dog has arthritis".split())
    (True, False)
    """
    few = set(words)
    return len(few) <= 3 and len(words) >= 2 * len(few)


def windows(text: str) -> list[str]:
    """What the key reads of a message: the message, and for a long one each
    run of sentences up to WINDOW_WORDS words (a longer sentence in pieces of
    that many words), less the runs of filler.

    >>> windows("Short one.")
    ['Short one.']
    """
    if len(text.split()) <= WINDOW_WORDS:
        return [text]
    out, run = [text], []
    pieces = []
    for sentence in filter(None, (s.strip() for s in SENTENCE.split(text))):
        said = sentence.split()
        pieces += [" ".join(said[i : i + WINDOW_WORDS]) for i in range(0, len(said), WINDOW_WORDS)]
    for sentence in pieces:
        if run and len(" ".join(run + [sentence]).split()) > WINDOW_WORDS:
            out.append(" ".join(run))
            run = []
        run.append(sentence)
    if run:
        out.append(" ".join(run))
    if len(out) == 2:  # one window is the message itself
        return [text]
    return [out[0]] + [w for w in out[1:] if not filler(re.findall(r"\w+", w.casefold()))]


@dataclass(frozen=True)
class LearnedKey:
    labels: tuple[str, ...]  # NONE and rule ids, in the order of the weights' rows
    weights: np.ndarray  # (labels, dimension), float32
    bias: np.ndarray  # (labels,)
    red_flags: frozenset[str]  # the labels that are red flags
    thresholds: Learned

    @classmethod
    def load(cls, path: Path, model_id: str, rules: Rules, examples: Path = EXAMPLES_FILE) -> LearnedKey:
        """The key in `path`, if it was built from `examples` for `model_id`."""
        try:
            with np.load(path, allow_pickle=False) as saved:
                meta = {k: str(saved[k]) for k in ("model", "table", "format")}
                meta.update({k: str(saved[k]) for k in ("lay",) if k in saved.files})
                weights, bias, labels = saved["weights"], saved["bias"], saved["labels"]
        except FileNotFoundError:
            raise LearnedKeyMissing(f"The safety layer's learned key {path} is not built yet. {BUILD_HINT}.") from None
        except (OSError, ValueError, KeyError) as exc:
            raise LearnedKeyMissing(f"The learned key {path} cannot be read ({exc}). {BUILD_HINT}.") from exc
        refuse_stale("The learned key", path, meta, model_id, examples, FORMAT, lay=True)
        return cls(
            tuple(str(x) for x in labels), weights.astype(np.float32), bias.astype(np.float32),
            frozenset(r.id for r in rules.red_flags), rules.learned,
        )

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        """(vectors, labels): each label's probability for each vector."""
        logits = np.asarray(vectors, dtype=np.float32) @ self.weights.T + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def find_in_turn(self, vectors: Sequence[Sequence[float]], words: int = WINDOW_WORDS) -> list[str]:
        """The rule ids found in one turn of this many `words`: its first vector
        is the whole message, the rest (if any) its windows. A long message is
        judged by its windows alone, where a red flag counts only as a window's
        likeliest label: the vector of a whole long message blurs what it says.
        The vector of a short one blurs too: under BRIEF_WORDS words a red flag
        counts only when the red flags together are at least as likely as
        nothing at all (in "ok but how does that actually work" thoughts of
        suicide were 0.44 likely, over the red flags' threshold, beside 0.55
        for none; a condition likelier than either takes nothing away), and
        under SHORT_WORDS a condition must be the likeliest label and sure on
        its own ("can masage help with fatigu??")."""
        if len(vectors) > 1:
            found = self.find(vectors[1:], top_only=True)
        else:
            found = self.find(vectors, conditions_top=words < SHORT_WORDS, red_over_none=words < BRIEF_WORDS)
        return list(dict.fromkeys(i for ids in found for i in ids))

    def find(self, vectors: Sequence[Sequence[float]] | np.ndarray, top_only: bool = False,
             conditions_top: bool = False, red_over_none: bool = False) -> list[list[str]]:
        """The rule ids found in each vector: a red flag at or over its threshold;
        and when the conditions together reach their own ("swollen ankles" may
        split between edema and heart), the likeliest of them.
        With `top_only`, a red flag or a condition must be the likeliest label;
        with `conditions_top`, a condition must be, at its threshold on its own;
        with `red_over_none`, a red flag counts only when the red flags together
        are at least as likely as "none"."""
        if len(vectors) == 0:
            return []
        conditions = np.array([name != NONE and name not in self.red_flags for name in self.labels])
        red = np.array([name in self.red_flags for name in self.labels])
        none = self.labels.index(NONE)
        found = []
        for row in self.probabilities(np.asarray(vectors)):
            top = self.labels[int(row.argmax())]
            outweigh = not red_over_none or row[red].sum() >= row[none]
            ids = [
                name for name, p in zip(self.labels, row)
                if name in self.red_flags and p >= self.thresholds.red_flag and (name == top or not top_only) and outweigh
            ]
            likeliest = self.labels[int(np.where(conditions, row, -1).argmax())]
            if conditions_top:  # a short message: the likeliest label, sure enough on its own
                sure = likeliest == top and row.max() >= self.thresholds.condition
            else:
                sure = row[conditions].sum() >= self.thresholds.condition and (likeliest == top or not top_only)
            if conditions.any() and sure:
                ids.append(likeliest)
            found.append(ids)
        return found
