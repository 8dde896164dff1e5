"""Phrase index: knowledge phrases found in a message as (fuzzy-word) token sequences with gaps."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from knowledge.normalize import Tokens

STOP_WEIGHT = 0.3  # a stopword of a phrase counts this much towards its coverage


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrase of the knowledge base, compiled to matching forms."""

    text: str
    tokens: tuple[str, ...]
    weights: tuple[float, ...]
    content: tuple[bool, ...]
    kind: str           # for | lacks | against | question | warning | topic | requires | excludes
    owner: str          # the cause, question or warning id ("" for topic words)
    weight: float = 1.0  # how much one match counts
    min_content: float = 1.0  # share of content words that must be found
    gap: int = 2        # words allowed between two matched words of the phrase
    min_found: float = 0.0  # weighted share of all its words (stopwords too) that must be found
    must: tuple[bool, ...] = ()  # words that can never be the missing one (negations)

    @property
    def total(self) -> float:
        return sum(self.weights)

    @property
    def need(self) -> int:
        """How many of its content words must be found."""
        content = sum(self.content)
        return max(1, math.ceil(content * self.min_content - 1e-9)) if content else 0


@dataclass(slots=True, unsafe_hash=True)  # never changed once made; not frozen, as a frozen
class Hit:                                 # dataclass is made 4x slower (hundreds a message)
    """A phrase found in a message: where, and how well (0..1)."""

    phrase: Phrase
    start: int
    end: int            # inclusive
    quality: float
    positions: tuple[int, ...]

    def overlaps(self, other: Hit) -> bool:
        return self.start <= other.end and other.start <= self.end


def compile_phrase(text: str, tokens: list[str], stopwords: set[str], must: set[str],
                   **kw: object) -> Phrase:
    """A phrase with per-word weights: content words 1, stopwords `STOP_WEIGHT`."""
    content = tuple(t not in stopwords for t in tokens)
    if not any(content):  # all stopwords ("what can i do"): every word counts fully
        content = tuple(True for _ in tokens)
    weights = tuple(1.0 if c else STOP_WEIGHT for c in content)
    return Phrase(text=text, tokens=tuple(tokens), weights=weights, content=content,
                  must=tuple(t in must for t in tokens), **kw)  # type: ignore[arg-type]


