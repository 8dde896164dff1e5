"""Pydantic models of the knowledge base: causes, questions, self-care, prevention, warnings."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from knowledge.learned import LearnedModel

CAUSE_IDS: tuple[str, ...] = (
    "fatigue", "dehydration", "warmup", "nerve", "rest",
    "stress", "condition", "nutrition", "form", "overexertion",
)
QUESTION_IDS: tuple[str, ...] = ("normal", "prevent", "stress", "concern", "underlying", "manage")
SELF_CARE_IDS: tuple[str, ...] = (
    "heat_cold", "stretch", "massage", "hydrate", "rest_days", "relax",
)
TRIAGE_LEVELS: tuple[str, ...] = ("self_care", "see_doctor", "urgent")

Level = Literal["see_doctor", "urgent"]


class _Entry(BaseModel):
    """Common settings: unknown keys are errors, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def _non_empty(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values]
    if any(not v for v in cleaned):
        raise ValueError("empty phrase in list")
    return cleaned


class Compose(_Entry):
    """A sign made of word families found near each other ("pee" ... "cola-coloured")."""

    groups: list[list[str]] = Field(min_length=2, description="one word of each, near")
    reach: int = Field(default=5, ge=1, description="words allowed between first and last")
    ordered: bool = Field(default=False, description="the groups must come in this order")
    unless: list[str] = Field(
        default_factory=list, description="a word of these in or next to the span cancels it")
    weight: float = Field(default=1.0, gt=0, le=1, description="how much one find counts")

    @field_validator("unless")
    @classmethod
    def _single_words(cls, values: list[str]) -> list[str]:
        """`unless` is checked word by word: "spot on" would cancel on every "on"."""
        several = [v for v in values if len(v.split()) != 1]
        if several:
            raise ValueError(f"unless takes single words, not {several[0]!r}")
        return values


class Cause(_Entry):
    """One of the article's ten causes, with the words people use for it."""

    id: str
    title: str = Field(min_length=1)
    section: str = Field(min_length=1, description="the article section it comes from")
    summary: str = Field(min_length=1, description="one chat-sized line")
    why: str = Field(min_length=1, description="the longer explanation, in our words")
    phrases: list[str] = Field(min_length=1, description="how people describe it")
    cues: list[str] = Field(default_factory=list, description="single words that hint at it")
    against: list[str] = Field(default_factory=list, description="phrases that deny it")
    weight: float = Field(
        default=1.0, gt=0.0, le=2.0,
        description="how much its evidence counts; below 1 for an everyday default (fatigue)")
    lacks: list[str] = Field(
        default_factory=list,
        description="what protects from it (water, warm-up, sleep): missing it points here, "
                    "having it counts against")
    compose: list[Compose] = Field(
        default_factory=list, description="the cause as word families near each other")
    self_care: list[str] = Field(min_length=1)
    prevention: list[str] = Field(min_length=1)

    _check_phrases = field_validator("phrases", "cues", "against", "lacks")(_non_empty)


class Question(_Entry):
    """One of the article's six questions with its answer."""

    id: str
    section: str = Field(min_length=1)
    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    paraphrases: list[str] = Field(min_length=1)

    _check_phrases = field_validator("paraphrases")(_non_empty)


class SelfCareStep(_Entry):
    """One step of the article's "manage" list."""

    id: str
    section: str = Field(min_length=1)
    label: str = Field(min_length=1, description="a short button-sized name")
    text: str = Field(min_length=1)


class PreventionTip(_Entry):
    """A prevention tip from the article."""

    id: str
    section: str = Field(min_length=1)
    label: str = Field(min_length=1)
    text: str = Field(min_length=1)


