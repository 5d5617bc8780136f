"""The lead line of an answer, from the table in `leads.yaml`.

    lead(chunk, quoted_text) -> "The articles say massage may ease spasticity, ...:"

A lead states what the quoted section says, in plain words, and only when the
sentence it sums up is among the quotes; otherwise it names the section's
subject and claims nothing. The table is data a reviewer can read; this module
only looks rows up.

Leaves out: leads built from the question's words (a question can be wrong
about what the articles say), and any advice of the guide's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.types import Chunk

LEADS_FILE = Path(__file__).with_name("leads.yaml")


@dataclass(frozen=True)
class Says:
    when: str  # words of the one sentence the lead sums up
    lead: str


@dataclass(frozen=True)
class Section:
    topic: str
    says: tuple[Says, ...]


def lead(chunk: Chunk, quoted: str) -> str:
    """The lead for a reply whose first source is `chunk` and which quotes
    `quoted` from it.

    >>> from bot.types import Chunk
    >>> c = Chunk("x", "massage-and-ms.md", "T", "Fatigue", (), 0, 0, 0, "")
    >>> lead(c, "A massage therapist may be able to ease your fatigue with ...")
    'The articles say a massage therapist may be able to ease MS fatigue:'
    >>> lead(c, "About 80% of people with MS have bouts of tiredness ...")
    'Here is what the articles say about fatigue, the tiredness of MS:'
    >>> lead(Chunk("y", "leaflet.md", "Our leaflet", "", (), 0, 0, 0, ""), "Any text.")
    'Here is what the articles say about Our leaflet:'
    """
    section = table().get((chunk.source, chunk.section))
    if section is None:
        return f"Here is what the articles say about {chunk.section or chunk.title}:"
    said = _flat(quoted)
    for row in section.says:
        if _flat(row.when) in said:
            return row.lead.rstrip(".") + ":"
    return f"Here is what the articles say about {section.topic}:"


@cache
def table(path: Path = LEADS_FILE) -> dict[tuple[str, str], Section]:
    """(corpus file, section) -> its topic and leads, checked as read."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = {}
    for source, sections in raw.items():
        if not isinstance(sections, dict):
            raise ValueError(f"{path.name}: {source} needs its sections, each with a topic")
        for name, row in sections.items():
            if not isinstance(row, dict) or not str(row.get("topic", "")).strip():
                raise ValueError(f"{path.name}: {source} / {name} needs a topic")
            says = tuple(Says(str(s.get("when", "")), str(s.get("lead", ""))) for s in row.get("says") or [])
            for s in says:
                if not (s.when.strip() and s.lead.startswith("The articles ")):
                    raise ValueError(
                        f"{path.name}: {source} / {name}: a lead needs `when` words and reports the articles"
                    )
            found[(source, name)] = Section(row["topic"], says)
    return found


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).casefold()
