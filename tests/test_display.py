"""How replies and user text look in the browser (the HTML itself: test_browser.py renders it)."""

import re

import pytest

from bot.compose import blockquote, quoted
from bot.display import card, literal, marked, reply_html
from bot.types import Citation, Reply

PASSAGE = "Massage may help. It may also relax you. Ask first."
CITE = Citation(1, "massage-and-ms.md", "Massage and MS", "Pain", PASSAGE, 0, len(PASSAGE),
                "", "Jane Roe, MD", "2024-06-03")
ANSWER = Reply(
    "answer",
    "Here is what the articles say about pain in MS:\n\n> **Pain:** It may also relax you. [1]\n\n"
    "**Sources**\n\n- [1] *Massage and MS*, section \u201cPain\u201d.",
    [CITE],
)


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "**bold** _it_ `code` [link](http://example.com) ![img](x.png)",
        "# heading\n> quote\n- item\n1. item",
        "www.example.com and https://example.com",  # no auto-link
        "$x^2$ and $$y$$",  # no maths
        "a & b < c > d",
        "<a href=javascript:alert(1)>x</a>",
    ],
)
def test_user_text_carries_no_markup(typed):
    shown = literal(typed)
    assert "<" not in shown and ">" not in shown  # no tag can open
    # Every Markdown punctuation mark is escaped, so none can act.
    assert not re.search(r"(?<!\\)[*_`\[\]()#!$.:-]", shown.replace("&lt;", "").replace("&gt;", "").replace("&amp;", ""))
    # Unescaped, it is the text as typed.
    unescaped = re.sub(r"\\(.)", r"\1", shown).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == typed


def test_an_answer_links_each_marker_to_its_card():
    html = reply_html(ANSWER, "r2")
    assert '<a href="#r2-1" class="cite">[1]</a>' in html
    assert '<li id="r2-1" class="card"' in html
    assert "**Sources**" not in html  # the cards replace the list
    assert "<mark>It may also relax you.</mark>" in html  # the quoted words, marked
    assert "Massage may help. <mark>" in html  # in the whole passage
    assert "Medically reviewed by Jane Roe, MD on June 3, 2024" in html
    assert 'class="banner' not in html


@pytest.mark.parametrize(
    "route, kind, title",
    [
        ("ask_doctor", "doctor", "Check with your doctor first"),
        ("emergency", "emergency", "Get help now"),
        ("out_of_scope", "outside", "Not covered by this guide"),
    ],
)
def test_other_routes_open_with_their_banner(route, kind, title):
    html = reply_html(Reply(route, "First words.\n\nThe rest."), "r1")
    assert html.startswith(f'<div class="banner {kind}"') and title in html
    banner_end = html.index("</div>")
    if route == "emergency":  # all of it inside the red banner, announced at once
        assert html.index("The rest.") < banner_end and 'role="alert"' in html
    else:  # the opening words in the banner, the rest after it
        assert html.index("First words.") < banner_end < html.index("The rest.")


def test_reply_text_cannot_open_a_tag_and_stray_markers_stay_text():
    html = reply_html(Reply("answer", "a <b>x</b> & [7] [1]\n\n> q [1]", [CITE]), "r1")
    assert "<b>" not in html and "&lt;b>" in html and "&amp;" in html
    assert "[7]" in html and "#r1-7" not in html  # no card 7, so no link


@pytest.mark.parametrize(
    "quotes, expected",
    [
        ([], "a b c"),
        (["b"], "a <mark>b</mark> c"),
        (["a b", "b c"], "<mark>a b</mark><mark> c</mark>"),  # overlap: marked once
        (["zzz"], "a b c"),  # not in the passage: nothing marked
    ],
)
def test_marked(quotes, expected):
    assert marked("a b c", quotes) == expected


def test_card_escapes_what_it_shows():
    c = Citation(1, "f.md", "T <i>", "S & S", "x < y", 0, 5, "P", "", "2024-01-02")
    html = card(c, "r1", [])
    assert "T &lt;i&gt;" in html and "S &amp; S" in html and "x &lt; y" in html
    assert "Reviewed on January 2, 2024" in html and " · P" in html


def test_quoted_reads_multiline_quotes():
    text = "Lead:\n\n> One\n> two. [1]\n\nplain\n\n> Three. [2]\n\n**Sources**"
    assert quoted(text) == [("One\ntwo.", 1), ("Three.", 2)]


@pytest.mark.parametrize(
    "quote, label",
    [
        ("This common symptom involves stiffness.", "Spasticity"),
        ("Line one\nline two.", "Sleep woes"),  # a quote of two paragraphs
        ("Other conditions (National Multiple Sclerosis Society)", "Edema"),  # brackets in a quote
        ("It uses fingers.", ""),  # no label
    ],
)
def test_a_quotes_section_name_is_not_part_of_the_quote(quote, label):
    block = blockquote(quote, 3, label)
    assert block.startswith(f"> **{label}:** ") if label else block.startswith("> It")
    assert quoted(f"Lead:\n\n{block}\n\n**Sources**") == [(quote, 3)]
