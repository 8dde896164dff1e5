"""The pure dialog step: transitions, triage, clarifying rounds, buttons, state JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from dialogs import texts
from dialogs.actions import Handoff, make_handoff, parse_choice, parse_handoff
from dialogs.machine import TRANSITIONS, Event, handoff_chat, step
from dialogs.state import STATE_VERSION, DialogState, Phase, StateError
from dialogs.types import (
    CHOICE_ID_RE,
    HANDOFF_RE,
    Bullets,
    ChatKind,
    Disclaimer,
    IncomingMessage,
    Reply,
    ReplyKind,
    Text,
    Warning,
)
from knowledge import load_knowledge
from knowledge.result import CauseHit, MatchResult, QuestionHit, WarningHit

K = load_knowledge()

CANNED = {
    "calves after leg day": MatchResult(causes=(CauseHit("fatigue", 0.9),)),
    "barely drank": MatchResult(causes=(CauseHit("dehydration", 0.9),)),
    "my calf twitches": MatchResult(),
    "three weeks now": MatchResult(triage="see_doctor",
                                   warning_signs=(WarningHit("persistent", "see_doctor"),)),
    "cola pee after leg day": MatchResult(
        causes=(CauseHit("fatigue", 0.8),), triage="urgent",
        warning_signs=(WarningHit("dark_urine", "urgent"),)),
    "when should i worry": MatchResult(question=QuestionHit("concern", 0.9)),
    "is it normal after leg day": MatchResult(causes=(CauseHit("fatigue", 0.8),),
                                              question=QuestionHit("normal", 0.9)),
    "pre-workout?": MatchResult(off_topic=True),
    "it hurts after leg day": MatchResult(
        causes=(CauseHit("fatigue", 0.8),), triage="see_doctor",
        warning_signs=(WarningHit("pain", "see_doctor"),)),
}


class Canned:
    """A matcher that knows a few texts; everything else is off-topic."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def match(self, text: str) -> MatchResult:
        self.seen.append(text)
        return CANNED.get(text, MatchResult(off_topic=True))


def msg(text: str = "", *, group: bool = False, addressed: bool = True, **kw: object
        ) -> IncomingMessage:
    return IncomingMessage(platform="test", chat_id="g" if group else "u1",
                           chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
                           user_id="u1", text=text, addressed=addressed, **kw)  # type: ignore


def run(*messages: IncomingMessage, state: DialogState | None = None
        ) -> tuple[DialogState | None, list[list[Reply]]]:
    state = state or DialogState()
    out = []
    for m in messages:
        new, replies = step(state, m, K, Canned())
        out.append(replies)
        if new is None:
            return None, out
        state = new
    return state, out


def one(replies: list[Reply]) -> Reply:
    assert len(replies) == 1
    return replies[0]


def test_table_is_total() -> None:
    for event in Event:
        assert set(TRANSITIONS[event]) == set(Phase), event


def test_clarifying_never_more_than_two_rounds() -> None:
    phase = Phase.IDLE
    seen = []
    for _ in range(3):
        phase = TRANSITIONS[Event.VAGUE][phase]
        seen.append(phase)
    assert seen == [Phase.CLARIFY_1, Phase.CLARIFY_2, Phase.ADVISED]


def test_complaint_gives_causes_selfcare_tip_and_deeper_choices() -> None:
    state, [[reply]] = run(msg("calves after leg day"))
    assert state is not None and state.phase is Phase.ADVISED
    assert reply.kind is ReplyKind.COMPLAINT and reply.causes == ("fatigue",)
    actions = [parse_choice(c.id).name for c in reply.choices]  # type: ignore[union-attr]
    assert actions == ["why", "prevent", "worry", "more"]
    assert isinstance(reply.blocks[-1], Disclaimer) and state.disclaimer_shown
    assert state.menu == tuple(c.id for c in reply.choices) and state.menu_turn == 1


def test_disclaimer_once() -> None:
    _, out = run(msg("calves after leg day"), msg("barely drank"), msg("when should i worry"))
    counts = [sum(isinstance(b, Disclaimer) for b in one(r).blocks) for r in out]
    assert counts == [1, 0, 0]


