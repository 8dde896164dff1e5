"""The toy baseline of issue 4: whole-message WRatio against the article's texts, plus red flags."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from knowledge.result import CauseHit, MatchResult, QuestionHit, WarningHit
from knowledge.schema import Knowledge

CUTOFF = 60.0  # WRatio a cause or question needs to count
RED_FLAGS = ("persistent", "severe", "pain", "weakness", "numbness")  # the article's Q&A 4
_FLAG_SIGN = {"persistent": "persistent", "severe": "severe", "pain": "pain",
              "weakness": "weakness", "numbness": "numbness"}


class ToyMatcher:
    """What a quick try writes: rapidfuzz WRatio of the message against each explanation."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.causes = [(c.id, f"{c.title}. {c.why}") for c in knowledge.causes]
        self.questions = [(q.id, q.question) for q in knowledge.questions]
        self.flags = [(w, re.compile(rf"\b{w}\b")) for w in RED_FLAGS]

    def match(self, text: str) -> MatchResult:
        message = str(text).casefold()
        scored = sorted(((fuzz.WRatio(message, why), cid) for cid, why in self.causes),
                        key=lambda sc: -sc[0])
        causes = tuple(CauseHit(cid, score / 100.0) for score, cid in scored[:3]
                       if score >= CUTOFF)
        best_q = max(((fuzz.WRatio(message, q), qid) for qid, q in self.questions),
                     default=(0.0, ""))
        question = QuestionHit(best_q[1], best_q[0] / 100.0) if best_q[0] >= CUTOFF else None
        signs = tuple(WarningHit(_FLAG_SIGN[w], "see_doctor", (w,))
                      for w, rx in self.flags if rx.search(message))
        if not causes and question is None:
            return MatchResult(off_topic=True)
        return MatchResult(causes=causes, question=question,
                           triage="see_doctor" if signs else "self_care",
                           warning_signs=signs)
