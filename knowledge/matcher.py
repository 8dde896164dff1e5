"""The matcher: one gym-chat message onto causes, the question asked, warning signs and triage."""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from knowledge.asking import QuestionReader
from knowledge.frames import Frame, FrameIndex
from knowledge.learned import (
    SURE_CAUSE,
    emergency,
    features,
    on_topic,
    probabilities,
    second_opinion,
)
from knowledge.negation import SPEECH, ScopeReader
from knowledge.normalize import Normalizer, Tokens
from knowledge.result import (
    FOLLOW_UP_FRAME,
    TRIAGE_ORDER,
    CauseHit,
    MatchResult,
    QuestionHit,
    WarningHit,
)
from knowledge.schema import Knowledge
from knowledge.scoring import (
    STOP_WEIGHT,
    Hit,
    Phrase,
    PhraseIndex,
    compile_phrase,
    dedupe,
    score_of,
)
from knowledge.startup import gc_paused
from knowledge.topic import TopicReader, differential
from knowledge.triage import SET_ASIDE, SignFound, SignReader
from knowledge.weighing import CauseWeigher, Found

log = logging.getLogger(__name__)

MAX_CAUSES = 3
CAUSE_THRESHOLD = 0.45   # net evidence a cause needs to be listed
NO_TOPIC = "no twitching, spasm or cramp words, no article question"
CUE_WEIGHT = 0.55        # a single hinting word, against 1.0 for a phrase
# "could stress cause this?", "could it be something medical?": the cause asked about is listed
# last, below the causes found, unless the message denies it
ASKED_CAUSES = {"stress": "stress", "underlying": "condition"}
ASKED_SCORE = 0.2

# A message opening with these and no twitch word of its own may be a follow-up about it
_FOLLOW_UPS = frozenset({"it", "its", "this", "they", "still", "now", "and", "also", "plus",
                         # answers to the bot's own question: "yeah it was a long one"
                         "yeah", "yes", "yep", "yup", "no", "nope", "nah", "honestly", "tbh",
                         "both", "definitely", "def", "probably", "prob", "actually", "well"})
_IT = frozenset({"it", "this"})
_DUMMY_IT = re.compile(r"\bis it (?:\w+ ){1,2}(?:to|for)\b")  # "is it ok to train every day"
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*", re.UNICODE)


@dataclass(slots=True)
class Analysis:
    """Everything the matcher read in one message (`result` is the contract)."""

    toks: Tokens
    result: MatchResult = field(default_factory=MatchResult)
    causes: dict[str, list[Found]] = field(default_factory=dict)
    nets: dict[str, float] = field(default_factory=dict)
    question: tuple[Hit, float] | None = None
    questions: list[tuple[Hit, float]] = field(default_factory=list)
    signs: list[SignFound] = field(default_factory=list)
    off_topic_reason: str | None = None
    topic_hits: list[Hit] = field(default_factory=list)  # the twitching described
    follow_up: bool = False  # read with FOLLOW_UP_FRAME: "it" was taken to be the twitch
    # a twitch word said of something else ("my dog twitches", "went nuts on legs today")
    claimed: bool = False
    topic_by_model: bool = False  # no twitch word the phrases know, on topic by the model
    urgent_by_model: bool = False  # an emergency the phrases missed, raised by the model
    learned: dict[str, float] = field(default_factory=dict)  # the model's probabilities