def test_follow_up_raises_triage_and_says_it_first() -> None:
    state, out = run(msg("calves after leg day"), msg("three weeks now"))
    reply = one(out[1])
    assert state is not None and state.triage == "see_doctor"
    assert isinstance(reply.blocks[0], Warning) and reply.blocks[0].level == "see_doctor"
    assert reply.triage == "see_doctor" and reply.causes == ("fatigue",)
    assert any(isinstance(b, Bullets) and b.title == texts.SELF_CARE_TITLE for b in reply.blocks)


def test_causes_merge_across_turns() -> None:
    _, out = run(msg("calves after leg day"), msg("barely drank"))
    assert one(out[1]).causes == ("dehydration", "fatigue")


def test_urgent_opens_alone_then_stays_on_top() -> None:
    state, out = run(msg("cola pee after leg day"), msg("when should i worry"))
    urgent = one(out[0])
    assert state is not None and state.triage == "urgent"
    assert urgent.triage == "urgent" and urgent.choices == ()
    assert len(urgent.blocks) == 1 and isinstance(urgent.blocks[0], Warning)
    later = one(out[1])
    assert isinstance(later.blocks[0], Warning) and later.blocks[0].level == "urgent"
    assert later.question == "concern"


def test_urgent_unaddressed_in_group_still_answered() -> None:
    _, [replies] = run(msg("cola pee after leg day", group=True, addressed=False))
    assert one(replies).triage == "urgent"


def test_group_chatter_is_silent_and_stores_nothing() -> None:
    state, [replies] = run(msg("calves after leg day", group=True, addressed=False))
    assert replies == [] and state == DialogState()


def test_group_reply_is_short_with_handoff() -> None:
    group_state, [[reply]] = run(msg("calves after leg day", group=True))
    assert reply.choices == () and reply.handoff and HANDOFF_RE.match(reply.handoff)
    handoff = parse_handoff(reply.handoff)
    assert handoff is not None and handoff.chat_id == "g"  # it names the group, nothing else
    # ... and /start <handoff> in private goes on with the sender's own group conversation
    start = msg(command="start", text=reply.handoff)
    assert handoff_chat(start) == "g"
    _, [private] = step(DialogState(), start, K, Canned(), linked=group_state)
    assert private.kind is ReplyKind.COMPLAINT and private.causes == ("fatigue",)
    assert private.choices
    # without a conversation of the sender's own in that group: the plain greeting
    _, [greeting] = step(DialogState(), start, K, Canned(), linked=None)
    assert greeting.kind is ReplyKind.COMMAND and greeting.causes == ()


def test_handoff_payload_carries_no_health_data() -> None:
    """Deep links are visible to the whole group: no causes, signs or triage in them."""
    for text in ("cola pee after leg day", "it hurts after leg day", "calves after leg day",
                 "when should i worry", "my calf twitches"):
        _, [[reply]] = run(msg(text, group=True))
        assert reply.handoff is not None
        assert reply.handoff.split("-", 1)[1] == "gg", (text, reply.handoff)
        ids = [c.id for c in K.causes] + [w.id for w in K.warnings] + ["t_", "w_", "c_"]
        assert not any(i in reply.handoff for i in ids), reply.handoff


def test_urgent_handoff_continues_urgent_alone() -> None:
    group_state, [[group_reply]] = run(msg("cola pee after leg day", group=True))
    link = group_reply.handoff
    assert link is not None
    new, [reply] = step(DialogState(), msg(command="start", text=link), K, Canned(),
                        linked=group_state)
    assert new is not None and new.triage == "urgent" and new.phase is Phase.URGENT
    assert reply.triage == "urgent" and len(reply.blocks) == 1
    assert isinstance(reply.blocks[0], Warning) and reply.blocks[0].level == "urgent"


def test_old_payloads_with_health_data_are_not_read() -> None:
    """Links posted before the fix carried someone's signs: pressing one is a plain /start."""
    old = "adv-t_2-w_dark_urine-c_overexertion-c_dehydration"
    assert parse_handoff(old) is None
    start = msg(command="start", text=old)
    assert handoff_chat(start) is None
    new, [reply] = step(DialogState(), start, K, Canned())
    assert reply.kind is ReplyKind.COMMAND and reply.triage == "self_care"
    assert not any(isinstance(b, Warning) for b in reply.blocks)
    assert new is not None and new.triage == "self_care" and new.warnings == ()


