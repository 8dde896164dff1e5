"""What a button or a group hand-off does, encoded in its id so it works after a restart.

Choice ids (dialogs.types.CHOICE_ID_RE, at most 64 bytes):

- ``why:<causes>``, ``prevent[:<causes>]``, ``care[:<causes>]``, ``more:<causes>``: details
  about the causes named in the id (comma-separated), so they need no stored state;
- ``worry``, ``cause:<id>``, ``q:<question>``, ``list:<causes|faq|selfcare|prevent>``: the same;
- ``clar:<factor>:<turn>``: an answer to the clarifying question asked at ``turn``; it acts only
  while that question is the conversation's open one, so a second press can't act twice.

Hand-off payloads (dialogs.types.HANDOFF_RE): ``-``-separated tokens, the first naming the view
(``adv``, ``clar``, ``q``, ``causes``, ``faq``, ``selfcare``, ``prevent``, ``start``), then
``c_<cause>``, ``w_<warning sign>``, ``q_<question>``, ``t_<0|1|2>`` (the triage level).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs import texts
from dialogs.types import CHOICE_ID_RE, HANDOFF_RE, Choice
from knowledge.result import TRIAGE_ORDER
from knowledge.schema import Knowledge

INFO_ACTIONS = frozenset({"why", "prevent", "care", "more", "worry", "cause", "q", "list"})
LISTS = ("causes", "faq", "selfcare", "prevent")
FACTORS = tuple(texts.FACTOR_LABELS)
HANDOFF_VIEWS = frozenset({"adv", "clar", "q", "causes", "faq", "selfcare", "prevent", "start"})
_LEVELS = {v: k for k, v in TRIAGE_ORDER.items()}


@dataclass(frozen=True, slots=True)
class Action:
    """A parsed choice id."""

    name: str
    args: tuple[str, ...] = ()
    turn: int | None = None

    @property
    def stateful(self) -> bool:
        return self.name == "clar"


def choice_id(name: str, args: tuple[str, ...] = (), turn: int | None = None) -> str:
    parts = [name]
    if args:
        parts.append(",".join(args))
    if turn is not None:
        parts.append(str(turn))
    return ":".join(parts)


def parse_choice(raw: str) -> Action | None:
    """The action of a choice id, or None when it isn't one of ours."""
    if not raw or not CHOICE_ID_RE.match(raw):
        return None
    name, _, rest = raw.partition(":")
    if name == "clar":
        factor, _, turn = rest.partition(":")
        if factor not in FACTORS or not turn.isdigit():
            return None
        return Action(name, (factor,), int(turn))
    if name not in INFO_ACTIONS or ":" in rest:
        return None
    args = tuple(a for a in rest.split(",") if a) if rest else ()
    if name in ("why", "more", "cause", "q", "list") and not args:
        return None
    return Action(name, args)


def label(raw: str, knowledge: Knowledge) -> str | None:
    """The button label of a choice id (to rebuild a stored menu); None if it is unknown."""
    action = parse_choice(raw)
    if action is None or not _known(action, knowledge):
        return None
    match action.name:
        case "clar":
            return texts.FACTOR_LABELS[action.args[0]]
        case "cause":
            return texts.clip(knowledge.cause(action.args[0]).title)
        case "q":
            return texts.clip(knowledge.question(action.args[0]).question)
        case "list":
            return texts.LABELS[f"list:{action.args[0]}"]
        case name:
            return texts.LABELS[name]


def choice(name: str, knowledge: Knowledge, args: tuple[str, ...] = (),
           turn: int | None = None) -> Choice:
    """A Choice with its id and label."""
    raw = choice_id(name, args, turn)
    text = label(raw, knowledge)
    if text is None:
        raise ValueError(f"not a valid choice: {raw!r}")
    return Choice(raw, text)


def rebuild(ids: tuple[str, ...], knowledge: Knowledge) -> tuple[Choice, ...]:
    """Stored choice ids back into Choices, dropping any the knowledge no longer has."""
    out = []
    for raw in ids:
        text = label(raw, knowledge)
        if text is not None:
            out.append(Choice(raw, text))
    return tuple(out)


def _known(action: Action, knowledge: Knowledge) -> bool:
    cause_ids = {c.id for c in knowledge.causes}
    match action.name:
        case "why" | "prevent" | "care" | "more":
            return all(a in cause_ids for a in action.args) and len(action.args) <= 3
        case "cause":
            return len(action.args) == 1 and action.args[0] in cause_ids
        case "q":
            return len(action.args) == 1 and action.args[0] in {q.id for q in knowledge.questions}
        case "list":
            return len(action.args) == 1 and action.args[0] in LISTS
        case "worry":
            return not action.args
        case "clar":
            return True
    return False


def known(action: Action, knowledge: Knowledge) -> bool:
    """Whether every id the action names exists in this knowledge."""
    return _known(action, knowledge)


@dataclass(frozen=True, slots=True)
class Handoff:
    """A parsed hand-off payload: what to show in private after the group reply."""

    view: str
    causes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    question: str | None = None
    triage: str = "self_care"


def make_handoff(view: str, causes: tuple[str, ...] = (), warnings: tuple[str, ...] = (),
                 question: str | None = None, triage: str = "self_care") -> str:
    """Encode a hand-off; warning signs are dropped first, then causes, to fit 64 bytes."""
    head = [view]
    if triage != "self_care":
        head.append(f"t_{TRIAGE_ORDER[triage]}")
    if question:
        head.append(f"q_{question}")
    if warnings:  # the first sign is kept before any cause: the private chat says it first
        head.append(f"w_{warnings[0]}")
    tokens = head + [f"c_{c}" for c in causes]
    for w in warnings[1:]:
        if len("-".join([*tokens, f"w_{w}"])) <= 64:
            tokens.append(f"w_{w}")
    while len("-".join(tokens)) > 64 and len(tokens) > 1:
        tokens.pop()
    return "-".join(tokens)


def parse_handoff(raw: str, knowledge: Knowledge) -> Handoff | None:
    """Decode a `/start` payload; None when it isn't a valid hand-off for this knowledge."""
    if not raw or not HANDOFF_RE.match(raw):
        return None
    view, *tokens = raw.split("-")
    if view not in HANDOFF_VIEWS:
        return None
    causes: list[str] = []
    warnings: list[str] = []
    question = None
    triage = "self_care"
    cause_ids = {c.id for c in knowledge.causes}
    warning_ids = {w.id for w in knowledge.warnings}
    question_ids = {q.id for q in knowledge.questions}
    for token in tokens:
        kind, _, value = token.partition("_")
        if kind == "c" and value in cause_ids and value not in causes:
            causes.append(value)
        elif kind == "w" and value in warning_ids and value not in warnings:
            warnings.append(value)
        elif kind == "q" and value in question_ids:
            question = value
        elif kind == "t" and value.isdigit() and int(value) in _LEVELS:
            triage = _LEVELS[int(value)]
        else:
            return None
    if view == "q" and question is None:
        return None
    return Handoff(view, tuple(causes[:3]), tuple(warnings), question, triage)
