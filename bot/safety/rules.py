"""The safety rules table: `rules.yaml`, loaded and checked.

The table is data a clinician reviews line by line; this module only reads
it into typed, frozen rows and refuses a file it cannot trust (a misspelt
key, a missing field, a group it does not define, a question with a slot
it does not know), naming the problem. How its words are matched is
bot/safety/match.py.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.errors import GuideError

RULES_FILE = Path(__file__).with_name("rules.yaml")

# Whom a reply speaks about, and the words for that person in the questions
# for the doctor: "Is massage safe for {my} bones?" -> "... for her bones?".
PEOPLE: dict[str, dict[str, str]] = {
    "self": {"my": "my", "me": "me", "I": "I", "I've": "I've", "am_I": "am I", "your": "your"},
    "her": {"my": "her", "me": "her", "I": "she", "I've": "she's", "am_I": "is she", "your": "her"},
    "him": {"my": "his", "me": "him", "I": "he", "I've": "he's", "am_I": "is he", "your": "his"},
    "them": {"my": "their", "me": "them", "I": "they", "I've": "they've", "am_I": "are they", "your": "their"},
}
Person = Literal["self", "her", "him", "them"]


class RulesError(GuideError):
    """The safety rules file is missing or malformed: the guide will not start."""


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Passage(_Row):
    source: str  # corpus file name
    quote: str  # verbatim, as it stands in that file


class Rule(_Row):
    """A condition (route ask_doctor) or a red flag (route emergency)."""

    id: str
    name: str  # how the reply names it
    checklist: str = ""  # its label in the concern check, when not `name`
    terms: tuple[str, ...] = Field(min_length=1)
    misspellings: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    kind: Literal["condition", "medical", "crisis"] = "condition"
    name_words: bool = False  # the reply also quotes the words found (for a catch-all row)
    recent: bool = False  # only one now counts: the context's `history` cues clear one long past
    avoidable: bool = False  # a treatment: turning it down is no finding (`avoidance` cues)
    guidance: tuple[Passage, ...] = ()
    ask: tuple[str, ...] = ()  # questions to bring to the doctor, with {my}-style slots (PEOPLE)

    def questions(self, person: Person = "self") -> list[str]:
        """The questions for the doctor, about `person`: "Is massage safe for her bones?"."""
        return [q.format_map(PEOPLE[person]) for q in self.ask]


class Symptom(_Row):
    """A symptom the articles say massage may ease (the concern check)."""

    id: str
    name: str
    guidance: tuple[Passage, ...] = Field(min_length=1)


class Wording(_Row):
    ask_doctor: str
    meanwhile: str
    tell_therapist: str
    emergency: str
    crisis: str


class Context(_Row):
    """Words around a condition that make it no finding (ConText-style cues).

    Each cue reaches up to `scope` words, within its clause, and stops at a
    word of `closes`. Of these cues only prevention clears a medical red flag,
    and nothing clears a crisis.
    """

    scope: int = Field(ge=1, le=12)  # how many words a cue reaches
    closes: tuple[str, ...] = ()  # words that end a cue's reach ("but", "and")
    speaker: tuple[str, ...] = ()  # end it too, but for `history`: "I", "my"
    negation: tuple[str, ...] = ()  # before the condition: "not", "never had"
    negation_after: tuple[str, ...] = ()  # after it: "ruled out", "free"
    not_negation: tuple[str, ...] = ()  # look like a cue, are not: "not sure if", "cancer patient"
    other: tuple[str, ...] = ()  # not the person's own, either side: "my dog", "star sign"
    prevention: tuple[str, ...] = ()  # before it: "prevent", "risk of"
    history: tuple[str, ...] = ()  # either side, for a `recent` row only: "years ago", "as a kid"
    avoidance: tuple[str, ...] = ()  # either side, for an `avoidable` row only: "I skip the sauna"
    recency: tuple[str, ...] = ()  # in a clause, they stop `history`: "yesterday", "this week"
    plain: tuple[str, ...] = ()  # words that stand only for themselves: "soreness" is not "sores"
    definition: tuple[str, ...] = ()  # asking what a word means, right before it: "what is", "explain"
    definition_after: tuple[str, ...] = ()  # all the sentence may say after the word then: "exactly"


class Learned(_Row):
    """How sure the learned key must be before its finding counts, and the
    context reader before it clears a condition or a medical red flag the
    rules found, or an earlier turn's condition read with the turns after it."""

    red_flag: float = Field(gt=0, lt=1)
    condition: float = Field(gt=0, lt=1)
    clear: float = Field(gt=0.5, lt=1)
    clear_red_flag: float = Field(gt=0.5, lt=1)
    clear_later: float = Field(gt=0.5, lt=1)

    @model_validator(mode="after")
    def _the_others_need_more(self) -> Learned:
        for name in ("clear_red_flag", "clear_later"):
            if getattr(self, name) < self.clear:
                raise ValueError(f"{name} must be at least clear: the reader must be surer there "
                                 "than in a condition's own message")
        return self


