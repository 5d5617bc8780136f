"""The rules key: which red flags and conditions do a message's words name?

    Safety(load_rules()).find("My wife has osteoperosis.")
    -> [(osteoporosis rule, "osteoperosis")]

The rules are data, `rules.yaml` (read by rules.py): one row a condition,
with its names, synonyms and misspellings and the passage that states the
guidance; that file also says how words are matched. Fuzzy matching is
rapidfuzz's optimal string alignment distance; "is this a common English
word?" comes from pyspellchecker's word frequencies.

Context clears a condition that is not the person's (ConText's cues, as the
table's `context:` lists them: negation before or after, another
experiencer, prevention, a long-healed injury, a treatment turned down),
within its clause; a question about what the word means ("What is
lymphedema?", `definition`: the cue right before the word, nothing of the
person's after it in the sentence); and one that the message plainly says belongs to
someone who is not to be massaged (person.py). Of the cues, prevention
alone clears a medical red flag ("the risk of blood clots"), and the
context reader (reader.py) may, at its higher line; nothing clears
thoughts of suicide or self-harm.
Hand-written rather than medspaCy or negspacy: both need spaCy, whose
import alone costs more memory than the whole safety layer may add, and
the cues are a short reviewed list matched the same way as the terms.

Leaves out: any meaning the table has no words for (the learned key,
learned.py, is there for those).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.safety.general import general, of_nobody
from bot.safety.person import about, massaged, massaged_later, mentioned
from bot.safety.rules import Person, Rule, Rules, RulesError

MAX_GAP = 4  # "..." in a phrase: up to this many other words
COMMON = 200  # a word seen this often in English text is never taken for a misspelling
FUZZY_MIN = 5  # letters a table word needs before misspellings of it count
Key = Literal["rules", "learned"]
# The context reader: for (words, message) pairs, how likely each is not a finding.
Said = str | tuple[str, ...]  # a message, or a conversation's turns (reader.to_read)
Doubts = Callable[[list[tuple[str, Said]]], list[float]]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    turn: int  # which user message, from 0
    words: str  # the words that matched, normalised ("" for the learned key)
    key: Key = "rules"  # which key found it


@dataclass(frozen=True)
class Verdict:
    route: Literal["emergency", "ask_doctor"] | None  # None: nothing found, answer as usual
    findings: tuple[Finding, ...] = ()
    person: Person = "self"  # whom the conditions found are about: the user, or "her", ...

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


def plain(text: str) -> str:
    """`text` in its plain letters: compatibility forms folded ("ｐｒｅｇｎａｎｔ"),
    accents and invisible characters dropped.

    >>> plain("osteo\u00adpórosis")
    'osteoporosis'
    """
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return "".join(c for c in text if not unicodedata.combining(c) and not _hidden(c))


def tokens(text: str) -> list[str]:
    """Lower-case words without accents, apostrophes or runs of one letter.

    >>> tokens("My wife's PREGNAAANT, can't she have a rub-down?")
    ['my', 'wifes', 'pregnant', 'cant', 'she', 'have', 'a', 'rub', 'down']
    >>> tokens("o.s.t.e.o.p.o.r.o.s.i.s")   # spelt out, one letter at a time
    ['osteoporosis']
    """
    found = [REPEATS.sub(r"\1", w) for w in WORD.findall(APOSTROPHES.sub("", plain(text).casefold()))]
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
# A clause ends at , ; . ! ? or a dash between spaces (not inside "o.s.t.e.o"), or a line break.
CLAUSE_END = re.compile(r"[,;.!?]+(?=\s|$)|\n|\s[-\u2013\u2014]+\s")
SENTENCE_END = re.compile(r"[.!?\n]")
FORWARD, BACKWARD, BOTH = (1,), (-1,), (1, -1)
ARTICLES = frozenset({"a", "an", "the"})
CUES = {  # context kind -> which way its reach goes
    "negation": FORWARD, "negation_after": BACKWARD, "other": BOTH, "prevention": FORWARD,
    "history": BOTH, "avoidance": BOTH,
}


def clauses(text: str) -> tuple[list[str], list[int]]:
    """The message's words (as `tokens` makes them) and the clause of each."""
    words, clause, _ = _parts(text)
    return words, clause


