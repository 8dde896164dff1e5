"""Negation and contrast scope: does a found phrase count for its cause or sign, or against it?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from knowledge.normalize import Tokens
from knowledge.schema import Lexicon

_COORDINATORS = frozenset({"or", "nor"})
_AFTER_NEGATIONS = frozenset({"nothing", "none", "nada", "zilch"})
LEFT_REACH = 5   # words read back from a phrase (fillers included)
RIGHT_REACH = 4  # words read on after it


@dataclass(frozen=True, slots=True)
class Context:
    """What surrounds one phrase in its clause."""

    negated: bool = False      # an odd number of negations reach it ("no", "never", "not")
    deficit: bool = False      # "skipped", "barely", "ran out", a small amount
    sufficient: bool = False   # "plenty", "always", a large amount
    good: bool = False         # "is fine", "on point", "solid"
    bad: bool = False          # "sloppy", "trash", "off"
    denied: bool = False       # "... isn't the issue"
    cue: str = ""              # the words that decided it, for --explain
    amounts: tuple[int, ...] = ()  # quantities read as this phrase's amount ("slept 4 hrs")

    @property
    def explicit(self) -> bool:
        return self.negated or self.deficit or self.sufficient or self.good or self.bad


_Seq = tuple[str, ...]


@dataclass(slots=True)
class _Seen:
    """What a scope read has collected so far."""

    negs: int = 0
    denied: bool = False
    found: dict[str, bool] = field(default_factory=dict)
    cue: list[str] = field(default_factory=list)
    amounts: list[int] = field(default_factory=list)


class ScopeReader:
    """Reads the words around a phrase, within its negation scope."""

    def __init__(self, lexicon: Lexicon, phrase: Callable[[str], list[str]]) -> None:
        def seqs(words: list[str]) -> set[_Seq]:
            return {tuple(t) for w in words if (t := phrase(w))}

        self.kinds: dict[_Seq, str] = {}
        # later kinds win on clashes: "not enough" is a deficit phrase, "not bad" a good one
        for kind, words in (("suff", lexicon.sufficient), ("deficit", lexicon.deficits),
                            ("bad", lexicon.bad), ("good", lexicon.good),
                            ("neg", lexicon.negations)):
            for seq in seqs(words):
                self.kinds[seq] = kind
        self.max_len = max((len(s) for s in self.kinds), default=1)
        # one-word judgements ("fine", "clean", "off") are adjectives: matched by the plain
        # word, so the noun "power cleans" is no verdict on the technique before it
        self.judgement_words = {w.casefold() for w in (*lexicon.good, *lexicon.bad)
                                if len(w.split()) == 1}
        self.fillers = {t for s in seqs(lexicon.fillers) for t in s}
        self.issue = {t for s in seqs(lexicon.issue_words) for t in s}
        self.neg_words = {t for s in seqs(lexicon.negations) for t in s}
        self.amounts = {f"#{unit}": (lo, hi) for unit, (lo, hi, *_) in
                        ((u, v) for u, v in lexicon.amounts.items() if len(v) >= 2)}
        self.amounts.update({f"#long{unit}": bounds for unit, bounds in
                             ((k[1:], v) for k, v in list(self.amounts.items()))})

    def _kind_at(self, canon: list[str], p: int, backwards: bool,
                 words: list[str] | None = None) -> tuple[str, int]:
        """The modifier ending (backwards) or starting at p, longest first: (kind, length)."""
        for size in range(self.max_len, 0, -1):
            lo, hi = (p - size + 1, p + 1) if backwards else (p, p + size)
            if lo < 0 or hi > len(canon):
                continue
            kind = self.kinds.get(tuple(canon[lo:hi]))
            if kind in ("good", "bad") and size == 1 and words is not None and \
                    words[lo] not in self.judgement_words:
                continue
            if kind:
                return kind, size
        return "", 1

    def _amount(self, toks: Tokens, p: int) -> str:
        bounds = self.amounts.get(toks.canon[p])
        value = toks.value[p]
        if bounds is None or value is None:
            return ""
        if value < bounds[0]:
            return "deficit"
        return "suff" if value >= bounds[1] else ""

    def read(self, toks: Tokens, start: int, end: int, *, lists: bool = False) -> Context:
        """The context of the phrase at [start, end] (inclusive)."""
        seen = _Seen()
        self._read_left(toks, start, seen, lists)
        self._read_right(toks, end, seen)
        found = seen.found
        return Context(negated=seen.negs % 2 == 1, deficit=found.get("deficit", False),
                       sufficient=found.get("suff", False), good=found.get("good", False),
                       bad=found.get("bad", False), denied=seen.denied, cue=" ".join(seen.cue),
                       amounts=tuple(seen.amounts))

    def _kind_or_amount(self, toks: Tokens, p: int, backwards: bool, seen: _Seen
                        ) -> tuple[str, int]:
        kind, size = self._kind_at(toks.canon, p, backwards=backwards, words=toks.words)
        if not kind:
            kind = self._amount(toks, p)
            if kind:
                seen.amounts.append(p)
        return kind, size

    def _read_left(self, toks: Tokens, start: int, seen: _Seen, lists: bool) -> None:
        """Back from the phrase through fillers: negations and modifiers ("never skip").

        A negation reaches through a list: "no tingling or numbness"; with `lists`, also over
        commas: "no pain, weakness or numbness"."""
        canon, scope, seg = toks.canon, toks.scope, toks.seg
        here = scope[start]
        p, steps, skips = start - 1, 0, 0
        while p >= 0 and steps < LEFT_REACH + skips:
            if scope[p] != here:
                if not (lists and skips < 2 and seg[p] != seg[p + 1]
                        and toks.sent[p] == toks.sent[p + 1]
                        and p + 1 - self._scope_start(toks, p + 1) <= 0):
                    return
                here = scope[p]  # a list item after a comma: read on into the list
                skips += 1
            kind, size = self._kind_or_amount(toks, p, True, seen)
            if kind == "neg":
                seen.negs += 1
                seen.cue.append(" ".join(toks.surface[p - size + 1:p + 1]))
                return  # the nearest negation decides: "no pain, no weakness"
            if kind:
                seen.found[kind] = True
            elif canon[p] in _COORDINATORS:
                skips += 1
            elif canon[p] not in self.fillers and not (skips and p + 1 < len(canon) and (
                    canon[p + 1] in _COORDINATORS or seg[p + 1] != seg[p])):
                return
            if kind:
                seen.cue.append(" ".join(toks.surface[p - size + 1:p + 1]))
            p -= size
            steps += 1

    @staticmethod
    def _scope_start(toks: Tokens, p: int) -> int:
        here = toks.scope[p]
        while p > 0 and toks.scope[p - 1] == here:
            p -= 1
        return p

    def _read_right(self, toks: Tokens, end: int, seen: _Seen) -> None:
        """On from the phrase: "is fine", "isn't the issue", "drank nothing", "4 hrs"."""
        canon, scope = toks.canon, toks.scope
        here = scope[end]
        p, steps = end + 1, 0
        while p < len(canon) and scope[p] == here and steps < RIGHT_REACH:
            if canon[p] in _COORDINATORS:
                return  # "a deload or day off": the next item has its own words
            kind, size = self._kind_or_amount(toks, p, False, seen)
            if kind == "neg":
                nxt = self._next_word(toks, p + size, here)
                if nxt is not None and canon[nxt] in self.issue:
                    seen.denied = True
                    seen.cue.append(" ".join(toks.surface[p:nxt + 1]))
                    return
                if nxt is not None and self._kind_at(canon, nxt, False)[0] in ("good", "suff"):
                    seen.found["bad"] = True  # "not great", "not enough"
                    seen.cue.append(" ".join(toks.surface[p:nxt + 1]))
                    return
                if steps <= 1 and toks.words[p] in _AFTER_NEGATIONS:
                    seen.negs += 1  # "drank nothing", "stress? none"
                    seen.cue.append(toks.surface[p])
            elif kind:
                seen.found[kind] = True
                seen.cue.append(" ".join(toks.surface[p:p + size]))
            p += size
            steps += 1

    def _next_word(self, toks: Tokens, p: int, here: int) -> int | None:
        """The next non-filler word in the scope (articles and 'the' skipped)."""
        steps = 0
        while p < len(toks.canon) and toks.scope[p] == here and steps < 3:
            if toks.canon[p] not in self.fillers or toks.canon[p] in self.issue:
                return p
            p += 1
            steps += 1
        return None


def polarity(kind: str, ctx: Context) -> float:
    """+1 counts for the cause, -1 against it (with its strength), for a phrase of `kind`."""
    if ctx.denied:
        return -1.0
    if kind == "for":
        if ctx.good and not ctx.bad:
            return -1.0
        return -1.0 if ctx.negated else 1.0
    if kind == "lacks":
        lacking = (ctx.deficit or ctx.bad) != ctx.negated
        if lacking:
            return 1.0
        return -1.0 if ctx.explicit else -0.5
    if kind == "against":
        return 1.0 if ctx.negated != (ctx.deficit or ctx.bad) else -1.0
    return -1.0 if ctx.negated else 1.0
