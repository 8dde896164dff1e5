"""The matcher's result: the `aftertwitch match` JSON contract of design.md §2 as dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TRIAGE_ORDER = {"self_care": 0, "see_doctor": 1, "urgent": 2}
# A follow-up read as about the twitch ("it's been three weeks now") is matched with this in
# front: no punctuation, so the follow-up stays in the same clause. The matcher uses it for a
# message opening with "it"/"yeah"..., the dialog engine for any reply inside a conversation.
FOLLOW_UP_FRAME = "the twitching "


@dataclass(frozen=True, slots=True)
class CauseHit:
    id: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QuestionHit:
    id: str
    score: float


@dataclass(frozen=True, slots=True)
class WarningHit:
    id: str
    level: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One message's reading: causes best first (at most 3), question, triage, warnings."""

    causes: tuple[CauseHit, ...] = ()
    question: QuestionHit | None = None
    triage: str = "self_care"
    warning_signs: tuple[WarningHit, ...] = ()
    off_topic: bool = False
    negated: tuple[str, ...] = field(default=(), compare=False)

    @property
    def cause_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.causes)

    def to_json(self) -> dict[str, Any]:
        """The exact contract object (no extra keys)."""
        return {
            "causes": [
                {"id": c.id, "score": round(c.score, 3), "evidence": list(c.evidence)}
                for c in self.causes
            ],
            "question": (
                None
                if self.question is None
                else {"id": self.question.id, "score": round(self.question.score, 3)}
            ),
            "triage": self.triage,
            "warning_signs": [
                {"id": w.id, "level": w.level, "evidence": list(w.evidence)}
                for w in self.warning_signs
            ],
            "off_topic": self.off_topic,
        }
