"""What a button or a group hand-off does, encoded in its id so it works after a restart.

Choice ids (dialogs.types.CHOICE_ID_RE, at most 64 bytes):

- ``why:<causes>``, ``prevent[:<causes>]``, ``care[:<causes>]``, ``more:<causes>``: details
  about the causes named in the id (comma-separated), so they need no stored state;
- ``worry``, ``cause:<id>``, ``q:<question>``, ``list:<causes|faq|selfcare|prevent>``: the same;
- ``clar:<factor>:<turn>``: an answer to the clarifying question asked at ``turn``; it acts only
  while that question is the conversation's open one, so a second press can't act twice.

Hand-off payloads (dialogs.types.HANDOFF_RE) are visible to everyone in the group, and anyone
may press them, so they carry no health data and no one's state: ``<view>`` alone for the
general views (``causes``, ``faq``, ``selfcare``, ``prevent``, ``start``), or
``<view>-<chat ref>`` for ``adv``, ``clar`` and ``q``, where the chat ref names the group chat
the conversation is in (``g<chat id>``, or ``b<base64url of it>`` for ids with other
characters). The private chat then continues the presser's OWN conversation in that group
(dialogs.service looks it up by the presser's user id); the view is only what the group reply
was, never trusted for content.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from dialogs import texts
from dialogs.types import CHOICE_ID_RE, HANDOFF_RE, Choice
from knowledge.schema import Knowledge

INFO_ACTIONS = frozenset({"why", "prevent", "care", "more", "worry", "cause", "q", "list"})
LISTS = ("causes", "faq", "selfcare", "prevent")
FACTORS = tuple(texts.FACTOR_LABELS)
HANDOFF_VIEWS = frozenset({"adv", "clar", "q", "causes", "faq", "selfcare", "prevent", "start"})
LINKED_VIEWS = frozenset({"adv", "clar", "q"})  # views that continue a group conversation
_PLAIN_CHAT = re.compile(r"^[A-Za-z0-9_-]+$")


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
    """A parsed hand-off payload: the view, and the group chat whose conversation goes on."""

    view: str
    chat_id: str | None = None


def chat_ref(chat_id: str) -> str | None:
    """The payload token naming a chat; None when it can't fit a payload."""
    if _PLAIN_CHAT.match(chat_id):
        ref = f"g{chat_id}"
    else:
        ref = "b" + base64.urlsafe_b64encode(chat_id.encode("utf-8")).decode("ascii").rstrip("=")
    return ref if len(ref) <= 64 - len("clar-") else None


def _chat_of(ref: str) -> str | None:
    if ref.startswith("g") and len(ref) > 1:
        return ref[1:]
    if ref.startswith("b") and len(ref) > 1:
        try:
            raw = base64.urlsafe_b64decode(ref[1:] + "=" * (-len(ref[1:]) % 4))
            return raw.decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
    return None


def make_handoff(view: str, chat_id: str | None = None) -> str:
    """The `/start` payload of a group reply: the view, and for linked views the group chat."""
    if view in LINKED_VIEWS and chat_id is not None and (ref := chat_ref(chat_id)):
        return f"{view}-{ref}"
    return view


def parse_handoff(raw: str) -> Handoff | None:
    """Decode a `/start` payload; None when it isn't one (including the old formats that
    carried causes and warning signs: they are never read as data)."""
    if not raw or not HANDOFF_RE.match(raw):
        return None
    view, sep, ref = raw.partition("-")
    if view not in HANDOFF_VIEWS:
        return None
    if not sep:
        return Handoff(view)
    if view not in LINKED_VIEWS:
        return None
    chat_id = _chat_of(ref)
    return Handoff(view, chat_id) if chat_id else None
