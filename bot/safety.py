"""The safety layer: does the conversation name a red flag or a condition?

    check(["My wife has osteoperosis.", "Would a back massage help?"])
    -> Verdict(route="ask_doctor", findings=(Finding(osteoporosis, turn=0, ...),))

It runs first, on every user turn, before any search, and only on words:
what it finds cannot be argued away ("ignore your rules") or outranked by a
search result. The rules are data, `safety_rules.yaml` (read by
bot/safety_rules.py): one row a condition, with its names, synonyms and
misspellings and the passage that states the guidance; that file also says
how words are matched. Fuzzy matching is rapidfuzz's optimal string
alignment distance; "is this a common English word?" comes from
pyspellchecker's word frequencies.

Leaves out: negation ("I don't have osteoporosis" still defers, which errs
on the safe side) and any meaning the table has no words for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.safety_rules import RULES_FILE, Passage, Rule, Rules, RulesError, load_rules

__all__ = ["RULES_FILE", "Passage", "Rule", "Rules", "RulesError", "load_rules", "check", "tokens"]

MAX_GAP = 4  # "..." in a phrase: up to this many other words
COMMON = 200  # a word seen this often in English text is never taken for a misspelling
FUZZY_MIN = 5  # letters a table word needs before misspellings of it count


@dataclass(frozen=True)
class Finding:
    rule: Rule
    turn: int  # which user message, from 0
    words: str  # the words that matched, normalised


@dataclass(frozen=True)
class Verdict:
    route: Literal["emergency", "ask_doctor"] | None  # None: nothing found, answer as usual
    findings: tuple[Finding, ...] = ()

    def rules(self, *kinds: str) -> list[Rule]:
        """The rules found, of these kinds, each once, in the order found."""
        return list({f.rule.id: f.rule for f in self.findings if f.rule.kind in kinds}.values())


# --- words -------------------------------------------------------------------

APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
WORD = re.compile(r"[^\W_]+")
REPEATS = re.compile(r"(.)\1{2,}")  # "sooo" -> "so", "OSTEOPOROSIS!!!" needs nothing


def _hidden(c: str) -> bool:
    """Invisible inside a word: format characters (zero-width space) and control
    characters other than white space ("osteo\\x00porosis")."""
    kind = unicodedata.category(c)
    return kind == "Cf" or (kind == "Cc" and not c.isspace())


def tokens(text: str) -> list[str]:
    """Lower-case words without accents, apostrophes or runs of one letter.

    >>> tokens("My wife's PREGNAAANT, can't she have a rub-down?")
    ['my', 'wifes', 'pregnant', 'cant', 'she', 'have', 'a', 'rub', 'down']
    >>> tokens("o.s.t.e.o.p.o.r.o.s.i.s")   # spelt out, one letter at a time
    ['osteoporosis']
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c) and not _hidden(c))
    found = [REPEATS.sub(r"\1", w) for w in WORD.findall(APOSTROPHES.sub("", text.casefold()))]
    out: list[str] = []
    run: list[str] = []
    for w in found + [""]:  # join runs of four or more single letters
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        out.extend(["".join(run)] if len(run) >= 4 else run)
        run = []
        if w:
            out.append(w)
    return out


_stem = snowballstemmer.stemmer("english").stemWord


@cache
def _frequencies() -> dict[str, int]:
    from spellchecker import SpellChecker

    return SpellChecker(language="en", distance=1).word_frequency.dictionary


def is_common(word: str) -> bool:
    return _frequencies().get(word, 0) >= COMMON


GAP = "..."


