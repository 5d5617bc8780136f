"""Text helpers shared by retrieval and composition: words and sentences.

`words` gives the stemmed content words BM25 and overlap scores compare.
`units` splits a passage into quotable units with their offsets: sentences,
except that a sentence ending in ":" keeps the list that follows it, so a
list item is never quoted without its lead-in. Hand-written: the usual
sentence splitters either need downloaded data (NLTK, spaCy models) or give
no character offsets; the corpus is edited prose, so a rule with an
abbreviation guard is enough.

    >>> passage = 'It helps. Check if you:\\n\\n- Are pregnant'
    >>> [passage[s:e] for s, e in units(passage)]
    ['It helps.', 'Check if you:\\n\\n- Are pregnant']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Common English function words; BM25's IDF handles the rest.
STOPWORDS = frozenset(
    """a about an and any are as at be been but by can could do does did for from
    had has have how i if in into is it its it's me my of on or our she he her his
    should so than that the their them then there these they this those to too us
    was we were what when where which who why will with would you your yours
    i'm i've i'd im ive also just get got""".split()
)

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_stemmer = snowballstemmer.stemmer("english")

# A sentence ends at . ! or ? (then maybe a closing quote or bracket) before
# white space and a capital, digit, quote or list marker.
SENTENCE_END = re.compile(r"""[.!?]["')\]]*(?=\s+["'(\[]?[A-Z0-9-])""")
ABBREVIATIONS = ("e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "st.", "vs.", "etc.", "u.s.")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased, stemmed content words. Curly apostrophes count as straight."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return [stem(w.replace("'", "")) for w in WORD.findall(text) if w not in STOPWORDS]


def units(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotable unit of `text`, in order."""
    spans: list[tuple[int, int]] = []
    for block in _blocks(text):
        start = block[0]
        for match in SENTENCE_END.finditer(text, block[0], block[1]):
            tail = text[max(block[0], match.start() - 5) : match.end()].lower()
            if tail.endswith(ABBREVIATIONS):
                continue
            spans.append((start, match.end()))
            start = _skip_space(text, match.end())
        if start < block[1]:
            spans.append((start, block[1]))
    return _join_lists(text, spans)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraphs and list items: runs of text between line breaks."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]*\S[^\n]*", text)]


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _join_lists(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Fold list items into the sentence ending with ':' that introduces them."""
    out: list[tuple[int, int]] = []
    in_list = False  # the last unit is a lead-in (with or without its items)
    for start, end in spans:
        is_item = text[start] in "-*\u2022" and text[start + 1 : start + 2] == " "
        if is_item and in_list:
            out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
        in_list = text[end - 1] == ":"
    return out


def flat(text: str) -> str:
    """The text with letter case, curly quote marks and runs of white space
    ignored: for finding a quoted phrase in a passage.

    >>> flat("It\u2019s  ONE\u00a0phrase")
    "it's one phrase"
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"\s+", " ", text).strip()