class PhraseIndex:
    """All phrases, indexed by their content words, so a message only tries its candidates."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases: list[Phrase] = [p for p in phrases if p.tokens]
        self.totals: list[float] = [p.total for p in self.phrases]
        self.needs: list[int] = [p.need for p in self.phrases]
        # per phrase, (word, weight, 1 if a content word) and the weight it needs found: the
        # cheap test before an alignment
        self.parts: list[tuple[tuple[str, float, int], ...]] = [
            tuple(zip(p.tokens, p.weights, map(int, p.content), strict=True))
            for p in self.phrases]
        self.floors: list[float] = [p.min_found * total - 1e-9
                                    for p, total in zip(self.phrases, self.totals, strict=True)]
        self.by_word: dict[str, list[int]] = {}
        self.anchors: list[str] = []
        df = Counter(t for p in self.phrases for t in set(p.tokens))
        for pid, phrase in enumerate(self.phrases):
            # A phrase that needs k of its c content words is found through any c - k + 1 of
            # them: index only that many, the rarest, so common words wake few phrases.
            content = sorted({t for t, c in zip(phrase.tokens, phrase.content, strict=True) if c},
                             key=lambda t: (df[t], t))
            partial = phrase.need < len(content)
            # a partial match must still hold the phrase's rarest word: "trained legs again"
            # is not found in "training and my legs"
            keys = content[:1] if partial else content[:max(1, len(content) - phrase.need + 1)]
            self.anchors.append(content[0] if partial and content else "")
            for tok in keys:
                self.by_word.setdefault(tok, []).append(pid)

    def find(self, toks: Tokens, where: dict[str, list[int]],
             blockers: frozenset[str] = frozenset(),
             fillers: frozenset[str] = frozenset()) -> list[Hit]:
        """Every phrase found in the message (the best non-overlapping occurrences of each).

        A gap inside a phrase may not hold a `blockers` word: "never [skip] stretch" is not
        "never stretch". Right after a negation of the phrase, only `fillers` may sit in a gap:
        "not [sure] my form" is not "not my form", "didn't [really] drink" is "didn't drink"."""
        candidates: set[int] = set()
        for word in where:
            ids = self.by_word.get(word)
            if ids:
                candidates.update(ids)
        hits: list[Hit] = []
        sim = toks.sim
        phrases, needs, parts, floors = self.phrases, self.needs, self.parts, self.floors
        for pid in sorted(candidates):
            phrase = phrases[pid]
            if len(phrase.tokens) == 1:  # one word: every place it stands, best match first
                spots = where[phrase.tokens[0]]
                if len(spots) > 1:
                    spots = sorted(spots, key=lambda p: (-sim[p], p))
                hits.extend(Hit(phrase, p, p, min(1.0, sim[p]), (p,)) for p in spots)
                continue
            need = needs[pid]
            got, present = 0, 0.0
            for word, weight, content in parts[pid]:
                if word in where:
                    got += content
                    present += weight
            if (need > 1 and got < need) or present < floors[pid]:
                continue  # too few of its words anywhere in the message to be found
            found = _align(phrase, toks, where, blockers=blockers, fillers=fillers,
                           total=self.totals[pid], need=need)
            anchor = self.anchors[pid]
            if anchor:
                found = [h for h in found if any(toks.canon[p] == anchor for p in h.positions)]
            hits.extend(found)
        return hits


def _align(phrase: Phrase, toks: Tokens, where: dict[str, list[int]], *,
           blockers: frozenset[str], fillers: frozenset[str], total: float,
           need: int) -> list[Hit]:
    """In-order alignment of the phrase's words to the message's, with small gaps."""
    n = len(phrase.tokens)
    seg = toks.seg
    sim = toks.sim
    canon = toks.canon
    # cells[k]: (position, score, content found, weight found, matched positions)
    cells: list[list[tuple[int, float, int, float, tuple[int, ...]]]] = []
    for k in range(n):
        row: list[tuple[int, float, int, float, tuple[int, ...]]] = []
        weight = phrase.weights[k]
        is_content = 1 if phrase.content[k] else 0
        for pos in where.get(phrase.tokens[k], ()):
            best: tuple[int, float, int, float, tuple[int, ...]] | None = None
            for k2 in range(k):
                allowed = phrase.gap + (k - k2 - 1)
                for cell in cells[k2]:
                    p2 = cell[0]
                    if p2 < pos and pos - p2 - 1 <= allowed and seg[p2] == seg[pos] and (
                            best is None or cell[1] > best[1]) and not (
                            blockers and any(canon[q] in blockers for q in range(p2 + 1, pos))
                    ) and not (phrase.must and phrase.must[k2] and any(
                            canon[q] not in fillers for q in range(p2 + 1, pos))):
                        best = cell
            gain = weight * sim[pos]
            if best is None:
                row.append((pos, gain, is_content, weight, (pos,)))
            else:
                row.append((pos, best[1] + gain, best[2] + is_content, best[3] + weight,
                            (*best[4], pos)))
        cells.append(row)
    must = [phrase.tokens[k] for k in range(n) if phrase.must and phrase.must[k]]
    ends = sorted((c for row in cells for c in row), key=lambda c: (-c[1], c[4][0]))
    hits: list[Hit] = []
    for _pos, score, found, weight_found, positions in ends:
        if found < need or (need and found == 0):
            continue
        if weight_found < phrase.min_found * total - 1e-9:
            continue
        if must and len(positions) < n and not all(
                any(toks.canon[p] == word for p in positions) for word in must):
            continue
        quality = score / total
        hit = Hit(phrase, positions[0], positions[-1], min(1.0, quality), positions)
        if any(hit.overlaps(h) for h in hits):
            continue
        hits.append(hit)
    return hits


def dedupe(words: list[str]) -> list[str]:
    """Words with immediate repeats dropped ("calf calf" -> "calf")."""
    out: list[str] = []
    for w in words:
        if not out or out[-1] != w:
            out.append(w)
    return out


def score_of(net: float) -> float:
    """Net evidence onto [0, 1]: one clear phrase is about 0.7, two about 0.85."""
    if net <= 0:
        return 0.0
    return round(min(1.0, 1.0 - math.exp(-1.2 * net)), 3)


def resolve_across(per_cause: dict[str, list[Any]]) -> None:
    """Where two causes' phrases claim the same words, the longer (then better) one keeps
    them: "fasted 20 hours" is nutrition, not a long session."""
    everything = [(cid, f) for cid, found in per_cause.items() for f in found]
    drop: set[int] = set()
    for cid, f in everything:
        mine = set(f.hit.positions)
        for cid2, g in everything:
            if cid2 == cid:
                continue
            theirs = set(g.hit.positions)
            f_key = (len(f.hit.positions), f.hit.quality, abs(f.strength))
            g_key = (len(g.hit.positions), g.hit.quality, abs(g.strength))
            if (mine <= theirs and g_key > f_key) or (
                    mine <= set(g.ctx.amounts) and g.hit.phrase.kind == "lacks"):
                drop.add(id(f))  # "4 hours" of sleep is no long session (but "sweated
                # buckets in a 2 hour session" is both sweat and a long session)
    for found in per_cause.values():
        found[:] = [f for f in found if id(f) not in drop]