class Rules(_Row):
    groups: dict[str, tuple[str, ...]] = {}
    context: Context
    learned: Learned
    conditions: tuple[Rule, ...] = Field(min_length=1)
    red_flags: tuple[Rule, ...] = Field(min_length=1)
    wording: Wording
    therapist_guidance: Passage
    symptoms: tuple[Symptom, ...] = ()
    doctor_first: Passage | None = None
    therapist_briefing: tuple[Passage, ...] = ()

    def passages(self) -> list[Passage]:
        """Every passage the table quotes, once each."""
        found = [p for row in self.conditions + self.symptoms for p in row.guidance]
        found += [self.therapist_guidance, *self.therapist_briefing]
        found += [self.doctor_first] if self.doctor_first else []
        return list(dict.fromkeys(found))


def past_years(today: date | None = None) -> tuple[str, ...]:
    """The group {past_year}: 1900 up to two years before this one ("back in
    2019"), made at load time so that the table does not age."""
    return tuple(str(y) for y in range(1900, (today or date.today()).year - 1))


def load_rules(path: Path = RULES_FILE) -> Rules:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rules = Rules.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError) as exc:
        raise RulesError(f"The safety rules in {path} cannot be used: {exc}") from exc
    if "past_year" in rules.groups:
        raise RulesError(f"{path} defines the group past_year, which the loader writes itself.")
    rules = rules.model_copy(update={"groups": {**rules.groups, "past_year": past_years()}})
    ids = [r.id for r in rules.conditions + rules.red_flags + rules.symptoms]
    if twice := sorted({i for i in ids if ids.count(i) > 1}):
        raise RulesError(f"{path} has more than one row with the id {', '.join(twice)}.")
    for rule in rules.conditions:
        if rule.kind != "condition" or not rule.guidance:
            raise RulesError(f"Condition {rule.id!r} in {path} needs kind 'condition' and guidance.")
    for rule in rules.red_flags:
        if rule.kind == "condition":
            raise RulesError(f"Red flag {rule.id!r} in {path} needs kind 'medical' or 'crisis'.")
    undefined = {
        g for rule in rules.conditions + rules.red_flags
        for term in rule.terms + rule.misspellings + rule.unless
        for g in re.findall(r"\{(\w+)\}", term) if g not in rules.groups
    }
    if undefined:
        raise RulesError(f"{path} uses groups it does not define: {', '.join(sorted(undefined))}")
    for rule in rules.conditions:
        for question in rule.ask:
            try:
                rule.questions("her")
            except (KeyError, ValueError, IndexError) as exc:
                raise RulesError(
                    f"Condition {rule.id!r} in {path} has a question with an unknown slot "
                    f"({exc}); use {', '.join('{' + k + '}' for k in PEOPLE['self'])}: {question!r}"
                ) from exc
    return rules