class WarningSign(_Entry):
    """A sign that needs a professional (see_doctor) or emergency care (urgent)."""

    id: str
    level: Level
    label: str = Field(min_length=1)
    advice: str = Field(min_length=1, description="what to do, said first in the reply")
    phrases: list[str] = Field(min_length=1)
    source: Literal["article", "safety"]
    section: str | None = None
    reference: str | None = None
    requires: list[str] = Field(
        default_factory=list, description="one of these must be in the same sentence too")
    excludes: list[str] = Field(
        default_factory=list, description="right before a phrase, these words cancel it")
    excludes_after: list[str] = Field(
        default_factory=list, description="right after a phrase, these words cancel it")
    attach: bool = Field(
        default=False, description="the phrase must sit in a clause about the twitching")
    implies: list[str] = Field(
        default_factory=list, description="cause ids this sign points to (rhabdo: overexertion)")
    compose: list[Compose] = Field(
        default_factory=list, description="the sign as word families near each other")

    _check_phrases = field_validator("phrases", "requires", "excludes", "excludes_after")(
        _non_empty)


class Lexicon(_Entry):
    """Language helpers for the matcher: slang, negation, topic words."""

    slang: dict[str, str] = Field(default_factory=dict)
    negations: list[str] = Field(default_factory=list, description="single words")
    contrasts: list[str] = Field(default_factory=list)
    topic: list[str] = Field(default_factory=list, description="words of twitching or cramping")
    stopwords: list[str] = Field(default_factory=list)
    # Optional helpers of the full matcher (knowledge/matcher.py); all default to empty.
    lemmas: dict[str, str] = Field(default_factory=dict, description="irregular forms: drank")
    emoji: dict[str, str] = Field(default_factory=dict, description="emoji read as a word")
    keep: list[str] = Field(default_factory=list, description="real words never typo-repaired")
    boundaries: list[str] = Field(default_factory=list, description="words ending a negation")
    units: dict[str, str] = Field(default_factory=dict, description="unit word -> quantity")
    long_amounts: dict[str, float] = Field(default_factory=dict,
                                           description="quantity -> amount that counts as long")
    weak_topic: list[str] = Field(default_factory=list,
                                  description="twitch words only next to a body part")
    body: list[str] = Field(default_factory=list, description="muscles and body parts")
    deficits: list[str] = Field(default_factory=list, description="skipped, barely, ran out")
    sufficient: list[str] = Field(default_factory=list, description="plenty, always, enough")
    good: list[str] = Field(default_factory=list, description="fine, on point, solid")
    bad: list[str] = Field(default_factory=list, description="sloppy, trash, off")
    issue_words: list[str] = Field(default_factory=list,
                                   description="'X is not the issue': issue, problem, reason")
    fillers: list[str] = Field(default_factory=list, description="skipped when reading scope")
    question_starts: list[str] = Field(default_factory=list,
                                       description="words that open a question")
    neutral: list[str] = Field(
        default_factory=list, description="phrases that mean no cause: 'push day', 'how long'")
    amounts: dict[str, list[float]] = Field(
        default_factory=dict, description="quantity -> [below is too little, from is plenty]")

    @field_validator("negations")
    @classmethod
    def _negations_are_words(cls, values: list[str]) -> list[str]:
        # each word of a negation counts alone: "ruled out" would make every "out" a "not"
        several = [v for v in values if len(v.split()) > 1]
        if several:
            raise ValueError(f"negations are single words, not {several[0]!r}")
        return values


class Knowledge(_Entry):
    """The whole validated knowledge base."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    causes: tuple[Cause, ...]
    questions: tuple[Question, ...]
    self_care: tuple[SelfCareStep, ...]
    prevention: tuple[PreventionTip, ...]
    warnings: tuple[WarningSign, ...]
    lexicon: Lexicon
    disclaimer: str
    source_title: str
    learned: LearnedModel | None = None  # learned.json: word weights from the tuning set
    dictionary: frozenset[str] = frozenset()  # words.txt: real words typo repair leaves alone

    def cause(self, cause_id: str) -> Cause:
        return next(c for c in self.causes if c.id == cause_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def step(self, step_id: str) -> SelfCareStep:
        return next(s for s in self.self_care if s.id == step_id)

    def tip(self, tip_id: str) -> PreventionTip:
        return next(t for t in self.prevention if t.id == tip_id)

    def warning(self, warning_id: str) -> WarningSign:
        return next(w for w in self.warnings if w.id == warning_id)
