"""Negation and contrast scope: does a found phrase count for its cause or sign, or against it?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from knowledge.normalize import Tokens
from knowledge.schema import Lexicon
from knowledge.scoring import dedupe

_COORDINATORS = frozenset({"or", "nor"})
_AFTER_NEGATIONS = frozenset({"nothing", "none", "nada", "zilch"})
# "carbs basically zero": a trailing amount of none (before a noun "zero" is a plain "no")
_TRAILING_NONE = _AFTER_NEGATIONS | {"zero", "nil"}
# "went from doing nothing", "a diet of nothing": what it started from or was made of
_STARTING = frozenset({"from", "of"})
# "100 burpees when I usually do none": the usual amount, not a denial
_HABITUAL = frozenset({"usually", "normally", "typically", "generally", "ordinarily"})
# "protein is basically zero", "water was pretty much nil": a hedge before the none
_ALMOST = frozenset({"basically", "literally", "practically", "virtually", "essentially",
                     "almost", "pretty", "much", "nearly", "near", "next", "close", "like",
                     "about", "roughly", "effectively", "honestly"})
_HEDGED = frozenset({"unsure", "sure", "idea", "know", "idk", "dunno"})
# "and nothing tingles": a clause opens before the "nothing", which is its subject
_CLAUSE_OPENERS = frozenset({"and", "but", "so", "or", "because", "cause", "as", "though"})
_SUBJECTS = frozenset({"it", "i", "he", "she", "they", "we", "you", "its", "im"})
# "a little water" is some water; "the little stretches" are small ones: neither is a deficit
_SIZE_DETERMINERS = frozenset({"a", "an", "the", "my", "those", "these", "that", "this", "our",
                               "his", "her", "their", "your", "some"})
# "form hasn't changed", "stress doesn't bother me": the phrase is the subject of a denial
_AUXILIARIES = frozenset({"is", "are", "am", "was", "were", "has", "have", "had", "does", "do",
                          "did", "can", "could", "will", "would", "been", "really", "honestly"})
# a bare verdict after the phrase's clause: "water, so it's not that", "hydration? fine"
_VERDICT_GLUE = frozenset({"so", "then", "and", "honestly", "definitely", "totally", "all",
                           "really", "just", "at", "def", "lol", "tbh", "pretty", "deffo"})
_MODALS = frozenset({"will", "would", "can", "could"})
_NEGATED_NOUNS = frozenset({"lack", "lacking"})  # "not lack of water" is no lack
_PRONOUNS = frozenset({"it", "that", "this", "the", "a", "for", "to"})
VERDICT_REACH = 6  # words a bare verdict may have
_FLAT_NO = frozenset({"nah", "nope", "naw", "nay", "nahh", "nahhh"})  # an answer opening a clause
# a verdict of nothing but these says none of it: "warm-up? no", "stretching? never"
_BARE_NO = _FLAT_NO | _TRAILING_NONE | {"no", "never", "not"}
# read through between a negation and its phrase: "didn't go heavier", "never train without"
_LIGHT_VERBS = frozenset({"go", "went", "gone", "going", "train", "trained", "training", "push",
                          "pushed", "lift", "lifted", "start", "started", "tracking", "track",
                          "counting", "getting", "eating", "given", "give", "giving",
                          "taken", "take", "taking", "took", "carry", "carried", "carrying",
                          "bring", "brought", "bringing", "pack", "packed", "done", "touched",
                          "touch", "seen"})  # "not really tracking protein", "never carry water"
# "not a warm up thing", "not a hydration issue": the negation denies the phrase as a cause
# "don't tell me it's stress", "don't say water": the cause named only to be ruled out
SPEECH = frozenset({"say", "tell", "suggest", "mention"})
_ISSUE_NOUNS = frozenset({"thing", "issue", "issues", "problem", "problems", "factor", "culprit"})
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
    inner: bool = False  # the phrase holds its own negation
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
        # the words a modifier can end (read backwards) or start with: most words are neither
        self._ends = {s[-1] for s in self.kinds}
        self._starts = {s[0] for s in self.kinds}
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
        if canon[p] not in (self._ends if backwards else self._starts):
            return "", 1
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

    def read(self, toks: Tokens, start: int, end: int, *, lists: bool = False,
             verdict: bool = False) -> Context:
        """The context of the phrase at [start, end] (inclusive); with `verdict`, a bare
        verdict clause after it counts too ("water, so it's not that")."""
        seen = _Seen()
        self._read_left(toks, start, seen, lists)
        if any(toks.canon[p] in self.neg_words for p in range(start, end + 1)):
            seen.inner = True  # "didn't eat": a later "nothing" agrees with it
        if (seen.negs % 2 == 1 or seen.inner) and end + 1 < len(toks.words) and \
                toks.words[end + 1] in _ISSUE_NOUNS and toks.scope[end + 1] == toks.scope[end] \
                and not (seen.inner and start and toks.words[start - 1] in ("the", "this", "that")):
            # "no sleep issues" is sleep fine; "the no-sleep thing" names the lack itself
            seen.negs, seen.denied = 0, True
        self._read_right(toks, end, seen)
        if verdict and not seen.negs and not seen.denied and not seen.found:
            self._read_verdict(toks, end, seen)
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
                        and p + 1 - self._scope_start(toks, p + 1) <= 0) or any(
                        toks.words[q] in _SUBJECTS for q in range(p + 1, start)):
                    return  # "it's not settling, it's spreading": a new clause, not a list
                here = scope[p]  # a list item after a comma: read on into the list
                skips += 1
            kind, size = self._kind_or_amount(toks, p, True, seen)
            if _used_to(toks.words, p):
                seen.negs += 1  # "I used to stretch", "used to be dehydrated": not any more
                seen.cue.insert(0, "used to")
                return
            if kind == "good" and toks.canon[start].startswith("#") and p + 1 == start:
                kind = ""  # "a solid 90 min", "a good 3 hours": how long, not how well
            if kind == "deficit" and toks.words[p] == "little" and p >= 1 and \
                    toks.words[p - 1] in _SIZE_DETERMINERS:
                p, steps = p - 1, steps + 1  # "the little stretches" are small, not missing
                continue
            if kind == "neg" and canon[p] == "no" and p + 1 == start and canon[start] in (
                    "not", "never"):
                return  # "nah, not tired": an interjection before the phrase's own negation
            if kind == "neg" and toks.words[p] in _AFTER_NEGATIONS and \
                    p > self._scope_start(toks, p) and toks.words[p + 1] not in _AUXILIARIES \
                    and toks.words[p - 1] not in _CLAUSE_OPENERS:
                return  # "drank nothing in the heat": an object's "nothing" stops at its verb
                # (a subject's doesn't: "and nothing is gone numb")
            if kind == "neg" and any(toks.words[q] in SPEECH for q in range(p + 1, start)):
                seen.denied = True  # "don't tell me to stretch, I stretch": not the cause
                seen.cue.insert(0, " ".join(toks.surface[p - size + 1:start]))
                return
            if kind == "neg":
                seen.negs += 1
                seen.cue.insert(0, " ".join(toks.surface[p - size + 1:p + 1]))
                q = p - size
                while q >= 0 and scope[q] == here and canon[q] in self.fillers:
                    q -= 1
                if toks.words[p] in _NEGATED_NOUNS and q >= 0 and scope[q] == here and \
                        toks.words[q] in ("not", "never", "no"):
                    seen.negs += 1  # "it's not lack of water": the lack itself denied
                    seen.cue.insert(0, toks.surface[q])
                return  # the nearest negation decides: "no pain, no weakness"
            if kind:
                seen.found[kind] = True
            elif canon[p] in _COORDINATORS:
                skips += 1
            elif canon[p] not in self.fillers and not self._light_verb(toks, p) and not (
                    skips and p + 1 < len(canon) and (
                    canon[p + 1] in _COORDINATORS or seg[p + 1] != seg[p])):
                return
            if kind:
                seen.cue.insert(0, " ".join(toks.surface[p - size + 1:p + 1]))
            p -= size
            steps += 1

    def _light_verb(self, toks: Tokens, p: int) -> bool:
        """"didn't GO heavier", "never TRAIN without": a light verb right after a negation."""
        if toks.words[p] not in _LIGHT_VERBS or p < 1:
            return False
        q = p - 2 if p >= 2 and toks.words[p - 1] in ("really", "even", "actually") else p - 1
        return (toks.canon[q] in self.neg_words and toks.words[q] not in _AFTER_NEGATIONS) or \
            _used_to(toks.words, q)

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
                if toks.words[p] in _TRAILING_NONE and not _STARTING.intersection(
                        toks.words[end:p]) and toks.words[p + 1:p + 2] != ["like"] and \
                        not _HABITUAL.intersection(toks.words[max(0, end - 3):p]) and \
                        not seen.found.get("deficit") and sum(
                        toks.words[q] not in _ALMOST for q in range(end + 1, p)) <= 1:
                    # "drank nothing", "stress? none" ("went from doing nothing" is where it
                    # started); after a negation it only agrees with it (negative concord):
                    # "didn't drink nothing" is drank nothing
                    seen.negs = max(seen.negs, 0 if seen.inner else 1)
                    seen.cue.append(toks.surface[p])
                elif 1 <= steps <= 3 and toks.words[p] == "not" and all(
                        toks.words[q] in _AUXILIARIES for q in range(end + 1, p)) and not any(
                        toks.words[q] in _MODALS for q in range(end + 1, p)):
                    # "arm won't lift", "pain won't stop" say it is there
                    seen.negs += 1  # "form hasn't changed", "sleep isn't an issue"
                    seen.cue.append(" ".join(dedupe(toks.surface[end + 1:p + 1])))
                    return
            elif kind:
                seen.found[kind] = True
                seen.cue.append(" ".join(toks.surface[p:p + size]))
            p += size
            steps += 1

    def _read_verdict(self, toks: Tokens, end: int, seen: _Seen) -> None:
        """The next clause is only a verdict on this one: "..., so it's not that", "hydration?
        fine", "stress? nah". The phrase must end its clause."""
        canon, scope, n = toks.canon, toks.scope, len(toks.canon)
        p = end + 1
        while p < n and scope[p] == scope[end]:
            if canon[p] not in self.fillers:
                return
            p += 1
        if p >= n or toks.sent[p] - toks.sent[end] > 1:
            return
        here, q, words = scope[p], p, []
        while q < n and scope[q] == here:
            words.append(q)
            q += 1
        if not words:
            return
        bare = [q for q in words if toks.words[q] not in _VERDICT_GLUE]
        if bare and all(toks.surface[q].casefold() in _BARE_NO for q in bare):
            seen.negs = 1  # "warm-up? honestly no, never", "stretching? nope": none of it
            seen.cue.append(" ".join(dedupe(toks.surface[words[0]:words[-1] + 1])))
            return
        if len(words) >= 3 and [toks.words[q] for q in words[:3]] == ["never", "heard", "of"]:
            seen.negs = 1  # "rest days? never heard of them": none taken
            seen.cue.append("never heard of")
            return
        first = toks.surface[words[0]].casefold()
        if first in _FLAT_NO or (first == "no" and (len(words) == 1 or toks.words[
                words[1]] in _PRONOUNS)):  # "stress? nah i'm the chillest", "diet? no it's fine"
            seen.denied = True
            seen.cue.append(toks.surface[words[0]])
            return
        if len(words) > VERDICT_REACH:
            return
        kinds: list[str] = []
        i = 0
        while i < len(words):
            pos = words[i]
            kind, size = self._kind_at(canon, pos, False, toks.words)
            if kind:
                kinds.append(kind)
                i += size
                continue
            if canon[pos] in self.issue or toks.words[pos] in _AUXILIARIES or \
                    toks.words[pos] in _VERDICT_GLUE or toks.words[pos] in _PRONOUNS:
                kinds.append("")
                i += 1
                continue
            return  # a real clause: "stress? not sure", "water, then legs"
        if "neg" in kinds and all(toks.words[q] in _TRAILING_NONE or toks.words[q] in (
                "at", "all", "whatsoever") for q in words):
            seen.negs = 1  # "warm-up: none", "stretching? zero": none of it, not "not it"
            seen.cue.append(" ".join(dedupe(toks.surface[words[0]:words[-1] + 1])))
        elif "neg" in kinds or ("good" in kinds and "bad" not in kinds):
            seen.denied = True
            seen.cue.append(" ".join(dedupe(toks.surface[words[0]:words[-1] + 1])))
        elif "bad" in kinds and not any(toks.words[q] in _HEDGED for q in words):
            # "sleep? trash", "diet? terrible": said missing or poor ("so idk" judges nothing)
            seen.found["bad"] = True
            seen.cue.append(" ".join(dedupe(toks.surface[words[0]:words[-1] + 1])))

    def _next_word(self, toks: Tokens, p: int, here: int) -> int | None:
        """The next non-filler word in the scope (articles and 'the' skipped)."""
        steps = 0
        while p < len(toks.canon) and toks.scope[p] == here and steps < 3:
            if toks.canon[p] not in self.fillers or toks.canon[p] in self.issue:
                return p
            p += 1
            steps += 1
        return None


