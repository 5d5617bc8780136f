"""Compose an answer from retrieved chunks: a lead line, quotes, sources.

There is no generative model. The answer is the two to five sentences of the
retrieved chunks that best match the question, each quoted verbatim as a
Markdown block quote and followed by its `[n]`, after a one-line lead, then
a Sources list. Adjacent chosen sentences of one chunk become one quote.
A chunk that is quoted brings its own cautions along ("be sure to get your
doctor's OK first"), so guidance is never quoted without its warning.

Leaves out: paraphrase (the lead line is the one sentence not quoted: a
reviewed one from bot/leads.yaml), and any sentence not in a retrieved chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.lead import lead
from bot.text import units, words
from bot.types import Chunk, Citation, Hit, Reply

# A sentence that warns or defers to a doctor travels with any quote from its chunk.
CAUTION = re.compile(r"\b(doctor|physician|shouldn't|should not|consult|not always)\b", re.I)
# A sentence opening with a pronoun needs the one before it to be understood.
ANAPHOR = re.compile(r"^(It|This|These|They|That|Those|Or)\b")
# The heading of the Sources list that ends a reply, and the parts of a block quote.
SOURCES = "**Sources**"
QUOTE_BLOCK = re.compile(r"(?:^>.*(?:\n|$))+", re.MULTILINE)
QUOTE_END = re.compile(r" \[(\d+)\]$")
LABEL = re.compile(r"^\*\*[^*\n]+:\*\* ")  # a quote's section name, before its words

MARGIN = 0.12  # a sentence scoring this far below the best one does not answer
LEXICAL_WEIGHT = 0.25  # how much shared question words add to a sentence's similarity
UNIT_WEIGHT = 0.5  # a sentence's own similarity, against its whole chunk's (1 - this)


def quotable(unit: str, alone: bool = False) -> bool:
    """A statement: not a question, not a lead-in left without its list. A
    lead-in that is all its passage says (its list follows under headings of
    its own) is a statement too: "Massage won't change the course of your MS,
    but it might help ease or ward off symptoms like these:".

    >>> quotable("Symptoms like these:"), quotable("Symptoms like these:", alone=True), quotable("Is it?", alone=True)
    (False, True, False)
    """
    end = unit.rstrip()
    return not end.endswith("?") and (alone or not end.endswith(":"))


@dataclass(frozen=True)
class Unit:
    chunk: Chunk
    pos: int  # the unit's place in its chunk, from 0
    start: int  # offsets into chunk.text
    end: int
    score: float = 0.0

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]


class Composer:
    def __init__(
        self,
        embeddings: Embeddings,
        *,
        max_quotes: int = 5,
        weight: Callable[[str], float] = lambda word: 1.0,
    ):
        self.embeddings = embeddings
        self.weight = weight  # how telling a shared word is (rare words count more)
        self.max_quotes = max_quotes
        self._vectors: dict[str, np.ndarray] = {}  # unit text -> embedding; the corpus is fixed

    def compose(
        self,
        question: str,
        vectors: list[list[float]],
        hits: list[Hit],
        weights: list[float] | None = None,
    ) -> Reply:
        """Quote the best sentences of `hits` for the question.

        `vectors` are the embeddings of the searches made (the question, and
        for a follow-up the question with the one before); `weights` say how
        much each counts (the question itself counts most).
        """
        candidates = self._score(question, vectors, hits, weights or [1.0] * len(vectors))
        chosen = self._choose(candidates)
        return render(chosen)

    def _embed(self, texts: list[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vec in zip(missing, self.embeddings.embed_documents(missing)):
                self._vectors[text] = np.asarray(vec, dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def _score(
        self, question: str, vectors: list[list[float]], hits: list[Hit], weights: list[float]
    ) -> list[Unit]:
        """Score each quotable unit: its own match, its chunk's match, shared words.

        A unit is embedded with its section name ("Fatigue: A massage therapist
        may ...") so that a sentence that does not repeat its topic still finds it.
        """
        split = {hit.chunk.id: units(hit.chunk.text) for hit in hits}
        found = [Unit(hit.chunk, pos, s, e) for hit in hits for pos, (s, e) in enumerate(split[hit.chunk.id])]
        if not found:
            return []
        q = np.asarray(vectors, dtype=np.float32).T * np.asarray(weights, dtype=np.float32)
        chunk_sim = {
            hit.chunk.id: max(w * s for w, s in zip(weights, hit.similarities)) for hit in hits
        }
        unit_sim = self._embed([f"{u.chunk.section}: {u.text}" for u in found]) @ q
        asked = {w: self.weight(w) for w in words(question)}
        total = sum(asked.values())
        scored = []
        for unit, row in zip(found, unit_sim):
            if not quotable(unit.text, alone=len(split[unit.chunk.id]) == 1):
                continue
            shared = asked.keys() & set(words(f"{unit.chunk.section} {unit.text}"))
            overlap = sum(asked[w] for w in shared) / total if total else 0.0
            score = (
                UNIT_WEIGHT * float(row.max())
                + (1 - UNIT_WEIGHT) * chunk_sim[unit.chunk.id]
                + LEXICAL_WEIGHT * overlap
            )
            scored.append(Unit(unit.chunk, unit.pos, unit.start, unit.end, score))
        return scored

    def _choose(self, candidates: list[Unit]) -> list[Unit]:
        """The units that answer, plus their chunks' cautions and needed context.

        Answering units score within MARGIN of the best (at least two when the
        second is close). Cautions always stay, even past `max_quotes`.
        """
        if not candidates:
            return []
        at = {(u.chunk.id, u.pos): u for u in candidates}
        ranked = sorted(candidates, key=lambda u: -u.score)
        best = ranked[0].score
        answering = [u for u in ranked if u.score >= best - MARGIN][: self.max_quotes]
        if len(answering) < 2 and len(ranked) > 1 and ranked[1].score >= best - 2 * MARGIN:
            answering.append(ranked[1])
        quoted_chunks = {u.chunk.id for u in answering}
        cautions = [u for u in candidates if u.chunk.id in quoted_chunks and CAUTION.search(u.text)]
        context = [
            at[(u.chunk.id, u.pos - 1)]
            for u in answering
            if ANAPHOR.match(u.text) and (u.chunk.id, u.pos - 1) in at
        ]
        chosen: dict[tuple[str, int], Unit] = {}
        for u in answering + context:
            if len(chosen) < self.max_quotes:
                chosen.setdefault((u.chunk.id, u.pos), u)
        for u in cautions:
            chosen.setdefault((u.chunk.id, u.pos), u)
        return list(chosen.values())


def render(chosen: list[Unit]) -> Reply:
    """Lead line (`bot.lead`), block quotes with [n], and a Sources list."""
    if not chosen:
        return Reply("answer", "", [])
    # Chunks in order of their best unit; units in text order within a chunk.
    order: list[str] = []
    for u in sorted(chosen, key=lambda u: -u.score):
        if u.chunk.id not in order:
            order.append(u.chunk.id)
    top = max(chosen, key=lambda u: u.score).chunk
    chunks = {u.chunk.id: u.chunk for u in chosen}
    parts = [lead(top, " ".join(u.text for u in chosen if u.chunk.id == top.id))]
    for n, cid in enumerate(order, start=1):
        mine = sorted((u for u in chosen if u.chunk.id == cid), key=lambda u: u.pos)
        # A quote is shown under its section's name when it leans on words not
        # quoted ("This common symptom ...") or stands under another section than
        # the lead's (once per passage), so no quote reads as about something else.
        other = (chunks[cid].source, chunks[cid].section) != (top.source, top.section)
        for k, (first, last) in enumerate(_runs(mine)):
            named = ANAPHOR.match(first.text) or (other and k == 0)
            label = (chunks[cid].section or chunks[cid].title) if named else ""
            parts.append(blockquote(chunks[cid].text[first.start : last.end], n, label))
    citations, sources = cite([chunks[cid] for cid in order])
    return Reply("answer", "\n\n".join(parts + [sources]), citations)


def cite(chunks: list[Chunk]) -> tuple[list[Citation], str]:
    """Citations [1], [2], ... for these chunks, in order, and the Sources list naming them."""
    citations = [
        Citation(
            n, c.source, c.title, c.section, c.text, c.start, c.end,
            c.publisher, c.reviewed_by, c.reviewed_on,
        )
        for n, c in enumerate(chunks, start=1)
    ]
    return citations, SOURCES + "\n\n" + "\n".join(map(source_line, citations))


def _runs(units_: list[Unit]) -> list[tuple[Unit, Unit]]:
    """Group units that stand next to each other in their chunk."""
    runs: list[list[Unit]] = []
    for u in units_:
        if runs and runs[-1][-1].pos == u.pos - 1:
            runs[-1].append(u)
        else:
            runs.append([u])
    return [(r[0], r[-1]) for r in runs]


def blockquote(quote: str, n: int, label: str = "") -> str:
    """A verbatim quote as a Markdown block quote ending in its marker, under
    its section's name when it needs one to be read right
    ("**Spasticity:** This common symptom ...").

    >>> blockquote("This common symptom.", 1, "Spasticity")
    '> **Spasticity:** This common symptom. [1]'
    """
    lines = [f"> {line}" if line else ">" for line in quote.split("\n")]
    if label:
        lines[0] = f"> **{label}:** {lines[0][2:]}"
    return "\n".join(lines) + f" [{n}]"


def quoted(text: str) -> list[tuple[str, int]]:
    r"""(quote, n) for every block quote of a reply's text, in order.

    >>> quoted("Lead:\n\n> One line\n> and two. [1]\n\n> **Pain:** Three. [2]")
    [('One line\nand two.', 1), ('Three.', 2)]
    """
    found = []
    for block in QUOTE_BLOCK.findall(text):
        body = "\n".join(re.sub(r"^> ?", "", line) for line in block.rstrip("\n").split("\n"))
        body = LABEL.sub("", body, count=1)
        if match := QUOTE_END.search(body):
            found.append((body[: match.start()], int(match.group(1))))
    return found


def source_line(c: Citation) -> str:
    """`- [n] *Title*, section "…". Medically reviewed by … on …. Publisher.`"""
    parts = [f"- [{c.n}] *{c.title}*"]
    if c.section:
        parts.append(f", section \u201c{c.section}\u201d")
    parts.append(".")
    if about := reviewed(c):
        parts.append(f" {about}.")
    if c.publisher:
        parts.append(f" {c.publisher}.")
    return "".join(parts)


def reviewed(c: Citation) -> str:
    """'Medically reviewed by … on June 3, 2024', 'Reviewed on …', or ''."""
    if c.reviewed_by and c.reviewed_on:
        return f"Medically reviewed by {c.reviewed_by} on {day(c.reviewed_on)}"
    if c.reviewed_on:
        return f"Reviewed on {day(c.reviewed_on)}"
    return ""


def day(iso: str) -> str:
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d:%B} {d.day}, {d.year}"