def _parts(text: str) -> tuple[list[str], list[int], list[int]]:
    """`clauses`, and the sentence of each word (ended by . ! ? or a line break)."""
    words: list[str] = []
    clause: list[int] = []
    sentence: list[int] = []
    at, n = 0, 0
    for i, end in enumerate([*CLAUSE_END.finditer(text), None]):
        found = tokens(text[at : end.start() if end else len(text)])
        words += found
        clause += [i] * len(found)
        sentence += [n] * len(found)
        if end:
            at, n = end.end(), n + bool(SENTENCE_END.search(end.group()))
    return words, clause, sentence


class Safety:
    """The rules, compiled for matching. `check(turns)` is the one entry point."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.all_rules = rules.red_flags + rules.conditions
        self.by_id = {r.id: r for r in self.all_rules}
        for name, members in rules.groups.items():  # "{x}" stands for one word
            if wide := [m for m in members if len(tokens(m)) != 1]:
                raise RulesError(f"The group {name!r} must list single words; these are not: {wide}")
        self._order = {r.id: i for i, r in enumerate(self.all_rules)}
        named = {r.id: self._patterns(r.id, r.terms) for r in self.all_rules}
        terms = {r.id: named[r.id] + self._patterns(r.id, r.misspellings) for r in self.all_rules}
        unless = {r.id: self._patterns(r.id, r.unless) for r in self.all_rules}
        ctx = rules.context
        cues = {kind: self._patterns(kind, getattr(ctx, kind)) for kind in [*CUES, "not_negation", "recency"]}
        # Patterns by the words that may open them: only those are tried at a word.
        self._terms, self._unless = _by_first_word(terms), _by_first_word(unless)
        self._cues = _by_first_word(cues)
        defining = {"definition": self._patterns("definition", ctx.definition)}
        self._defining = _by_first_word(defining)
        self._defined_after = frozenset(w for c in ctx.definition_after for w in tokens(c))
        self._closes = frozenset(w for c in ctx.closes for w in tokens(c))
        self._speaker = frozenset(w for c in ctx.speaker for w in tokens(c))
        self._contrast = self._closes - {"and", "also", "still", "while"}
        self._plain = frozenset(w for p in ctx.plain for w in tokens(p))
        self._vocabulary = frozenset(_words(terms) | _words(unless) | _words(cues) | _words(defining))
        # Misspellings of the table's own words count; of its misspellings, not.
        self._fuzzy = sorted(w for w in _words(named) if len(w) >= FUZZY_MIN)
        self._by_stem: dict[str, set[str]] = {}
        for w in self._vocabulary:
            self._by_stem.setdefault(_stem(w), set()).add(w)
        self._meanings: dict[str, frozenset[str]] = {}
        _frequencies()  # loaded now, not on the first question

    def _patterns(self, owner: str, phrases: Sequence[str]) -> list[tuple]:
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
                raise RulesError(f"{owner!r} has a phrase with nothing to match: {phrase!r}")
            out.append(tuple(slots))
        return out

    def meanings(self, token: str) -> frozenset[str]:
        """The table words a message word may stand for.

        Itself; a shorter table word with the same stem ("fractured" ->
        "fracture", never "sore" -> "sores", nor a word of the context's
        `plain` list: "soreness" is not "sores"); or, when the word is not common
        English, a table word one letter off (two from 8 letters).
        """
        if token in self._meanings:
            return self._meanings[token]
        if token in self._plain:
            return frozenset({token} & self._vocabulary)
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

    def check(self, turns: Sequence[str], learned: Sequence[Sequence[str]] = (),
              doubts: Doubts | None = None) -> Verdict:
        """Every red flag and condition named in any of the user's turns.

        `learned` holds, for each turn, the rule ids the learned key found in
        it (learned.py); either key's finding counts, but a condition whose
        words the rules found in that turn and its context cleared ("prevent
        bedsores", "my dog's arthritis", "my sister is pregnant but I'm the
        one having the massage") stays cleared. A red flag the rules cleared
        (of the cues, only prevention can) may still be found by the learned key.

        `doubts` (the context reader, reader.py) is asked about each condition
        and medical red flag the rules still found; a condition it doubts at
        the table's `learned.clear` is dropped, a red flag only at
        `learned.clear_red_flag`, and the learned key may still find either
        from the turn. A condition of an earlier turn is also read with the
        turns after it (reader.to_read), as the examples table holds a
        conversation: "Is massage safe with cancer?" then "sorry, it's my
        mother-in-law who has it, the massage is for my wife"; either reading
        may clear it.
        """
        findings, settled = [], set()
        for i, turn in enumerate(turns):
            # Asking what a word means clears it only in the newest message: a later one
            # may take it up ("What is osteoporosis?", then "my scan says I've got it").
            found, cleared = self.scan(turn, defining=i == len(turns) - 1)
            if i == len(turns) - 1 and general(turn) and all(map(of_nobody, turns[:-1])):
                # "What actually causes pressure sores?": what a condition is, asked of nobody.
                # No condition of this message is a finding, the learned key's neither; a red
                # flag and a heat or cold treatment (the session's, whoever asks) still are.
                asked = {r.id for r in self.rules.conditions if not r.avoidable}
                cleared |= asked
                found = [(rule, words) for rule, words in found if rule.id not in asked]
            found, others = _of_the_massaged(turn, found, turns[i + 1 :])
            if doubts is not None:
                found = self._read(turn, found, doubts, tuple(turns[i:]))
            findings += [Finding(rule, i, words) for rule, words in found]
            # What the rules named, and the conditions they cleared, are settled for
            # this turn: the learned key does not find them again.
            settled |= {(i, rule.id) for rule, _ in found + others}
            settled |= {(i, r) for r in cleared if self.by_id[r].kind == "condition"}
        findings += [
            Finding(self.by_id[rule_id], i, "", "learned")
            for i, ids in enumerate(learned)
            for rule_id in ids
            if (i, rule_id) not in settled
        ]
        findings.sort(key=lambda f: (f.turn, f.key != "rules"))
        kinds = {f.rule.kind for f in findings}
        route = "emergency" if kinds & {"medical", "crisis"} else "ask_doctor" if kinds else None
        person = about(turns, [(f.turn, f.words) for f in findings if f.rule.kind == "condition"])
        return Verdict(route, tuple(findings), person)

    def _read(self, turn: str, found: list[tuple[Rule, str]], doubts: Doubts,
              said: tuple[str, ...] = ()) -> list[tuple[Rule, str]]:
        """`found` less the conditions the context reader doubts enough, in
        the turn (at `learned.clear`) or in `said`, the turn with the ones
        after it (at `learned.clear_later`: there a sentence of the turn no
        longer keeps the condition, reader.to_read), and the
        medical red flags it doubts at their own, higher line, in the turn
        alone: "the doppler was clear, no clot", but never "my chest is
        crushing" then "ok, it's passed now" (a red flag stands whatever a
        later turn says). Thoughts of suicide or self-harm are never asked
        about; nor is a treatment the session may use (heat, cold: an
        `avoidable` row): it is the massaged person's whoever is named, and
        only turning it down (the rules' `avoidance` cues) clears it."""
        def asks(rule: Rule) -> bool:
            return rule.kind in ("condition", "medical") and not rule.avoidable

        def texts(rule: Rule) -> list[Said]:
            return [turn, said] if rule.kind == "condition" and len(said) > 1 else [turn]

        learned = self.rules.learned

        def line(rule: Rule, text: Said) -> float:
            return (learned.clear_later if isinstance(text, tuple) else
                    learned.clear if rule.kind == "condition" else learned.clear_red_flag)

        asked = [(rule, words, text) for rule, words in found if asks(rule) for text in texts(rule)]
        doubt = doubts([(words, text) for _, words, text in asked]) if asked else []
        cleared = {(rule.id, words) for (rule, words, text), d in zip(asked, doubt) if d >= line(rule, text)}
        return [(r, w) for r, w in found if (r.id, w) not in cleared]

    def find(self, text: str) -> list[tuple[Rule, str]]:
        """Each rule's matches in one message, in the order they stand there,
        less the conditions its context clears."""
        return self.scan(text)[0]

    def scan(self, text: str, context: bool = True,
             defining: bool = True) -> tuple[list[tuple[Rule, str]], set[str]]:
        """`find`, and the ids of the rules named but cleared by context.
        Without `context`, every match of the terms counts (what the context
        reader is taught from); without `defining`, a question about what a
        word means is a finding too (in an earlier turn of a conversation)."""
        words, clause, sentence = _parts(text)
        means = [self.meanings(w) for w in words]
        blocked: dict[str, set[int]] = {}
        for rule_id, start, end in _spans(self._unless, means, {}, sentence):
            blocked.setdefault(rule_id, set()).update(range(start, end))
        ahead, behind = self._reach(words, clause, sentence, means) if context else ({}, {})
        asked = {end for _, _, end in _spans(self._defining, means, {}, sentence)} if context and defining else set()
        spans = sorted(
            _spans(self._terms, means, blocked), key=lambda m: (self._order[m[0]], m[1], -m[2])
        )
        found, taken, cleared = [], {}, set()
        clearing = {"condition": set(CUES), "medical": {"prevention"}, "crisis": set()}
        for rule_id, start, end in spans:
            rule = self.by_id[rule_id]
            # A cue reaching either end of the phrase clears it ("no red areas" for "skin ... red").
            kinds = set().union(*(reach.get(i, set()) for reach in (ahead, behind) for i in (start, end - 1)))
            # The long past clears only a `recent` row; turning down, only an `avoidable` one.
            # A treatment the session may use (heat, cold) is the massaged person's, whoever is named.
            not_here = {k for k, applies in (("history", rule.recent), ("avoidance", rule.avoidable),
                                             ("other", not rule.avoidable)) if not applies}
            if kinds & clearing[rule.kind] - not_here:
                cleared.add(rule_id)
                continue
            # Asked what the word means: no finding, yet not settled (the learned key may find it).
            if rule.kind == "condition" and self._defined(words, sentence, asked, start, end):
                taken[rule_id] = max(taken.get(rule_id, -1), end - 1)  # "flare up": not "flare" then
                continue
            if start > taken.get(rule_id, -1):  # each place once: "broke her hip" is one finding
                found.append((start, self._order[rule_id], " ".join(words[start:end])))
                taken[rule_id] = end - 1
        # Words an `unless` phrase took ("prevent bedsores", "vent my spleen") are settled too.
        if blocked:
            cleared |= blocked.keys() & {m[0] for m in _spans(self._terms, means, {})}
        cleared -= {self.all_rules[i].id for _, i, _ in found}
        return [(self.all_rules[i], said) for _, i, said in sorted(found)], cleared

    def _defined(self, words: list[str], sentence: list[int], asked: set[int], start: int, end: int) -> bool:
        """Are the words at start:end asked about as a word: a `definition` cue
        right before them (an article between), and after them nothing in their
        sentence but `definition_after`?

        >>> from bot.safety import default
        >>> s = default()
        >>> [s.find(m) for m in ("What is lymphedema exactly?", "whats a pressure sore")]
        [[], []]
        >>> [[r.id for r, _ in s.find(m)] for m in (
        ...     "What is edema, and can massage help mine?", "What is the best massage for edema?")]
        [['edema'], ['edema']]
        """
        at = start - 1 if start > 0 and words[start - 1] in ARTICLES else start
        return at in asked and all(
            w in self._defined_after for w, n in zip(words[end:], sentence[end:]) if n == sentence[start]
        )

    def _reach(self, words: list[str], clause: list[int], sentence: list[int], means: list[frozenset[str]]):
        """Where each context cue reaches, ahead of it and behind it: position -> cue
        kinds. Turning a treatment down ("I skip the sauna, steam room and hot
        tub") reaches over commas and "and", within its sentence. The long past
        does not count in a clause that also speaks of now ("I fell yesterday on
        the knee I hurt years ago")."""
        cues = _spans(self._cues, means, {}, sentence)
        pseudo = {i for kind, start, end in cues if kind == "not_negation" for i in range(start, end)}
        now = {clause[start] for kind, start, _ in cues if kind == "recency"}
        ahead: dict[int, set[str]] = {}
        behind: dict[int, set[str]] = {}
        for kind, start, end in cues:
            if kind in ("not_negation", "recency") or (kind != "avoidance" and pseudo & set(range(start, end))):
                continue
            if kind == "history" and clause[start] in now:
                continue
            if kind == "other":  # "cancer ward": the cue's own words are not the person's
                for pos in range(start, end):
                    ahead.setdefault(pos, set()).add(kind)
                    behind.setdefault(pos, set()).add(kind)
            for step in CUES[kind]:
                pos, reached = (end, ahead) if step > 0 else (start - 1, behind)
                for _ in range(self.rules.context.scope):
                    if kind == "avoidance":
                        if not 0 <= pos < len(words) or sentence[pos] != sentence[start]:
                            break
                        if words[pos] in self._contrast:
                            break
                    elif not 0 <= pos < len(words) or clause[pos] != clause[start]:
                        break
                    elif words[pos] in self._closes or (kind != "history" and words[pos] in self._speaker):
                        break
                    reached.setdefault(pos, set()).add(kind)
                    pos += step
        return ahead, behind


def conversation(turns: Sequence[str]) -> str:
    r"""User turns as one message, as the examples table holds a conversation,
    each turn on a line of its own: the reader reads the whole as it reads the
    table's joined turns (reader.to_read).

    >>> conversation(["Is massage ok with cancer?", "sorry, it's my mum who has it"])
    "Is massage ok with cancer?\nsorry, it's my mum who has it"
    """
    return "\n".join(turns)


def _someone_else(who: str | None, target: str) -> bool:
    """Is `who` plainly not `target`? "them" (a partner, a resident) may be
    "her" or "him"; only the user is never someone else's "them"."""
    if who is None or who == target:
        return False
    return "self" in (who, target) or "them" not in (who, target)


def _of_the_massaged(text: str, found: list[tuple[Rule, str]], later: Sequence[str] = ()):
    """The findings of one message that may be the massaged person's, and the
    conditions of someone the message plainly says is not to be massaged.

    When the message does not say whom, the later turns may: "My mother has
    cancer." then "I'm the one with MS, what would help me?". They clear only
    a condition the message gave to someone else by name, never the user's own
    ("I have osteoporosis." then "it's for my wife" keeps it), and only when
    they all name the same one person."""
    target, own_turn = massaged(text), True
    if target is None:
        target, own_turn = massaged_later(text, later), False
    if target is None:
        return found, []
    keep, others = [], []
    for rule, words in found:
        who = mentioned(text, words, before_only=True)  # None: nobody named before, or said twice
        mine = who == "self" and not own_turn
        # a treatment the session may use (heat, cold) is the massaged person's, whoever is named
        other = rule.kind == "condition" and not rule.avoidable and not mine and _someone_else(who, target)
        (others if other else keep).append((rule, words))
    return keep, others


def _by_first_word(patterns: dict[str, list[tuple]]) -> dict[str, list[tuple[str, tuple]]]:
    index: dict[str, list[tuple[str, tuple]]] = {}
    for rule_id, pats in patterns.items():
        for p in pats:
            for word in p[0]:
                index.setdefault(word, []).append((rule_id, p))
    return index


def _words(patterns: dict[str, list[tuple]]) -> set[str]:
    return {w for ps in patterns.values() for p in ps for slot in p if slot != GAP for w in slot}


def _spans(index: dict, means: list[frozenset[str]], blocked: dict[str, set[int]],
           sentence: list[int] | None = None):
    """(rule id, start, end) of each pattern that matches, leaving out blocked
    words; with `sentence` (each word's), only within one sentence: what clears
    a finding does not reach over a sentence ("Can massage help? I hurt myself"
    is not "can ... hurt"), while a finding may ("headache. sudden. worst ever")."""
    found = set()
    for start, meant in enumerate(means):
        for word in meant:
            for rule_id, pattern in index.get(word, ()):
                end = _match(pattern, means, start, blocked.get(rule_id, ()))
                if end is not None and (sentence is None or sentence[end - 1] == sentence[start]):
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
