"""A question about a condition itself, asked of nobody: no finding.

    general("What actually causes pressure sores?")               -> True
    general("Is a pressure sore the same thing as a bedsore?")    -> True
    general("Is massage safe with osteoporosis?")                 -> False  (a contraindication question)
    general("Why is my ankle swollen?")                           -> False  (someone's own)

The articles explain their conditions (what causes pressure sores, why
steroids thin the bones, how common tiredness is), and people ask about them
to understand, for nobody in particular. Such a question gets the passage
that explains, not "ask your doctor first". It is general when every one of
its sentences that names a condition opens with a question word, and the
message as a whole
- speaks of nobody: no "I", "my", "you", no person named ("my wife", "she"),
- says nothing of massage, a therapist or a session (a question about massage
  with a condition is a contraindication question, whoever asks),
- asks nothing of safety or permission ("safe", "ok", "should", "a problem"),
- and nothing of now ("today", "at the moment", "suddenly") or of a case ("if").

Conditions only: a red flag is never cleared here. Only the newest message is
read this way (match.check): an earlier one may be taken up by a later one.
Words only, in the reviewable table below.
"""

from __future__ import annotations

import re

from bot.safety.person import references

# A sentence that asks: it opens with a question word, after "so", "and", "but", "ok".
ASKS = re.compile(
    r"^\W*(?:(?:so|and|but|ok|okay|also|then)\b\W*)*"
    r"(what|whats|what's|why|how|is|are|does|do|did|can|could|where|which|who|in what)\b"
    r"(?!\s+(about|if)\b)",  # "what about pregnancy?", "what if ..." lean on a case
    re.I,
)
# Anything of the person, of massage, of permission, of now or of a case: then it is not general.
NOT_GENERAL = re.compile(
    # someone: "you", "someone", "anyone" (the user or another person by `references`)
    r"\b(you|your|yours|yourself|u|ur|someone|somebody|anyone|anybody|one'?s|we|us|our)\b"
    # massage, bodywork, a session
    r"|\b(ma+s{1,3}a*g\w*|rubs?|rubbing|rubdowns?|bodywork|shiatsu|acupressure|rolfing|aston|feldenkrais"
    r"|alexander|trager|reflexology|therapists?|masseuses?|masseurs?|sessions?|treat\w*|touch\w*|pressure on)\b"
    # safety and permission
    r"|\b(safe\w*|ok|okay|fine|alright|allowed|risky|dangerous|danger|harm\w*|problems?|careful|avoid\w*"
    r"|should|shouldn'?t|must|need|needs|matter|matters|affect\w*|contraindicat\w*|worr\w*|bad|good|better"
    r"|worse|help\w*|hurt\w*|wait|still|go ahead|mean for)\b"
    # now, or a case
    r"|\b(now|today|tonight|yesterday|currently|at the moment|right now|this (morning|week|evening)"
    r"|suddenly|sudden|just|again|if|when|whenever|since|after)\b",
    re.I,
)
SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")


def general(text: str, names: tuple[str, ...]) -> bool:
    """Is the message a general question about the conditions it names (`names`:
    the words the rules found, or none when only the learned key found one)?

    >>> general("What actually causes pressure sores?", ("pressure sores",))
    True
    >>> general("Can the steroids used for relapses weaken bones over time?", ("steroids",))
    True
    >>> [general(m, ("osteoporosis",)) for m in ("Is massage safe with osteoporosis?",
    ...     "osteoporosis?", "What about osteoporosis?", "Why do I have osteoporosis?")]
    [False, False, False, False]
    """
    plain = text.replace("\u2019", "'")
    if NOT_GENERAL.search(plain) or references(plain):
        return False
    sentences = [s for s in SENTENCES.split(plain) if s.strip()]
    firsts = [n.split()[0].lower() for n in names if n.strip()]
    naming = [s for s in sentences if any(f in s.lower() for f in firsts)] or sentences
    return bool(naming) and all(ASKS.search(s) for s in naming)
