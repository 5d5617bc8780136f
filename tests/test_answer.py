"""Whole answers: short, quoted verbatim, every [n] cited, follow-ups, bad input."""

import re

import pytest

from bot.compose import ANAPHOR, QUOTE_BLOCK, quoted
from bot.errors import BadInput
from bot.safety import check
from bot.text import units
from tests.conftest import ask, check_citations, quotes
from tests.test_retrieval import TOP3

pytestmark = pytest.mark.slow


# The gold questions that name a condition go to the doctor (tests/test_safety.py).
ANSWERED = [(q, p) for q, p in TOP3 if check([q]).route is None]
DEFERRED = [q for q, _ in TOP3 if check([q]).route]


@pytest.mark.parametrize("question, phrase", ANSWERED)
def test_answers_quote_verbatim_and_cite(guide, question, phrase):
    reply = ask(guide, question)
    assert reply.route == "answer"
    check_citations(reply)
    lead = reply.text.splitlines()[0]  # one plain sentence, then the quotes
    assert lead.startswith(("The articles ", "Here is what the articles say about ")) and lead.endswith(":")
    assert len(units(lead)) == 1
    stands_alone(reply)
    assert "**Sources**" in reply.text
    # Short: a handful of sentences, never a pile of whole chunks.
    sentences = sum(len(units(q)) for q, _ in quotes(reply.text))
    assert 1 <= sentences <= guide.settings.max_quotes + 2
    assert len(reply.citations) <= 4


def stands_alone(reply):
    """No quote can be read as about something else: one that opens leaning on
    words not quoted ("This common symptom ...") is shown under its section's
    name, and so is the first quote of each source under another section than
    the first source's (which the lead speaks of)."""
    sections = {c.n: c.section for c in reply.citations}
    seen = set()
    for block in QUOTE_BLOCK.findall(reply.text):
        (quote, n), = quoted(block)
        label = re.match(r"> \*\*(.+?):\*\* ", block)
        if ANAPHOR.match(quote) or (sections[n] != sections[1] and n not in seen):
            assert label and label.group(1) == sections[n], block
        if label:
            assert label.group(1) == sections[n], block
        seen.add(n)


@pytest.mark.parametrize(
    "question, label, opens",
    [
        # the quote that describes spasticity without naming it stands under its name
        ("My legs go rigid by the evening, would a massage help?", "Spasticity", "This common symptom"),
        # a quote of another section than the lead's names its own
        ("Is it normal to feel unsteady after a massage?", "Side effects", "Some people say"),
    ],
)
def test_a_quote_that_needs_its_section_shows_it(guide, question, label, opens):
    reply = ask(guide, question)
    assert f"> **{label}:** {opens}" in reply.text, reply.text
    stands_alone(reply)


@pytest.mark.parametrize(
    "question, lead",
    [
        ("Does massage help spasticity?",
         "The articles say massage may ease spasticity, the stiffness and muscle spasms of MS, by relaxing the muscles:"),
        ("Can massage help with MS fatigue?", "The articles say a massage therapist may be able to ease MS fatigue:"),
        ("Will massage slow my MS down?",
         "The articles say massage won't change the course of MS, but it may ease some of its symptoms:"),
        ("What is shiatsu?",
         "The articles describe shiatsu as a Japanese treatment aimed at preventing conditions rather than healing them:"),
    ],
)
def test_the_lead_says_what_the_quotes_say(guide, question, lead):
    reply = ask(guide, question)
    assert reply.text.splitlines()[0] == lead


@pytest.mark.parametrize("question", DEFERRED)
def test_gold_questions_naming_a_condition_are_deferred_and_cited(guide, question):
    reply = ask(guide, question)
    assert reply.route == "ask_doctor"
    check_citations(reply)


def test_both_kinds_of_gold_question_are_there():
    assert len(ANSWERED) >= 20 and len(DEFERRED) >= 5


@pytest.mark.parametrize(
    "question, must_quote",
    [
        ("Can massage help with MS fatigue?", "ease your fatigue with gentle but vigorous strokes"),
        ("What is Swedish massage?", "vibration, kneading, and friction"),
        ("How do I find a massage therapist?", "American Massage Therapy Association"),
        ("What side effects can massage have?", "headache, muscle pain, and tiredness"),
        ("Does massage help spasticity?", "relaxing your muscles"),
        ("What should I tell my massage therapist?", "tell them what MS symptoms"),
        # guidance on pain: a real answer, with the article's own caution quoted
        ("Can massage help with MS pain?", "be sure to get your doctor's OK first"),
        ("Does massage help with pain?", "be sure to get your doctor's OK first"),
    ],
)
def test_the_answering_sentence_is_quoted(guide, question, must_quote):
    reply = ask(guide, question)
    assert reply.route == "answer"  # ordinary questions are not sent to the doctor
    assert any(must_quote in q for q, _ in quotes(reply.text)), reply.text


def test_sources_list_title_section_and_review(guide):
    reply = ask(guide, "Can massage help with MS fatigue?")
    sources = reply.text.split("**Sources**")[1]
    assert "- [1] *Massage and Multiple Sclerosis (MS)*, section \u201cFatigue\u201d." in sources
    assert "Medically reviewed by Christopher Melinosky, MD on June 3, 2024." in sources
    reply = ask(guide, "What is shiatsu?")
    assert "Multiple Sclerosis News Today." in reply.text.split("**Sources**")[1]


