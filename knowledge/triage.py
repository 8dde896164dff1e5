"""Warning signs in a message: found, denied, cancelled or kept, by the rules of warnings.yaml."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from knowledge.frames import COMPOSED, Frame, FrameIndex, positions
from knowledge.negation import ScopeReader
from knowledge.normalize import Normalizer, Tokens
from knowledge.schema import Knowledge
from knowledge.scoring import Hit, dedupe
from knowledge.topic import TopicReader

REQUIRE_REACH = 6  # a sign's `requires` word must be this close ("chest ... tight")

# A clause ends at these words (for `attach`: "my mind races 24/7 and my legs twitch").
_CLAUSE_BREAKS = frozenset({"and", "but", "though", "although", "however", "yet", "because",
                            "plus", "while", "whereas", "also", "where", "which", "whilst"})
# a cause told as a time ("every morning", "daily") is no subject for a sign after it
_WHEN = frozenset({"day", "days", "morning", "mornings", "night", "nights", "daily", "everyday",
                   "week", "weeks", "evening", "evenings", "winter", "summer"})
_HAS = frozenset({"has", "have", "had", "is", "was", "been", "keeps", "kept"})  # its own verb
# Words an add-on clause may hold besides the sign itself ("and it's getting worse").
_TIME_WORDS = frozenset({"last", "since", "now", "straight", "already", "ever", "still", "about",
                         "almost", "nearly", "over", "past", "whole", "entire", "solid", "on",
                         "off", "and", "but", "though", "plus", "non", "stop", "basically",
                         "every", "each", "single", "week", "day", "time", "often", "more",
                         "frequent", "frequently", "lately", "recently"})
# "it" as the subject of a sign's clause is the twitch described before
_IT = frozenset({"it", "its", "they", "this", "twitch", "twitches", "twitching", "flicker"})
SUBJECT_REACH = 8
# signs said of the person, not of the twitch: "..., i can't turn my head"
_SAID_OF_ME = frozenset({"severe"})
# Between a subject and its sign: auxiliaries and adverbs ("is", "has been", "now", "really")
_PREDICATE = frozenset({"is", "are", "was", "were", "has", "have", "had", "been", "gets", "got",
                        "keeps", "now", "really", "also", "just", "even", "still", "only"})

_SPAN_OPENERS = frozenset({"for", "over", "in", "during", "through", "throughout"})
# Read through when looking for an excluding neighbour ("in like 2 weeks").
_SKIP = frozenset({"like", "about", "almost", "nearly", "over", "the", "a", "past", "just",
                   "around", "roughly", "only", "maybe", "physically", "literally", "i", "we"})


# Reasons that are readings of the words ("no pain", "weaker than the other", "5 weeks ago",
# "a 3 week block"): a sign set aside for one of them is not the learned model's to restore.
SET_ASIDE = frozenset({"negated", "a comparison, not a sign", "a set taken to failure",
                       "excluded by a neighbouring word",
                       "how long an activity went on"})

@dataclass(slots=True)
class SignFound:
    """A warning sign's phrase found, and whether it stands (`reason` says why not)."""

    hit: Hit
    level: str
    kept: bool
    reason: str
    evidence: str


