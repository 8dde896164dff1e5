"""The Telegram adapter through the real PTB Application, against the fake Bot API server.

The dialog service is a scripted test double here (what the adapter sends is what it was told
to send); `test_telegram_e2e.py` runs the same stack with the real dialog service.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.telegram.render import HANDOFF_LABEL, MAX_MESSAGE_LENGTH
from dialogs.commands import COMMANDS
from dialogs.types import (
    ChatKind,
    Choice,
    IncomingMessage,
    Reply,
    ReplyKind,
    Text,
    Warning,
)
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_harness import ScriptedConversations, TelegramHarness
from tests.fakes.telegram_markup import deep_link_payload

pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")

MENU = (Choice("why", "Why?"), Choice("prevent", "Prevent it"), Choice("worry", "When to worry"))
HOSTILE = "<b>bold</b> & <script>x()</script> *_[]()~`>#+-=|{}.! &amp; &lt;"
SECRET_WORDS = "my private calf story 4711"


def echo(message: IncomingMessage) -> list[Reply]:
    """A stand-in engine: silent to un-addressed group chatter, echoes everything else."""
    if message.is_group and not message.addressed:
        return []
    if message.media:
        return [] if message.is_group else [Reply(ReplyKind.BAD_INPUT, (Text("text only"),))]
    if message.command and message.command != "twitch":
        return [Reply(ReplyKind.COMMAND, (Text(f"/{message.command} {message.text}"),))]
    if message.choice:
        return [Reply(ReplyKind.DETAIL, (Text(f"choice {message.choice}"),), choices=MENU[:1])]
    if "boom" in message.text:
        raise RuntimeError(f"engine failed on {message.text!r}")
    if "urgent" in message.text:
        warning = Warning("urgent", "Get emergency care now.", "Emergency")
        return [Reply(ReplyKind.COMPLAINT, (Text("causes"), warning), triage="urgent")]
    handoff = "adv_fatigue" if message.is_group else None
    return [Reply(ReplyKind.COMPLAINT, (Text(message.text),), choices=MENU, handoff=handoff)]


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
def engine() -> ScriptedConversations:
    return ScriptedConversations(echo)


@pytest.fixture
async def tg(api: FakeTelegramAPI, engine: ScriptedConversations) -> AsyncIterator[TelegramHarness]:
    async with TelegramHarness(api, engine) as harness:
        yield harness


@pytest.fixture
def sam(api: FakeTelegramAPI) -> dict[str, Any]:
    return api.user(101, "Sam", "sam_lifts")


@pytest.fixture
def kim(api: FakeTelegramAPI) -> dict[str, Any]:
    return api.user(102, "Kim")


@pytest.fixture
def gym(api: FakeTelegramAPI) -> dict[str, Any]:
    return api.group_chat(-1001234, "Iron Temple", supergroup=True)


async def test_startup_publishes_the_command_menus(
    api: FakeTelegramAPI, tg: TelegramHarness
) -> None:
    private = [(c.name, c.description) for c in COMMANDS if c.private]
    group = [(c.name, c.description) for c in COMMANDS if c.group]
    assert [(c["command"], c["description"]) for c in api.commands("all_private_chats")] == private
    assert [(c["command"], c["description"]) for c in api.commands("all_group_chats")] == group
    assert "twitch" in dict(group) and "twitch" not in dict(private)
    assert api.calls_to("deleteWebhook") and api.calls_to("getMe")


async def test_private_text_commands_and_deep_link(
    api: FakeTelegramAPI, tg: TelegramHarness, engine: ScriptedConversations, sam: dict[str, Any]
) -> None:
    chat = api.private_chat(sam)
    exchange = await tg.say(chat, sam, "calves twitching after leg day")
    [sent] = exchange.sent
    assert sent.params["parse_mode"] == "HTML" and "reply_parameters" not in sent.params
    assert [b["callback_data"] for row in sent.buttons for b in row] == ["why", "prevent", "worry"]
    message = engine.messages[-1]
    assert (message.chat_kind, message.addressed, message.text, message.command) == (
        ChatKind.PRIVATE,
        True,
        "calves twitching after leg day",
        None,
    )
    assert (message.chat_id, message.user_id) == ("101", "101")

    await tg.say(chat, sam, "/start adv_fatigue")
    assert (engine.messages[-1].command, engine.messages[-1].text) == ("start", "adv_fatigue")
    for info in COMMANDS:
        exchange = await tg.say(chat, sam, f"/{info.name}")
        assert engine.messages[-1].command == info.name and len(exchange.sent) == 1
    await tg.say(chat, sam, "/flex now")
    assert (engine.messages[-1].command, engine.messages[-1].text) == ("flex", "now")


async def test_group_answers_only_when_addressed(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    gym: dict[str, Any],
) -> None:
    chatter = await tg.say(gym, sam, "anyone else twitchy after squats?")
    assert chatter.calls == [] and engine.messages[-1].addressed is False

    other_bot = await tg.say(gym, sam, "/twitch@some_other_bot calves")
    assert other_bot.calls == [] and engine.messages[-1].text == "anyone else twitchy after squats?"

    addressed = {
        "mention": f"@{api.bot_username} my calves jump after leg day",
        "command": f"/twitch@{api.bot_username} my calves jump after leg day",
        "bare command": "/twitch my calves jump after leg day",
    }
    for how, text in addressed.items():
        exchange = await tg.say(gym, sam, text)
        [sent] = exchange.sent
        member_message = exchange.pushed[0].message
        assert sent.params["reply_parameters"]["message_id"] == member_message["message_id"], how
        assert sent.result["reply_to_message"]["message_id"] == member_message["message_id"]
        assert engine.messages[-1].text == "my calves jump after leg day", how
        link = sent.buttons[-1][0]
        assert link["text"] == HANDOFF_LABEL
        assert deep_link_payload(link["url"]) == (api.bot_username, "adv_fatigue")

    bot_message = api.bot_messages(gym["id"])[-1]
    exchange = await tg.say(gym, sam, "it's been three weeks", reply_to=bot_message)
    assert len(exchange.sent) == 1 and engine.messages[-1].addressed


async def test_each_member_of_a_group_is_their_own_conversation(
    *,
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    kim: dict[str, Any],
    gym: dict[str, Any],
) -> None:
    await tg.say(gym, sam, f"@{api.bot_username} calves")
    await tg.say(gym, kim, f"@{api.bot_username} quads")
    keys = {m.key for m in engine.messages}
    assert len(keys) == 2 and {k.chat_id for k in keys} == {str(gym["id"])}


async def test_a_button_pressed_twice_acts_once(
    api: FakeTelegramAPI, tg: TelegramHarness, engine: ScriptedConversations, sam: dict[str, Any]
) -> None:
    chat = api.private_chat(sam)
    [menu] = (await tg.say(chat, sam, "calves twitching")).sent
    first = await tg.press(sam, menu.result, "why")
    assert [c.method for c in first.calls] == [
        "answerCallbackQuery",
        "editMessageReplyMarkup",
        "sendMessage",
    ]
    assert "reply_markup" not in api.message(chat["id"], menu.result["message_id"])
    assert engine.messages[-1].choice == "why"
    assert engine.messages[-1].chat_kind is ChatKind.PRIVATE

    again = await tg.press(sam, menu.result, "why")  # a double tap: the old keyboard
    assert [c.method for c in again.calls] == ["answerCallbackQuery", "editMessageReplyMarkup"]
    assert "not modified" in again.calls[1].description
    assert sum(1 for m in engine.messages if m.choice) == 1
    assert api.unanswered_queries == set()


async def test_group_buttons_of_another_member_stay(
    *,
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    kim: dict[str, Any],
    gym: dict[str, Any],
) -> None:
    [menu] = (await tg.say(gym, sam, f"@{api.bot_username} calves")).sent
    pressed = await tg.press(kim, menu.result, "prevent")
    assert [c.method for c in pressed.calls] == ["answerCallbackQuery", "sendMessage"]
    assert api.message(gym["id"], menu.result["message_id"]).get("reply_markup")
    choice = engine.messages[-1]
    assert (choice.user_id, choice.chat_kind, choice.choice) == ("102", ChatKind.GROUP, "prevent")
    member_message = menu.result["reply_to_message"]["message_id"]
    assert pressed.sent[0].params["reply_parameters"]["message_id"] == member_message


async def test_urgent_advice_is_bold_and_first(
    api: FakeTelegramAPI, tg: TelegramHarness, sam: dict[str, Any]
) -> None:
    [sent] = (await tg.say(api.private_chat(sam), sam, "urgent: dark urine")).sent
    assert sent.params["text"].startswith("<b>🚨 Emergency</b>\n<b>Get emergency care now.</b>")
    assert sent.result["entities"][0] == {"type": "bold", "offset": 0, "length": 12}
    assert sent.text.startswith("🚨 Emergency\nGet emergency care now.")


async def test_markup_characters_and_a_5000_character_message(
    api: FakeTelegramAPI, tg: TelegramHarness, engine: ScriptedConversations, sam: dict[str, Any]
) -> None:
    chat = api.private_chat(sam)
    [sent] = (await tg.say(chat, sam, HOSTILE)).sent
    assert sent.text == HOSTILE and engine.messages[-1].text == HOSTILE

    long_text = " ".join(["calves jump <b>&amp;</b>"] * 220)[:5000]
    exchange = await tg.say(chat, sam, long_text)
    assert len(exchange.sent) == 2 and exchange.refused == []
    assert all(len(call.text) <= MAX_MESSAGE_LENGTH for call in exchange.sent)
    assert "".join(call.text for call in exchange.sent).replace(" ", "") == long_text.replace(
        " ", ""
    )
    assert exchange.sent[0].buttons == [] and exchange.sent[1].buttons


async def test_retry_after_is_honoured(
    api: FakeTelegramAPI, tg: TelegramHarness, sam: dict[str, Any]
) -> None:
    api.retry_after("sendMessage", 1)
    exchange = await tg.say(api.private_chat(sam), sam, "calves")
    refused, delivered = exchange.of("sendMessage")
    assert (refused.status, delivered.status) == (429, 200)
    assert delivered.arrived - refused.answered >= 1.0  # waited as Telegram asked


async def test_supergroup_migration_and_removal(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
) -> None:
    group = api.group_chat(-4321, "Gym")
    await tg.say(group, sam, "/twitch calves")
    await tg.run(lambda: api.migrate(group, -1009994321, sam))
    assert set(engine.migrations) == {("telegram", "-4321", "-1009994321")}

    supergroup = {**group, "id": -1009994321, "type": "supergroup"}
    left = await tg.run(lambda: api.remove_bot(supergroup, sam))
    assert left.calls == [] and engine.chats_left == [("telegram", "-1009994321")]


async def test_stickers_photos_and_edits(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    gym: dict[str, Any],
) -> None:
    chat = api.private_chat(sam)
    for kind in ("sticker", "photo", "voice"):
        exchange = await tg.run(lambda kind=kind: api.send_media(chat, sam, kind))
        assert len(exchange.sent) == 1 and (
            engine.messages[-1].media,
            engine.messages[-1].text,
        ) == (kind, "")
        silent = await tg.run(lambda kind=kind: api.send_media(gym, sam, kind))
        assert silent.calls == [] and engine.messages[-1].chat_kind is ChatKind.GROUP
    typo = (await tg.say(chat, sam, "calvs")).pushed[0].message
    edited = await tg.run(lambda: api.edit_text(typo, "calves"))
    assert (engine.messages[-1].media, engine.messages[-1].text) == ("edit", "")
    assert len(edited.sent) == 1


async def test_a_blocked_user_is_handled_quietly(
    api: FakeTelegramAPI, tg: TelegramHarness, sam: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    chat = api.private_chat(sam)
    await tg.say(chat, sam, "hello")
    api.block(chat["id"])
    caplog.set_level(logging.INFO)
    exchange = await tg.say(chat, sam, "calves")
    assert [c.status for c in exchange.calls] == [403]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("unreachable" in r.getMessage() for r in caplog.records)


async def test_errors_are_logged_with_class_and_update_id_only(
    api: FakeTelegramAPI, tg: TelegramHarness, sam: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    exchange = await tg.say(api.private_chat(sam), sam, f"boom {SECRET_WORDS}")
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "RuntimeError" in record.getMessage()
    assert f"update {exchange.pushed[0].update_id} " in record.getMessage()
    assert record.exc_info is None
    assert SECRET_WORDS not in caplog.text
    after = await tg.say(api.private_chat(sam), sam, "still alive?")  # one failure stops nothing
    assert len(after.sent) == 1


async def test_the_token_and_message_text_never_reach_the_logs(
    api: FakeTelegramAPI,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    gym: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    async with TelegramHarness(api, engine) as tg:
        chat = api.private_chat(sam)
        [menu] = (await tg.say(chat, sam, SECRET_WORDS)).sent
        await tg.press(sam, menu.result, "why")
        await tg.say(gym, sam, f"@{api.bot_username} {SECRET_WORDS}")
        await tg.say(chat, sam, f"boom {SECRET_WORDS}")
    secret = api.token.split(":", 1)[1]
    assert caplog.records and secret not in caplog.text and api.token not in caplog.text
    assert SECRET_WORDS not in caplog.text


async def test_chats_run_concurrently_and_each_chat_in_order(
    api: FakeTelegramAPI, sam: dict[str, Any], kim: dict[str, Any]
) -> None:
    release = asyncio.Event()

    class Slow(ScriptedConversations):
        async def on_message(self, message: IncomingMessage) -> list[Reply]:
            if message.text == "slow":
                await release.wait()
            return await super().on_message(message)

    engine = Slow(echo)
    async with TelegramHarness(api, engine) as tg:
        sam_chat, kim_chat = api.private_chat(sam), api.private_chat(kim)
        slow = api.send_text(sam_chat, sam, "slow")
        after = api.send_text(sam_chat, sam, "after")
        other = await tg.say(kim_chat, kim, "meanwhile")  # not held up by Sam's slow message
        assert other.texts == ["meanwhile"]
        release.set()
        await tg.processed([slow.update_id, after.update_id])
        sam_texts = [c.text for c in api.calls_to("sendMessage", chat_id=sam["id"])]
        assert sam_texts == ["slow", "after"]
        assert [m.text for m in engine.messages] == ["meanwhile", "slow", "after"]


async def test_a_caption_is_read_as_the_message_text(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    gym: dict[str, Any],
) -> None:
    chat = api.private_chat(sam)
    private = await tg.run(
        lambda: api.send_media(chat, sam, "photo", caption="calves twitching after leg day")
    )
    message = engine.messages[-1]
    assert (message.media, message.text, message.command) == (
        None, "calves twitching after leg day", None)
    assert len(private.sent) == 1 and private.texts == ["calves twitching after leg day"]

    bare = await tg.run(lambda: api.send_media(chat, sam, "photo"))  # no caption: media
    assert engine.messages[-1].media == "photo" and len(bare.sent) == 1

    mention = f"@{api.bot_username} my calves jump after leg day"
    addressed = await tg.run(lambda: api.send_media(gym, sam, "video", caption=mention))
    message = engine.messages[-1]
    assert (message.addressed, message.text, message.media) == (
        True, "my calves jump after leg day", None)
    assert len(addressed.sent) == 1
    member_message = addressed.pushed[0].message["message_id"]
    assert addressed.sent[0].params["reply_parameters"]["message_id"] == member_message

    command = await tg.run(
        lambda: api.send_media(gym, sam, "photo", caption="/twitch calves after squats")
    )
    assert (engine.messages[-1].command, engine.messages[-1].text) == (
        "twitch", "calves after squats")
    assert len(command.sent) == 1

    chatter = await tg.run(lambda: api.send_media(gym, sam, "photo", caption="new PR today"))
    assert chatter.calls == [] and engine.messages[-1].addressed is False
    assert engine.messages[-1].text == "new PR today"

    bot_message = api.bot_messages(gym["id"])[-1]
    replied = await tg.run(lambda: api.send_media(
        gym, sam, "photo", caption="this is the muscle", reply_to=bot_message))
    assert engine.messages[-1].addressed and len(replied.sent) == 1


async def test_a_failed_query_answer_still_acts_on_the_press(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    engine: ScriptedConversations,
    sam: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = api.private_chat(sam)
    [menu] = (await tg.say(chat, sam, "calves twitching")).sent
    caplog.set_level(logging.INFO)
    for status, description in ((502, "Bad Gateway"), (500, "Internal Server Error")):
        api.fail("answerCallbackQuery", status=status, description=description)  # PTB: NetworkError
        pressed = await tg.press(sam, menu.result, "why")
        assert [c.status for c in pressed.of("answerCallbackQuery")] == [status]
        assert engine.messages[-1].choice == "why" and len(pressed.sent) == 1
        [menu] = (await tg.say(chat, sam, "calves twitching")).sent
    assert "NetworkError" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_refused_part_does_not_stop_the_rest_of_a_reply(
    api: FakeTelegramAPI,
    tg: TelegramHarness,
    sam: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = api.private_chat(sam)
    caplog.set_level(logging.INFO)
    api.fail("sendMessage", status=400, description="Bad Request: message is too long")
    long_text = " ".join(["calves jump"] * 500)  # two messages, the keyboard on the second
    exchange = await tg.say(chat, sam, long_text)
    refused, *delivered = exchange.of("sendMessage")
    assert refused.status == 400 and len(delivered) == 1 and delivered[0].ok
    assert delivered[0].buttons  # the choices still arrived
    assert "BadRequest" in caplog.text and "calves jump" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

    # a reply of one message: lost alone, and the chat goes on
    api.fail("sendMessage", status=400, description="Bad Request: chat not found")
    alone = await tg.say(chat, sam, "calves")
    assert [c.status for c in alone.of("sendMessage")] == [400]
    after = await tg.say(chat, sam, "still there?")
    assert after.texts == ["still there?"]