# "I'm used to it", "got used to training fasted": accustomed, not a habit that stopped
_ACCUSTOMED = frozenset({"am", "m", "im", "is", "are", "was", "were", "be", "been", "get",
                         "got", "gotten", "getting", "so", "very", "quite", "pretty",
                         "it", "this", "that"})  # "it used to bother me": the twitch's past


def _used_to(words: list[str], p: int) -> bool:
    """Whether words[p] ends a habit's "used to" ("I used to take Sundays off")."""
    return p >= 1 and words[p] == "to" and words[p - 1] == "used" and not (
        p >= 2 and words[p - 2] in _ACCUSTOMED)


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


_DETERMINERS = frozenset({"the", "a", "an", "that", "this", "my", "your", "any"})
_DO = frozenset({"do", "did", "does", "doing", "can", "could", "would", "will", "should"})


# "not enough sleep", "not much water", "not great sleep": how much or how good, no denial
_HOW_MUCH = frozenset({"enough", "much", "many", "great", "good", "well", "nearly", "very",
                       "really", "so", "too", "any", "sufficient", "proper", "properly", "that",
                       "quite", "always", "often", "every", "even", "the", "my", "sure",
                       "doing", "right", "certain"})


def _whole_clause(scope: list[int], start: int, end: int) -> bool:
    return (start == 0 or scope[start - 1] != scope[start]) and (
        end + 1 == len(scope) or scope[end + 1] != scope[end])


