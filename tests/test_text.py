"""Words for BM25 and quotable units for the composer."""

import pytest

from bot.text import units, words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("One. Two.", ["One.", "Two."]),
        # a closing quote stays with its sentence
        ('It is "traditional." It uses friction.', ['It is "traditional."', "It uses friction."]),
        # abbreviations do not end a sentence
        ("See Dr. Smith today. Then rest.", ["See Dr. Smith today.", "Then rest."]),
        ("Use e.g. Swedish massage. Fine.", ["Use e.g. Swedish massage.", "Fine."]),
        # a lower-case word after a period is not a new sentence
        ("About 80% of people. and more", ["About 80% of people. and more"]),
        # a list is never quoted without its lead-in
        ("Check if you:\n\n- Are pregnant\n- Were injured", ["Check if you:\n\n- Are pregnant\n- Were injured"]),
        # a list with no lead-in: each item stands alone
        ("- One\n- Two", ["- One", "- Two"]),
        # paragraphs split, with no trailing period needed
        ("First para\n\nSecond para", ["First para", "Second para"]),
        ("Is it safe? Ask first.", ["Is it safe?", "Ask first."]),
        ("", []),
    ],
)
def test_units(text, expected):
    assert [text[s:e] for s, e in units(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Swollen feet and ankles", ["swollen", "feet", "ankl"]),
        # curly and straight apostrophes are the same word; stopwords go
        ("don\u2019t get massages", ["dont", "massag"]),
        ("don't get massages", ["dont", "massag"]),
        ("What is it?", []),
        ("OSTEOPOROSIS!!!", ["osteoporosi"]),
    ],
)
def test_words(text, expected):
    assert words(text) == expected
