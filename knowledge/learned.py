"""Word weights learned from the labelled tuning messages: a second opinion beside the phrases.

The phrases of the YAML are precise but finite, and every new writer brings words they don't
hold ("up till 3am gaming then a 7am spin class", "nobody ever taught me how to bench"). A
logistic model over the message's words and word pairs, trained on the labelled tuning
messages by `python -m knowledge.learn`, gives each cause, question, the see-a-doctor and
urgent levels and "on topic" a probability, and says which cause people would name first.
It fills what the phrases left empty (a cause list shorter than three, a question not found,
a plain self-care triage), orders the causes by people's habit ("went from 3k to a half
marathon": overexertion before fatigue), and overrules the phrases only where it is sure:
another question where it doubts theirs, a complaint told without a twitch word they know
("calves went mental after"), an emergency they missed, a cause they read as denied where it
is near sure ("coach always says do the dynamic stuff first. I didn't bother"), never first
beside another. It never lowers a triage. Its evidence is the message's own words with the
largest weights.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import math
import operator
import sys
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knowledge.result import CauseHit, MatchResult, QuestionHit, WarningHit

if TYPE_CHECKING:
    from knowledge.normalize import Tokens

MODEL_FILE = "learned.json"
FORMAT = 2
CAUSE_FILL = 0.25     # a learned cause joins a list shorter than three from this probability
# ... or from this one where the phrases found no cause in a complaint that asks nothing
# ("gaming till 3am then a 6am session"): the model's guesses, for the person to pick from.
# Leave-one-round-out on rounds 27-32: top-1 92.2 -> 92.4%, top-3 98.2 -> 98.4%, multi 92.2 ->
# 92.6%; 28% of the causes it adds are labelled ones (17% at 0.05; lowering CAUSE_FILL itself
# to 0.1 adds 93 causes to lists that had some, 11% of them right, so it stays)
CAUSE_FILL_EMPTY = 0.1
QUESTION_MIN = 0.5    # a learned question, when the phrases found none (and it looks asked)
UNASKED_MIN = 0.8     # a question, in a message that doesn't look asked
SWITCH_MIN = 0.8      # another question than the phrases', when they found one ...
SWITCH_FROM = 0.3     # ... that the model gives at most this
DOCTOR_MIN = 0.7      # see_doctor, when the phrases found no sign
URGENT_MIN = 0.65     # urgent, when the phrases found no urgent sign: a safety net
TOPIC_MIN = 0.8       # on topic, when the phrases found no twitch word and no question
RESTORE_MIN = 0.8     # a cause the phrases read as denied or countered, back in (never first)
RESTORE_ALONE_MIN = 0.95  # ... as the only cause (then first): surer still
FOUND_BONUS = 1.0     # in logits: a cause the phrases found is likelier first than one inferred
EVIDENCE_WORDS = 3
SURE_CAUSE = 0.25     # a cause's score from which it counts as found: the phrases' causes,
#                       and the model's from probability 0.5 (a model cause scores p / 2)
MAX_CAUSES = 3        # design.md: at most three causes
_NUMBERS = (int, float)
# a causal question, and the cause whose telling looks like it: "work stress is making my
# calves twitch" tells what "can stress cause it" asks ("scared it's ALS" does ask, though)
_TOLD = {"stress": "stress"}
_ASKING = frozenset({"how", "why", "what", "wonder", "wondering", "whether", "should"})

Span = tuple[int, int]


class ModelFormatError(ValueError):
    """The model file is broken; `line` is where (1-based), when known."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def features(toks: Tokens, stopwords: frozenset[str] | set[str],
             negations: frozenset[str] | set[str],
             amounts: dict[str, tuple[float, float]] | None = None) -> dict[str, Span]:
    """Content words and pairs of neighbouring content words, each with its span.

    A word after a negation in the same clause is marked "~" ("no ~water", "not ~stressed"),
    so that the model can learn that denials point away from their cause. The first word and a
    question mark are features too: they tell questions from complaints. A quantity of
    something that protects (`amounts`: "#hours" -> (too little below, plenty from)) also
    says which: "slept 4 hrs" gives "sleep_#longhours:few", "slept 9 hrs" "...:plenty".
    """
    out: dict[str, Span] = {}
    if toks.question_mark:
        out["?"] = (0, -1)
    if toks.words:
        out["^" + toks.words[0]] = (0, -1)
    denied: set[int] = set()
    prev: tuple[str, int] | None = None
    for pos, word in enumerate(toks.canon):
        if word in negations:
            if word == "without" and toks.scope[pos] in denied:
                denied.discard(toks.scope[pos])  # "never lift without warming up" warms up
            else:
                denied.add(toks.scope[pos])
            prev = None
            continue
        if word in stopwords or word.isdigit():
            continue
        mark = "~" if toks.scope[pos] in denied else ""
        out.setdefault(mark + word, (pos, pos))
        paired = prev is not None and toks.seg[prev[1]] == toks.seg[pos]
        if paired:
            out.setdefault(f"{mark}{prev[0]}_{word}", (prev[1], pos))
        bounds = amounts.get(word) if amounts and toks.value[pos] is not None else None
        if bounds is not None:
            value = toks.value[pos]
            size = "few" if value < bounds[0] else "plenty" if value >= bounds[1] else "some"
            out.setdefault(f"{mark}{word}:{size}", (pos, pos))
            if paired:
                out.setdefault(f"{mark}{prev[0]}_{word}:{size}", (prev[1], pos))
        prev = (word, pos)
    return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


