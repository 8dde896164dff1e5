"""The fake Bot API server answers like the real one, through PTB's own Bot and raw HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
)
from telegram.request import HTTPXRequest

from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = [
    pytest.mark.asyncio,
    # PTB itself warns when it builds a RetryAfter (its retry_after type changes in v23).
    pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning"),
]


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


def make_bot(api: FakeTelegramAPI, token: str | None = None) -> Bot:
    return Bot(
        token or api.token,
        base_url=f"{api.base_url}/bot",
        base_file_url=f"{api.base_url}/file/bot",
        request=HTTPXRequest(httpx_kwargs={"trust_env": False}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"trust_env": False}),
    )


@pytest.fixture
async def bot(api: FakeTelegramAPI) -> AsyncIterator[Bot]:
    async with make_bot(api) as client:
        yield client


@pytest.fixture
def chat(api: FakeTelegramAPI) -> int:
    user = api.user(42, "Ana")
    api.send_text(api.private_chat(user), user, "hi")
    return 42


async def raw(api: FakeTelegramAPI, token: str, method: str, **params: Any) -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False) as client:
        return await client.post(f"{api.base_url}/bot{token}/{method}", data=params)


async def test_unknown_tokens_are_refused_like_telegram(api: FakeTelegramAPI) -> None:
    wrong = "123456:" + "A" * 35
    response = await raw(api, wrong, "getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert (await raw(api, "not-a-token", "getMe")).status_code == 404
    assert (await raw(api, api.token, "noSuchMethod")).json()["description"] == "Not Found"
    with pytest.raises(InvalidToken):
        async with make_bot(api, wrong):
            pass
    assert (await raw(api, api.token, "GETME")).json()["result"]["username"] == api.bot_username


async def test_text_limits(api: FakeTelegramAPI, bot: Bot, chat: int) -> None:
    await bot.send_message(chat, "x" * 4096)
    await bot.send_message(chat, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(chat, "  padded " + "y" * 4089 + "\n\n")  # stripped, then counted
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(chat, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(chat, " \n ")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(chat, "<b> </b>", parse_mode=ParseMode.HTML)
    last = api.calls_to("sendMessage")[-1]
    assert (last.status, last.response["error_code"]) == (400, 400)


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "1 < 2",
        "<b>bold",
        "<b><i>x</b></i>",
        "</b>",
        "<br/>",
        '<span class="x">s</span>',
        "<a href=x>y",
        '<tg-emoji emoji-id="zz">🙂</tg-emoji>',
    ],
)
async def test_html_is_checked(bot: Bot, chat: int, html: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(chat, html, parse_mode=ParseMode.HTML)


async def test_allowed_html_and_entities(api: FakeTelegramAPI, bot: Bot, chat: int) -> None:
    html = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><del>d</del>"
        '<strike>k</strike><tg-spoiler>p</tg-spoiler><span class="tg-spoiler">q</span>'
        '<a href="https://example.org/?a=1&amp;b=2">link</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre><blockquote>quote</blockquote>'
        " &lt;tag&gt; &amp; &quot; 💪"
    )
    message = await bot.send_message(chat, html, parse_mode=ParseMode.HTML)
    assert message.text is not None and message.text.endswith('<tag> & " 💪')
    kinds = {e.type for e in message.entities}
    assert {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "blockquote",
    } <= kinds
    link = next(e for e in message.entities if e.type == "text_link")
    assert link.url == "https://example.org/?a=1&b=2"


async def test_keyboards_are_checked(bot: Bot, chat: int) -> None:
    def keyboard(**button: Any) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("go", **button)]])

    await bot.send_message(chat, "ok", reply_markup=keyboard(callback_data="x" * 64))
    await bot.send_message(chat, "ok", reply_markup=keyboard(callback_data="é" * 32))
    await bot.send_message(chat, "ok", reply_markup=keyboard(url="https://t.me/a_bot?start=x"))
    for data in ("x" * 65, "é" * 33):
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(chat, "no", reply_markup=keyboard(callback_data=data))
    with pytest.raises(BadRequest, match=r"(?i)button_url_invalid"):
        await bot.send_message(chat, "no", reply_markup=keyboard(url="http://localhost/x"))
    with pytest.raises(BadRequest, match=r"(?i)unsupported url protocol"):
        await bot.send_message(chat, "no", reply_markup=keyboard(url="ftp://example.org"))


async def test_edits_and_callback_queries(api: FakeTelegramAPI, bot: Bot, chat: int) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Why?", callback_data="why")]])
    sent = await bot.send_message(chat, "pick", reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("pick", chat, sent.message_id, reply_markup=markup)
    await bot.edit_message_text("picked", chat, sent.message_id, reply_markup=markup)
    await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=None)
    assert "reply_markup" not in api.message(chat, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_reply_markup(chat, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat, 999)
    user_message = api.send_text(api.private_chat(api.user(42, "Ana")), api.user(42, "Ana"), "x")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("y", chat, user_message.message["message_id"])

    pressed = api.press(api.user(42, "Ana"), api.message(chat, sent.message_id), "why")
    assert api.unanswered_queries == {pressed.query_id}
    await bot.answer_callback_query(pressed.query_id)
    assert api.unanswered_queries == set()
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(pressed.query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query("12345")


async def test_replies_need_their_message(bot: Bot, chat: int) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(chat, "x", reply_to_message_id=999)
    await bot.send_message(chat, "x", reply_to_message_id=999, allow_sending_without_reply=True)
    quoted = await bot.send_message(chat, "x", reply_to_message_id=1)
    assert quoted.reply_to_message is not None and quoted.reply_to_message.text == "hi"


async def test_command_menus(api: FakeTelegramAPI, bot: Bot) -> None:
    ok = [BotCommand("help", "What I can do"), BotCommand("self_care_2", "d" * 256)]
    await bot.set_my_commands(ok, scope=BotCommandScopeAllPrivateChats())
    assert [c["command"] for c in api.commands("all_private_chats")] == ["help", "self_care_2"]
    got = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert [c.command for c in got] == ["help", "self_care_2"]
    assert api.commands("all_group_chats") == []
    bad: dict[str, list[BotCommand]] = {
        "BOT_COMMANDS_TOO_MUCH": [BotCommand(f"c{n}", "x") for n in range(101)],
        "BOT_COMMAND_INVALID": [BotCommand("Help", "x")],
        "BOT_COMMAND_DESCRIPTION_INVALID": [BotCommand("help", "d" * 257)],
    }
    for error, commands in bad.items():
        with pytest.raises(BadRequest, match=rf"(?i){error}"):
            await bot.set_my_commands(commands, scope=BotCommandScopeAllGroupChats())
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("x" * 33, "x")])
    await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats())
    assert api.commands("all_private_chats") == []


async def test_scripted_failures(api: FakeTelegramAPI, bot: Bot, chat: int) -> None:
    api.retry_after("sendMessage", 7, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(chat, "x")
        assert "retry in 7" in str(info.value).lower()
    await bot.send_message(chat, "x")
    refused = api.calls_to("sendMessage")[0]
    assert refused.status == 429 and refused.response["parameters"] == {"retry_after": 7}

    api.block(chat)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(chat, "x")
    api.unblock(chat)
    await bot.send_message(chat, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(404, "x")

    group = api.group_chat(-5, "Gym")
    kim = api.user(7, "Kim")
    api.send_text(group, kim, "hello")
    api.migrate(group, -1000000000005, kim)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-5, "x")
    assert migrated.value.new_chat_id == -1000000000005
    await bot.send_message(-1000000000005, "x")


async def test_long_polling(api: FakeTelegramAPI, bot: Bot) -> None:
    user = api.user(3, "Lee")
    chat = api.private_chat(user)
    poll = asyncio.ensure_future(bot.get_updates(timeout=30))
    await api.parked_poll()
    first = api.send_text(chat, user, "one")
    updates = await asyncio.wait_for(poll, 5)  # answered at once, not after 30 s
    assert [u.update_id for u in updates] == [first.update_id]
    assert updates[0].message is not None and updates[0].message.text == "one"

    second = api.send_text(chat, user, "two")
    again = await bot.get_updates(offset=first.update_id, timeout=0)
    assert [u.update_id for u in again] == [first.update_id, second.update_id]
    confirmed = await bot.get_updates(offset=second.update_id + 1, timeout=0)
    assert confirmed == () and api.pending_updates == 0

    sent = await bot.send_message(3, "pick")
    api.press(user, api.message(3, sent.message_id), "why")
    api.send_text(chat, user, "three")
    only_messages = await bot.get_updates(timeout=0, allowed_updates=["message"])
    assert [u.message.text for u in only_messages if u.message] == ["three"]
    assert len(only_messages) == 1


async def test_a_second_poll_terminates_the_first(api: FakeTelegramAPI, bot: Bot) -> None:
    older = asyncio.ensure_future(bot.get_updates(timeout=30))
    await api.parked_poll()
    async with make_bot(api) as other:
        newer = asyncio.ensure_future(other.get_updates(timeout=30))
        with pytest.raises(Conflict, match=r"(?i)terminated by other getupdates"):
            await asyncio.wait_for(older, 5)
        api.release_polls()
        assert await asyncio.wait_for(newer, 5) == ()


async def test_every_call_is_recorded(api: FakeTelegramAPI, bot: Bot, chat: int) -> None:
    waiter = asyncio.ensure_future(api.next_call("sendMessage", chat_id=chat))
    await bot.send_message(chat, "<b>hi</b>", parse_mode=ParseMode.HTML)
    call = await waiter
    assert call.ok and call.params["chat_id"] == chat and call.params["parse_mode"] == "HTML"
    assert call.text == "hi" and call.result["entities"][0]["type"] == "bold"
    assert [c.method for c in api.calls].count("getMe") == 1
