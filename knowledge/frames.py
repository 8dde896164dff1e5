"""Word families near each other (`compose` rules): a sign or a cause found as a frame."""

from __future__ import annotations

from knowledge.normalize import Normalizer, Tokens
from knowledge.schema import Compose
from knowledge.scoring import Hit, Phrase

COMPOSED = "composed"  # a sign found as word families near each other, not as one phrase


class Frame:
    """One `compose` rule: a word of every group within `reach`, in one sentence."""

    def __init__(self, owner: str, rule: Compose, norm: Normalizer, kind: str = COMPOSED) -> None:
        def seqs(words: list[str]) -> list[tuple[str, ...]]:
            return [tuple(norm.phrase(w)) for w in words if norm.phrase(w)]

        self.by_first: list[dict[str, list[tuple[str, ...]]]] = []
        for g in rule.groups:  # each group by its sequences' first word
            first: dict[str, list[tuple[str, ...]]] = {}
            for seq in dict.fromkeys(seqs(g)):
                first.setdefault(seq[0], []).append(seq)
            self.by_first.append(first)
        # matched by stem, except where a cancel word stems like a word of the frame itself
        # ("weaker" is "weak" to the stemmer): those cancel only as written
        own = {t for group in self.by_first for seqs_ in group.values() for q in seqs_ for t in q}
        self.unless = {t for s in seqs(rule.unless) for t in s} - own
        self.unless_plain = {w.casefold() for w in rule.unless}
        self.reach: int = rule.reach
        self.ordered: bool = rule.ordered
        text = " + ".join("/".join(list(g)[:3]) for g in self.by_first)
        self.phrase = Phrase(text=text, tokens=(), weights=(), content=(), kind=kind,
                             owner=owner, weight=rule.weight, min_found=1.0)

    @staticmethod
    def _spans(canon: list[str], where: dict[str, list[int]],
               group: dict[str, list[tuple[str, ...]]]) -> list[tuple[int, int]]:
        return sorted((p, p + len(s) - 1) for w, seqs in group.items() for p in where.get(w, ())
                      for s in seqs if tuple(canon[p:p + len(s)]) == s)

    def find(self, toks: Tokens, where: dict[str, list[int]] | None = None) -> list[Hit]:
        """Every anchor of the first group with the nearest word of each other group
        (`where`: each word's positions in the message, when the caller has them)."""
        canon = toks.canon
        if where is None:
            where = positions(canon)
        if not all(any(w in where for w in group) for group in self.by_first):
            return []  # most messages: some group has no word here
        spans: list[list[tuple[int, int]]] = []
        for group in self.by_first:
            spans.append(self._spans(canon, where, group))
            if not spans[-1]:
                return []
        hits: list[Hit] = []
        for a in spans[0]:
            chosen = [a]
            for later in spans[1:]:
                prev = chosen[-1]
                options = [s for s in later if toks.sent[s[0]] == toks.sent[a[0]]
                           and not (s[0] <= prev[1] and prev[0] <= s[1])
                           and (not self.ordered or s[0] > prev[1])]
                if not options:
                    break
                lo = min(c[0] for c in chosen)
                hi = max(c[1] for c in chosen)
                # the word that keeps the frame tightest ("smile went crooked on one side and
                # she couldn't hold": crooked, not the later "couldn't hold"), then the nearest
                chosen.append(min(options, key=lambda s: (
                    max(hi, s[1]) - min(lo, s[0]), abs(s[0] - a[0]), s[0] < a[0])))
            else:
                lo, hi = min(s[0] for s in chosen), max(s[1] for s in chosen)
                if hi - lo > self.reach or any(
                        canon[p] in self.unless or toks.words[p] in self.unless_plain
                        for p in range(max(0, lo - 1),
                                                                min(len(canon), hi + 2))):
                    continue
                covered = tuple(sorted({p for s in chosen for p in range(s[0], s[1] + 1)}))
                hits.append(Hit(self.phrase, lo, hi, 1.0, covered))
        return hits


def positions(canon: list[str]) -> dict[str, list[int]]:
    """Each word of a message with the positions it sits at."""
    where: dict[str, list[int]] = {}
    for pos, word in enumerate(canon):
        where.setdefault(word, []).append(pos)
    return where


class FrameIndex:
    """Frames by the words of their smallest group: a message wakes only the frames it can
    complete (most messages complete none)."""

    def __init__(self, frames: list[Frame]) -> None:
        self.frames = frames
        self.by_word: dict[str, list[int]] = {}
        for i, frame in enumerate(frames):
            smallest = min(frame.by_first, key=len) if frame.by_first else {}
            for word in smallest:
                self.by_word.setdefault(word, []).append(i)

    def find(self, toks: Tokens, where: dict[str, list[int]]) -> list[Hit]:
        woken = sorted({i for word in where for i in self.by_word.get(word, ())})
        return [h for i in woken for h in self.frames[i].find(toks, where)]