def test_vague_clarifies_then_pick_answers() -> None:
    state, out = run(msg("my calf twitches"))
    clarify = one(out[0])
    assert state is not None and state.phase is Phase.CLARIFY_1
    assert clarify.kind is ReplyKind.CLARIFY and len(clarify.choices) == 10
    heat = next(c for c in clarify.choices if c.id.startswith("clar:heat:"))
    state, out = run(msg(choice=heat.id), state=state)
    assert one(out[0]).causes == ("dehydration",) and state.phase is Phase.ADVISED
    # pressing it again does not act twice
    again, out = run(msg(choice=heat.id), state=state)
    assert one(out[0]).kind is ReplyKind.EXPIRED and again.causes == state.causes  # type: ignore


def test_two_vague_rounds_then_an_answer() -> None:
    state, out = run(msg("my calf twitches"), msg("my calf twitches"), msg("my calf twitches"))
    kinds = [one(r).kind for r in out]
    assert kinds == [ReplyKind.CLARIFY, ReplyKind.CLARIFY, ReplyKind.COMPLAINT]
    assert state is not None and state.phase is Phase.ADVISED and one(out[2]).causes


def test_anything_while_clarifying_counts_as_a_round() -> None:
    _, out = run(msg("my calf twitches"), msg("pre-workout?"), msg("pre-workout?"))
    assert [one(r).kind for r in out] == [ReplyKind.CLARIFY, ReplyKind.CLARIFY,
                                          ReplyKind.COMPLAINT]


def test_tingling_pick_raises_see_doctor() -> None:
    state, out = run(msg("my calf twitches"))
    tingling = next(c for c in one(out[0]).choices if ":tingling:" in c.id)
    state, out = run(msg(choice=tingling.id), state=state)
    reply = one(out[0])
    assert reply.triage == "see_doctor" and reply.causes == ("nerve",)
    assert isinstance(reply.blocks[0], Warning)


def test_unsure_pick_gives_general_answer() -> None:
    state, out = run(msg("my calf twitches"))
    unsure = next(c for c in one(out[0]).choices if ":unsure:" in c.id)
    state, out = run(msg(choice=unsure.id), state=state)
    assert one(out[0]).kind is ReplyKind.COMPLAINT and one(out[0]).causes == ("fatigue",)


def test_question_and_question_with_causes() -> None:
    _, [[answer]] = run(msg("when should i worry"))
    assert answer.kind is ReplyKind.ANSWER and answer.question == "concern" and not answer.causes
    _, [[both]] = run(msg("is it normal after leg day"))
    assert both.question == "normal" and both.causes == ("fatigue",)


def test_see_doctor_question_opens_with_warning() -> None:
    _, [[reply]] = run(msg("it hurts after leg day"))
    assert isinstance(reply.blocks[0], Warning) and reply.triage == "see_doctor"


def test_off_topic_private_line_group_silence() -> None:
    _, [[reply]] = run(msg("pre-workout?"))
    assert reply.kind is ReplyKind.OFF_TOPIC and len(reply.blocks) == 1 and not reply.choices
    _, [replies] = run(msg("pre-workout?", group=True, addressed=False))
    assert replies == []
    _, [[addressed]] = run(msg("pre-workout?", group=True))
    assert addressed.kind is ReplyKind.OFF_TOPIC


@pytest.mark.parametrize("text", ["", "   \n ", "💪💪🔥", "\x00\x01\x02\x03garbage\x04\x05"])
def test_bad_input(text: str) -> None:
    matcher = Canned()
    _, [reply] = step(DialogState(), msg(text), K, matcher)
    assert reply.kind is ReplyKind.BAD_INPUT and matcher.seen == []


def test_media_private_and_group() -> None:
    _, [[reply]] = run(msg(media="sticker"))
    assert reply.kind is ReplyKind.BAD_INPUT
    _, [replies] = run(msg(media="photo", group=True))
    assert replies == []


def test_forget_returns_no_state() -> None:
    state, out = run(msg("calves after leg day"), msg(command="forget"))
    assert state is None and one(out[1]).kind is ReplyKind.FORGET


@pytest.mark.parametrize("name", ["help", "causes", "faq", "selfcare", "prevent", "about",
                                  "start", "bogus"])
def test_commands(name: str) -> None:
    _, [[reply]] = run(msg(command=name))
    assert reply.kind is ReplyKind.COMMAND and reply.blocks
    for c in reply.choices:
        assert CHOICE_ID_RE.match(c.id) and len(c.id.encode()) <= 64


def test_twitch_command_is_free_text() -> None:
    _, [[reply]] = run(msg(command="twitch", text="calves after leg day", group=True))
    assert reply.causes == ("fatigue",) and reply.handoff


