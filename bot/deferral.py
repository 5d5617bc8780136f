"""The replies of the safety routes: `ask_doctor` and `emergency`.

Both open with fixed words from the rules table. An `ask_doctor` reply then
names what was found, quotes the articles' guidance on each with its [n],
and says what to do meanwhile: questions for the doctor, and what to tell
the massage therapist (quoted too). An `emergency` reply is the fixed words
and the names of the red flags, nothing more: no massage answer comes first
or at all.

The passages are found in the index when the Bot starts. One the index does
not hold (another corpus) is left out with a warning; the fixed words stay.
"""

from __future__ import annotations

import logging

from bot.compose import blockquote, cite
from bot.safety import Verdict
from bot.safety.rules import PEOPLE, Passage, Rule, Rules
from bot.types import Chunk, Citation, Reply

log = logging.getLogger(__name__)


class Deferral:
    def __init__(self, rules: Rules, chunks: list[Chunk]):
        self.rules = rules
        self.where: dict[Passage, Chunk] = {}
        for passage in rules.passages():
            chunk = next(
                (c for c in chunks if c.source == passage.source and passage.quote in c.text), None
            )
            if chunk is None:
                log.warning("Safety guidance not in the index, so not quoted: %.70s", passage.quote)
            else:
                self.where[passage] = chunk

    def reply(self, verdict: Verdict) -> Reply:
        if verdict.route == "emergency":
            return self.emergency(verdict)
        return self.ask_doctor(verdict)

    def emergency(self, verdict: Verdict) -> Reply:
        wording = self.rules.wording
        flags = verdict.rules("crisis", "medical")
        parts = []
        if any(f.kind == "crisis" for f in flags):
            parts.append(wording.crisis)
        if any(f.kind == "medical" for f in flags):
            parts.append(wording.emergency)
        parts.append(f"You mentioned {and_([f.name for f in flags])}.")
        return Reply("emergency", "\n\n".join(parts), [])

    def ask_doctor(self, verdict: Verdict) -> Reply:
        wording = self.rules.wording
        conditions = verdict.rules("condition")
        names = [f"**{c.name}**" + _said(verdict, c) for c in conditions]
        parts = [wording.ask_doctor, f"You mentioned {and_(names)}."]
        quotes = Quotes(self.where)

        def quote(passage: Passage) -> str | None:
            n = quotes.number(passage)
            return None if n is None else blockquote(passage.quote, n)

        # Each passage once, under the names of all the conditions it speaks to.
        about: dict[Passage, list[str]] = {}
        for c in conditions:
            for p in c.guidance:
                about.setdefault(p, []).append(c.name)
        heading = None
        for passage, who in about.items():
            text = quote(passage)
            if text is None:
                continue
            if who != heading:
                parts.append(f"**{sentence_case(and_(who))}**")
                heading = who
            parts.append(text)

        # About whoever has the condition: "Is massage safe for her bones?"
        questions = list(dict.fromkeys(q for c in conditions for q in c.questions(verdict.person)))
        parts.append(f"**{wording.meanwhile}**")
        doctor = f"{PEOPLE[verdict.person]['your']} doctor"
        parts.append(f"Ask {doctor}:\n\n" + "\n".join(f"- {q}" for q in questions))
        therapist = quote(self.rules.therapist_guidance)
        if therapist:
            parts += [wording.tell_therapist, therapist]
        if not quotes.chunks:
            return Reply("ask_doctor", "\n\n".join(parts), [])
        citations, sources = quotes.sources()
        return Reply("ask_doctor", "\n\n".join(parts + [sources]), citations)


class Quotes:
    """Numbers the chunks of quoted passages [1], [2], ... in the order first quoted."""

    def __init__(self, where: dict[Passage, Chunk]):
        self.where = where  # passage -> the index chunk that holds it
        self.chunks: dict[str, Chunk] = {}  # chunk id -> chunk, in order of first quote

    def number(self, passage: Passage) -> int | None:
        """The [n] of the passage's chunk; None when the index does not hold it."""
        chunk = self.where.get(passage)
        if chunk is None:
            return None
        self.chunks.setdefault(chunk.id, chunk)
        return list(self.chunks).index(chunk.id) + 1

    def sources(self) -> tuple[list[Citation], str]:
        return cite(list(self.chunks.values()))


def and_(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _said(verdict: Verdict, rule: Rule) -> str:
    """ (“shingles”, “fever”) for a catch-all row: what it stands for here."""
    said = dict.fromkeys(f.words for f in verdict.findings if f.rule.id == rule.id and f.words)
    if not rule.name_words or not said:
        return ""
    return " (" + ", ".join(f"\u201c{w}\u201d" for w in said) + ")"


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]
