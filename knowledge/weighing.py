"""Weighing the evidence for each cause: context, cancelling, decay into one net per cause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from knowledge.negation import Context, ScopeReader, copular_denial, polarity, tried_in_vain
from knowledge.normalize import Tokens
from knowledge.scoring import Hit, dedupe, resolve_across

if TYPE_CHECKING:
    from knowledge.matcher import Analysis

DECAY = 0.6              # each further piece of evidence for one cause counts this much less
IMPLIED = 1.3            # a warning sign that points to a cause (dark urine: overexertion)
ADJACENT_BONUS = 0.5     # a phrase right next to a stronger one of the same cause adds this much

_FIRST_PERSON = frozenset({"my", "i", "am", "been", "me"})
_ASKS_ABOUT = {"stress": "stress", "underlying": "condition"}  # question -> its cause


@dataclass(slots=True)
class Found:
    """A phrase found for a cause, question or sign, with its reading in context."""

    hit: Hit
    ctx: Context
    strength: float          # signed: > 0 counts for, < 0 against
    evidence: str

    def as_json(self, toks: Tokens) -> dict[str, Any]:
        return {
            "phrase": self.hit.phrase.text,
            "kind": self.hit.phrase.kind,
            "window": " ".join(dedupe(toks.surface[self.hit.start:self.hit.end + 1])),
            "score": round(self.strength, 3),
            "negated": self.strength < 0,
            **({"context": self.ctx.cue} if self.ctx.cue else {}),
        }


class CauseWeigher:
    """Built once by the matcher; `weigh` fills an analysis's causes and their nets."""

    def __init__(self, scope: ScopeReader, implies: dict[str, list[str]],
                 cause_weight: dict[str, float]) -> None:
        self.scope = scope
        self.implies = implies
        self.cause_weight = cause_weight

    def weigh(self, a: Analysis, hits: list[Hit], neutral: list[Hit]) -> None:
        """Each cause's evidence read in context and netted: `a.causes` and `a.nets`."""
        toks = a.toks
        covers = [*neutral, *(h for h in a.topic_hits if h.phrase.kind == "weak")]
        if a.question is not None:
            covers.append(a.question[0])
        per_cause: dict[str, list[Found]] = {}
        denied = {p for sg in a.signs if sg.reason == "negated" for p in sg.hit.positions}
        for hit in hits:
            if any(c.start <= hit.start and hit.end <= c.end and len(c.positions) >= len(
                    hit.positions) for c in covers) and not _personal(toks, hit, a):
                continue  # inside the question asked, or inside "push day", "how long"
            ctx = self.scope.read(toks, hit.start, hit.end, verdict=True)
            if not ctx.negated and set(hit.positions) <= denied:
                ctx = Context(negated=True, cue="denied with the warning sign")
            elif hit.phrase.kind in ("lacks", "for") and copular_denial(
                    toks.words, hit.start, hit.end, toks.scope):
                ctx = Context(denied=True, cue="not the")  # "it's not the water"
            elif hit.phrase.kind in ("lacks", "for") and tried_in_vain(toks, hit.start, hit.end):
                ctx = Context(denied=True, cue="tried, no help")
            sign = polarity(hit.phrase.kind, ctx)
            strength = sign * hit.phrase.weight * hit.quality * self.cause_weight.get(
                hit.phrase.owner, 1.0)
            words = dedupe([toks.surface[p] for p in hit.positions])
            if hit.phrase.kind == "lacks" and sign > 0 and ctx.cue:
                words = [ctx.cue, *words]
            per_cause.setdefault(hit.phrase.owner, []).append(
                Found(hit, ctx, strength, " ".join(words)))
        for sign in a.signs:
            for cid in self.implies.get(sign.hit.phrase.owner, ()) if sign.kept else ():
                per_cause.setdefault(cid, []).append(
                    Found(sign.hit, Context(cue="warning sign"), IMPLIED, sign.evidence))
        resolve_across(per_cause)
        for cid, found in per_cause.items():
            lacking = {toks.scope[f.hit.start] for f in found if f.strength > 0}
            said = {toks.sent[f.hit.start] for f in found
                    if f.strength > 0 and f.hit.phrase.kind == "for"}
            # "haven't eaten since breakfast", "shakes instead of breakfast and lunch and a tiny
            # dinner": a bare meal, sleep or drink beside evidence for its cause is no meal had
            found[:] = [f for f in found if not (
                f.hit.phrase.kind == "lacks" and not f.ctx.explicit and not f.ctx.denied
                and f.strength < 0 and (toks.scope[f.hit.start] in lacking
                                        or toks.sent[f.hit.start] in said))]
            found.sort(key=lambda f: (-(f.hit.end - f.hit.start), -abs(f.strength), f.hit.start))
            kept: list[Found] = []
            for f in found:
                if not any(f.hit.overlaps(k.hit) for k in kept):
                    kept.append(f)
            pro = sorted(_units([f for f in kept if f.strength > 0]), reverse=True)
            con = sorted((-f.strength for f in kept if f.strength < 0), reverse=True)
            net = sum(s * DECAY ** i for i, s in enumerate(pro)) - sum(
                s * DECAY ** i for i, s in enumerate(con))
            kept.sort(key=lambda f: f.hit.start)
            a.causes[cid] = kept
            a.nets[cid] = net


def _personal(toks: Tokens, hit: Hit, a: Analysis) -> bool:
    """A cause said of oneself inside the question about it: "could MY anxiety be why"
    tells us the cause, "can anxiety cause twitching" asks in general."""
    asked = a.question[0] if a.question is not None else None
    if asked is None or hit.phrase.kind != "for" or _ASKS_ABOUT.get(
            asked.phrase.owner) != hit.phrase.owner:
        return False  # "could it be ALS": the disease named is the condition in question
    return (asked.phrase.owner == "underlying" and hit.positions == asked.positions) or any(
        toks.words[p] in _FIRST_PERSON for p in range(max(0, hit.start - 2), hit.start))


def _units(found: list[Found]) -> list[float]:
    """Evidence pieces: phrases next to each other ("2hr leg day") make one piece."""
    units: list[list[Found]] = []
    for f in sorted(found, key=lambda f: f.hit.start):
        if units and f.hit.start - units[-1][-1].hit.end <= 2:
            units[-1].append(f)
        else:
            units.append([f])
    out = []
    for unit in units:
        strengths = sorted((f.strength for f in unit), reverse=True)
        out.append(strengths[0] + ADJACENT_BONUS * sum(strengths[1:]))
    return out
