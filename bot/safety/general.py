"""A question that asks what causes a condition, or what it is, of nobody: no finding.

    general("What actually causes pressure sores?")               -> True
    general("Is a pressure sore the same thing as a bedsore?")    -> True
    general("Is massage safe with osteoporosis?")                 -> False  (a contraindication question)
    general("Why is my ankle swollen?")                           -> False  (someone's own)

The articles explain their conditions (what causes pressure sores, why
steroids thin the bones), and people ask about them to understand. Such a
question gets the passage that explains, not "ask your doctor first". It is
general only when the whole message is one question, in one clause, in one
of the explaining forms of ASKS ("what causes ...", "why do ...", "how common
is ...", "is ... the same as ...", "can ... cause ..."), and it names
- nobody: no "I", "my", "mine", "you", "her", "his", "they", no person or kin
  ("mum", "Dad's", "the wife"), no name with "'s" ("John's"), no one who has or
  gets it but people in general ("Why does the old man have ...?", but "Why do
  people with MS get ...?"), no body part of someone's ("the legs"),
- no massage, bodywork, technique, therapist or session (a question about
  massage with a condition is a contraindication question, whoever asks),
- no safety, permission or advice ("safe", "risk", "precautions", "best", "need"),
- nothing of now or of a case ("today", "lately", "diagnosed", "like this", a number, "if"),
- and no "it", "one", "this", "that": in a chat about massage, "one" is a massage.

Conditions only, and never a heat or cold treatment (an `avoidable` row: the
session's, whoever asks): a red flag is never cleared here. match.check reads
only the newest message this way, and only when no earlier one names anybody.
Words only, in the reviewable table below.
"""

from __future__ import annotations

import re

from bot.safety.person import PEOPLE_WORDS, references

