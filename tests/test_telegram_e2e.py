"""End to end: the real dialog service (SQLite store) behind the real PTB Application and the
fake Bot API server. Assertions are on ids and structure (reply kinds, keyboards), not prose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from adapters.telegram.render import MAX_MESSAGE_LENGTH
from bot.config import Settings
from bot.wiring import open_service
from dialogs import texts
from dialogs.commands import COMMANDS
from dialogs.service import DialogService
from dialogs.types import ConversationKey, Reply, ReplyKind, Warning
from tests.fakes.telegram_api import ApiCall, FakeTelegramAPI
from tests.fakes.telegram_harness import Exchange, RecordingConversations, TelegramHarness
from tests.fakes.telegram_markup import deep_link_payload

COMPLAINT = "my calves keep twitching after leg day, barely drank anything"
URGENT = "my arm keeps twitching and I have chest pain after the workout"
HOSTILE = "calves <b>twitch</b> & <script>alert(1)</script> *_[]()~` &amp; after legs"


@dataclass
class Live:
    api: FakeTelegramAPI
    tg: TelegramHarness
    rec: RecordingConversations
    service: DialogService

    async def state(self, chat: dict[str, Any], user: dict[str, Any]) -> Any:
        return await self.service.load(
            ConversationKey("telegram", str(chat["id"]), str(user["id"]))
        )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, AFTERTWITCH_STORE=f"sqlite:///{tmp_path}/s.db")  # type: ignore[call-arg]


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@asynccontextmanager
async def live_bot(api: FakeTelegramAPI, settings: Settings) -> AsyncIterator[Live]:
    async with open_service(settings) as service:
        rec = RecordingConversations(service)
        async with TelegramHarness(api, rec) as tg:
            yield Live(api, tg, rec, service)


@pytest.fixture
async def live(api: FakeTelegramAPI, settings: Settings) -> AsyncIterator[Live]:
    async with live_bot(api, settings) as bot:
        yield bot


@pytest.fixture
def sam(api: FakeTelegramAPI) -> dict[str, Any]:
    return api.user(201, "Sam")


@pytest.fixture
def kim(api: FakeTelegramAPI) -> dict[str, Any]:
    return api.user(202, "Kim")


def buttons(call: ApiCall) -> list[str]:
    return [b["callback_data"] for row in call.buttons for b in row if "callback_data" in b]


def assert_rendered(exchange: Exchange, replies: list[Reply]) -> None:
    """Every reply was delivered, accepted by the server, with its choices as buttons."""
    assert exchange.refused == []
    assert len(exchange.sent) >= len(replies)
    assert all(len(call.text) <= MAX_MESSAGE_LENGTH for call in exchange.sent)
    wanted = [c.id for r in replies for c in r.choices]
    assert [d for call in exchange.sent for d in buttons(call)] == wanted


async def test_private_conversation_from_complaint_to_answers(
    live: Live, sam: dict[str, Any]
) -> None:
    chat = live.api.private_chat(sam)
    assert_rendered(await live.tg.say(chat, sam, "/start"), live.rec.last)

    exchange = await live.tg.say(chat, sam, COMPLAINT)
    [reply] = live.rec.last
    assert reply.kind is ReplyKind.COMPLAINT and "dehydration" in reply.causes and reply.choices
    assert_rendered(exchange, [reply])
    menu = exchange.sent[-1]

    why = next(c.id for c in reply.choices if c.id.startswith("why"))
    pressed = await live.tg.press(sam, menu.result, why)
    assert [c.method for c in pressed.calls][:2] == [
        "answerCallbackQuery",
        "editMessageReplyMarkup",
    ]
    assert live.rec.last[0].kind is ReplyKind.DETAIL
    assert_rendered(pressed, live.rec.last)
    assert "reply_markup" not in live.api.message(chat["id"], menu.result["message_id"])

    worry = next(c.id for r in live.rec.last for c in r.choices if c.id == "worry")
    assert_rendered(await live.tg.press(sam, pressed.sent[-1].result, worry), live.rec.last)

    exchange = await live.tg.say(chat, sam, "is it normal to twitch after a workout?")
    assert (live.rec.last[0].kind, live.rec.last[0].question) == (ReplyKind.ANSWER, "normal")
    assert_rendered(exchange, live.rec.last)
    assert live.api.unanswered_queries == set()


async def test_every_command(live: Live, sam: dict[str, Any]) -> None:
    chat = live.api.private_chat(sam)
    await live.tg.say(chat, sam, COMPLAINT)
    for info in COMMANDS:
        exchange = await live.tg.say(chat, sam, f"/{info.name}")
        assert live.rec.last and live.rec.turns[-1][0].command == info.name
        assert_rendered(exchange, live.rec.last)
        assert ReplyKind.ERROR not in {r.kind for r in live.rec.last}
        if info.name == "forget":
            assert live.rec.last[0].kind is ReplyKind.FORGET
            assert (await live.state(chat, sam)).is_new
    assert_rendered(await live.tg.say(chat, sam, "/nosuchcommand"), live.rec.last)


async def test_a_group_hears_only_what_is_addressed_to_the_bot(
    live: Live, sam: dict[str, Any]
) -> None:
    gym = live.api.group_chat(-1005551, "Iron Temple", supergroup=True)
    chatter = await live.tg.say(gym, sam, "leg day was brutal, anyone else twitchy?")
    assert chatter.calls == [] and live.rec.last == []

    bot = live.api.bot_username
    asks = [f"@{bot} {COMPLAINT}", f"/twitch@{bot} {COMPLAINT}", f"/twitch {COMPLAINT}"]
    for text in asks:
        exchange = await live.tg.say(gym, sam, text)
        [reply] = live.rec.last
        assert reply.kind is ReplyKind.COMPLAINT and reply.handoff
        [sent] = exchange.sent
        assert (
            sent.params["reply_parameters"]["message_id"]
            == exchange.pushed[0].message["message_id"]
        )
        assert len(sent.text) < 1500  # short in a group: the details are a tap away
        link = sent.buttons[-1][-1]["url"]
        assert deep_link_payload(link) == (bot, reply.handoff)

    reply_to_bot = await live.tg.say(
        gym, sam, "it's been like this for three weeks", reply_to=exchange.sent[0].result
    )
    assert len(reply_to_bot.sent) == 1

    help_in_group = await live.tg.say(gym, sam, f"/help@{bot}")
    [sent] = help_in_group.sent
    assert (
        sent.params["reply_parameters"]["message_id"]
        == help_in_group.pushed[0].message["message_id"]
    )

    private = live.api.private_chat(sam)
    handoff = await live.tg.say(private, sam, f"/start {reply.handoff}")
    assert live.rec.last[0].kind in (ReplyKind.COMPLAINT, ReplyKind.DETAIL)
    assert "dehydration" in live.rec.last[0].causes
    assert_rendered(handoff, live.rec.last)


async def test_two_members_of_a_group_have_separate_states(
    live: Live, sam: dict[str, Any], kim: dict[str, Any]
) -> None:
    gym = live.api.group_chat(-1005552, "Iron Temple", supergroup=True)
    await live.tg.say(gym, sam, f"/twitch {COMPLAINT}")
    await live.tg.say(gym, kim, "/twitch twitch")
    sam_state, kim_state = await live.state(gym, sam), await live.state(gym, kim)
    assert "dehydration" in sam_state.causes and kim_state.causes == ()
    assert sam_state.phase != kim_state.phase


async def test_urgent_advice_comes_first_in_bold(live: Live, sam: dict[str, Any]) -> None:
    exchange = await live.tg.say(live.api.private_chat(sam), sam, URGENT)
    [reply] = live.rec.last
    assert reply.triage == "urgent"
    assert isinstance(reply.blocks[0], Warning) and reply.blocks[0].level == "urgent"
    first = exchange.sent[0]
    assert first.params["text"].startswith("<b>🚨 ")
    bold = first.result["entities"][0]
    assert (bold["type"], bold["offset"]) == ("bold", 0)
    assert first.text.startswith(f"🚨 {reply.blocks[0].title}")


async def test_markup_characters_and_5000_characters(live: Live, sam: dict[str, Any]) -> None:
    chat = live.api.private_chat(sam)
    exchange = await live.tg.say(chat, sam, HOSTILE)
    assert_rendered(exchange, live.rec.last)
    huge = (COMPLAINT + " <i>&</i> ") * 60
    exchange = await live.tg.say(chat, sam, huge[:5000])
    assert live.rec.last and exchange.sent
    assert_rendered(exchange, live.rec.last)


async def test_a_restart_mid_conversation_keeps_the_state(
    api: FakeTelegramAPI, settings: Settings, sam: dict[str, Any]
) -> None:
    chat = api.private_chat(sam)
    async with live_bot(api, settings) as first:
        exchange = await first.tg.say(chat, sam, "twitch")
        [clarify] = first.rec.last
        assert clarify.kind is ReplyKind.CLARIFY and clarify.choices
        menu = exchange.sent[-1]
    async with live_bot(api, settings) as second:  # a new process: same store, same Telegram
        assert (await second.state(chat, sam)).phase == "clarify_1"
        pressed = await second.tg.press(sam, menu.result, clarify.choices[0].id)
        assert second.rec.last[0].kind not in (ReplyKind.EXPIRED, ReplyKind.ERROR)
        assert_rendered(pressed, second.rec.last)


async def test_migration_moves_state_and_removal_deletes_it(
    live: Live, sam: dict[str, Any]
) -> None:
    group = live.api.group_chat(-5553, "Iron Temple")
    await live.tg.say(group, sam, f"/twitch {COMPLAINT}")
    assert "dehydration" in (await live.state(group, sam)).causes

    await live.tg.run(lambda: live.api.migrate(group, -1005553, sam))
    supergroup = {**group, "id": -1005553, "type": "supergroup"}
    assert "dehydration" in (await live.state(supergroup, sam)).causes
    assert (await live.state(group, sam)).is_new
    exchange = await live.tg.say(supergroup, sam, f"@{live.api.bot_username} is it normal?")
    assert exchange.sent and exchange.refused == []

    await live.tg.run(lambda: live.api.remove_bot(supergroup, sam))
    assert (await live.state(supergroup, sam)).is_new


async def test_stickers_photos_and_edits(live: Live, sam: dict[str, Any]) -> None:
    chat = live.api.private_chat(sam)
    gym = live.api.group_chat(-1005554, "Iron Temple", supergroup=True)
    for kind in ("sticker", "photo"):
        private = await live.tg.run(lambda kind=kind: live.api.send_media(chat, sam, kind))
        assert live.rec.last[0].kind is ReplyKind.BAD_INPUT and len(private.sent) == 1
        group = await live.tg.run(lambda kind=kind: live.api.send_media(gym, sam, kind))
        assert group.calls == []
    typo = (await live.tg.say(chat, sam, COMPLAINT)).pushed[0].message
    edited = await live.tg.run(lambda: live.api.edit_text(typo, COMPLAINT + "!"))
    assert len(edited.sent) == 1 and edited.refused == []


async def test_a_group_deep_link_continues_only_the_pressers_own_conversation(
    live: Live, sam: dict[str, Any], kim: dict[str, Any]
) -> None:
    """Sam's urgent hand-off link, visible to the group, carries none of his health data, and
    Kim pressing it gets her own conversation (here: none, so the greeting), never his."""
    gym = live.api.group_chat(-1005556, "Iron Temple", supergroup=True)
    exchange = await live.tg.say(gym, sam, f"/twitch {URGENT}")
    [reply] = live.rec.last
    assert reply.triage == "urgent" and reply.handoff
    _, payload = deep_link_payload(exchange.sent[-1].buttons[-1][-1]["url"])
    assert payload == reply.handoff and payload.endswith(str(gym["id"]))
    signs = [w.id for w in live.service.knowledge.warnings]
    causes = [c.id for c in live.service.knowledge.causes]
    assert not any(i in payload for i in signs + causes)

    kim_dm = live.api.private_chat(kim)
    pressed = await live.tg.say(kim_dm, kim, f"/start {payload}")
    [greeting] = live.rec.last
    assert greeting.kind is ReplyKind.COMMAND and greeting.triage == "self_care"
    assert not any(isinstance(b, Warning) for b in greeting.blocks)
    assert not pressed.sent[0].text.startswith("🚨")
    later = await live.tg.say(kim_dm, kim, COMPLAINT)
    assert live.rec.last[0].triage == "self_care" and not later.sent[0].text.startswith("🚨")
    assert (await live.state(kim_dm, kim)).triage == "self_care"

    sam_dm = live.api.private_chat(sam)
    own = await live.tg.say(sam_dm, sam, f"/start {payload}")
    assert live.rec.last[0].triage == "urgent" and own.sent[0].text.startswith("🚨")


async def test_other_bots_commands_in_a_group_get_no_answer(
    live: Live, sam: dict[str, Any]
) -> None:
    gym = live.api.group_chat(-1005557, "Iron Temple", supergroup=True)
    for text in ("/ban @spammer", "/warn", "/rules"):
        exchange = await live.tg.say(gym, sam, text)
        assert exchange.calls == [] and live.rec.last == [], text
    assert (await live.state(gym, sam)).is_new
    private = await live.tg.say(live.api.private_chat(sam), sam, "/rules")
    assert len(private.sent) == 1 and live.rec.last[0].kind is ReplyKind.COMMAND


async def test_captions_and_edits(live: Live, sam: dict[str, Any]) -> None:
    chat = live.api.private_chat(sam)
    photo = await live.tg.run(lambda: live.api.send_media(chat, sam, "photo", caption=COMPLAINT))
    [reply] = live.rec.last
    assert reply.kind is ReplyKind.COMPLAINT and "dehydration" in reply.causes
    assert_rendered(photo, live.rec.last)

    gym = live.api.group_chat(-1005558, "Iron Temple", supergroup=True)
    mention = f"@{live.api.bot_username} {COMPLAINT}"
    group = await live.tg.run(lambda: live.api.send_media(gym, sam, "photo", caption=mention))
    assert live.rec.last[0].kind is ReplyKind.COMPLAINT and len(group.sent) == 1

    typo = (await live.tg.say(chat, sam, "calvs")).pushed[0].message
    edited = await live.tg.run(lambda: live.api.edit_text(typo, "calves"))
    assert [b.text for b in live.rec.last[0].blocks] == [texts.EDITED]  # type: ignore[union-attr]
    assert len(edited.sent) == 1