def test_every_button_leads_somewhere() -> None:
    """Press every choice reachable from a complaint and the lists: no crash, no dead end."""
    state, out = run(msg("calves after leg day"))
    assert state is not None
    queue = [c.id for c in one(out[0]).choices]
    for name in ("causes", "faq", "selfcare", "prevent"):
        queue += [c.id for c in one(run(msg(command=name))[1][0]).choices]
    seen: set[str] = set()
    while queue:
        cid = queue.pop()
        if cid in seen:
            continue
        seen.add(cid)
        _, [reply] = step(state, msg(choice=cid), K, Canned())
        assert reply.kind is ReplyKind.DETAIL and reply.choices, cid
        queue += [c.id for c in reply.choices]
    assert len(seen) > 20


def test_stale_and_unknown_buttons() -> None:
    _, [[gone]] = run(msg(choice="clar:heat:3"))
    assert gone.kind is ReplyKind.EXPIRED and gone.choices
    _, [[odd]] = run(msg(choice="nope:x"))
    assert odd.kind is ReplyKind.EXPIRED


def test_info_buttons_work_without_state() -> None:
    """A button carries what it needs: after expiry it still answers."""
    _, [[reply]] = run(msg(choice="why:fatigue,dehydration"))
    assert reply.kind is ReplyKind.DETAIL and reply.causes == ("fatigue", "dehydration")


def test_step_is_pure() -> None:
    state = DialogState()
    before = state.to_json()
    step(state, msg("calves after leg day"), K, Canned())
    assert state.to_json() == before


def test_state_json_roundtrip_and_no_text() -> None:
    state, _ = run(msg("calves after leg day"), msg("three weeks now"))
    assert state is not None
    raw = state.to_json()
    assert json.loads(raw)["v"] == STATE_VERSION
    assert DialogState.from_json(raw) == state
    assert "calves" not in raw and "weeks" not in raw


@pytest.mark.parametrize("raw", ["", "[]", "{}", '{"v": 99}', '{"v": 1, "phase": "zzz"}',
                                 '{"v": 1, "causes": ["<script>"]}', '{"v": 1, "turn": -1}'])
def test_state_rejects_bad_json(raw: str) -> None:
    with pytest.raises(StateError):
        DialogState.from_json(raw)


def test_state_migration_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    from dialogs import state as state_module

    monkeypatch.setattr(state_module, "STATE_VERSION", 2)
    monkeypatch.setitem(state_module.MIGRATIONS, 1, lambda d: {**d, "turn": d["turn"] + 1})
    migrated = DialogState.from_json('{"v": 1, "turn": 4}')
    assert migrated.turn == 5


@pytest.mark.parametrize("chat_id", ["-1001234567890", "gym", "group-1", "my chat! ✓", "7"])
def test_handoff_fits_and_roundtrips(chat_id: str) -> None:
    for view in ("adv", "clar", "q"):
        raw = make_handoff(view, chat_id)
        assert HANDOFF_RE.match(raw) and len(raw) <= 64
        assert parse_handoff(raw) == Handoff(view, chat_id)
    assert make_handoff("causes", chat_id) == "causes"  # general views name no chat
    assert make_handoff("adv", "x" * 80) == "adv"  # too long to name: a plain /start
    assert parse_handoff("adv-c_nonsense") is None
    assert parse_handoff("causes-ggym") is None
    assert parse_handoff("../etc") is None


def test_knowledge_change_drops_unknown_ids() -> None:
    state = replace(DialogState(turn=3), causes=("fatigue", "gone_cause"),
                    warnings=("gone_sign",))
    new, _ = step(state, msg(choice="worry"), K, Canned())
    assert new is not None and new.causes == ("fatigue",) and new.warnings == ()


class Contextual(Canned):
    """Like the real matcher: a follow-up without twitch words is off-topic on its own."""

    def match(self, text: str) -> MatchResult:
        self.seen.append(text)
        framed = {
            "the twitching barely water": MatchResult(causes=(CauseHit("dehydration", 0.7),)),
            "the twitching weeks now": MatchResult(
                triage="see_doctor", warning_signs=(WarningHit("persistent", "see_doctor"),)),
            "the twitching pre-workout?": MatchResult(question=QuestionHit("prevent", 0.8)),
        }
        return framed.get(text) or CANNED.get(text, MatchResult(off_topic=True))


