"""The caregiver's concern check: ticked conditions and symptoms -> one summary.

    summary = summarize(bot.deferral, ["osteoporosis"], ["pain", "sleep"])
    page = document(summary, date.today())   # a one-page HTML file to print

The choices come from the safety table (bot/safety/rules.yaml): its
conditions and its symptoms. The summary says what calls for the doctor
first and why, what massage may help with for the symptoms, what to tell the
massage therapist, and when not to wait for the appointment. Every piece of
guidance is a verbatim quote with its [n] and a source; the few words of our
own are headings, lists of what was ticked and the fixed wording of the table.

Leaves out: anything the table does not hold. A passage the index does not
hold is left out of the summary, as in bot/deferral.py.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.compose import reviewed
from bot.deferral import Deferral, Quotes, and_, sentence_case
from bot.errors import BadInput
from bot.safety.rules import Passage, Rule, Rules, Symptom
from bot.types import Citation

TITLE = "Massage and MS: what to talk over with the doctor"


@dataclass(frozen=True)
class Summary:
    conditions: tuple[Rule, ...]
    symptoms: tuple[Symptom, ...]
    html: str  # a fragment: headings, quotes with [n], and the sources
    citations: list[Citation]


def choices(rules: Rules) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, id) pairs to tick: the conditions, then the symptoms."""
    conditions = [(sentence_case(r.checklist or r.name), r.id) for r in rules.conditions]
    return conditions, [(sentence_case(s.name), s.id) for s in rules.symptoms]


def summarize(deferral: Deferral, condition_ids: Iterable[str], symptom_ids: Iterable[str]) -> Summary:
    rules = deferral.rules
    conditions = _pick(rules.conditions, condition_ids, "condition")
    symptoms = _pick(rules.symptoms, symptom_ids, "symptom")
    quotes = Quotes(deferral.where)
    done: set[Passage] = set()  # each passage is quoted once

    def quote(passage: Passage | None) -> str:
        n = quotes.number(passage) if passage and passage not in done else None
        if n is None:
            return ""
        done.add(passage)
        return f'<blockquote>{_text(passage.quote)} <span class="cite">[{n}]</span></blockquote>'

    out = [f"<h2>{TITLE}</h2>"]
    out.append("<h3>Check with the doctor first</h3>")
    out.append(quote(rules.doctor_first))
    if not conditions:
        out.append("<p>None of the listed conditions was ticked.</p>")
    by_guidance: dict[tuple[Passage, ...], list[Rule]] = {}  # one heading per passage
    for c in conditions:
        by_guidance.setdefault(c.guidance, []).append(c)
    for guidance, rows in by_guidance.items():
        asks = "".join(f"<li>{_text(q)}</li>" for q in dict.fromkeys(q for r in rows for q in r.questions("them")))
        out.append(f"<h4>{_text(sentence_case(and_([r.name for r in rows])))}</h4>"
                   + "".join(quote(p) for p in guidance) + f"<p>Ask the doctor:</p><ul>{asks}</ul>")

    out.append("<h3>What massage may help with</h3>")
    if not symptoms:
        out.append("<p>No symptoms were ticked.</p>")
    for s in symptoms:
        out.append(f"<h4>{_text(sentence_case(s.name))}</h4>" + "".join(quote(p) for p in s.guidance))

    out.append("<h3>What to tell the massage therapist</h3><ul>")
    out.append(f"<li>That they have MS, and the symptoms they have been having"
               f"{_listed([s.name for s in symptoms])}.</li>")
    if conditions:
        out.append(f"<li>Their other health conditions{_listed([c.name for c in conditions])}"
                   f", and what the doctor said.</li>")
    out.append("</ul>" + "".join(quote(p) for p in rules.therapist_briefing))

    flags = [f.name for f in rules.red_flags]
    out.append("<h3>Don't wait for the appointment</h3>")
    out.append(f"<p>If they have {_text(and_(flags).replace(' and ', ' or '))}:</p>")
    out.append(f"<p>{_strong(rules.wording.emergency)}</p>")

    citations, _ = quotes.sources()
    out.append("<h3>Sources</h3>" + _sources(citations))
    out.append('<p class="note">Guidance quoted word for word from vetted articles, '
               "not medical advice. Made with the MS Massage Guide.</p>")
    return Summary(conditions, symptoms, "\n".join(x for x in out if x), citations)


def document(summary: Summary, made_on: date) -> str:
    """A standalone HTML page of the summary that prints on one A4 or Letter sheet.

    The type is smaller the more was ticked: 9.5 points for a few rows,
    down to 7.5 with every box ticked.
    """
    size = round(max(7.5, min(9.5, 9.5 - (len(summary.html) - 5000) / 1500)), 1)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{TITLE}</title>
<style>
@page {{ margin: 7mm 8mm; }}
body {{ font: {size}pt/1.22 system-ui, "DejaVu Sans", Arial, sans-serif; color: #000; background: #fff;
        max-width: 60em; margin: 0 auto; }}
@media print {{ body {{ max-width: none; columns: 2; column-gap: 8mm; }} }}
h2 {{ font-size: 1.45em; margin: 0 0 .2em; }}
h3 {{ font-size: 1.15em; margin: .7em 0 .2em; border-bottom: 1px solid #000; }}
h4 {{ font-size: 1em; margin: .45em 0 .1em; }}
p, ul, ol {{ margin: .15em 0; }}
blockquote {{ margin: .15em 0 .15em .8em; padding-left: .5em; border-left: 3px solid #555;
              white-space: pre-line; }}
h2, h3, h4 {{ break-after: avoid; }}
.made, .note, .sources {{ font-size: .9em; }}
</style></head>
<body>
<p class="made">Made on {made_on:%B} {made_on.day}, {made_on.year}. Take it to the appointment.</p>
{summary.html}
</body></html>
"""


def _sources(citations: list[Citation]) -> str:
    """One line per article: its title, review and publisher, then each [n] and section."""
    articles: dict[str, list[Citation]] = {}
    for c in citations:
        articles.setdefault(c.source, []).append(c)
    lines = []
    for cs in articles.values():
        about = ". ".join(x for x in (reviewed(cs[0]), cs[0].publisher) if x)
        sections = "; ".join(f"[{c.n}] {_text(c.section or c.title)}" for c in cs)
        lines.append(f"<li><cite>{_text(cs[0].title)}</cite>{'. ' + _text(about) if about else ''}"
                     f". Sections: {sections}.</li>")
    return '<ul class="sources">' + "".join(lines) + "</ul>"


def _listed(names: list[str]) -> str:
    """': a, b and c' for a few names; for many, they stand above already."""
    if not names:
        return ""
    return f": {_text(and_(names))}" if len(names) <= 3 else " (listed above)"


def _pick(rows, ids: Iterable[str], what: str) -> tuple:
    """The rows with these ids, in the table's order; an unknown id is refused."""
    wanted = set(ids or ())
    known = {r.id for r in rows}
    if unknown := sorted(wanted - known):
        raise BadInput(f"Unknown {what}: {', '.join(unknown)}. Choose from: {', '.join(sorted(known))}.")
    return tuple(r for r in rows if r.id in wanted)


def _text(text: str) -> str:
    return html.escape(text, quote=False)


def _strong(text: str) -> str:
    """The table's wording, escaped, with its **bold** as <strong>."""
    return re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", _text(" ".join(text.split())))