@pytest.mark.parametrize(
    "turns, must_cite",
    [
        (["Can massage help with MS fatigue?", "what about sleep?"], "Sleep woes"),
        (["What is Swedish massage?", "and the German one?"], "German massage"),
        (["What is shiatsu?", "and acupressure?"], "Acupressure"),
        (["Does massage help spasticity?", "what about pain?"], "Pain"),
        # a question only the one before explains
        (["Can massage help me sleep?", "How?"], "Sleep woes"),
        (["Can massage help with MS fatigue?", "ok but how does that actually work"], "Fatigue"),
        (["Where do I find a massage therapist who knows MS?", "what training should they have?"],
         "Finding a massage therapist"),
    ],
)
def test_follow_ups_use_the_conversation(guide, turns, must_cite):
    reply = ask(guide, *turns)
    assert reply.route == "answer"
    assert reply.citations[0].section == must_cite
    check_citations(reply)


def test_a_new_topic_is_not_dragged_back_to_the_old_one(guide):
    reply = ask(guide, "Can massage help with MS fatigue?", "What is Swedish massage?")
    assert reply.citations[0].section == "Swedish massage"


@pytest.mark.parametrize(
    "question, must_quote",
    [
        # lay words find the section that answers, not the articles' general opening
        ("I've been feeling low and flat lately and my MS nurse said to look for things that lift my mood."
         " Could massage help with that?", "anxiety and depression"),
        ("my legs are so stiff by the evening, would a massage help?", "stiffness and muscle spasms"),
        ("my ankles and knees don't bend as far as they used to. can massage help?", "range of motion"),
        ("can a massage give me a bit more energy? I'm always drained", "ease your fatigue"),
        # a lead-in that is all its section says is quoted: the answer to "does it slow MS?"
        ("Will massage slow my MS down?", "Massage won't change the course of your MS"),
    ],
)
def test_the_section_that_answers_is_quoted(guide, question, must_quote):
    reply = ask(guide, question)
    assert reply.route == "answer"
    assert any(must_quote in q for q, _ in quotes(reply.text)), reply.text


@pytest.mark.parametrize(
    "turns",
    [
        ["Can massage help with MS fatigue?", "what about the weather?"],
        # a rule holds in a follow-up too, and MS in general stays out of scope
        ["Can massage help me sleep?", "Does a keto diet help with that?"],
        ["Can massage help with MS fatigue?", "What causes MS and is it hereditary?"],
        ["Can massage help my MS symptoms?", "How often should I have it?"],
    ],
)
def test_an_off_topic_follow_up_is_out_of_scope(guide, turns):
    assert ask(guide, *turns).route == "out_of_scope"


@pytest.mark.parametrize(
    "question, follow_up",
    [
        ("what about sleep?", True), ("How?", True), ("why is that", True),
        ("what training should they have?", True), ("and the German one?", True),
        ("What is Swedish massage?", False), ("Is it safe to have a massage with MS?", False),
        ("What causes MS and is it hereditary?", False),
        # a how or why that leans on the answer before, after "ok", "so", "but"
        ("ok but how does that actually work", True), ("how does that help?", True),
        ("okay, and for sleep?", True), ("How often should I get a massage?", False),
        ("how is massage done for someone in a wheelchair?", False),
        # a new question that starts with how or why and says "it" is no follow-up
        ("How does massage help with MS and is it safe?", False), ("How long does it take to feel better?", False),
        ("Why is this happening to me?", False), ("How do I know if it is safe for me?", False),
        ("and can you tell me every single thing the articles say about massage for MS?", False),  # too long
    ],
)
def test_what_counts_as_a_follow_up(question, follow_up):
    from bot.chat import is_follow_up

    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    "messages, why",
    [
        ([], "empty"),
        ("What is shiatsu?", "list"),
        ([{"role": "user", "content": ""}], "empty"),
        ([{"role": "user", "content": " \n\t "}], "empty"),  # whitespace only
        ([{"role": "user"}], "content"),
        ([{"role": "user", "content": 42}], "content"),
        ([{"role": "system", "content": "Hi"}], "role"),
        (["What is shiatsu?"], "object"),
        ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}], "last message"),
        (None, "list"),
    ],
)
def test_bad_conversations_are_refused_with_the_reason(guide, messages, why):
    with pytest.raises(BadInput, match=why):
        guide.answer(messages)


def test_a_very_long_question_is_cut_with_a_notice(guide):
    question = "Can massage help with MS fatigue? " + "really " * 3000  # ~21,000 characters
    assert len(question) > 20_000
    reply = ask(guide, question)
    assert reply.text.startswith("*Your message was long")
    assert reply.route in ("answer", "out_of_scope")
    check_citations(reply)


@pytest.mark.parametrize(
    "question",
    [
        "<script>alert('x')</script> Can massage help with fatigue?",
        '<img src=x onerror="alert(1)"> What is shiatsu?',
        "<b>What is Swedish massage?</b>",
    ],
)
def test_html_is_never_echoed(guide, question):
    reply = ask(guide, question)
    assert reply.route == "answer"
    assert "<script" not in reply.text and "onerror" not in reply.text and "<img" not in reply.text
    check_citations(reply)


@pytest.mark.parametrize(
    "question",
    [
        "¿Puede el masaje ayudar con la fatiga de la esclerosis múltiple?",  # Spanish
        "按摩对多发性硬化症有帮助吗？",  # Chinese
        "Hilft Massage bei MS?",  # German
        "\u202e\u200b🙂 ✨",  # control and emoji only
    ],
)
def test_other_languages_get_a_valid_reply(guide, question):
    reply = ask(guide, question)
    assert reply.route in ("answer", "out_of_scope")
    check_citations(reply)
