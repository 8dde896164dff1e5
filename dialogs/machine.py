"""The dialog state machine: events, the transition table, and the pure `step` function."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from dialogs import texts
from dialogs.actions import Action, known, parse_choice, parse_handoff, rebuild
from dialogs.compose import Composer
from dialogs.inputs import Problem, clean
from dialogs.state import DialogState, Phase
from dialogs.types import Disclaimer, IncomingMessage, Reply, ReplyKind, Warning
from knowledge.result import FOLLOW_UP_FRAME, MatchResult
from knowledge.schema import Knowledge

MAX_CAUSES = 3
LISTS = ("causes", "faq", "selfcare", "prevent")
# What each clarifying answer tells: causes, and a warning sign it raises (design.md §3, Q&A 4).
FACTORS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "session": (("fatigue", "overexertion"), None),
    "heat": (("dehydration",), None),
    "warmup": (("warmup",), None),
    "tingling": (("nerve",), "numbness"),
    "rest": (("rest",), None),
    "stress": (("stress",), None),
    "diet": (("nutrition",), None),
    "form": (("form",), None),
    "condition": (("condition",), None),
}
GENERAL_CAUSES = ("fatigue",)  # Q&A 1: "usually a result of muscle fatigue, overuse..."
# Inside a conversation about a twitch, an off-topic reply ("it's been three weeks now") is
# about that twitch: the engine re-reads it with the shared frame in front (never shown).


class Matching(Protocol):
    def match(self, text: str) -> MatchResult: ...


class Event(StrEnum):
    """What one incoming message amounts to."""

    START = "start"  # /start, or a hand-off with no conversation of the presser behind it
    # /start <payload> of a group reply, in private: go on with the presser's OWN
    # conversation in that group (looked up by dialogs.service, passed to step as `linked`)
    HANDOFF = "handoff"  # ... which was advised: its causes and triage
    HANDOFF_URGENT = "handoff_urgent"  # ... which is urgent: the urgent advice alone
    HANDOFF_CLARIFY = "handoff_clarify"  # ... which was being clarified
    INFO = "info"  # /help, /about, /causes, /faq, /selfcare, /prevent; unknown ones in private
    FORGET = "forget"
    URGENT = "urgent"  # the words carry urgent signs
    COMPLAINT = "complaint"  # causes found (with or without a question)
    SIGN = "sign"  # see_doctor signs and no cause: "it's been three weeks now"
    VAGUE = "vague"  # on topic but too little to go on (or anything while clarifying)
    QUESTION = "question"  # one of the article's questions
    OFF_TOPIC = "off_topic"
    BAD_INPUT = "bad_input"  # empty, emoji only, unreadable, media
    PICK = "pick"  # an answer to the open clarifying question
    PICK_UNSURE = "pick_unsure"  # "none of these / not sure"
    DETAIL = "detail"  # an informational button: why, prevent, worry, other causes, lists
    STALE = "stale"  # a button that no longer applies (or isn't ours)
    IGNORED = "ignored"  # group chatter not addressed to the bot


IDLE, C1, C2, A, U = Phase.IDLE, Phase.CLARIFY_1, Phase.CLARIFY_2, Phase.ADVISED, Phase.URGENT
_STAY = {p: p for p in Phase}


def _all(target: Phase) -> dict[Phase, Phase]:
    return dict.fromkeys(Phase, target)


# TRANSITIONS[event][phase] -> next phase. Total: every event has every phase.
TRANSITIONS: dict[Event, dict[Phase, Phase]] = {
    Event.START: _all(IDLE),
    Event.HANDOFF: _all(A),
    Event.HANDOFF_URGENT: _all(U),
    Event.HANDOFF_CLARIFY: _all(C1),
    Event.INFO: _STAY,
    Event.FORGET: _all(IDLE),
    Event.URGENT: _all(U),
    Event.COMPLAINT: _all(A),
    Event.SIGN: {IDLE: A, C1: A, C2: A, A: A, U: U},
    Event.VAGUE: {IDLE: C1, C1: C2, C2: A, A: C1, U: U},  # never more than two rounds
    Event.QUESTION: {IDLE: IDLE, C1: IDLE, C2: IDLE, A: A, U: U},
    Event.OFF_TOPIC: _STAY,
    Event.BAD_INPUT: _STAY,
    Event.PICK: {IDLE: IDLE, C1: A, C2: A, A: A, U: U},  # only reachable while clarifying
    Event.PICK_UNSURE: {IDLE: IDLE, C1: A, C2: A, A: A, U: U},
    Event.DETAIL: _STAY,
    Event.STALE: _STAY,
    Event.IGNORED: _STAY,
}
_DISCLAIMED = {ReplyKind.COMPLAINT, ReplyKind.CLARIFY, ReplyKind.ANSWER, ReplyKind.DETAIL}
_SUBSTANTIVE = _DISCLAIMED


@dataclass(frozen=True, slots=True)
class Turn:
    """A classified message: its event and what the event needs."""

    event: Event
    result: MatchResult | None = None
    action: Action | None = None
    linked: DialogState | None = None  # the presser's own group conversation (hand-offs)
    name: str = ""  # command or list name, stale reason, problem


def command_name(msg: IncomingMessage) -> str | None:
    """The command of a message, normalised (`/Start@bot` -> `start`); None for no command."""
    if msg.command is None:
        return None
    return msg.command.strip().lstrip("/").split("@")[0].lower()


def handoff_chat(msg: IncomingMessage) -> str | None:
    """The group chat a private `/start <payload>` continues; None for anything else.

    The service looks up the sender's own conversation in that chat and passes it to `step`.
    """
    if msg.is_group or command_name(msg) != "start":
        return None
    handoff = parse_handoff(msg.text.strip())
    if handoff is None or handoff.chat_id is None or handoff.chat_id == msg.chat_id:
        return None
    return handoff.chat_id


def classify(state: DialogState, msg: IncomingMessage, knowledge: Knowledge,
             matcher: Matching, linked: DialogState | None = None) -> Turn:
    """Sort one message into an event (this is where the matcher is asked)."""
    if msg.media is not None:
        if msg.is_group:
            return Turn(Event.IGNORED)
        return Turn(Event.BAD_INPUT, name="edit" if msg.media == "edit" else "media")
    if msg.choice is not None:
        return _classify_choice(state, msg.choice, knowledge)
    name = command_name(msg)
    if name is not None:
        if name == "twitch":
            if not msg.text.strip():
                return Turn(Event.INFO, name="twitch")
            return _classify_text(state, msg.text, True, matcher)
        if name == "start":
            return _classify_start(msg, linked, knowledge)
        if name == "forget":
            return Turn(Event.FORGET)
        if name in ("help", "about", *LISTS):
            return Turn(Event.INFO, name=name)
        # A group shares its commands with other bots (/ban, /warn, /rules): not ours, silence.
        return Turn(Event.IGNORED) if msg.is_group else Turn(Event.INFO, name="unknown")
    return _classify_text(state, msg.text, msg.addressed or not msg.is_group, matcher)


def _classify_text(state: DialogState, text: str, addressed: bool, matcher: Matching) -> Turn:
    cleaned, problem = clean(text)
    if problem is not None:
        return Turn(Event.BAD_INPUT, name=problem.value) if addressed else Turn(Event.IGNORED)
    result = matcher.match(cleaned)
    if result.triage == "urgent":
        return Turn(Event.URGENT, result)  # even unaddressed: an emergency is never ignored
    if not addressed:
        return Turn(Event.IGNORED)
    if result.off_topic and (state.phase is not IDLE or state.causes):
        framed = matcher.match(FOLLOW_UP_FRAME + cleaned)
        if framed.causes or framed.triage != "self_care":  # not questions: they need no frame
            result = framed
    if result.causes:
        return Turn(Event.COMPLAINT, result)
    if result.question is not None:
        return Turn(Event.QUESTION, result)
    if result.triage == "see_doctor":
        return Turn(Event.SIGN, result)
    if state.phase in (C1, C2) or not result.off_topic:
        return Turn(Event.VAGUE, result)  # while clarifying, any answer counts as a round
    return Turn(Event.OFF_TOPIC, result)


def _classify_start(msg: IncomingMessage, linked: DialogState | None,
                    knowledge: Knowledge) -> Turn:
    """`/start [payload]`: a general view, or the sender's own group conversation, going on.

    The payload never carries content: what follows comes from `linked`, the conversation
    of this very sender in the group the payload names (None: they have none there).
    """
    handoff = parse_handoff(msg.text.strip())
    if handoff is not None and handoff.view in LISTS:
        return Turn(Event.INFO, name=handoff.view)
    if linked is None or handoff_chat(msg) is None:
        return Turn(Event.START)
    linked = _sanitized(linked, knowledge)
    if linked.triage == "urgent":
        return Turn(Event.HANDOFF_URGENT, linked=linked)
    if linked.phase in (C1, C2):
        return Turn(Event.HANDOFF_CLARIFY, linked=linked)
    if linked.causes or linked.triage != "self_care":
        return Turn(Event.HANDOFF, linked=linked)
    if linked.question is not None:
        return Turn(Event.QUESTION, linked=linked)
    return Turn(Event.START)


def _classify_choice(state: DialogState, raw: str, knowledge: Knowledge) -> Turn:
    action = parse_choice(raw)
    if action is None or not known(action, knowledge):
        return Turn(Event.STALE, name="unknown")
    if not action.stateful:
        return Turn(Event.DETAIL, action=action)
    if state.is_new:
        return Turn(Event.STALE, name="gone")
    if state.phase not in (C1, C2) or action.turn != state.menu_turn:
        return Turn(Event.STALE, name="stale")
    factor = action.args[0]
    return Turn(Event.PICK_UNSURE if factor == "unsure" else Event.PICK, action=action)


def _merge(new: tuple[str, ...], old: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(new + old))[:MAX_CAUSES]


def _sanitized(state: DialogState, knowledge: Knowledge) -> DialogState:
    """Drop ids the (possibly updated) knowledge no longer has."""
    causes = {c.id for c in knowledge.causes}
    signs = {w.id for w in knowledge.warnings}
    questions = {q.id for q in knowledge.questions}
    return replace(
        state,
        causes=tuple(c for c in state.causes if c in causes),
        warnings=tuple(w for w in state.warnings if w in signs),
        question=state.question if state.question in questions else None,
    )


def step(state: DialogState, msg: IncomingMessage, knowledge: Knowledge,
         matcher: Matching, linked: DialogState | None = None
         ) -> tuple[DialogState | None, list[Reply]]:
    """One message in, the next state and the replies out; no I/O. None state: forget it.

    `linked` is the sender's own conversation in the group a private `/start <payload>` names
    (see `handoff_chat`), looked up by the caller; it is read, never changed.
    """
    state = _sanitized(state, knowledge)
    turn = classify(state, msg, knowledge, matcher, linked)
    compose = Composer(knowledge, msg.chat_id if msg.is_group else None)
    if turn.event is Event.IGNORED:
        return state, []
    if turn.event is Event.FORGET:
        text = texts.FORGET_NOTHING if state.is_new else texts.FORGET_DONE
        return None, [compose.line(ReplyKind.FORGET, text)]
    if turn.event is Event.STALE and state.is_new:
        text = texts.EXPIRED_GONE if turn.name == "gone" else texts.EXPIRED_UNKNOWN
        return state, [compose.line(ReplyKind.EXPIRED, text, _start_choices(compose))]
    new = replace(state, phase=TRANSITIONS[turn.event][state.phase], turn=state.turn + 1)
    new, reply = _respond(turn, new, state, msg.is_group, compose)
    return _finish(turn, new, reply, knowledge)


def _respond(turn: Turn, new: DialogState, old: DialogState, group: bool,
             c: Composer) -> tuple[DialogState, Reply]:
    result = turn.result
    match turn.event:
        case Event.START:  # a fresh start, but triage only goes up (only /forget clears it)
            new = replace(new, causes=(), question=None)
            return new, c.start(group=group)
        case Event.HANDOFF | Event.HANDOFF_URGENT:
            new = _continued(new, old, turn)
            return new, c.complaint(new.causes, new.triage, new.warnings, group=group,
                                    lead=texts.HANDOFF_LEAD)
        case Event.HANDOFF_CLARIFY:
            new = _continued(new, old, turn)
            return new, c.clarify(1, new.turn, group=group)
        case Event.INFO:
            return new, _info(turn.name, group, c)
        case Event.URGENT:
            assert result is not None
            new = replace(new, causes=_merge(result.cause_ids, old.causes))
            new = new.raise_triage("urgent", tuple(w.id for w in result.warning_signs))
            return new, c.urgent(new.causes, c.ordered(new.warnings), group=group)
        case Event.COMPLAINT | Event.SIGN:
            assert result is not None
            new = replace(new, causes=_merge(result.cause_ids, old.causes))
            new = new.raise_triage(result.triage, tuple(w.id for w in result.warning_signs))
            if result.question is not None:
                new = replace(new, question=result.question.id)
                return new, c.answer(result.question.id, new.causes, new.triage, group=group,
                                     show_causes=True)
            return new, c.complaint(new.causes, new.triage, new.warnings, group=group)
        case Event.VAGUE:
            if new.phase in (C1, C2):
                return new, c.clarify(1 if new.phase is C1 else 2, new.turn, group=group)
            if new.phase is U:
                return new, c.urgent(new.causes, c.ordered(new.warnings), group=group)
            return _general(new, group, c)
        case Event.QUESTION:
            if turn.linked is not None:
                new = _continued(new, old, turn)
                qid = turn.linked.question
            else:
                assert result is not None and result.question is not None
                qid = result.question.id
                # a question can carry signs ("a twitch for 3 weeks?"): they count as told
                new = new.raise_triage(result.triage, tuple(w.id for w in result.warning_signs))
            assert qid is not None
            new = replace(new, question=qid)
            return new, c.answer(qid, new.causes, new.triage, group=group)
        case Event.OFF_TOPIC:
            return new, c.line(ReplyKind.OFF_TOPIC, texts.OFF_TOPIC)
        case Event.BAD_INPUT:
            if turn.name == "media":
                return new, c.line(ReplyKind.BAD_INPUT, texts.MEDIA)
            if turn.name == "edit":
                return new, c.line(ReplyKind.BAD_INPUT, texts.EDITED)
            return new, c.bad_input(Problem(turn.name))
        case Event.PICK:
            assert turn.action is not None
            causes, sign = FACTORS[turn.action.args[0]]
            new = replace(new, causes=_merge(causes, old.causes))
            if sign is not None:
                new = new.raise_triage("see_doctor", (sign,))
            return new, c.complaint(new.causes, new.triage, new.warnings, group=group)
        case Event.PICK_UNSURE:
            return _general(new, group, c)
        case Event.DETAIL:
            assert turn.action is not None
            return new, _detail(turn.action, new, group, c)
        case _:  # Event.STALE
            text = texts.EXPIRED_UNKNOWN if turn.name == "unknown" else texts.EXPIRED_STALE
            menu = rebuild(old.menu, c.k)
            if menu:
                text = f"{text} {texts.EXPIRED_CURRENT}"
            return new, c.line(ReplyKind.EXPIRED, text, menu or _start_choices(c))


def _continued(new: DialogState, old: DialogState, turn: Turn) -> DialogState:
    """The private conversation takes on what the sender's own group conversation holds."""
    linked = turn.linked
    assert linked is not None
    new = replace(new, causes=_merge(linked.causes, old.causes),
                  question=linked.question or old.question)
    return new.raise_triage(linked.triage, linked.warnings)