class SignReader:
    """The warning signs' rules, compiled once; `read` judges each sign phrase found."""

    def __init__(self, knowledge: Knowledge, norm: Normalizer, scope: ScopeReader,
                 stopwords: set[str], weak_topic: set[str], *,
                 topic: TopicReader | None = None) -> None:
        signs = knowledge.warnings
        self.topic = topic
        self.scope = scope
        self.stopwords = stopwords
        self.weak_topic = weak_topic
        self.levels = {w.id: w.level for w in signs}
        self.attach = {w.id for w in signs if w.attach}
        self.needs_company = {w.id for w in signs if w.requires}
        self.implies = {w.id: list(w.implies) for w in signs}

        def plain(texts: list[str]) -> set[str]:  # "last week" excludes, "lasted" doesn't
            return {w for text in texts for w in norm.tokens(text, knowledge=True).words}

        self.excludes = {w.id: (plain(w.excludes), plain(w.excludes_after)) for w in signs}
        self.rules = FrameIndex([Frame(w.id, rule, norm) for w in signs for rule in w.compose])

    def read(self, toks: Tokens, by_kind: dict[str, list[Hit]],
             topic_hits: list[Hit]) -> list[SignFound]:
        found: list[SignFound] = []
        requires = by_kind.get("requires", [])
        # words that say what a cause is ("my eating has been terrible", "anxious all the
        # time"): a sign in their clause is said of them, not of the twitching
        subject = {p for kind in ("for", "lacks", "against") for h in by_kind.get(kind, ())
                   for p in h.positions}
        signs_at = {p for h in by_kind.get("warning", ()) for p in h.positions}
        for hit in [*by_kind.get("warning", []), *self.rules.find(toks, positions(toks.canon))]:
            owner = hit.phrase.owner
            composed = hit.phrase.kind == COMPOSED
            evidence = " ".join(dedupe([toks.surface[p] for p in hit.positions]))
            companions = [] if composed or owner not in self.needs_company else [
                r for r in requires
                if r.phrase.owner == owner and toks.sent[r.start] == toks.sent[hit.start]
                and r.start - hit.end <= REQUIRE_REACH and hit.start - r.end <= REQUIRE_REACH
                and not _excluded(toks, r, (set(), self.excludes[owner][1]))]
            # the sign is read from its first word with its companion: "no dark pee"
            lo = min([hit.start, *(r.start for r in companions)])
            hi = max([hit.end, *(r.end for r in companions)])
            ctx = self.scope.read(toks, lo, hi, lists=True)
            if ctx.negated and not self._listed(toks, lo, signs_at) and \
                    not self.scope.read(toks, lo, hi).negated:
                # over a comma only through a list of signs ("no pain, weakness or numbness"),
                # not from another clause ("they're not mine, kinda numb")
                ctx = dataclasses.replace(ctx, negated=False)
            reason = ""
            if ctx.negated or ctx.denied or self._inner_denial(toks, hit, companions):
                reason = "negated"
            elif not composed and owner in self.needs_company and not companions:
                reason = "requirement missing"  # "pee ... dark" (but not "dark yellow")
            elif _compared(toks, hit, self.levels[owner]):
                reason = "a comparison, not a sign"
            elif _to_failure(toks, hit):
                reason = "a set taken to failure"
            elif _excluded(toks, hit, self.excludes.get(owner)):
                reason = "excluded by a neighbouring word"
            elif owner in self.attach and _activity_time(toks, hit, topic_hits) and \
                    not self._body_moving(toks, hit):
                reason = "how long an activity went on"
            elif owner in self.attach and not self._attached(toks, hit, topic_hits, subject):
                reason = "not about the twitching"
            found.append(SignFound(hit, self.levels[owner], not reason, reason or "kept",
                                   evidence))
        # "no chest pain": the pain inside is denied as well, and so is "weeks" in "hasn't
        # been going on for weeks" (one sign's words overlapping); in order along the message
        for sign in sorted(found, key=lambda f: f.hit.start):
            if sign.kept and any(o.reason == "negated" and (  # its words among the denied's
                    set(sign.hit.positions) <= set(o.hit.positions) or (
                        o.hit.phrase.owner == sign.hit.phrase.owner and o.hit.overlaps(sign.hit)
                        and o.hit.start < sign.hit.start and o.hit.end < sign.hit.end
                        and sign.hit.phrase.kind != COMPOSED))
                                 for o in found):
                sign.kept, sign.reason = False, "negated"
        return found

    @staticmethod
    def _listed(toks: Tokens, start: int, signs_at: set[int]) -> bool:
        """Whether a sign's words stand in the comma-separated item just before `start`."""
        p = start - 1
        while p >= 0 and toks.seg[p] == toks.seg[start]:
            p -= 1
        item = toks.seg[p] if p >= 0 else -1
        while p >= 0 and toks.seg[p] == item and toks.sent[p] == toks.sent[start]:
            if p in signs_at:
                return True
            p -= 1
        return False

    def _inner_denial(self, toks: Tokens, hit: Hit, companions: list[Hit]) -> bool:
        """"pee's a normal colour, not dark at all": the word that makes it a sign is denied
        inside the sign (a companion, or a later word family of a composed sign)."""
        neg = self.scope.neg_words
        later = [r.start for r in companions  # "can't lift" found as "won't lift" is no denial
                 if neg.isdisjoint(r.phrase.tokens)] + [
            p for p in hit.positions[1:] if p - 1 not in hit.positions] if (
            companions or hit.phrase.kind == COMPOSED) else []
        return any(p >= 1 and toks.canon[p - 1] in neg
                   and p - 1 not in hit.positions for p in later)  # "can't get air" is the sign

    def _body_moving(self, toks: Tokens, hit: Hit) -> bool:
        """"my calves have been jumping for 6 weeks": the -ing word before the time is a weak
        twitch word said of a body part, so the time is the twitching's."""
        p = hit.start - 1 - (hit.start >= 1 and toks.words[hit.start - 1] == "for")
        return p >= 0 and self.topic is not None and toks.words[p] in self.weak_topic and \
            self.topic.body_in(toks, p - 4, p, p)

    def _attached(self, toks: Tokens, hit: Hit, topic_hits: list[Hit], subject: set[int]
                  ) -> bool:
        """The sign is said of the twitching: in its clause ("twitching for 3 weeks"), or in a
        bare add-on to a sentence about it ("..., 2 weeks now", "... and it's getting worse")."""
        n = len(toks.canon)
        topical = {p for h in topic_hits for p in h.positions} | {
            p for p, w in enumerate(toks.words) if w in self.weak_topic}

        def bare(positions: list[int]) -> bool:
            if any(p in subject and p not in hit.positions for p in positions):
                return False
            return all(toks.canon[p] in self.scope.fillers or toks.canon[p] in self.stopwords
                       or toks.canon[p] in _TIME_WORDS for p in positions
                       if p not in hit.positions)

        seg = [p for p in range(n) if toks.seg[p] == toks.seg[hit.start]]
        part, current, mine = [], 0, 0  # the segment cut at "and", "but", "because" ...
        for p in seg:
            if toks.words[p] in _CLAUSE_BREAKS and p != seg[0] and p not in hit.positions:
                current += 1
            if p == hit.start:
                mine = current
            part.append((current, p))
        clause = [p for c, p in part if c == mine]
        p = hit.start - 1
        if p >= 0 and p in subject and (toks.scope[p] == toks.scope[hit.start] or (
                toks.words[hit.start] == "since" and toks.seg[p] == toks.seg[hit.start])) and \
                (set(hit.positions) <= subject or not subject & set(hit.positions)) and \
                toks.canon[p] not in _TIME_WORDS and \
                toks.words[p] not in _WHEN and toks.words[hit.start] not in _HAS:
            return False  # "anxious all the time", "no rest days since new year": the cause's
        if topical & set(clause):
            return True
        if bare(clause) and topical & set(seg):
            return True
        sent = toks.sent[hit.start]
        if bare(seg) and any(toks.sent[p] == sent for p in topical):
            return True
        if bare(seg) and sent == 0 and topical:  # "honestly it's been 6 weeks. ... calf still
            return True  # jumping": a bare opening sentence about the twitch told next
        return self._said_of_it(toks, hit, topical, subject)

    def _said_of_it(self, toks: Tokens, hit: Hit, topical: set[int], subject: set[int]) -> bool:
        """The sign's subject is "it" (the twitch named before): "..., now it has spread to my
        back", "now it lasts two days and is worse each time". The nearest subject-like word
        back from the sign decides; a cause's words ("my sleep") take it away."""
        if not topical:
            return False
        # named after ("it's getting worse every week. started as a flicker ..."): only a
        # plain "it" opening the message can be the twitch told of next
        later = min(topical) >= hit.start
        owner = hit.phrase.owner
        p = hit.start - 1
        while p >= 0 and toks.words[p] in _PREDICATE and toks.seg[p] == toks.seg[hit.start]:
            p -= 1
        # no subject of its own ("..., can barely turn my head", "... and is worse each time"):
        # the clause goes on saying something of the subject before it
        elided = p < 0 or toks.seg[p] != toks.seg[hit.start] or toks.words[p] in _CLAUSE_BREAKS
        steps = 0
        while p >= 0 and toks.sent[p] == toks.sent[hit.start] and steps < SUBJECT_REACH:
            if p in subject and not elided:
                return False
            if toks.words[p] in _IT or (toks.words[p] == "i" and owner in _SAID_OF_ME):
                return not later or (toks.words[p] in ("it", "its") and toks.sent[p] == 0)
            p -= 1
            steps += 1
        return False