class Rows(Mapping[str, Sequence[float]]):
    """Feature -> its row of weights, cut from one float32 block when asked for: reading
    the file builds only a feature index, not 14k little arrays (load time)."""

    __slots__ = ("_block", "_cut", "_index", "_width")

    def __init__(self, features: Sequence[str], block: array[float], width: int) -> None:
        self._index = dict(zip(features, range(0, len(block), width), strict=True))
        self._block, self._width = block, width
        self._cut: dict[str, Sequence[float]] = {}  # rows already cut (at most the model's)

    def __getitem__(self, feat: str) -> Sequence[float]:
        row = self.get(feat)
        if row is None:
            raise KeyError(feat)
        return row  # type: ignore[no-any-return]

    def get(self, feat: str, default: Any = None) -> Any:  # the hot path
        row = self._cut.get(feat)
        if row is None:
            at = self._index.get(feat)
            if at is None:
                return default
            row = self._cut[feat] = self._block[at:at + self._width]
        return row

    def __contains__(self, feat: object) -> bool:
        return feat in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


@dataclass(frozen=True, slots=True)
class LearnedModel:
    """Heads ("cause:fatigue", "question:prevent", "doctor", "sign:pain"), their biases, and per
    feature one weight for each head."""

    heads: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, Sequence[float]]
    trained_on: str = ""          # sha256 of the tuning file it was trained on
    _groups: dict[str, tuple[tuple[int, str], ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def logits(self, feats: Iterable[str]) -> list[float]:
        z: Iterable[float] = self.bias
        table = self.weights
        for feat in feats:
            row = table.get(feat)
            if row is not None:
                z = map(operator.add, z, row)
        return list(z)

    def group(self, prefix: str) -> tuple[tuple[int, str], ...]:
        """(head index, id) of the heads named "prefix:id" ("cause:", "question:", "sign:")."""
        found = self._groups.get(prefix)
        if found is None:
            found = tuple((h, name[len(prefix):]) for h, name in enumerate(self.heads)
                          if name.startswith(prefix))
            self._groups[prefix] = found
        return found

    def head(self, name: str) -> int | None:
        try:
            return self.heads.index(name)
        except ValueError:
            return None

    def evidence(self, feats: dict[str, Span], head: int, toks: Tokens) -> tuple[str, ...]:
        """The message's words that pushed hardest towards `head`."""
        table = self.weights
        pushed = sorted(((table[feat][head], span) for feat, span in feats.items()
                         if feat in table and table[feat][head] > 0),
                        key=lambda ws: (-ws[0], ws[1]))
        words: list[str] = []
        for _, (start, end) in pushed:
            text = " ".join(toks.surface[start:end + 1])  # "?" and "^word" have no span
            if text and text not in words and not any(text in w for w in words):
                words.append(text)
            if len(words) == EVIDENCE_WORDS:
                break
        return tuple(words)

    def to_json(self) -> dict[str, Any]:
        """Features in order, and their weights as one base64 block of little-endian float32,
        a row of len(heads) per feature: small, and read in a few milliseconds."""
        features = sorted(self.weights)
        block = array("f", (w for f in features for w in self.weights[f]))
        if sys.byteorder == "big":  # pragma: no cover - the file is little-endian everywhere
            block.byteswap()
        return {"format": FORMAT, "trained_on": self.trained_on, "heads": list(self.heads),
                "bias": [round(b, 4) for b in self.bias], "features": features,
                "weights": base64.b64encode(block.tobytes()).decode("ascii")}


def looks_asked(toks: Tokens, starts: frozenset[str] | set[str]) -> bool:
    """A question mark, a clause opening like a question ("can it be that", "is this normal"),
    or a word that asks wherever it stands ("wondering", "how")."""
    if toks.question_mark or not _ASKING.isdisjoint(toks.words):
        return True
    return any(word in starts and (pos == 0 or toks.seg[pos - 1] != toks.seg[pos])
               for pos, word in enumerate(toks.words))


def on_topic(model: LearnedModel, z: Sequence[float]) -> bool:
    """Whether the message (its logits `z`) is someone's own twitching told in words the
    phrases don't hold ("calves went mental after", "hammys ticking"); without the head, no."""
    head = model.head("topic")
    return head is not None and z[head] >= _TOPIC


def emergency(model: LearnedModel, z: Sequence[float], feats: dict[str, Span], toks: Tokens
              ) -> WarningHit | None:
    """An emergency the phrases missed, told in words like those of the tuning set's
    emergencies ("went down like a sack of spuds", "his mouth hangs on one side"): the urgent
    sign people most likely meant, with the words that said it; None below URGENT_MIN."""
    head = model.head("urgent")
    if head is None or z[head] < _URGENT:
        return None
    sign = max(((z[h], h, sid) for h, sid in model.group("urgent:")), default=None)
    if sign is None:
        return None
    return WarningHit(sign[2], "urgent", model.evidence(feats, head, toks))


def probabilities(model: LearnedModel, z: Sequence[float]) -> dict[str, float]:
    """The heads at 0.1 or more, for `--explain`."""
    return {name: round(sigmoid(v), 3) for name, v in zip(model.heads, z, strict=True)
            if v >= _SHOWN}


def second_opinion(model: LearnedModel, result: MatchResult, toks: Tokens,
                   feats: dict[str, Span], z: Sequence[float], *,
                   starts: frozenset[str] | set[str],
                   weighed: set[str] | frozenset[str] = frozenset(),
                   contested: set[str] | frozenset[str] = frozenset(), explain: bool = False,
                   ) -> tuple[MatchResult, dict[str, float]]:
    """`result` with what the phrases left empty filled from the model, and (with `explain`)
    the probabilities behind it. Off-topic results and urgent triage are left as they are; a
    question is taken from a message that looks asked ("work stress is making my calves twitch"
    tells, it doesn't ask), or where the model is sure of it; the phrases' question gives way
    only to one the model is sure of, where it doubts theirs. `weighed` names the causes and
    signs that the phrases read and set aside ("6 weeks ago" is a date, "one small protein
    shake" no water): the model overrules such a reading only for a cause it is near sure of
    (RESTORE_MIN), listed after the others, or alone when surer still (RESTORE_ALONE_MIN).
    `contested` names causes with evidence both ways ("everyone says dehydration but I chug
    water"): the model may list them, but not first ahead of a cause the phrases found.
    Thresholds are compared as logits: no exp() on the hot path."""
    if result.off_topic:
        return result, {}
    shown = probabilities(model, z) if explain else {}
    changes: dict[str, Any] = {}
    causes = list(result.causes)
    restored: set[str] = set()
    if len(causes) < MAX_CAUSES:
        listed = set(result.cause_ids) | set(result.negated) | set(weighed)
        fill = _FILL_EMPTY if not causes and result.question is None else _FILL
        extra = sorted(((z[h], h, cid) for h, cid in model.group("cause:")
                        if (z[h] >= fill and cid not in listed) or (
                            z[h] >= _RESTORE and cid in weighed)),
                       key=lambda t: (-t[0], t[1]))
        for v, h, cid in extra[:MAX_CAUSES - len(causes)]:
            if cid in weighed and not causes and v < _RESTORE_ALONE:
                continue
            causes.append(CauseHit(cid, round(sigmoid(v) * 0.5, 3),
                                   model.evidence(feats, h, toks)))
            if cid in weighed:
                restored.add(cid)
    if len(causes) >= 2:  # the words say which causes; people's habits which comes first
        rank = {cid: z[h] for h, cid in model.group("first:")}
        found = set(result.cause_ids)
        doubted = restored | (set(contested) if found - set(contested) else set())
        best = max(causes, key=lambda c: (c.id not in doubted,
                                          rank.get(c.id, -99.0) + FOUND_BONUS * (c.id in found),
                                          -causes.index(c)))
        causes.remove(best)
        causes.insert(0, best)
        scores = sorted((c.score for c in causes), reverse=True)  # best first, in places
        causes = [c if c.score == sc else dataclasses.replace(c, score=sc)
                  for c, sc in zip(causes, scores, strict=True)]
    if causes != list(result.causes):
        changes["causes"] = tuple(causes)
    if restored:
        changes["negated"] = tuple(c for c in result.negated if c not in restored)
    asked = {qid: z[h] for h, qid in model.group("question:")}
    if asked:
        best, v = max(asked.items(), key=lambda kv: kv[1])
        if result.question is None:  # "super common i assume": asked without asking words
            take = (v >= _UNASKED and _TOLD.get(best) not in result.cause_ids) or (
                v >= _QUESTION and looks_asked(toks, starts))
        else:  # "what can I do so my calves don't start twitching": prevent, not manage
            take = best != result.question.id and v >= _SWITCH and \
                asked.get(result.question.id, -99.0) <= _SWITCH_FROM
        if take:
            changes["question"] = QuestionHit(best, round(sigmoid(v), 3))
    doctor = model.head("doctor")
    if result.triage == "self_care" and doctor is not None and z[doctor] >= _DOCTOR:
        signs = model.group("sign:")
        sign = max(((z[h], h, sid) for h, sid in signs), default=None)
        if sign is not None and not any(sid in weighed for _, sid in signs):
            changes["triage"] = "see_doctor"
            changes["warning_signs"] = (WarningHit(
                sign[2], "see_doctor", model.evidence(feats, doctor, toks)),)
    if not changes:
        return result, shown
    return dataclasses.replace(result, **changes), shown


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


_SHOWN, _FILL, _FILL_EMPTY = _logit(0.1), _logit(CAUSE_FILL), _logit(CAUSE_FILL_EMPTY)
_QUESTION, _DOCTOR, _TOPIC = _logit(QUESTION_MIN), _logit(DOCTOR_MIN), _logit(TOPIC_MIN)
_URGENT, _UNASKED = _logit(URGENT_MIN), _logit(UNASKED_MIN)
_SWITCH, _SWITCH_FROM = _logit(SWITCH_MIN), _logit(SWITCH_FROM)
_RESTORE = _logit(RESTORE_MIN)
_RESTORE_ALONE = _logit(RESTORE_ALONE_MIN)


def parse_model(text: str) -> LearnedModel:
    """The model from its JSON text; `ModelFormatError` names the line of what is wrong."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError(exc.lineno, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelFormatError(1, f"expected an object with \"format\": {FORMAT}")
    heads, bias = data.get("heads"), data.get("bias")
    features, weights = data.get("features"), data.get("weights")
    if not (isinstance(heads, list) and all(isinstance(h, str) for h in heads)
            and isinstance(bias, list) and len(bias) == len(heads)
            and all(type(b) in _NUMBERS for b in bias)):
        raise ModelFormatError(_line_of(text, "bias"), "\"heads\" and \"bias\" don't fit")
    if not (isinstance(features, list) and all(isinstance(f, str) for f in features)):
        raise ModelFormatError(_line_of(text, "features"), "\"features\" must be strings")
    block = array("f")
    try:
        block.frombytes(binascii.a2b_base64(str(weights), strict_mode=True))  # C speed
    except (ValueError, TypeError):
        raise ModelFormatError(_line_of(text, "weights"), "\"weights\" is no base64 block of "
                               "float32") from None
    if sys.byteorder == "big":  # pragma: no cover
        block.byteswap()
    width = len(heads)
    if len(block) != width * len(features):
        raise ModelFormatError(_line_of(text, "weights"), f"\"weights\" holds {len(block)} "
                               f"numbers, not {width} for each of {len(features)} features")
    return LearnedModel(tuple(heads), tuple(float(b) for b in bias),
                        Rows(features, block, width),
                        str(data.get("trained_on") or ""))


def _line_of(text: str, key: str) -> int | None:
    at = text.find(json.dumps(key) + ":")
    return text.count("\n", 0, at) + 1 if at >= 0 else None