def test_follow_ups_are_read_in_the_conversation_context() -> None:
    state = DialogState()
    replies = []
    for text in ("barely water", "calves after leg day", "barely water", "weeks now",
                 "pre-workout?"):
        new, out = step(state, msg(text), K, Contextual())
        assert new is not None
        state = new
        replies.append(one(out))
    alone, complaint, water, weeks, chatter = replies
    assert alone.kind is ReplyKind.OFF_TOPIC  # no conversation yet: no context to read it in
    assert complaint.causes == ("fatigue",)
    assert water.kind is ReplyKind.COMPLAINT and water.causes == ("dehydration", "fatigue")
    assert weeks.triage == "see_doctor" and isinstance(weeks.blocks[0], Warning)
    assert chatter.kind is ReplyKind.OFF_TOPIC  # a question found only by framing is not taken


def test_urgent_conversation_keeps_urgent_on_top_of_every_reply() -> None:
    """Triage wins (design.md §3): commands, buttons and /start keep the urgent reminder."""
    state, out = run(msg("cola pee after leg day"), msg(command="selfcare"),
                     msg(command="causes"), msg(choice="why:fatigue"), msg(command="start"),
                     msg(command="about"), msg("calves after leg day"),
                     msg("it hurts after leg day"))
    assert state is not None and state.triage == "urgent" and "dark_urine" in state.warnings
    for replies in out[1:6]:
        reply = one(replies)
        assert isinstance(reply.blocks[0], Warning) and reply.blocks[0].level == "urgent", reply
        assert reply.triage == "urgent"
    for replies in out[6:]:  # complaints: the urgent advice alone, nothing competing
        reply = one(replies)
        assert reply.triage == "urgent" and len(reply.blocks) == 1, reply
        assert isinstance(reply.blocks[0], Warning) and reply.blocks[0].level == "urgent"
        assert not any(isinstance(b, Bullets) for b in reply.blocks)


def test_start_never_lowers_triage() -> None:
    for sign in ("cola pee after leg day", "three weeks now"):
        before, _ = run(msg("calves after leg day"), msg(sign))
        assert before is not None
        after, [[reply]] = run(msg(command="start"), state=before)
        assert after is not None and after.triage == before.triage
        assert after.warnings == before.warnings and reply.triage == before.triage
    _, [[unknown]] = run(msg(command="bogus"), state=before)
    assert unknown.blocks[0] == Text(texts.UNKNOWN_COMMAND)  # a one-line notice: no reminder


def test_question_with_a_sign_raises_the_conversation_triage() -> None:
    CANNED["normal for three weeks?"] = MatchResult(
        question=QuestionHit("normal", 0.9), triage="see_doctor",
        warning_signs=(WarningHit("persistent", "see_doctor"),))
    try:
        state, out = run(msg("normal for three weeks?"), msg("calves after leg day"),
                         msg(command="selfcare"))
    finally:
        del CANNED["normal for three weeks?"]
    answer, complaint, _ = (one(r) for r in out)
    assert answer.kind is ReplyKind.ANSWER and answer.question == "normal"
    assert answer.triage == "see_doctor"
    assert isinstance(answer.blocks[0], Warning) and answer.blocks[0].level == "see_doctor"
    assert state is not None and state.triage == "see_doctor" and state.warnings == ("persistent",)
    assert complaint.triage == "see_doctor" and isinstance(complaint.blocks[0], Warning)


def test_unknown_commands_are_silent_in_groups_only() -> None:
    for name in ("ban", "warn", "rules", "ban@"):
        state, [replies] = run(msg(command=name, text="@someone", group=True))
        assert replies == [] and state == DialogState()
    _, [[private]] = run(msg(command="rules"))
    assert private.kind is ReplyKind.COMMAND and private.blocks == (Text(texts.UNKNOWN_COMMAND),)
    _, [[ours]] = run(msg(command="help", group=True))  # our own commands still answer
    assert ours.kind is ReplyKind.COMMAND


def test_edits_get_their_own_line() -> None:
    _, [[edit]] = run(msg(media="edit"))
    assert edit.kind is ReplyKind.BAD_INPUT and edit.blocks == (Text(texts.EDITED),)
    _, [[photo]] = run(msg(media="photo"))
    assert photo.blocks == (Text(texts.MEDIA),)
    _, [replies] = run(msg(media="edit", group=True))
    assert replies == []
