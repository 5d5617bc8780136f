"""The caregiver's concern check: choices from the safety table, one cited summary."""

import html
import re
from datetime import date

import pytest

from bot.concern import choices, document, summarize
from bot.errors import BadInput
from bot.safety.rules import load_rules
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow
RULES = load_rules()


def quotes_of(summary):
    """(quote, n) for every quote of a summary, unescaped."""
    found = re.findall(r'<blockquote>(.*?) <span class="cite">\[(\d+)\]</span></blockquote>', summary.html, re.S)
    return [(html.unescape(q), int(n)) for q, n in found]


def check(summary):
    """Every quote is verbatim in its cited passage, every citation is used,
    and each passage stands in its corpus file at its offsets."""
    by_n = {c.n: c for c in summary.citations}
    found = quotes_of(summary)
    assert {n for _, n in found} == set(by_n)
    for quote, n in found:
        assert quote in by_n[n].text
    for c in summary.citations:
        assert (CORPUS / c.source).read_text(encoding="utf-8")[c.start : c.end] == c.text


def test_the_choices_are_the_tables_rows():
    conditions, symptoms = choices(RULES)
    assert [i for _, i in conditions] == [r.id for r in RULES.conditions]
    assert [i for _, i in symptoms] == [s.id for s in RULES.symptoms]
    assert ("Sensitive to heat or cold", "heat_cold") in conditions  # its checklist label
    assert all(label[0].isupper() for label, _ in conditions + symptoms)


@pytest.mark.parametrize("rule", RULES.conditions, ids=lambda r: r.id)
def test_each_condition_is_quoted_with_its_questions(guide, rule):
    summary = summarize(guide.deferral, [rule.id], [])
    check(summary)
    assert [q for q, _ in quotes_of(summary)][0] == RULES.doctor_first.quote  # always first
    said = {q for q, _ in quotes_of(summary)}
    assert all(p.quote in said for p in rule.guidance)
    # The sheet is about the person cared for: "Is massage safe for their bones?"
    assert all(html.escape(q, quote=False) in summary.html for q in rule.questions("them"))
    assert "{" not in summary.html and " my " not in summary.html
    assert "None of the listed conditions" not in summary.html


@pytest.mark.parametrize("symptom", RULES.symptoms, ids=lambda s: s.id)
def test_each_symptom_is_quoted(guide, symptom):
    summary = summarize(guide.deferral, [], [symptom.id])
    check(summary)
    said = {q for q, _ in quotes_of(summary)}
    assert all(p.quote in said for p in symptom.guidance)
    assert "None of the listed conditions was ticked" in summary.html


def test_everything_ticked_quotes_every_passage_once(guide):
    summary = summarize(
        guide.deferral, [r.id for r in RULES.conditions], [s.id for s in RULES.symptoms]
    )
    check(summary)
    said = [q for q, _ in quotes_of(summary)]
    assert len(said) == len(set(said))
    everything = set(RULES.passages()) - {RULES.therapist_guidance}  # it is inside the briefing
    assert {p.quote for p in everything} <= set(said)
    # The conditions one passage speaks to share one heading (the NMSS list).
    assert "<h4>Ulcers, an enlarged liver or spleen" in summary.html


def test_nothing_ticked_still_says_what_to_do(guide):
    summary = summarize(guide.deferral, [], [])
    check(summary)
    for words in ("Check with the doctor first", "No symptoms were ticked",
                  "What to tell the massage therapist", "911", "Sources"):
        assert words in summary.html


@pytest.mark.parametrize(
    "conditions, symptoms, error",
    [
        (["osteoporosis", "gout"], [], "Unknown condition: gout"),
        ([], ["<script>"], "Unknown symptom: <script>"),
        (["chest_pain"], [], "Unknown condition: chest_pain"),  # red flags are not ticked
    ],
)
def test_unknown_choices_are_refused(guide, conditions, symptoms, error):
    with pytest.raises(BadInput, match=re.escape(error)):
        summarize(guide.deferral, conditions, symptoms)


def test_the_document_is_a_whole_page(guide):
    summary = summarize(guide.deferral, ["pregnancy"], ["sleep"])
    page = document(summary, date(2026, 3, 4))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert "Made on March 4, 2026" in page and summary.html in page
    assert "http" not in page.replace("http-equiv", "")  # nothing to fetch
