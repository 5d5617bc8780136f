"""Build the context reader (reader.py) from the examples table.

    pairs(rows)  # -> [("arthritis", "Our labrador has arthritis...", False), ...]

The pairs: every condition and medical red flag the rules' words name in a
table message, with the context cues set aside
(`Safety.scan(context=False)`), so the reader also learns from what the
cues already clear. A pair is a real finding when the message is labelled
with any red flag or condition, and not one when it is labelled `none` (a
pet's arthritis, "a flare-up of tempers", a knee healed years ago); a
message that needs the doctor for another reason teaches the reader to
keep what it names, the safe side. Each pair holds one reading of the
message (reader.around): the message, or each window of a long one that
holds the words, and each sentence that holds them.

Fine-tuning: the frozen layers' output for every pair is computed once;
copies of the last reader.TUNED layers and a linear head are then trained
for EPOCHS passes of AdamW, and the mean of their weights over the last pass
is kept (`tune`), in a seeded order on a fixed number of threads, so the
same table and model give the same reader on the same machine (about
2 min 30 s for 17,100 pairs on two cores without AMX). Where the processor does bfloat16
natively (`quick()`), reading the frozen model (the table's sentence
vectors, the frozen layers' output) and the tuning's forward passes run in
bfloat16, the weights and their updates
in float32: twice as fast; the frozen vectors are within 3e-5 of float32's
cosine, and the 5-fold figures are those of float32 tuning to a row or two.
"""

from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from bot.safety import default
from bot.safety.reader import MAX_TOKENS, ContextReader, around, lower, masks, pool, run, transformer, tuned_copy

EPOCHS = 2  # with RATE, chosen by 5-fold held-out figures of the table (crossval.py)
BATCH = 32
RATE = 3e-4  # AdamW's learning rate
AVERAGE_EVERY = 20  # steps between the weights averaged over the last pass
THREADS = 2  # fixed, so that sums are added in the same order on every build
SEED = 0


def pairs(rows: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(words, one reading of the message (reader.around), real finding?) for each
    condition and medical red flag the rules name and each reading of it."""
    return [pair for taught in by_row(rows) for pair in taught]


def by_row(rows: list[tuple[str, str]]) -> list[list[tuple[str, str, bool]]]:
    """`pairs`, one list for each row of the table."""
    safety = default()
    conditions = {r.id for r in safety.rules.conditions}
    out = []
    for label, message in rows:
        taught = []
        for rule, words in safety.scan(message, context=False)[0]:
            # Another condition or red flag in a row labelled with a condition is left
            # untaught: the table gives one label a row, so it does not say whether it
            # is real. Thoughts of suicide or self-harm are never asked about (match.py).
            if rule.kind != "crisis" and (label not in conditions or rule.id == label):
                taught += [(words, part, label != "none") for part in around(message, words)]
        out.append(taught)
    return out


def fit(encoder, taught: list[tuple[str, str, bool]]) -> ContextReader:
    """A reader fine-tuned on `taught` over the encoder's frozen layers."""
    return tune(encoder, Lowered.of(encoder, [(w, t) for w, t, _ in taught]), [r for _, _, r in taught])


@dataclass
class Lowered:
    """The frozen layers' output for a list of pairs, padded to MAX_TOKENS,
    with their masks: computed once, then read by every pass of tuning."""

    states: object  # (pairs, MAX_TOKENS, dimension)
    mask: object
    first: object
    additive: object

    @classmethod
    def of(cls, encoder, pairs: list[tuple[str, str]]) -> Lowered:
        import torch

        states = torch.zeros((len(pairs), MAX_TOKENS, transformer(encoder).config.hidden_size))
        batch = {k: torch.zeros((len(pairs), MAX_TOKENS), dtype=torch.long) for k in ("attention_mask", "token_type_ids")}
        # Read in order of length, so that a batch is padded to little more than its pairs,
        # each written into its own row: the states are held once (some 2.5 GB for 17,000 pairs).
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        with threads(), quick():
            for start in range(0, len(pairs), 64):
                rows = order[start : start + 64]
                h, b = lower(encoder, [pairs[i] for i in rows])
                at = torch.tensor(rows, dtype=torch.long)
                states[at, : h.shape[1]] = h.float()
                for k, v in batch.items():
                    v[at, : b[k].shape[1]] = b[k]
        return cls(states, *masks(batch))

    def __getitem__(self, picked) -> Lowered:
        """The pairs `picked`, cut to the longest of them (padding is not read)."""
        mask = self.mask[picked]
        n = max(int(mask.sum(1).max()), 1) if len(mask) else 1
        return Lowered(self.states[picked][:, :n], mask[:, :n], self.first[picked][:, :n],
                       self.additive[picked][..., :n])


def tune(encoder, lowered: Lowered, real: list[bool]) -> ContextReader:
    """Copies of the encoder's last layers and a new head, trained on `lowered`;
    the reader keeps the mean of their weights over the last pass, taken
    every AVERAGE_EVERY steps (stochastic weight averaging): steadier than the
    last step's."""
    import torch
    from torch.optim.swa_utils import AveragedModel

    with threads():
        torch.manual_seed(SEED)
        order = torch.Generator().manual_seed(SEED)
        truth = torch.tensor(real, dtype=torch.float32)
        tuned = torch.nn.ModuleDict({"layers": tuned_copy(encoder), "head": torch.nn.Linear(3 * lowered.states.shape[-1], 1)})
        tuned.train().requires_grad_(True)
        averaged = AveragedModel(tuned)
        optimiser = torch.optim.AdamW(tuned.parameters(), lr=RATE, weight_decay=0.01, fused=True)  # one kernel a step
        lengths = lowered.mask.sum(1)
        for epoch in range(EPOCHS):
            for step, picked in enumerate(batches(lengths, order), 1):
                with quick():
                    logit = _logits(tuned["layers"], tuned["head"], lowered[picked]).float()
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, truth[picked])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                if epoch == EPOCHS - 1 and step % AVERAGE_EVERY == 0:
                    averaged.update_parameters(tuned)
        if averaged.n_averaged == 0:  # a last pass shorter than AVERAGE_EVERY steps
            averaged.update_parameters(tuned)
        kept = averaged.module.eval().requires_grad_(False)
        return ContextReader(encoder, kept["layers"], kept["head"])