def _general(new: DialogState, group: bool, c: Composer) -> tuple[DialogState, Reply]:
    new = replace(new, causes=_merge(new.causes, GENERAL_CAUSES))
    return new, c.complaint(new.causes, new.triage, new.warnings, group=group,
                            lead=texts.GENERAL_LEAD)


def _info(name: str, group: bool, c: Composer) -> Reply:
    if name in LISTS:
        return c.listing(name, group=group, kind=ReplyKind.COMMAND)
    match name:
        case "help":
            return c.help(group=group)
        case "about":
            return c.about(Disclaimer(c.k.disclaimer), group=group)
        case "twitch":
            return c.line(ReplyKind.COMMAND, texts.TWITCH_EMPTY)
    return c.line(ReplyKind.COMMAND, texts.UNKNOWN_COMMAND)


def _detail(action: Action, state: DialogState, group: bool, c: Composer) -> Reply:
    args, triage = action.args, state.triage
    match action.name:
        case "why":
            return c.why(args, triage)
        case "prevent":
            return c.prevent(args, triage)
        case "care":
            return c.care(args, triage)
        case "more":
            return c.more(args, triage)
        case "worry":
            return c.worry(state.causes, triage)
        case "cause":
            return c.cause(args[0], triage)
        case "q":
            return c.answer(args[0], state.causes, triage, group=group, kind=ReplyKind.DETAIL)
    return c.listing(args[0], group=group, kind=ReplyKind.DETAIL)


