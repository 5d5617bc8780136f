"""Build the context reader (reader.py) from the examples table.

    pairs(rows)  # -> [("arthritis", "Our labrador has arthritis...", False), ...]

The pairs: every condition the rules' words name in a table message, with
the context cues set aside (`Safety.scan(context=False)`), so the reader
also learns from what the cues already clear. A pair is a real finding when
the message is labelled with any red flag or condition, and not one when it
is labelled `none` (a pet's arthritis, "a flare-up of tempers", a knee
healed years ago); a message that needs the doctor for another reason
teaches the reader to keep what it names, the safe side. Each pair holds
only the sentence the words stand in (reader.around), as the reader reads.

Fine-tuning: the frozen layers' output for every pair is computed once; a
copy of the last layer and a linear head are then trained for EPOCHS passes
of AdamW, in a seeded order on a fixed number of threads, so the same table
and model give the same reader (about a minute on two cores).
"""

from __future__ import annotations

import copy

import numpy as np

from bot.safety import default
from bot.safety.reader import LAYER, MAX_TOKENS, ContextReader, around, lower, masks, pool, transformer

EPOCHS = 3
BATCH = 32
RATE = 1e-4  # AdamW's learning rate, chosen with a held-out fifth of the table
THREADS = 2  # fixed, so that sums are added in the same order on every build
SEED = 0


def pairs(rows: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(words, the sentence that holds them, real finding?) for each condition the rules name."""
    safety = default()
    out = []
    for label, message in rows:
        for rule, words in safety.scan(message, context=False)[0]:
            if rule.kind == "condition":
                out += [(words, part, label != "none") for part in around(message, words)]
    return out


def fit(encoder, taught: list[tuple[str, str, bool]]) -> ContextReader:
    """A reader fine-tuned on `taught` over the encoder's frozen layers."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(THREADS)
    try:
        torch.manual_seed(SEED)
        order = torch.Generator().manual_seed(SEED)
        hidden, batch = [], []
        for start in range(0, len(taught), 64):
            h, b = lower(encoder, [(w, t) for w, t, _ in taught[start : start + 64]])
            hidden.append(_padded(h, MAX_TOKENS))
            batch.append({k: _padded(v, MAX_TOKENS) for k, v in b.items()})
        states = torch.cat(hidden)
        mask, first, additive = masks({k: torch.cat([b[k] for b in batch]) for k in batch[0]})
        real = torch.tensor([r for _, _, r in taught], dtype=torch.float32)

        layer = copy.deepcopy(transformer(encoder).encoder.layer[LAYER]).train()
        head = torch.nn.Linear(3 * states.shape[-1], 1)
        params = [*layer.parameters(), *head.parameters()]
        for p in params:
            p.requires_grad_(True)
        optimiser = torch.optim.AdamW(params, lr=RATE, weight_decay=0.01)
        for _ in range(EPOCHS):
            for picked in torch.randperm(len(taught), generator=order).split(BATCH):
                out = layer(states[picked], attention_mask=additive[picked])
                out = out[0] if isinstance(out, tuple) else out
                logit = head(pool(out, mask[picked], first[picked])).squeeze(1)
                loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, real[picked])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
        for p in params:
            p.requires_grad_(False)
        return ContextReader(encoder, layer.eval(), head.eval())
    finally:
        torch.set_num_threads(threads)


def _padded(t, length: int):
    """`t` with its second axis padded with zeros to `length`."""
    import torch

    pad = length - t.shape[1]
    if pad <= 0:
        return t
    shape = (t.shape[0], pad, *t.shape[2:])
    return torch.cat([t, torch.zeros(shape, dtype=t.dtype)], 1)


def save(reader: ContextReader, path, model_id: str, table: str, fmt: int) -> None:
    """Write the reader atomically, with what it was built from."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial.npz")
    np.savez(partial, model=model_id, table=table, format=fmt, **reader.arrays())
    partial.replace(path)
