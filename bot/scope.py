"""What the guide does not answer, and the fixed reply that says so.

The safety layer (bot/safety.py) runs before both and wins over them.
Two checks decide that a question is out of scope:
1. the rules below: requests the articles can never answer well (medicine
   doses, which medicine to take, a diagnosis, writing tasks, errands), whatever
   retrieval finds;
2. relevance, decided in `bot.chat`: no passage is close enough in meaning
   (the floor), or the question is closer to MS in general than to any
   passage (GENERAL_MS below).
"""

from __future__ import annotations

import re

# Words that put a question on the articles' ground: massage or bodywork, misspelt too
# ("masage", "massge", "masssage") or in plain words ("a back rub").
COVERED = re.compile(
    r"\b(ma+s{1,3}a*g\w*|rubs?|rubdowns?|bodywork|shiatsu|acupressure|rolfing|aston"
    r"|feldenkrais|alexander technique|trager|reflexology"
    # the articles speak of these medicines themselves (they weaken bones)
    r"|(cortico)?steroids?)\b",
    re.I,
)

# Medicines by kind and by name (the common MS ones), as a regular expression.
MEDICINES = (
    r"medications?|medicines?|meds|drugs?|pills?|tablets?|painkillers?|supplements?|vitamins?"
    r"|baclofen|tizanidine|gabapentin|pregabalin|fampridine|ampyra|ocrevus|ocrelizumab|tysabri"
    r"|natalizumab|copaxone|tecfidera|gilenya|kesimpta|aubagio|mavenclad|interferon|dmts?"
    r"|disease[- ]modifying (therap(y|ies)|treatments?|drugs?)"
    r"|ibuprofen|paracetamol|acetaminophen|aspirin|opioids?|muscle relaxants?"
)

