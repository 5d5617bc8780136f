"""Whom a conversation is about: the user ("self"), or someone they care for.

    about(["My wife has MS.", "She has osteoporosis, can I massage her back?"])  -> "her"
    about(["I have osteoporosis"])                                              -> "self"

A caregiver names the person ("my wife", "Dad", "my client") or speaks of
"she" or "he" without speaking of their own body. The first such person in
the conversation is the one the reply speaks about; otherwise it speaks to
the user. Words only, in a reviewable table below.

`massaged` says who is to be massaged when the message says so plainly
("I'm the one with MS", "can I massage her calves", "not me"): a condition
of someone else then is not a finding ("my sister is pregnant but I'm the
one having the massage"). When it is not plain, nobody is ruled out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Sequence

from bot.safety.rules import Person

_HER = (r"wife|wifey|missus|gf|mum|mom|mother|mam|mummy|mommy|daughter|sister|grandma|granny|gran|nan|nana"
        r"|grandmother|girlfriend|fiancee|aunt|auntie|niece|stepmother|mother-in-law|lady"
        r"|granddaughter|stepdaughter|goddaughter|sister-in-law|daughter-in-law")
_HIM = (r"husband|hubby|bf|fella|dad|daddy|father|son|brother|grandad|granddad|grandpa|grandfather"
        r"|boyfriend|fiance|uncle|nephew|stepfather|father-in-law|grandson|stepson|godson"
        r"|brother-in-law|son-in-law")
_THEM = (r"partner|spouse|client|patient|friend|parent|child|kid|baby|toddler|newborn|relative|loved one|resident"
         r"|grandchild|grandkid|cousin|sibling")
# Every word for a person the user may speak of, for other modules' patterns.
PEOPLE_WORDS = rf"{_HER}|{_HIM}|{_THEM}|moms?|mums?|dads?|wife|husband|hubby|missus"
_KIN = r"(my|our|his|her)\s+((best|little|big|older|younger|elder|old|late|dear|twin|baby|step)\s+)?"
NAMED: list[tuple[Person, re.Pattern[str]]] = [
    ("her", re.compile(rf"\b{_KIN}({_HER})\b|^\W*(mum|mom|mam|nan|gran|wife)\b", re.I)),
    ("him", re.compile(rf"\b{_KIN}({_HIM})\b|^\W*(dad|grandad|grandpa|husband|hubby)\b", re.I)),
    ("them", re.compile(rf"\b{_KIN}({_THEM})s?\b|\b(client|patient|resident)s?\b|^\W*(baby|the baby)\b", re.I)),
]
PRONOUNS: list[tuple[Person, re.Pattern[str]]] = [
    ("her", re.compile(r"\b(she|she'?s|herself)\b", re.I)),
    ("him", re.compile(r"\b(he|he'?s|himself)\b", re.I)),
]
# The user speaking of their own body or state: "I have", "I'm", "my legs".
OWN = re.compile(r"\b(i|i'?m|i'?ve|i'?d|me|myself)\b(?!\s+(care|look after|help|massage)\b)", re.I)
# "my arthritis", "my legs": the user's own, unless a person follows ("my wife").
MY = re.compile(rf"\bmy\b(?!\s+((best|little|big|older|younger|elder|old|late|dear|twin|baby|step)\s+)?"
                rf"({_HER}|{_HIM}|{_THEM}|therapist|masseuse|masseur|physio|neighbour|neighbor|cousin|"
                rf"friend|buddy|mate|boss|colleague|carer|nurse|doctor|gp|neuro|neurologist)s?\b)", re.I)


@lru_cache(maxsize=256)  # a conversation's turns are read once per finding
def references(text: str) -> list[tuple[int, Person]]:
    """(position, person) of each mention of someone in the message, in order."""
    found: list[tuple[int, Person]] = [(m.start(), who) for who, p in NAMED for m in p.finditer(text)]
    found += [(m.start(), who) for who, p in PRONOUNS for m in p.finditer(text)]
    found += [(m.start(), "self") for m in OWN.finditer(text)]
    found += [(m.start(), "self") for m in MY.finditer(text)]
    return sorted(found)


def person(text: str, words: str = "") -> Person:
    """Whom one message says has what was found (`words`, as the rules key
    gives them): the nearest mention before those words, else after them.
    Without the words (or where they cannot be placed), anyone it names
    before the user themself."""
    if words and (who := mentioned(text, words)):
        return who
    text = text.replace("\u2019", "'")
    refs = references(text)
    for who, pattern in NAMED:
        if pattern.search(text):
            return who
    if OWN.search(text):
        return "self"
    return next((who for _, who in refs), "self")


def mentioned(text: str, words: str, before_only: bool = False) -> Person | None:
    """`person` of the words, or None when the message mentions nobody at all
    (with `before_only`, nobody before the words), or when the words cannot
    be placed: not found as written, or found more than once."""
    text = text.replace("\u2019", "'")
    refs = references(text)
    starts = [m.start() for m in re.finditer(rf"\b{re.escape(words.split()[0])}\b", text, re.I)]
    if len(starts) != 1:
        return None
    at = starts[0]
    before = [who for pos, who in refs if pos < at]
    if before_only and before and before[-1] != "self" and _own_right_after(text[at:]):
        return None  # "my wife noticed varicose veins on my legs": the user's, it may be
    after = [who for pos, who in refs if pos >= at]
    return before[-1] if before else after[0] if after and not before_only else None


_BREAK = re.compile(r"[,;:.!?\n]|\b(?:but|and|so|though|although|while)\b", re.I)
_SPEAKER = re.compile(r"\b(my|i|i'?m|me)\b", re.I)


def _own_right_after(rest: str) -> bool:
    """Does the user speak of themself within five words after, with no break
    between ("varicose veins on my legs"; not "pregnant, but I'm the one")?"""
    return bool(_SPEAKER.search(" ".join(_BREAK.split(rest, maxsplit=1)[0].split()[:5])))


def about(turns: Sequence[str], found: Sequence[tuple[int, str]]) -> Person:
    """The person the conversation's findings are about: (turn, words) of each,
    the first that is someone else decides; otherwise the user."""
    people = [person(turns[turn], words) for turn, words in found]
    return next((who for who in people if who != "self"), "self")


# The user is the one to be massaged, said so plainly that a later turn may say it of an
# earlier one: "I'm the one with MS", "asking for myself", "can I get a massage?".
_PLAINLY_SELF = (
    r"\bi'?m the one (with|having|getting|booking|being|who has|who'?s got|that has)\b"
    r"|\bi am the one (with|having|getting|booking|being|who has|that has)\b|\bi'?m the (ms|m\.s\.) one\b"
    r"|\basking (for|about) (me|myself)\b|\b(this is|it'?s|massage is|massages are) for me\b|\bfor myself\b"
    r"|\b(question|this|it) is (about|for) me\b|\bmy own question\b|\bgive me a massage\b"
    r"|\bwould (it|that|this|(a |an )?(\w+ )?massage) help me\b|\bwhat (massage )?would help me\b"
    r"|\b(massage|it|this|that) (would be|will be|is) for me\b|\bme,? the one (with|who has)\b"
    r"|\b(is|would) (it|this|that|(a |an )?(\w+ )?massage) (be )?(ok|okay|safe|good|fine|suitable) for me\b(?!\s+to\b)"
    r"|\bhelp (with )?my (own )?(legs?|back|neck|shoulders?|feet|foot|calves|arms?|hips?|body|spasms?"
    r"|pain|stiffness|fatigue|sleep|stress|tension|cramps?)\b"
    r"|\b((can|could|may|should|shall) i|i( (want|would like|wish|plan|am planning|hope)|'?d like|'?m planning) to)"
    r" (still |safely )?(get|have|try|go for) (a |an |my )?(\w+ )?"
    r"(massage|massages|rub|reflexology|shiatsu|session|treatment)\b"
    rf"(?!\s+(therapist|therapists|chair|gun|tool|table|voucher|to|at)\b"
    rf"|\s+(for|on|with) (her|him|them|our|my (?!ms\b|own\b|multiple\b)|({_HER}|{_HIM})\b))"
)
# ...and said in ways that settle it within one message only: "not mine", "only me".
_SELF = re.compile(
    _PLAINLY_SELF +
    r"|\bi (only|just) have (ms|m\.s\.|multiple sclerosis)\b|\bjust (ms|m\.s\.)\b"
    r"|\bi (don'?t|do not)( have (it|that|them|one|any))?\s*([,.!;)]|$)"
    r"|\b(massage|massages|massaging) (me|for me|on me)\b|\bfor my own\b"
    r"|\bfor me,? though\b|\babout me\b|\bi'?m the one (getting|being) massaged\b|\bnot mine\b"
    r"|\bnot about (him|her|them|my \w+)\b|\b(he|she)'?s not (the one )?(having|getting|being)\b"
    r"|\b(just|only) me\b|\bas (her|his|their) (ms )?client\b|\b(it'?s|its) (actually )?me (i'?m|who'?s) asking\b"
    r"|\b(pressure|massage|work|working) on my (legs?|back|neck|shoulders?|feet|foot|calves|arms?|hips?|body)\b"
    r"|\b(massage|massaging|rub|rubbing) my (legs?|back|neck|shoulders?|feet|foot|calves|arms?|hips?|body)\b"
    r"|\b(ok|okay|safe|good|right|fine|suitable) for me\b(?!\s+to\b)"
    r"|\b(try|trying|have|get|book) (it|one|massage|a massage) myself\b|\b(i have|i'?ve got) (ms|m\.s\.) myself\b"
    rf"|\bhelp (with )?my (own )?(?!({_HER}|{_HIM}|{_THEM})s?\b)\w+"
    rf"|\bfor my (own )?(ms|m\.s\.)\b(?![\s-]+(affected\b|({_HER}|{_HIM}|{_THEM})s?\b))",
    re.I,
)
# Someone else is to be massaged: "for me to massage his legs", "can she have a massage",
# "is massage safe for my wife", "massage therapist here" (a client is).
_OTHER = re.compile(
    r"\b(i|i'?m|i'?ve|me to|i'?ll|i will|i want to|i'?d like to|can i|could i|should i|do i|how (do|can|should) i"
    r"|learn(ing)? to|i'?m going to|i'?m learning to|i'?m the one who)\s+([\w']+\s+){0,2}"
    r"(massage|massaging|rub|rubbing|give|giving|do)\s+(?P<whom>(my|our) \w+|her|his|him|mum|mom|dad)\b"
    r"|\b(can|could|should|may) (?P<whom2>she|he) (still |safely )?(get|have|try|go for)\b"
    r"|\b(?P<whom4>i'?m (a|an|the) (massage therapist|therapist|masseuse|masseur|physio|carer|caregiver|care worker)"
    r"|(massage therapist|therapist|masseuse|masseur|physio|carer) here|therapist'?s question"
    r"|i'?m (training|studying|learning) (as|to be) an? (massage )?therapist)\b"
    r"|\b(?P<whom7>(my|our) [\w-]+)( \([^)]{0,40}\))? is the one (i|we) (massage|rub)\b"
    r"|\b(massage|massages|it|this|that)( be)? (ok|okay|safe|good|fine|suitable|right) for (?P<whom3>(my|our) \w+|her|him)\b(?!\s+to\s+(massage|rub|give|do)\b)"
    r"|\b(use|used|do|work|press) (it |them |this )?on (?P<whom5>his|her|him)\b"
    rf"|\bhelp (keep )?(?P<whom6>her|his|him|(mum|mom|dad)'s|(my|our) ({_HER}|{_HIM})'s)\b",
    re.I,
)
# ("them" is left out: "massage them" is as often her feet as a client.)
_WHOM: dict[str, Person] = {"her": "her", "his": "him", "him": "him", "mum": "her", "mom": "her", "dad": "him",
                            "she": "her", "he": "him"}


# The user has it too: "and so do I", "me too", "I have it too".
_SHARED = re.compile(r"\b(so (do|have|am) i|me too|me as well|mine too|as do i|same here"
                     r"|i (do|have it|have that|have one|'?ve got it|'?ve got that) (too|as well|also)"
                     r"|i (also|too) have (it|that|one))\b", re.I)


def massaged(text: str) -> Person | None:
    """Whom the message plainly says is to be massaged, or None when it does
    not say, or says both (the user and someone else, or two others), or
    says the user shares what someone else has ("and so do I")."""
    said = _massaged(text)
    return next(iter(said)) if said is not None and len(said) == 1 else None


def massaged_later(text: str, later: Sequence[str]) -> Person | None:
    """For a message that does not say whom (`massaged` of it found nobody,
    and it does not say the user shares it), the one person its later turns
    say plainly is massaged; None when none says, they name more than one,
    or one says the user shares what someone else has ("me too")."""
    if _massaged(text) != set():
        return None
    people: set[Person] = set()
    for turn in later:
        said = _massaged(turn, _PLAINLY)
        if said is None:
            return None
        people |= said
    return next(iter(people)) if len(people) == 1 else None


_PLAINLY = re.compile(_PLAINLY_SELF, re.I)


def _massaged(text: str, self_said: re.Pattern[str] = _SELF) -> set[Person] | None:
    """Everyone the message says is to be massaged; None when it says the
    user shares what someone else has."""
    text = text.replace("\u2019", "'")
    if _SHARED.search(text):
        return None
    found: set[Person] = {"self"} if self_said.search(text) else set()
    for m in _OTHER.finditer(text):
        if m["whom4"]:  # the user gives massages: their clients are massaged
            found.add("them")
            continue
        whom = next(w for w in (m["whom"], m["whom2"], m["whom3"], m["whom5"], m["whom6"], m["whom7"]) if w).casefold()
        who = _WHOM.get(whom) or person(whom)
        if who != "self":  # "massage my missus": someone, though not a word the table knows
            found.add(who)
    return found
