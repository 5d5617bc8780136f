"""The lead line's table (bot/leads.yaml) against the corpus, and how a lead is chosen."""

import pytest

from bot.config import ROOT
from bot.lead import lead, table
from bot.text import units
from bot.types import Chunk
from ingest.chunk import chunk
from ingest.load import load

CHUNKS = chunk(load(ROOT / "corpus")[0])
SECTIONS = {(c.source, c.section) for c in CHUNKS}
ROWS = [(key, says) for key, section in table().items() for says in section.says]


def test_every_section_of_an_article_in_the_table_has_a_row_and_every_row_a_section():
    """An article added later may have no rows (its lead names its section)."""
    files = {source for source, _ in table()}
    assert files == {"massage-and-ms.md", "massage-and-bodywork-for-ms.md"}
    assert set(table()) == {key for key in SECTIONS if key[0] in files}


@pytest.mark.parametrize("key, says", ROWS, ids=[f"{k[1]}: {s.when}" for k, s in ROWS])
def test_each_lead_sums_up_one_sentence_of_its_own_section(key, says):
    sentences = [
        c.text[s:e].replace("\u2019", "'")
        for c in CHUNKS if (c.source, c.section) == key
        for s, e in units(c.text)
    ]
    # `when` lies inside one sentence of its section, so the lead holds only when it is quoted
    assert sum(says.when in s for s in sentences) == 1, sentences
    # one plain sentence that reports the articles
    assert says.lead.startswith("The articles ") and says.lead.endswith(".")
    assert len(units(says.lead)) == 1 and len(says.lead.split()) <= 25


@pytest.mark.parametrize(
    "section, quoted, expected",
    [
        # the sentence a lead sums up is quoted: the lead says what it says
        ("Spasticity", "Massage may help by relaxing your muscles.",
         "The articles say massage may ease spasticity, the stiffness and muscle spasms of MS, by relaxing the muscles:"),
        # only the section's description is quoted: the lead names the subject and claims nothing
        ("Spasticity", "This common symptom involves feelings of stiffness and muscle spasms.",
         "Here is what the articles say about spasticity, the stiffness and muscle spasms of MS:"),
        # the first row met wins, in the table's order
        ("Poor circulation",
         "If you're not very active due to MS, massage might help blood flow through your body better. "
         "The friction ... can improve circulation through veins close to your body's surface.",
         "The articles say massage might help blood flow through your body better:"),
        ("Poor circulation", "The friction between ... fingers can improve circulation through veins",
         "The articles say a massage therapist's touch can improve circulation:"),
        # curly apostrophes and line breaks in the passage do not hide the words
        ("Osteoporosis", "If your doctor tells you that you have osteoporosis, don\u2019t get\nmassages unless they say it\u2019s OK.",
         "The articles say not to have massages with osteoporosis unless your doctor says it's OK:"),
    ],
)
def test_a_lead_claims_only_what_is_quoted(section, quoted, expected):
    assert lead(Chunk("x", "massage-and-ms.md", "T", section, (), 0, 0, 0, ""), quoted) == expected


@pytest.mark.parametrize(
    "source, section, title, expected",
    [
        # a clinic's own leaflet, not in the table: its section, or its title, and no claim
        ("leaflet.md", "Chair massage", "Our clinic", "Here is what the articles say about Chair massage:"),
        ("leaflet.md", "", "Our clinic", "Here is what the articles say about Our clinic:"),
        # a known section name in another file is not taken for the one in the table
        ("leaflet.md", "Pain", "Our clinic", "Here is what the articles say about Pain:"),
    ],
)
def test_a_section_the_table_does_not_know_gets_a_plain_lead(source, section, title, expected):
    assert lead(Chunk("x", source, title, section, (), 0, 0, 0, ""), "Massage may calm your pain.") == expected


@pytest.mark.parametrize(
    "text, why",
    [
        ("a.md:\n  S:\n    says: []\n", "topic"),
        ("a.md:\n  S:\n    topic: t\n    says:\n      - when: ''\n        lead: The articles say x.\n", "reports the articles"),
        ("a.md:\n  S:\n    topic: t\n    says:\n      - when: w\n        lead: Try a massage.\n", "reports the articles"),
        ("a.md:\n  S:\n    topic: t\n    says:\n      - lead: The articles say x.\n", "reports the articles"),  # no `when`
        ("a.md: [S]\n", "topic"),  # not a table of sections
    ],
)
def test_a_bad_table_is_refused_with_its_place(tmp_path, text, why):
    path = tmp_path / "leads.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=why):
        table(path)