def _start_choices(c: Composer) -> tuple:
    return c.start(group=False).choices


def _substantive(turn: Turn, reply: Reply) -> bool:
    """A reply with content (not a one-line notice): it carries triage and its reminder."""
    if reply.kind is ReplyKind.COMMAND:
        return turn.name not in ("unknown", "twitch")
    return reply.kind in _SUBSTANTIVE


def _finish(turn: Turn, new: DialogState, reply: Reply,
            knowledge: Knowledge) -> tuple[DialogState, list[Reply]]:
    """Cross-cutting rules: triage on top, the disclaimer once, the menu remembered.

    Triage wins (design.md §3): while the conversation is urgent every substantive reply opens
    with a short urgent reminder (urgent complaints are the urgent advice alone); a see-doctor
    sign is said first on the reply to the message that told it.
    """
    blocks = reply.blocks
    substantive = _substantive(turn, reply)
    opens_with_warning = bool(blocks) and isinstance(blocks[0], Warning)
    said_now = turn.result.triage if turn.result is not None else "self_care"
    if substantive and not opens_with_warning:
        compose = Composer(knowledge)
        warnings = compose.ordered(new.warnings)
        if new.triage == "urgent":
            warning: Warning | None = compose.reminder(warnings)
        else:
            warning = compose.warning(said_now, warnings)
        if warning is not None:
            blocks = (warning, *blocks)
    urgent_alone = reply.kind is ReplyKind.COMPLAINT and reply.triage == "urgent"
    has_disclaimer = any(isinstance(b, Disclaimer) for b in blocks)
    wants = reply.kind in _DISCLAIMED or turn.event in (Event.START, Event.INFO)
    if has_disclaimer:
        new = replace(new, disclaimer_shown=True)
    elif (wants and not new.disclaimer_shown and not urgent_alone
          and (reply.kind is not ReplyKind.COMMAND or turn.name not in ("unknown", "twitch"))):
        blocks = (*blocks, Disclaimer(knowledge.disclaimer))
        new = replace(new, disclaimer_shown=True)
    triage = max_triage(reply.triage, new.triage) if substantive else reply.triage
    reply = replace(reply, blocks=blocks, triage=triage)
    if reply.choices and reply.kind is not ReplyKind.EXPIRED:
        new = replace(new, menu=tuple(ch.id for ch in reply.choices), menu_turn=new.turn)
    return new, [reply]


def max_triage(a: str, b: str) -> str:
    order = ("self_care", "see_doctor", "urgent")
    return a if order.index(a) >= order.index(b) else b
