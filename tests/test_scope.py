"""Out of scope: what the articles do not answer gets the fixed, kind reply.

The two tables of evals/gold.py are the measurement behind the relevance
settings (`relevance_floor`, the GENERAL_MS anchors): real questions a
person might type, each on the side it must fall.
"""

import pytest

from bot.safety import check
from bot.scope import EXAMPLES, OUT_OF_SCOPE_TEXT, rule_for
from evals.gold import IN_SCOPE, OUT_OF_SCOPE
from tests.conftest import ask

@pytest.mark.slow
@pytest.mark.parametrize("question", OUT_OF_SCOPE)
def test_out_of_scope(guide, question):
    reply = ask(guide, question)
    assert reply.route == "out_of_scope"
    assert reply.text == OUT_OF_SCOPE_TEXT and reply.citations == []


@pytest.mark.slow
@pytest.mark.parametrize("question", IN_SCOPE)
def test_in_scope(guide, question):
    # answered, or (when it names a condition) sent to the doctor with the guidance
    assert ask(guide, question).route == ("ask_doctor" if check([question]).route else "answer")


def test_the_reply_says_what_the_guide_does_and_offers_examples():
    assert "massage and bodywork for people with multiple sclerosis" in OUT_OF_SCOPE_TEXT
    assert "doctor" in OUT_OF_SCOPE_TEXT
    for example in EXAMPLES:
        assert f"- {example}" in OUT_OF_SCOPE_TEXT


@pytest.mark.parametrize(
    "question, rule",
    [
        ("What dose of baclofen should I take?", "medicine doses"),
        ("Is 10 mg enough?", "medicine doses"),
        ("what dosage of steroids", "medicine doses"),
        ("Write a poem about massage", "writing tasks"),
        ("Could you draft an email to my therapist", "writing tasks"),
        ("can you write me a short story", "writing tasks"),
        ("How does yoga help MS?", "other treatments"),
        ("Does tai chi help MS balance?", "other treatments"),
        ("Which disease-modifying therapy is best for me?", "choice of medicines"),
        ("Can you book me an appointment?", "errands"),
        ("Could you please call my neurologist?", "errands"),
        ("Can you remind me to stretch?", "errands"),
        ("Should I take baclofen for spasticity?", "choice of medicines"),
        ("Should I take baclofen before my massage?", "choice of medicines"),  # massage or not
        ("Can I take a painkiller before a massage?", "choice of medicines"),
        ("What is the best medication for MS?", "choice of medicines"),
        ("Do I have MS?", "diagnosis"),
        ("Could this be MS?", "diagnosis"),
        ("What's wrong with me?", "diagnosis"),
        ("Does insurance cover massage?", "prices, insurance and devices"),
        ("Can I use a massage gun?", "prices, insurance and devices"),
        # look-alikes that are not out of scope by rule
        ("I take baclofen; can massage help my spasticity?", None),  # asks about massage
        ("Is yoga or massage better for stiffness?", None),
        ("Do steroids weaken bones?", None),  # the articles answer this
        ("Can corticosteroid drugs weaken my bones?", None),  # and this
        ("I take baclofen, can I get a masage?", None),  # misspelt massage
        ("On these pills, is a massge safe?", None),
        ("I'm on medication, can I have a back rub?", None),  # plain words
        ("Can I get a massage with a pacemaker device?", None),  # a device, not a purchase
        ("Which pills help spasticity, a message said", "choice of medicines"),
        ("Could I have trouble walking after a massage?", None),  # not a diagnosis
        ("Do I have to tell my therapist?", None),
        ("Is it normal to feel tired after a massage?", None),  # "message" is not massage
        ("Can massage help with MS fatigue?", None),
        ("Who should write to my doctor?", None),
        ("Is massage safe in my dorm?", None),
        ("Should I book a massage during a relapse?", None),  # asks, not an errand
        ("Could you remind me what Swedish massage is?", None),  # asks again
        ("Can you order the massage types from gentle to firm?", None),
        ("Can you call it a massage if it is gentle?", None),
        ("Can you text me the answer?", "errands"),
        ("Could you arrange a massage for my mum?", "errands"),
        ("Can you tell me about shiatsu?", None),
        ("Does massage help tai chi practice?", None),  # massage named
        # what the articles never say, however much it is about massage
        ("Will Medicare pay for massage therapy for my MS?", "prices, insurance and devices"),
        ("Does the NHS cover massage?", "prices, insurance and devices"),
        ("Is a Theragun worth buying?", "prices, insurance and devices"),
        ("Which massage oil is best, lavender or arnica?", "prices, insurance and devices"),
        ("My NHS physio says massage may help; is that right for spasticity?", None),  # no payment asked
        ("How often should I get a massage?", "how often and how long"),
        ("How long should each session be?", "how often and how long"),
        ("How often should I tell my therapist about new symptoms?", None),  # before each session
        ("How much should I tip my massage therapist?", "arrangements"),
        ("What should I wear to a massage?", "arrangements"),
        ("do i have to get undressed for a massage", "arrangements"),
        ("Can I ask for a female massage therapist?", "arrangements"),
        ("Should I drink lots of water after a massage to flush out toxins?", "arrangements"),
        ("Any tips for finding a therapist who knows MS?", None),  # tips, not a tip
        ("How do I get certified to do massage for people with MS?", "training to give massage"),
        ("Are there massage courses for carers?", "training to give massage"),
        ("What training should my massage therapist have?", None),  # the articles say
        ("What studies show massage helps MS?", "research and figures"),
        ("What percentage of people with MS get fatigue?", None),  # about 80%, the articles say
        ("Step by step, how do I massage my husband's calves?", "how to do it"),
        ("Teach me how to do a foot rub for my mum", "how to do it"),
        ("Is Reiki any good for MS?", "therapies the articles do not describe"),
        ("What is reflexology?", "therapies the articles do not describe"),
        ("Is acupressure like acupuncture?", None),  # the articles say so
        ("What is the Feldenkrais method?", None),  # named among the kinds of bodywork
        ("should I cut out gluten for my ms", "other treatments"),
        ("Is there any research on massage for MS?", "research and figures"),
        ("How much is a massage session?", "prices, insurance and devices"),
        ("Is massage available on the NHS?", "prices, insurance and devices"),
        # look-alikes the articles answer, or that only mention such words
        ("Will massage change the course of my MS?", None),
        ("Of course I'll ask my doctor, but can massage help my pain?", None),
        ("Is a course of massage good for spasticity?", None),
        ("What certification should my massage therapist have?", None),
        ("Is a massage worth getting for MS fatigue?", None),
        ("Teach me about shiatsu", None),
        ("Show me how massage can help with MS", None),
        ("How do I give my massage therapist information about my symptoms?", None),
        ("Can I have a massage on skin covered by a sore?", None),
        ("I have a massage once a week. Can it help my spasticity?", None),
        ("How do I find a female massage therapist who knows MS?", None),
        ("Can I let my therapist know how often I get spasms?", None),
        ("Can massage help me study better?", None),
    ],
)
def test_rules(question, rule):
    assert rule_for(question) == rule
