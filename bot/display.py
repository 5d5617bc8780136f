"""How a conversation looks in the browser: replies with banners and source cards.

    reply_html(reply, key="r3")   # Markdown with HTML blocks, for the chat
    literal(user_text)            # the user's words, shown exactly as typed

A reply keeps its Markdown text; each [n] becomes a link to its card, and
the Sources list becomes cards under the reply: title, section, review,
publisher, and the whole cited passage with the quoted words marked. A
route other than `answer` opens with a banner; an `emergency` reply is
entirely inside its red banner.

User text is never markup: every character that HTML or Markdown would act
on is escaped, so `<script>` or `**` shows as typed. Reply text is escaped
too (`<` and `&`); only the tags written here are HTML.
"""

from __future__ import annotations

import html
import re

from bot.compose import SOURCES, quoted, reviewed
from bot.types import BANNERS, Citation, Reply

# Each banner's look (a CSS class) and the sign before its words.
LOOKS = {"ask_doctor": ("doctor", "⚠️ "), "emergency": ("emergency", ""), "out_of_scope": ("outside", "")}
MARKER = re.compile(r"\[(\d+)\]")
# What Markdown (or the chat's extras) could act on, escaped with a backslash.
MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$^=:])")


def literal(text: str) -> str:
    """Text that the chat shows exactly as typed: no HTML, no Markdown, no links."""
    return MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))


def reply_html(reply: Reply, key: str) -> str:
    """The reply for the chat. `key` makes its card ids unique on the page."""
    body = reply.text.split("\n\n" + SOURCES, 1)[0]
    body = body.replace("&", "&amp;").replace("<", "&lt;")
    known = {c.n for c in reply.citations}
    body = MARKER.sub(
        lambda m: _link(key, int(m.group(1))) if int(m.group(1)) in known else m.group(0), body
    )
    if reply.route in BANNERS:
        kind, sign = LOOKS[reply.route]
        title = sign + BANNERS[reply.route]
        # The whole emergency reply stands in the banner; otherwise its opening words.
        head, rest = (body, "") if kind == "emergency" else (body.split("\n\n", 1) + [""])[:2]
        role = ' role="alert"' if kind == "emergency" else ""
        body = (
            f'<div class="banner {kind}"{role}>\n\n<p class="banner-title"><strong>{title}</strong></p>'
            f"\n\n{head}\n\n</div>\n\n{rest}"
        ).rstrip()
    if not reply.citations:
        return body
    marks = {}
    for quote, n in quoted(reply.text):
        marks.setdefault(n, []).append(quote)
    cards = "".join(card(c, key, marks.get(c.n, [])) for c in reply.citations)
    return (
        f'{body}\n\n<section class="sources"><p class="sources-title"><strong>Sources</strong></p>'
        f'<ol class="cards">{cards}</ol></section>'
    )


def card(c: Citation, key: str, quotes: list[str]) -> str:
    """One source card: title, where it stands, who reviewed it, the passage."""
    about = [f"Section: {c.section}"] if c.section else []
    about += [x for x in (reviewed(c), c.publisher) if x]
    meta = " · ".join(_text(x) for x in about)
    return (
        f'<li id="{key}-{c.n}" class="card" tabindex="-1">'
        f'<p class="card-title"><span class="card-n">[{c.n}]</span> <cite>{_text(c.title)}</cite></p>'
        f'<p class="card-meta">{meta}</p>'
        f'<blockquote class="card-text">{marked(c.text, quotes)}</blockquote></li>'
    )


def marked(passage: str, quotes: list[str]) -> str:
    """The passage, escaped, with each quoted part in <mark>."""
    spans = []
    for q in quotes:
        at = passage.find(q)
        if q and at >= 0:
            spans.append((at, at + len(q)))
    out, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        if end <= start:
            continue
        out += [_text(passage[pos:start]), f"<mark>{_text(passage[start:end])}</mark>"]
        pos = end
    out.append(_text(passage[pos:]))
    return "".join(out)


def _link(key: str, n: int) -> str:
    return f'<a href="#{key}-{n}" class="cite">[{n}]</a>'


def _text(text: str) -> str:
    return html.escape(text, quote=False)