# The explaining forms: the message must open with one of them.
ASKS = re.compile(
    r"^(?:(?:so|and|ok|okay)\s+)?(?:"
    r"what(?:'s|s| is)?\s+(?:actually\s+|usually\s+|really\s+|exactly\s+)?"
    r"(?:causes?|leads? to|is behind|'s behind|behind|brings? on)\b"
    r"|why\s+(?:do|does|did|are|is)\b"
    r"|how\s+(?:common|likely|rare)\s+(?:is|are)\b"
    r"|how\s+(?:do|does)\s+.{1,40}\b(?:form|develop|start|happen|begin|occur)s?\s*\??$"
    r"|(?:is|are)\s+.{1,40}\b(?:the same(?: thing)? as|different from|a kind of|a type of|another word for)\b"
    r"|(?:can|could|do|does)\s+.{1,50}\b(?:cause|lead to|weaken|thin)\b"
    r")",
    re.I,
)
# Anything of a person, of massage, of advice, of now or of a case.
NOT_GENERAL = re.compile(
    # somebody
    r"\b(i|me|my|mine|myself|you|your|yours|yourself|u|ur|we|us|our|ours|he|she|him|her|hers|his"
    r"|they|them|their|theirs|ma|mah|someone|somebody|anyone|anybody|one|it|this|that|these|those)\b"
    rf"|\b({PEOPLE_WORDS})('?s)?\b"
    # massage, bodywork, a technique, a session
    r"|\b(ma+s{1,3}a*g\w*|rubs?|rubbing|rubdowns?|bodywork|shiatsu|acupressure|rolfing|aston|feldenkrais"
    r"|alexander|trager|reflexology|therapists?|masseuses?|masseurs?|sessions?|treat\w*|touch\w*|knead\w*"
    r"|pressure points?|pressure on|oils?|stones?|saunas?|drainage|mld|cupping|deep tissue|face down|lying"
    r"|strokes?|stretch\w*|exercis\w*)\b"
    # safety, permission, advice
    r"|\b(safe\w*|ok|okay|fine|alright|allowed|risks?|risky|dangerous|danger|harm\w*|problems?|careful"
    r"|avoid\w*|should|shouldn'?t|must|need\w*|matters?|affect\w*|contraindicat\w*|worr\w*|bad|good|better"
    r"|best|right|enough|worse|help\w*|hurt\w*|wait|still|go ahead|precaution\w*|suitable|recommend\w*"
    r"|advi[sc]\w*|appropriate|trimester|signs?|symptoms?|tell|know)\b"
    # now, or a case
    r"|\b(now|today|tonight|yesterday|currently|at the moment|lately|recently|last|this (morning|week|evening)"
    r"|suddenly|sudden|just|again|if|when|whenever|since|after|diagnos\w*|found|got|like)\b"
    r"|\d",
    re.I,
)
# One clause: nothing that ends a sentence or joins another clause, but a closing "?".
CLAUSES = re.compile(r"[.!;:,\n()]|\?(?!\s*$)|\s[-\u2013\u2014]+\s|\s[-\u2013\u2014]+$")
# Somebody, in an earlier message: "Im 20 weeks", "My wife has MS".
PERSON = re.compile(
    r"\b(i|im|i'm|me|my|mine|myself|we|us|our|ours|he|she|him|her|hers|his|they|them|their|theirs"
    r"|ma|mah)\b"
    rf"|\b({PEOPLE_WORDS})('?s)?\b",
    re.I,
)
# Having or getting it, or being so ("why is ..."), said of a subject that may be somebody ("Why does the old man have
# swollen ankles?", "Why does Doris get sores?"), unless the subject is people in general;
# and a body part of someone's ("why do the legs swell").
HAVING = re.compile(r"\b(have|has|had|having|get|gets|getting|keep|keeps|keeping)\b", re.I)
BEING = re.compile(r"^(?:(?:so|and|ok|okay)\s+)?why\s+(is|are)\b", re.I)  # "why is doris swollen"
IN_GENERAL = re.compile(r"\b(people|ppl|folks|persons|patients|those)\b", re.I)
THE_BODY = re.compile(
    r"\bthe\s+(legs?|ankles?|feet|foot|arms?|hands?|skin|heels?|back|hips?|knees?|calf|calves|belly"
    r"|tummy|tailbone|bum|bottom|sacrum|joints?|neck|chest|head|eyes?)\b",
    re.I,
)
# Someone named: "John's", "Sarah has" (not "What has").
# Anyone's, however written: "doris's", "the neighbour's" (not "what's", "it's").
POSSESSIVE = re.compile(r"\b(?!(?:what|that|it|there|here|who|where|how|let|he|she|ms)'s\b)\w+'s\b", re.I)
NAMED = re.compile(r"\b(?!(?:What|Why|How|Who|Which|Where|When|Does|Do|Is|Are|Can|Could)\b)"
                   r"[A-Z][a-z]+('s|\s+(has|have|had|got))\b")


def general(text: str) -> bool:
    """Is the message one question about what a condition is or what causes it, of nobody?

    >>> [general(m) for m in ("What actually causes pressure sores?",
    ...     "Can the steroids used for relapses weaken bones over time?")]
    [True, True]
    >>> [general(m) for m in ("Is massage safe with osteoporosis?", "osteoporosis?",
    ...     "What about osteoporosis?", "Why do I have osteoporosis?", "Why are her legs so swollen?",
    ...     "How common is osteoporosis in MS? Diagnosed in March.", "Why does John have a pressure sore")]
    [False, False, False, False, False, False, False]
    """
    from bot.safety.match import APOSTROPHES, plain

    said = " ".join(APOSTROPHES.sub("'", plain(text)).split())
    if CLAUSES.search(said) or NAMED.search(said) or POSSESSIVE.search(said) or NOT_GENERAL.search(said) \
            or references(said):
        return False
    if ((HAVING.search(said) or BEING.search(said)) and not IN_GENERAL.search(said)) or THE_BODY.search(said):
        return False
    return bool(ASKS.search(said))


def of_nobody(text: str) -> bool:
    """Does an earlier message name nobody (so that a general question after it is of nobody too)?

    >>> of_nobody("What is Swedish massage?"), of_nobody("My wife has MS"), of_nobody("Im 20 weeks")
    (True, False, False)
    """
    from bot.safety.match import APOSTROPHES, plain

    said = APOSTROPHES.sub("'", plain(text))
    return not (PERSON.search(said) or NAMED.search(said) or references(said) or re.search(r"\d", said))