def copular_denial(words: list[str], start: int, end: int,
                   scope: list[int] | None = None) -> bool:
    """"it's not the water", "it's not water", "not water either": the cause itself is denied,
    not a lack of it (as in "not drinking water", "did not warm up"). With `scope`, the "not"
    must be in the phrase's own clause: "sleep is fine so not that. work stress" is no denial."""
    if words[start] == "not" and start + 1 <= end:  # a phrase with its own negation
        if words[start + 1] in ("a", "an", "one", "single"):
            return False  # "not a drop", "not a single stretch": none of it, not a denial
        if scope is not None and _whole_clause(scope, start, end) and \
                not words[start + 1].endswith("ing") and words[start + 1] not in _HOW_MUCH:
            return True  # "not stress, not sleep, not food" ("not sleeping" lacks sleep)
        if start >= 2 and words[start - 1] in ("is", "was") and words[start - 2] in (
                "it", "that", "this"):
            return True  # "so it's not rest"
        start = start + 2 if words[start + 1] in _DETERMINERS else start + 1
        if start > end or words[start - 1] not in _DETERMINERS:
            return False
    p = start - 1
    determined = p >= 0 and words[p] in _DETERMINERS
    if determined:
        p -= 1
    if p >= 1 and words[p] in ("from", "about") and words[p - 1] == "not":
        return True  # "the twitching is NOT from stress"
    if p < 0 or words[p] != "not" or (p >= 1 and words[p - 1] in _DO):
        return False
    if scope is not None and scope[p] != scope[start]:
        return False
    if scope is not None and _whole_clause(scope, p, end):
        return True  # a clause of its own: "not stress, not sleep, not food"
    copula = (p >= 2 and words[p - 1] in ("is", "was") and words[p - 2] in ("it", "that", "this")
              ) or (p >= 1 and words[p - 1] == "so")  # "so not recovery"
    return determined or copula or (end + 1 < len(words) and words[end + 1] == "either")


_TRIED = frozenset({"tried", "trying", "try"})
# what a remedy that failed is followed by: "nothing helps", "didn't help", "no difference"
_IN_VAIN = (("nothing", "help"), ("nothing", "helps"), ("nothing", "helped"), ("nothing", "works"),
            ("nothing", "worked"), ("not", "help"), ("not", "helped"), ("not", "helping"),
            ("no", "difference"), ("no", "change"), ("no", "luck"), ("no", "joy"),
            ("not", "work"), ("not", "working"), ("not", "worked"), ("made", "no"))


def tried_in_vain(toks: Tokens, start: int, end: int) -> bool:
    """"Tried resting, drinking more, magnesium, nothing helps": a remedy tried without effect
    is no cause ("tried stretching more, no difference"). "Tried" opens the sentence's list
    before the phrase, and the failure follows in the same or the next sentence."""
    words, sent = toks.words, toks.sent
    if not any(words[p] in _TRIED for p in range(start - 1, max(-1, start - 12), -1)
               if sent[p] == sent[start]):
        return False
    after = [p for p in range(end + 1, min(len(words), end + 14)) if sent[p] - sent[end] <= 1]
    return any(words[p] == a and words[q] == b for p, q in pairwise(after)
               for a, b in _IN_VAIN)