# -ing words that are no activity: "has been going for 7 weeks", "every morning for six weeks"
_NOT_ACTIVITIES = frozenset({"going", "ongoing", "happening", "continuing", "lingering",
                             "persisting", "recurring", "feeling", "morning", "evening", "nothing",
                             "something", "everything", "anything", "thing", "spring", "during"})


def _activity_time(toks: Tokens, hit: Hit, topic_hits: list[Hit]) -> bool:
    """"been dancing 20 yrs", "training for 3 weeks": the time is the activity's, not the
    twitching's (unless the -ing word is the twitching: "twitching for 3 weeks")."""
    first = toks.words[hit.start]
    if not (first.startswith("#") or first == "for"):
        return False  # "since january" dates the twitch, whatever came before
    p = hit.start - 1
    if p >= 0 and toks.words[p] == "for":
        p -= 1
    if p < 0 or not toks.words[p].endswith("ing") or len(toks.words[p]) < 5 or \
            toks.words[p] in _NOT_ACTIVITIES:
        return False
    return not any(h.start <= p <= h.end for h in topic_hits)


_COMPARATIVES = frozenset({"weaker", "stronger", "smaller", "bigger"})
_SUDDEN = frozenset({"sudden", "suddenly", "nowhere", "blue", "abruptly", "instantly"})
_IMBALANCE = frozenset({"imbalance", "imbalanced", "imbalances", "dominant", "asymmetry"})
# whose finding a weakness can be ("physio says my left glute is weak", "my PT found ...")
_ASSESSORS = frozenset({"physio", "physios", "physiotherapist", "pt", "trainer", "coach", "chiro",
                        "chiropractor", "osteo", "osteopath", "assessment", "assessed"})