class Safety:
    """The rules, compiled for matching. `check(turns)` is the one entry point."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.all_rules = rules.red_flags + rules.conditions
        self._order = {r.id: i for i, r in enumerate(self.all_rules)}
        named = {r.id: self._patterns(r, r.terms) for r in self.all_rules}
        terms = {r.id: named[r.id] + self._patterns(r, r.misspellings) for r in self.all_rules}
        unless = {r.id: self._patterns(r, r.unless) for r in self.all_rules}
        # Patterns by the words that may open them: only those are tried at a word.
        self._terms, self._unless = _by_first_word(terms), _by_first_word(unless)
        self._vocabulary = frozenset(_words(terms) | _words(unless))
        # Misspellings of the table's own words count; of its misspellings, not.
        self._fuzzy = sorted(w for w in _words(named) if len(w) >= FUZZY_MIN)
        self._by_stem: dict[str, set[str]] = {}
        for w in self._vocabulary:
            self._by_stem.setdefault(_stem(w), set()).add(w)
        self._meanings: dict[str, frozenset[str]] = {}
        _frequencies()  # loaded now, not on the first question

    def _patterns(self, rule: Rule, phrases: Sequence[str]) -> list[tuple]:
        """Each phrase as slots: a set of words that may stand there, or GAP."""
        out = []
        for phrase in phrases:
            slots: list = []
            for piece in phrase.split():
                if piece == GAP:
                    slots.append(GAP)
                elif group := re.fullmatch(r"\{(\w+)\}", piece):
                    slots.append(frozenset(w for g in self.rules.groups[group[1]] for w in tokens(g)))
                else:
                    slots.extend(frozenset([w]) for w in tokens(piece))
            # An empty phrase would match everywhere; one opening or closing with
            # "..." would match where its words are not.
            if not slots or GAP in (slots[0], slots[-1]) or frozenset() in slots:
                raise RulesError(f"{rule.id!r} has a phrase with nothing to match: {phrase!r}")
            out.append(tuple(slots))
        return out

    def meanings(self, token: str) -> frozenset[str]:
        """The table words a message word may stand for.

        Itself; a shorter table word with the same stem ("fractured" ->
        "fracture", never "sore" -> "sores"); or, when the word is not common
        English, a table word one letter off (two from 8 letters).
        """
        if token in self._meanings:
            return self._meanings[token]
        found = {token} & self._vocabulary
        found |= {w for w in self._by_stem.get(_stem(token), ()) if len(token) >= len(w)}
        if len(token) >= FUZZY_MIN - 1 and not found and not is_common(token):
            for word, distance, _ in process.extract(
                token, self._fuzzy, scorer=OSA.distance, score_cutoff=2, limit=None
            ):
                if distance <= (1 if len(word) < 8 else 2):
                    found.add(word)
        meant = frozenset(found)
        if len(self._meanings) > 100_000:  # bound the memory a flood of odd words can take
            self._meanings.clear()
        self._meanings[token] = meant  # (another thread may clear it at once: return ours)
        return meant

    def check(self, turns: Sequence[str]) -> Verdict:
        """Every red flag and condition named in any of the user's turns."""
        findings = [
            Finding(rule, i, words)
            for i, turn in enumerate(turns)
            for rule, words in self._find(turn)
        ]
        kinds = {f.rule.kind for f in findings}
        route = "emergency" if kinds & {"medical", "crisis"} else "ask_doctor" if kinds else None
        return Verdict(route, tuple(findings))

    def _find(self, text: str) -> list[tuple[Rule, str]]:
        """Each rule's matches in one message, in the order they stand there."""
        words = tokens(text)
        means = [self.meanings(w) for w in words]
        blocked: dict[str, set[int]] = {}
        for rule_id, start, end in _spans(self._unless, means, {}):
            blocked.setdefault(rule_id, set()).update(range(start, end))
        spans = sorted(
            _spans(self._terms, means, blocked), key=lambda m: (self._order[m[0]], m[1], -m[2])
        )
        found, taken = [], {}
        for rule_id, start, end in spans:
            if start > taken.get(rule_id, -1):  # each place once: "broke her hip" is one finding
                found.append((start, self._order[rule_id], " ".join(words[start:end])))
                taken[rule_id] = end - 1
        return [(self.all_rules[i], said) for _, i, said in sorted(found)]


def _by_first_word(patterns: dict[str, list[tuple]]) -> dict[str, list[tuple[str, tuple]]]:
    index: dict[str, list[tuple[str, tuple]]] = {}
    for rule_id, pats in patterns.items():
        for p in pats:
            for word in p[0]:
                index.setdefault(word, []).append((rule_id, p))
    return index


def _words(patterns: dict[str, list[tuple]]) -> set[str]:
    return {w for ps in patterns.values() for p in ps for slot in p if slot != GAP for w in slot}


def _spans(index: dict, means: list[frozenset[str]], blocked: dict[str, set[int]]):
    """(rule id, start, end) of each pattern that matches, leaving out blocked words."""
    found = set()
    for start, meant in enumerate(means):
        for word in meant:
            for rule_id, pattern in index.get(word, ()):
                end = _match(pattern, means, start, blocked.get(rule_id, ()))
                if end is not None:
                    found.add((rule_id, start, end))
    return found


def _match(pattern: tuple, means: list, pos: int, blocked) -> int | None:
    if not pattern:
        return pos
    slot, rest = pattern[0], pattern[1:]
    if slot == GAP:
        for skip in range(MAX_GAP + 1):
            end = _match(rest, means, pos + skip, blocked)
            if end is not None:
                return end
        return None
    if pos < len(means) and pos not in blocked and slot & means[pos]:
        return _match(rest, means, pos + 1, blocked)
    return None


_default: Safety | None = None


def default() -> Safety:
    """The shipped rules, loaded once per process."""
    global _default
    if _default is None:
        _default = Safety(load_rules())
    return _default


def check(turns: Sequence[str]) -> Verdict:
    return default().check(turns)
