"""Is a message about the twitch: weak twitch words by a body part, tingling, weighing replies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from knowledge.normalize import Tokens
from knowledge.scoring import Hit

BODY_REACH = 5        # a weak twitch word needs a body part this close
SENSORY_NET = 1.3     # nerve evidence that is a complaint on its own: two pieces of it
_PETS = frozenset({"dog", "dogs", "cat", "cats", "puppy", "pup", "kitten", "horse", "pet",
                   "hamster", "rabbit", "bunny", "doggo", "pupper", "kitty"})
# things that flicker: "my phone screen keeps flickering", "my car keeps twitching"
_THINGS = frozenset({"screen", "phone", "light", "lights", "bulb", "tv", "telly", "monitor",
                     "laptop", "app", "candle", "wallet", "car", "engine", "watch", "garmin",
                     "fitbit", "tracker", "cursor", "wifi", "signal", "lamp", "camera", "stream",
                     "video", "gearbox"})
_EYES = frozenset({"eye", "eyes", "eyebrow", "eyebrows", "brow", "eyelid"})
_SEEING = frozenset({"saw", "see", "seeing", "seen", "heard", "hearing", "read", "reading",
                     "watched", "watching", "looked", "looking", "look", "noticed", "realised",
                     "realized", "thinking"})
_MADE = frozenset({"made", "makes", "making"})  # "the electric bill made my eye twitch"
_OWNERS = frozenset({"my", "our", "his", "her", "their", "the", "your", "mums", "moms"})
_STATE = frozenset({"is", "are", "was", "were", "so", "too", "very", "bit", "kinda", "pretty",
                    "super", "really", "quite", "proper", "always", "feels", "felt", "get", "gets"})
_CONTRAST = frozenset({"but", "though", "tho", "however", "although", "except", "only", "yet"})


def _owned_by_other(toks: Tokens, start: int, body: set[str]) -> bool:
    """A pet or a thing just before: "my dog's legs twitch", "the telly flickers" (a body part
    between a thing and the twitch is ours: "left my water in the car, thigh flickering")."""
    for p in range(max(0, start - 4), start):
        word = toks.words[p]
        if (word in _PETS or word in _THINGS) and toks.seg[p] == toks.seg[start] and p >= 1 \
                and (toks.words[p - 1] in _OWNERS or (  # not "weak as a kitten"; "the gym wifi"
                    p >= 2 and toks.words[p - 2] in _OWNERS and word in _THINGS)) and (
                    word in _PETS or not any(toks.canon[q] in body for q in range(p + 1, start))):
            return True
    return False


def _reaction(toks: Tokens, start: int, end: int) -> bool:
    """An eye that twitched at a sight: "my eye twitched when I saw his squat form"."""
    words = toks.words
    eye = [p for p in range(max(0, start - 3), start + 1) if words[p] in _EYES]
    return bool(eye) and (any(words[p] in _SEEING for p in range(end + 1, min(len(words), end + 6)))
                          or any(words[p] in _MADE for p in range(max(0, eye[0] - 3), eye[0])))


class TopicReader:
    """Body parts and weak twitch words, compiled once from the lexicon."""

    def __init__(self, body: set[str], weak_topic: set[str], weak_base: set[str]) -> None:
        self.body = body
        self.weak_topic = weak_topic
        self.weak_base = weak_base

    def body_in(self, toks: Tokens, lo: int, hi: int, here: int, skip: tuple[int, ...] = ()
                ) -> bool:
        """A body part (not one trained: "on legs") in [lo, hi) of the segment of `here`."""
        return any(toks.canon[p] in self.body and toks.seg[p] == toks.seg[here] and p not in skip
                   and not _trained(toks.words, p) for p in range(max(0, lo), min(len(toks), hi)))

    def of_something_else(self, toks: Tokens, hit: Hit) -> bool:
        """"my dog twitches in his sleep", "my phone screen flickers", "my eye twitched when I
        saw the price": not a complaint of ours."""
        return _owned_by_other(toks, hit.start, self.body) or _reaction(toks, hit.start, hit.end)

    def a_place(self, toks: Tokens, hit: Hit) -> bool:
        """"the changing rooms are so cramped": crowded, said as a state with no body part near
        ("I cramped badly after the swim" is a cramp)."""
        p = hit.start
        return hit.start == hit.end and toks.words[p] == "cramped" and p >= 1 and \
            toks.words[p - 1] in _STATE and not self.body_in(
                toks, p - BODY_REACH, hit.end + BODY_REACH + 1, p)

    def near_body(self, toks: Tokens, hit: Hit) -> bool:
        """An idiom of twitching next to a body part: "my calf won't chill"."""
        return self.body_in(toks, hit.start - BODY_REACH, hit.end + BODY_REACH + 1, hit.start,
                            hit.positions)

    def weak(self, toks: Tokens, neutral: set[int]) -> bool:
        """A weak twitch word ("jumping", "ticking") next to a body part counts as on topic."""
        for pos, word in enumerate(toks.words):
            if pos in neutral:
                continue  # "box jumps", "jumping jacks"
            if _owned_by_other(toks, pos, self.body) or _reaction(toks, pos, pos):
                continue  # "my dog's legs twitch in his sleep", "my eye twitched when i saw"
            if word in self.weak_topic:
                if self.body_in(toks, pos - BODY_REACH, pos + BODY_REACH + 1, pos):
                    return True
            elif toks.canon[pos] in self.weak_base and self.body_in(toks, pos - 2, pos, pos):
                return True  # "calves jump", "my quads still tick"
        return False

    def sensory(self, toks: Tokens, nerve_found: Sequence[Any], nets: Mapping[str, float],
                threshold: float) -> bool:
        """Tingling instead of twitching: "pins and needles in my hand after hours of typing,
        and super stressed" is the same complaint when a body part sits by the nerve evidence
        and a second cause (or a second piece of nerve evidence) comes with it; "pre-workout
        makes my face tingle" and "tips for falling asleep faster" aren't."""
        nerve = nets.get("nerve", 0.0)
        if nerve < threshold or not any(
                f.strength > 0 and self.body_in(toks, f.hit.start - BODY_REACH,
                                                f.hit.end + BODY_REACH + 1, f.hit.start)
                for f in nerve_found):
            return False
        others = sum(1 for cid, net in nets.items() if cid != "nerve" and net >= threshold)
        return others >= 1 or nerve >= SENSORY_NET


def differential(toks: Tokens, causes: Mapping[str, Sequence[Any]], nets: Mapping[str, float],
                 threshold: float) -> bool:
    """A reply weighing causes: one ruled out ("it's not stress", "plenty of sleep, but") and
    another one said of it ("but I skipped the warm-up") is about the twitch even without
    naming it again."""
    contrast = not toks.question_mark and any(w in _CONTRAST for w in toks.words)
    ruled_out = {cid for cid, found in causes.items() if any(
        f.strength < 0 and (f.ctx.negated or f.ctx.denied or (
            f.hit.phrase.kind == "against" and any(f.hit.phrase.must)) or (  # "not stress"
            f.hit.phrase.kind in ("against", "lacks") and contrast))  # "sleep's fine, but"
        for f in found)}
    return bool(ruled_out) and any(
        net >= threshold and cid not in ruled_out for cid, net in nets.items())


def _trained(words: list[str], p: int) -> bool:
    """"went nuts on legs": a body part after "on"/"for" is what was trained, not what moves."""
    return p >= 1 and (words[p - 1] in ("on", "for") or (p >= 2 and words[p - 2] in (
        "on", "for") and words[p - 1] in ("my", "the", "some")))