class Matcher:
    """Built once from the knowledge base; `match` is pure, deterministic and never raises."""

    @gc_paused
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        lex = knowledge.lexicon
        texts: list[str] = [*lex.topic, *lex.weak_topic, *lex.body, *lex.slang.keys(),
                            *lex.slang.values(), *lex.lemmas.keys(), *lex.lemmas.values()]
        for cause in knowledge.causes:
            texts += [*cause.phrases, *cause.cues, *cause.against, *cause.lacks]
            texts += [w for rule in cause.compose for g in (*rule.groups, rule.unless) for w in g]
        for question in knowledge.questions:
            texts += question.paraphrases
        for sign in knowledge.warnings:
            texts += [*sign.phrases, *sign.requires, *sign.excludes]
            texts += [w for rule in sign.compose for g in (*rule.groups, rule.unless) for w in g]
        uses = Counter(w for t in set(texts) for w in set(_WORD.findall(t.casefold())))
        self.norm = Normalizer(lex, set(uses), {w for w, n in uses.items() if n == 1},
                               dictionary=knowledge.dictionary)
        canon = self.norm.phrase
        self.stopwords = {c for w in lex.stopwords for c in canon(w)}
        self._negations = {c for w in lex.negations for c in canon(w)}
        self._phrases: list[Phrase] = []
        self._seen: set[tuple[str, str, tuple[str, ...]]] = set()
        self._compile_causes_and_questions(knowledge)
        self._compile_signs(knowledge)
        for text in lex.topic:
            self._add(text, "topic", "", gap=1, min_found=1.0)
        for text in lex.neutral:
            self._add(text, "neutral", "", min_found=1.0, gap=0)
        # weak twitch words count only next to a body part; idioms of several words ("has a
        # heartbeat", "won't chill", "doing the wave") are found as phrases
        singles = [w for w in lex.weak_topic if len(canon(w)) == 1]
        for text in lex.weak_topic:
            if len(canon(text)) > 1:
                self._add(text, "weak", "", gap=1, min_found=1.0)
        self.index = PhraseIndex(self._phrases)
        self.frames = FrameIndex([Frame(c.id, rule, self.norm, kind="for")
                                  for c in knowledge.causes for rule in c.compose])
        self.weak_topic = {w.casefold() for w in singles}
        self.topic = TopicReader({c for w in lex.body for c in canon(w)}, self.weak_topic,
                                 {canon(w)[0] for w in singles if canon(w)})
        self.question_starts = {w for q in lex.question_starts
                                for w in self.norm.tokens(q, knowledge=True).words}
        self.scope = ScopeReader(lex, canon)
        self.gap_fillers = frozenset(self.scope.fillers)
        self.blockers = frozenset(
            seq[0] for seq, kind in self.scope.kinds.items() if kind in ("neg", "deficit")
            and len(seq) == 1) | SPEECH  # "do not say stretch" is no "didn't stretch"
        self.learned = knowledge.learned
        self.order = {c.id: i for i, c in enumerate(knowledge.causes)}
        self.warning_order = {w.id: i for i, w in enumerate(knowledge.warnings)}
        self.cause_weight = {c.id: c.weight for c in knowledge.causes}
        self.asking = QuestionReader(self.scope, self.stopwords, self.question_starts,
                                     {q.id: i for i, q in enumerate(knowledge.questions)},
                                     self._phrases)
        self.triage = SignReader(knowledge, self.norm, self.scope, self.stopwords,
                                 self.weak_topic, topic=self.topic)
        self.weigher = CauseWeigher(self.scope, self.triage.implies, self.cause_weight)

    def _add(self, text: str, kind: str, owner: str, **kw: Any) -> None:
        tokens = self.norm.phrase(text)
        key = (kind, owner, tuple(tokens))
        if tokens and key not in self._seen:  # "pain" and "painful" are one phrase
            self._seen.add(key)
            self._phrases.append(compile_phrase(text, tokens, self.stopwords, self._negations,
                                                kind=kind, owner=owner, **kw))

    def _compile_causes_and_questions(self, knowledge: Knowledge) -> None:
        for cause in knowledge.causes:
            for text in cause.phrases:
                self._add(text, "for", cause.id, **self._partial(text))
            for text in cause.cues:
                self._add(text, "for", cause.id, weight=CUE_WEIGHT)
            for text in cause.against:
                self._add(text, "against", cause.id, **self._partial(text))
            for text in cause.lacks:
                self._add(text, "lacks", cause.id, min_found=1.0)
        for question in knowledge.questions:
            for text in question.paraphrases:
                words = self.norm.phrase(text)
                if len(words) <= 3 or all(w in self.stopwords for w in words):
                    self._add(text, "question", question.id, min_found=1.0, gap=2)
                else:
                    self._add(text, "question", question.id, min_content=0.6, min_found=0.7,
                              gap=2)

    def _compile_signs(self, knowledge: Knowledge) -> None:
        for sign in knowledge.warnings:
            for text in sign.phrases:
                self._add(text, "warning", sign.id, min_found=1.0, gap=1)
            for text in sign.requires:
                self._add(text, "requires", sign.id)

    def _partial(self, text: str) -> dict[str, float]:
        """Phrases of four content words or more may match with one missing; others whole."""
        tokens = self.norm.phrase(text)
        content = [t for t in tokens if t not in self.stopwords]
        if len(content) >= 4:
            return {"min_content": (len(content) - 1) / len(content), "min_found": 0.7}
        if len(tokens) >= 3 and len(content) >= 2:  # a stopword may be missing: "rounded [my]
            # back"; not from a phrase of one content word ("been off for" is no "been off")
            total = len(content) + STOP_WEIGHT * (len(tokens) - len(content))
            return {"min_content": 1.0, "min_found": (total - STOP_WEIGHT) / total}
        return {"min_content": 1.0, "min_found": 1.0, "gap": 1}

    # -- public API -----------------------------------------------------------------------------

    def match(self, text: str) -> MatchResult:
        """The contract reading of one message; any string in, never an exception out."""
        a = self._safe_analyse(text, explain=False)
        return a.result if a is not None else MatchResult()

    def explain(self, text: str) -> dict[str, Any]:
        """Why: the normalised text and, per result, the phrases that matched and their scores."""
        a = self._safe_analyse(text, explain=True)
        if a is None:
            return {"normalized": "", "result": MatchResult().to_json(), "causes": [],
                    "question": None, "warnings": [], "off_topic_reason": "error"}
        toks = a.toks
        causes = [
            {"id": cid, "score": round(score_of(a.nets.get(cid, 0.0)), 3),
             "net": round(a.nets.get(cid, 0.0), 3),
             "matches": [f.as_json(toks) for f in found]}
            for cid, found in sorted(a.causes.items(), key=lambda kv: (
                -a.nets.get(kv[0], 0.0), self.order[kv[0]]))
        ]
        question = None
        if a.question is not None:
            hit, score = a.question
            question = {"id": hit.phrase.owner, "score": round(score, 3),
                        "phrase": hit.phrase.text,
                        "window": " ".join(dedupe(toks.surface[hit.start:hit.end + 1]))}
        return {
            "normalized": " ".join(toks.words),
            "result": a.result.to_json(),
            "causes": causes,
            "question": question,
            "question_candidates": [
                {"id": h.phrase.owner, "score": round(s, 3), "phrase": h.phrase.text}
                for h, s in a.questions[:5]],
            "warnings": [
                {"id": s.hit.phrase.owner, "level": s.level, "phrase": s.hit.phrase.text,
                 "window": s.evidence, "negated": s.reason == "negated", "kept": s.kept,
                 "reason": s.reason}
                for s in a.signs],
            "off_topic_reason": a.off_topic_reason,
            "read_as_follow_up": a.follow_up,  # "it"/"this" taken to be the twitch
            "on_topic_by_model": a.topic_by_model,
            "urgent_by_model": a.urgent_by_model,
            "learned": a.learned,  # the learned model's probabilities of 0.1 and above
        }

    def _safe_analyse(self, text: str, *, explain: bool) -> Analysis | None:
        """The analysis, or None (logged by exception class only) if the matcher failed: a
        matcher bug must never take a conversation down."""
        try:
            return self.analyse(text, explain=explain)
        except Exception as exc:
            log.error("matcher failed on a message: %s", exc.__class__.__name__)
            return None

    # -- the reading ----------------------------------------------------------------------------

    def features(self, toks: Tokens) -> dict[str, tuple[int, int]]:
        """The learned model's features of a message (knowledge/learned.py)."""
        return features(toks, self.stopwords, self._negations, self.scope.amounts)

    def analyse(self, text: str, *, explain: bool = False) -> Analysis:
        """The phrases' reading, then the learned second opinion: what they left empty, a
        complaint in words they don't know, an emergency they missed."""
        a = self._read(text)
        if self.learned is None or a.off_topic_reason not in (None, NO_TOPIC):
            a.result = _asked_cause(a.result)
            return a
        feats = self.features(a.toks)
        z = self.learned.logits(feats)  # every head's logit, once
        if explain:  # also for a message read as off topic: the topic head was asked
            a.learned = probabilities(self.learned, z)
        chatter = a.result
        if chatter.off_topic and not a.claimed and on_topic(self.learned, z):
            # "calves went mental after", "quads doing a little drum solo": the complaint in
            # words the phrases don't know, told beside causes the model has seen
            a.result, a.off_topic_reason, a.topic_by_model = self._result(a), None, True
        if not a.result.off_topic:
            # causes the phrases read as denied or countered, and signs they set aside; a cause
            # with evidence both ways (net 0: "no-days-off streak") is the model's to judge
            weighed = {cid for cid, net in a.nets.items() if net < 0 and a.causes.get(cid)} | {
                s.hit.phrase.owner for s in a.signs if s.reason in SET_ASIDE}
            contested = {cid for cid, net in a.nets.items() if net <= 0 and a.causes.get(cid)}
            a.result, a.learned = second_opinion(self.learned, a.result, a.toks, feats, z,
                                                 starts=self.question_starts, weighed=weighed,
                                                 contested=contested, explain=explain)
        a.result = _asked_cause(a.result)
        r = a.result
        if a.topic_by_model and not (r.question or r.triage != "self_care" or any(
                c.score >= SURE_CAUSE for c in r.causes)):
            # read on topic, yet nothing found in it for sure ("jump squats or box jumps for
            # legs?" is fatigue at 0.29 at most)
            a.result, a.off_topic_reason, a.topic_by_model = chatter, NO_TOPIC, False
        if a.result.triage != "urgent" and not a.claimed:
            sign = emergency(self.learned, z, feats, a.toks)
            if sign is not None:  # first, as the phrases' urgent signs are
                a.result = dataclasses.replace(
                    a.result, triage="urgent", off_topic=False,
                    warning_signs=(sign, *a.result.warning_signs))
                a.off_topic_reason, a.urgent_by_model = None, True
        return a

    def _read(self, text: str, *, framed: bool = False) -> Analysis:
        toks = self.norm.tokens(text)
        a = Analysis(toks)
        if not toks.canon:
            a.off_topic_reason = "no words"
            a.result = MatchResult(off_topic=True)
            return a
        where: dict[str, list[int]] = {}
        for pos, word in enumerate(toks.canon):
            where.setdefault(word, []).append(pos)
        hits = self.index.find(toks, where, self.blockers, self.gap_fillers)
        hits += self.frames.find(toks, where)
        by_kind: dict[str, list[Hit]] = {}
        for hit in hits:
            by_kind.setdefault(hit.phrase.kind, []).append(hit)

        neutral = {p for h in by_kind.get("neutral", []) for p in h.positions}
        topic_hits = [h for h in (*by_kind.get("topic", []), *(
            h for h in by_kind.get("weak", []) if self.topic.near_body(toks, h)))
            if not self.topic.of_something_else(toks, h)  # "my dog twitches in his sleep"
            and not self.topic.a_place(toks, h)  # "the changing rooms are so cramped"
            and not neutral.issuperset(h.positions)]  # "the twitch streamer i watch"
        a.topic_hits = topic_hits  # "won't calm down" describes the twitch: no stress cue
        a.claimed = not topic_hits and bool(by_kind.get("topic") or by_kind.get("weak"))
        topic = bool(topic_hits) or self.topic.weak(toks, neutral)
        self._questions(a, by_kind.get("question", []), topic)
        self._signs(a, by_kind, topic_hits)
        self._causes(a, [h for k in ("for", "against", "lacks") for h in by_kind.get(k, [])],
                     by_kind.get("neutral", []))

        if a.question is None:  # "could tension from work show up as twitches?"
            a.question = self.asking.causal(toks, a.nets, CAUSE_THRESHOLD) or \
                self.asking.worried(toks, a.nets, CAUSE_THRESHOLD)
        if a.question is not None:
            a.question = self.asking.refer(a.toks, a.question, a.nets, CAUSE_THRESHOLD)
        urgent = [s for s in a.signs if s.kept and s.level == "urgent"]
        on_topic = topic or a.question is not None or bool(urgent) or differential(
            a.toks, a.causes, a.nets, CAUSE_THRESHOLD) or self.topic.sensory(
            a.toks, a.causes.get("nerve", []), a.nets, CAUSE_THRESHOLD)
        opens = toks.words[0] in _FOLLOW_UPS
        if not on_topic and not framed and len(toks) <= 60 and (opens or (
                not _IT.isdisjoint(toks.words) and not _DUMMY_IT.search(" ".join(toks.words)))):
            # "it's in my left calf, started after my run, I had no water", "it's spread to
            # both arms now", "could this be hiding an actual illness": a follow-up whose "it"
            # is the twitch, read as about it when that finds a cause or a sign (or, for a
            # question about "it", one of the article's questions); "it's a nice gym" finds
            # none of them and stays chatter
            b = self._read(FOLLOW_UP_FRAME + str(text), framed=True)
            if (opens and (b.result.causes or b.result.triage != "self_care")) or (
                    b.result.question is not None and not any(  # "is it ok to train every
                        net >= CAUSE_THRESHOLD for net in a.nets.values())):  # day?" asks of it
                b.off_topic_reason = None
                b.follow_up = True
                return b
        if not on_topic:
            a.off_topic_reason = NO_TOPIC
            a.result = MatchResult(off_topic=True, negated=tuple(
                cid for cid, net in a.nets.items() if net < 0))
            return a
        a.result = self._result(a)
        return a

    def _questions(self, a: Analysis, hits: list[Hit], topic: bool) -> None:
        a.question, a.questions = self.asking.read(a.toks, hits, topic)

    def _signs(self, a: Analysis, by_kind: dict[str, list[Hit]], topic_hits: list[Hit]) -> None:
        a.signs = self.triage.read(a.toks, by_kind, topic_hits)

    def _causes(self, a: Analysis, hits: list[Hit], neutral: list[Hit]) -> None:
        # the words of an emergency are its symptoms, not a cause: "a pressure in the middle of
        # my chest" is no stress, "pee like strong tea" no drink
        urgent = {p for s in a.signs if s.kept and s.level == "urgent" for p in s.hit.positions}
        self.weigher.weigh(a, [h for h in hits if urgent.isdisjoint(h.positions)], neutral)

    def _result(self, a: Analysis) -> MatchResult:
        first_seen = {cid: min((f.hit.start for f in found if f.strength > 0), default=10**9)
                      for cid, found in a.causes.items()}
        ranked = sorted((cid for cid, net in a.nets.items() if net >= CAUSE_THRESHOLD),
                        key=lambda cid: (-round(a.nets[cid], 6), first_seen[cid],
                                         self.order[cid]))[:MAX_CAUSES]
        causes = tuple(
            CauseHit(cid, score_of(a.nets[cid]), tuple(dedupe(
                [f.evidence for f in a.causes[cid] if f.strength > 0])))
            for cid in ranked)
        kept: list[SignFound] = []
        for s in sorted((s for s in a.signs if s.kept), key=lambda s: (
                -(s.hit.end - s.hit.start), s.hit.start)):
            if not any(k.hit.phrase.owner == s.hit.phrase.owner and k.hit.overlaps(s.hit)
                       for k in kept):
                kept.append(s)
        kept.sort(key=lambda s: s.hit.start)
        urgent_spans = [s.hit for s in kept if s.level == "urgent"]
        signs: dict[str, WarningHit] = {}
        for s in kept:
            if s.level != "urgent" and any(
                    u.start <= s.hit.start and s.hit.end <= u.end for u in urgent_spans):
                continue
            owner = s.hit.phrase.owner
            prev = signs.get(owner)
            evidence = (*prev.evidence, s.evidence) if prev else (s.evidence,)
            signs[owner] = WarningHit(owner, s.level, tuple(dedupe(list(evidence))))
        order = self.warning_order
        warning_signs = tuple(sorted(signs.values(), key=lambda w: (
            -TRIAGE_ORDER[w.level], order[w.id])))
        triage = max((w.level for w in warning_signs), key=TRIAGE_ORDER.__getitem__,
                     default="self_care")
        question = None
        if a.question is not None:
            question = QuestionHit(a.question[0].phrase.owner, round(a.question[1], 3))
        negated = tuple(cid for cid in sorted(a.nets, key=self.order.__getitem__)
                        if a.nets[cid] < 0)
        return MatchResult(causes=causes, question=question, triage=triage,
                           warning_signs=warning_signs, off_topic=False, negated=negated)


def _asked_cause(r: MatchResult) -> MatchResult:
    """The cause an article question asks about, after the causes found (design.md: at most
    three), unless the message denies it."""
    cause = ASKED_CAUSES.get(r.question.id) if r.question else None
    if cause is None or r.off_topic or cause in r.negated or len(r.causes) >= MAX_CAUSES or \
            any(c.id == cause for c in r.causes):
        return r
    asked = CauseHit(cause, ASKED_SCORE, (f"asked about: {r.question.id}",))
    return dataclasses.replace(r, causes=(*r.causes, asked))