# (what it is, pattern, unless). A question matching `pattern` is out of scope,
# unless it also matches `unless`. Reviewed as a table; each row is tested.
RULES: list[tuple[str, re.Pattern[str], re.Pattern[str] | None]] = [
    (
        "medicine doses",
        re.compile(r"\b(doses?|dosages?|dosing|milligrams?|\d+\s*mg|how many (pills|tablets))\b", re.I),
        None,
    ),
    (
        "writing tasks",
        re.compile(
            r"^\W*(please\s+|can you\s+|could you\s+)?(write|compose|draft|generate|make up)\b"
            r".{0,40}\b(poem|story|song|essay|joke|haiku|limerick|code|program|letter|email)s?\b",
            re.I,
        ),
        None,
    ),
    (
        # Which medicine to take, start or stop is for the doctor, even with massage in it.
        "choice of medicines",
        re.compile(
            r"\b(should|can|could|do|must) (i|we|she|he|they) (take|start|stop|switch|try|use"
            r"|increase|reduce|lower|come off|go off)\b.{0,40}?\b(" + MEDICINES + r")\b"
            r"|\b(which|what|best|better) (" + MEDICINES + r")\b",
            re.I,
        ),
        None,
    ),
    (
        # A diagnosis is for the doctor: "Do I have MS?", "Could this be MS?"
        "diagnosis",
        re.compile(
            r"\b(do|could|might) i have (ms|multiple sclerosis)\b"
            r"|\b(could|might|can|is) (it|this|that) (be )?(ms|multiple sclerosis|serious)\b"
            r"|\bwhat('?s| is) wrong with (me|him|her)\b|\bdiagnose (me|my|this|it|what)\b",
            re.I,
        ),
        None,
    ),
    (
        # The articles are about massage and bodywork only: a question about
        # another treatment, with no word of massage (COVERED), is for the doctor.
        "other treatments",
        re.compile(
            r"\b(" + MEDICINES + r"|diet|yoga|tai chi|qigong|pilates|exercis\w*|physio\w*|cannabis"
            r"|cbd|marijuana|gluten|dairy|vegan|keto|fasting)\b",
            re.I,
        ),
        COVERED,
    ),
    (
        # The guide only answers: it cannot book, call, order or remind.
        "errands",
        re.compile(
            r"^\W*(please\s+)?(can|could|will|would) you\s+(please\s+)?"
            # the verb with whom or what it is done for: "order me", not "order the types"
            r"((book|schedule|arrange|order) (me|us|him|her|them|my|our|an?|some)"
            r"|(call|phone|ring|email|text) (me|us|him|her|them|my|our|an?)"
            r"|remind \w+ (to|when))\b",
            re.I,
        ),
        None,
    ),
    (
        "prices, insurance and devices",
        re.compile(
            r"\b(cost|costs|price|prices|insurance|insurer|afford\w*|cheap\w*|expensive"
            r"|buy|purchase|massagers?|massage (gun|chair|device|cushion|pillow|mat|ball|tool|stick)s?"
            r"|theragun|foam rollers?|gadgets?|worth (buying|the money)|how much (is|are) (a|an|the|each)"
            r"|(essential|cbd|lavender|arnica|massage) (oil|cream|lotion|balm)s?|which oils?|best oils?"
            r"|reimburs\w*|covered by (insurance|medicare|medicaid|the nhs|my (insurance|insurer|plan))|hsa|fsa"
            r"|(available|free) on the nhs"
            r"|(does|will|would|can) (the )?(nhs|medicare|medicaid|aetna|cigna|bupa|my (health )?(plan|insurer))"
            r" (pay|cover|fund))\b",
            re.I,
        ),
        None,
    ),
    (
        # The articles say what massage may help, never how often or how long.
        "how often and how long",
        re.compile(
            r"\bhow (often|frequently|regularly)\b|\bhow many (sessions|massages|times|treatments|minutes|hours)\b"
            r"|\bhow long (should|does|do|will|is|are) (a |the |each |every |my |our )?(session|massage|treatment"
            r"|appointment)s?\b|\b(best|what) time of (the )?day\b",
            re.I,
        ),
        # "how often should I tell my therapist?": before each session, the articles say
        re.compile(r"\b(tell|let (\w+ ){0,3}know)\b", re.I),
    ),
    (
        # Arrangements the articles leave to the person and the therapist.
        "arrangements",
        re.compile(
            r"\b(how much|should (i|we)|do (i|we|you)) tip\b|\btipping\b|\bwhat (should|do|to) (i|we|he|she) wear\b"
            r"|\bundress\w*|\bnaked\b"
            r"|\b(ask|asking|request|want|prefer) (for )?an? (male|female|man|woman) (massage )?(therapist|masseuse|masseur)\b"
            r"|\b(therapist|masseuse|masseur) be a (man|woman|male|female)\b"
            r"|\b(eat|food|a meal) before\b|\bempty stomach\b|\bdrink (\w+ )?water\b|\btoxins?\b",
            re.I,
        ),
        None,
    ),
    (
        "training to give massage",
        re.compile(
            r"\btrain(ing)? (to be|as) an?\b|\bbecome a (massage )?therapist\b|\b(get|getting|i become|i be) certified\b"
            r"|\b(massage|training) courses?\b|\bcourses (for|in|on)\b|\bhow long does it take to (train|qualify)\b",
            re.I,
        ),
        None,
    ),
    (
        # Figures the articles do not give (they give one: "about 80% ... tiredness").
        "research and figures",
        re.compile(
            r"\b(stud(y|ies) (show|shows|found|find|say|says|on|of|about|prove|proves)|clinical trials?"
            r"|research (on|shows|papers?|says|say)|is there (any )?research|what does the research|scientific evidence"
            r"|statistics|what percentage|what percent|how many people)\b",
            re.I,
        ),
        re.compile(r"\b(tired\w*|fatigue)\b", re.I),
    ),
    (
        # How to give a massage oneself: the articles describe what a therapist may do.
        "how to do it",
        re.compile(
            r"\bstep[- ]by[- ]step\b|\bteach me (how|to)\b|\bshow me how to\b"
            r"|\bhow (do|can|should|would) (i|we) (give|do) (a|an|her|him|them) (\w+ )?(massage|rub)\b"
            r"|\bhow (do|can|should) (i|we) massage (my|her|his|him|them)\b|\bhow to (give|do) an? (\w+ )?(massage|rub)\b",
            re.I,
        ),
        None,
    ),
    (
        # Therapies the articles do not name (reflexology only as a link to another page).
        "therapies the articles do not describe",
        re.compile(
            r"\b(reiki|cupping|thai massage|craniosacral|cranio-sacral|reflexolog\w*|lymphatic drainage"
            r"|chiropract\w*|osteopath\w*)\b",
            re.I,
        ),
        None,
    ),
]

# Questions about MS in general, not about massage. A question closer to one
# of these than to any passage of the articles is out of scope, however many
# words it shares with them ("What causes MS?").
GENERAL_MS = (
    "multiple sclerosis (MS)",
    "living with multiple sclerosis",
    "MS disease",
    "What is MS?",
)

EXAMPLES = (
    "Can massage help with MS fatigue?",
    "What is Swedish massage?",
    "How do I find a massage therapist who knows about MS?",
    "What should I tell my massage therapist?",
)

OUT_OF_SCOPE_TEXT = (
    "I'm sorry, I can't answer that from the articles I have. I answer questions "
    "about massage and bodywork for people with multiple sclerosis (MS), in English, "
    "using only a small set of vetted articles.\n\n"
    "Questions about medicines, doses or a diagnosis are for your doctor.\n\n"
    "You could ask, for example:\n\n" + "\n".join(f"- {q}" for q in EXAMPLES)
)


def rule_for(question: str) -> str | None:
    """The name of the out-of-scope rule the question falls under, if any."""
    for name, pattern, unless in RULES:
        if pattern.search(question) and not (unless and unless.search(question)):
            return name
    return None
