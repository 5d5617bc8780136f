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
    ],
)
def test_rules(question, rule):
    assert rule_for(question) == rule