def batches(lengths, generator) -> list:
    """One pass over the pairs in batches of BATCH: pairs of about the same
    length together (so that little padding is read), ties and the order of
    the batches shuffled by `generator`."""
    import torch

    shuffled = torch.randperm(len(lengths), generator=generator)
    by_length = shuffled[torch.argsort(lengths[shuffled], stable=True)]
    runs = by_length.split(BATCH)
    return [runs[i] for i in torch.randperm(len(runs), generator=generator)]


def _logits(layers, head, lowered: Lowered):
    out = run(layers, lowered.states, lowered.additive)
    return head(pool(out, lowered.mask, lowered.first)).squeeze(1)


def held_out(encoder, taught: list[list[tuple[str, str, bool]]], folds: int = 5) -> list[list[float]]:
    """Each pair's doubt from a reader tuned on the other folds of rows
    (the rows dealt round-robin): what `--check` judges the threshold by."""
    import torch

    flat = [pair for row in taught for pair in row]
    fold = [n % folds for n, row in enumerate(taught) for _ in row]
    lowered = Lowered.of(encoder, [(w, t) for w, t, _ in flat])
    doubt = [0.0] * len(flat)
    for k in range(folds):
        trained = [i for i, f in enumerate(fold) if f != k]
        tested = [i for i, f in enumerate(fold) if f == k]
        if not tested:  # no row of this fold names a condition
            continue
        reader = tune(encoder, lowered[trained], [flat[i][2] for i in trained])
        with torch.no_grad(), threads():
            real = torch.sigmoid(_logits(reader.layers, reader.head, lowered[tested]))
        for i, p in zip(tested, real):
            doubt[i] = float(1 - p)
    out, at = [], 0
    for row in taught:
        out.append(doubt[at : at + len(row)])
        at += len(row)
    return out


@contextmanager
def threads():
    """torch on THREADS threads, so that sums are added in the same order on every build."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@contextmanager
def quick():
    """torch's float32 work in bfloat16, where the processor has bfloat16
    instructions (AMX or AVX-512 BF16); as it is elsewhere, where bfloat16
    would be slower. The weights stay float32: only the arithmetic is
    rounded."""
    import torch

    if not native_bfloat16():
        yield
        return
    with torch.autocast("cpu", dtype=torch.bfloat16):
        yield


@functools.cache
def native_bfloat16() -> bool:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def save(reader: ContextReader, path, model_id: str, table: str, fmt: int, rules: str) -> None:
    """Write the reader atomically, with what it was built from (the digests
    of the table and the rules)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(partial, model=model_id, table=table, format=fmt, rules=rules, **reader.arrays())
    partial.replace(path)