_REPORTS = frozenset({"says", "said", "say", "told", "tells", "found", "reckons", "thinks",
                      "assessed", "measured", "tested", "diagnosed"})
# "dead hangs till my grip gave out": the set went on until the muscle failed
_TRAINING = frozenset({"did", "do", "doing", "worked", "trained", "training", "lifted", "held",
                       "hung", "hangs", "carried", "carries", "pushed", "went", "kept", "reps",
                       "sets", "rounds", "curls", "holds", "pressed", "rowed", "climbed"})
_UNTIL = frozenset({"till", "until", "til", "untill"})


def _compared(toks: Tokens, hit: Hit, level: str) -> bool:
    """"a known imbalance, the weaker leg twitches": one side compared with the other, said of
    an imbalance known before, is no new weakness ("one arm feels weaker than the other" is,
    but not the sudden one-sided kind: "my left side is weaker than my right" is no stroke)."""
    if toks.words[hit.end] in _COMPARATIVES and not _IMBALANCE.isdisjoint(toks.words):
        return True
    sent = [p for p in range(len(toks.words)) if toks.sent[p] == toks.sent[hit.start]]
    if hit.phrase.owner == "weakness" and any(
            toks.words[p] in _ASSESSORS and _REPORTS.intersection(toks.words[p + 1:p + 3])
            for p in sent if p < hit.start):
        return True  # "my physio says my left side is way weaker": assessed, known
    return level == "urgent" and hit.phrase.owner == "one_sided" and any(
        toks.words[p] in _COMPARATIVES and p + 1 < len(toks.words) and toks.words[p + 1] == "than"
        for p in sent) and not any(toks.words[p] in _SUDDEN for p in sent)


def _to_failure(toks: Tokens, hit: Hit) -> bool:
    """"worked my shoulders till they gave out": a set taken to failure, not a weakness (but
    "all good until my leg gave out" is one, and "ran until the pain got sharp" is pain)."""
    if hit.phrase.owner != "weakness":
        return False
    words, sent = toks.words, toks.sent
    for u in range(max(0, hit.start - 4), hit.start):
        if words[u] in _UNTIL and sent[u] == sent[hit.start] and any(
                words[q] in _TRAINING and sent[q] == sent[u] for q in range(max(0, u - 5), u)):
            return True
    return False


def _excluded(toks: Tokens, hit: Hit, lists: tuple[set[str], set[str]] | None) -> bool:
    """The nearest real word before ("in 2 weeks") or after ("5 weeks ago") cancels it."""
    if not lists:
        return False
    for step, first, words in ((-1, hit.start - 1, lists[0]), (1, hit.end + 1, lists[1])):
        if step < 0 and toks.words[hit.start] == "since":
            continue  # "like this since the summer": nothing before a "since" makes it a date
        p, skipped = first, 0
        while 0 <= p < len(toks.canon) and toks.words[p] in _SKIP and skipped < 2:
            p += step
            skipped += 1
        if 0 <= p < len(toks.canon) and toks.sent[p] == toks.sent[hit.start] and \
                toks.words[p] in words:
            if step < 0 and toks.words[p] in ("last", "past") and p >= 2 and \
                    toks.words[p - 1] == "the" and toks.words[p - 2] in _SPAN_OPENERS:
                continue  # "for the last three weeks" is a span up to now, not a date
            return True
    return False


