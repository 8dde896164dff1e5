"""Telegram rendering and translation, checked against the fake server's own parser (no I/O)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import Bot, CallbackQuery, Message

from adapters.telegram.render import (
    HANDOFF_LABEL,
    MAX_MESSAGE_LENGTH,
    html_to_plain,
    render_reply,
    visible_length,
)
from adapters.telegram.translate import BotIdentity, translate_callback, translate_message
from dialogs.types import (
    Bullets,
    ChatKind,
    Choice,
    Disclaimer,
    Reply,
    ReplyKind,
    Text,
    Warning,
)
from tests.fakes.telegram_api import auto_entities
from tests.fakes.telegram_markup import (
    check_reply_markup,
    deep_link_payload,
    message_text,
    parse_html,
)

BOT = BotIdentity(7_000_000_001, "aftertwitch_test_bot")
PTB_BOT = Bot("1:x")  # only for de_json; never connects
HOSTILE = "<b>bold?</b> & <script>alert(1)</script> *_[]()~`>#+-=|{}.! &amp; &lt; &#60; \\"


def shown(html: str) -> str:
    """What Telegram shows for our HTML (raises like the server if it would refuse it)."""
    return message_text(html, "HTML")[0]


def reply(*blocks: Any, choices: tuple[Choice, ...] = (), handoff: str | None = None) -> Reply:
    return Reply(ReplyKind.COMPLAINT, tuple(blocks), choices=choices, handoff=handoff)


def test_hostile_text_is_escaped_and_shown_verbatim() -> None:
    [out] = render_reply(reply(Text(HOSTILE), Bullets((HOSTILE,), title=HOSTILE)))
    assert "<script>" not in out.text
    assert shown(out.text) == f"{HOSTILE}\n\n{HOSTILE}\n• {HOSTILE}".strip()


def test_urgent_warning_is_bold_and_first() -> None:
    urgent = Warning("urgent", "Call emergency services now.", "Emergency")
    doctor = Warning("see_doctor", "See a doctor this week.", "Doctor")
    [out] = render_reply(reply(Text("Likely causes"), doctor, urgent, Disclaimer("Not a doctor")))
    text, entities = message_text(out.text, "HTML")
    assert text.startswith("🚨 Emergency\nCall emergency services now.")
    bold = [e for e in entities if e["type"] == "bold"]
    assert bold[0]["offset"] == 0
    assert text.index("Doctor") < text.index("Likely causes")
    assert any(e["type"] == "italic" for e in entities)  # the disclaimer
    covered = sum(e["length"] for e in bold[:2])
    assert covered >= len("🚨 Emergency") + len("Call emergency services now.")


def test_long_reply_is_split_at_paragraph_boundaries() -> None:
    paragraphs = [Text(f"Paragraph {n}: " + "word " * 150) for n in range(12)]
    out = render_reply(reply(*paragraphs, choices=(Choice("why", "Why?"),)))
    assert len(out) > 1
    texts = [shown(m.text) for m in out]
    assert all(len(t) <= MAX_MESSAGE_LENGTH for t in texts)
    assert all(t.startswith("Paragraph") for t in texts)  # no paragraph was cut
    assert [m.reply_markup is not None for m in out] == [False] * (len(out) - 1) + [True]


def test_a_single_huge_paragraph_is_cut_into_styled_pieces() -> None:
    huge = ("x" * 5000) + " " + ("<&>" * 2000)
    out = render_reply(reply(Text(huge, strong=True)))
    assert len(out) >= 2
    for message in out:
        text, entities = message_text(message.text, "HTML")
        assert len(text) <= MAX_MESSAGE_LENGTH
        assert entities and entities[0]["type"] == "bold"
    assert "".join(html_to_plain(m.text) for m in out).replace(" ", "") == huge.replace(" ", "")


def test_empty_reply_renders_nothing_and_buttons_alone_get_a_text() -> None:
    assert render_reply(reply(Text("   "))) == []
    [only] = render_reply(reply(choices=(Choice("why", "Why?"),)))
    assert shown(only.text) and only.reply_markup is not None


def test_keyboard_rows_and_callback_data() -> None:
    choices = (
        Choice("why", "Why?"),
        Choice("prevent", "Prevent it"),
        Choice("worry", "When to worry"),
        Choice("other", "Other causes"),
        Choice("long", "A long session or a very hard one"),
    )
    [out] = render_reply(reply(Text("Pick one"), choices=choices))
    assert out.reply_markup is not None
    rows = out.reply_markup.inline_keyboard
    assert all(1 <= len(row) <= 3 for row in rows)
    assert [b.callback_data for row in rows for b in row] == [c.id for c in choices]
    assert rows[-1][0].text.startswith("A long session") and len(rows[-1]) == 1
    assert check_reply_markup(out.reply_markup.to_dict()) is not None


def test_handoff_button_only_in_groups() -> None:
    r = reply(Text("Short answer"), handoff="adv_fatigue")
    [private] = render_reply(r, group=False, bot_username=BOT.username)
    [group] = render_reply(r, group=True, bot_username=BOT.username)
    assert private.reply_markup is None
    assert group.reply_markup is not None
    [[button]] = group.reply_markup.inline_keyboard
    assert button.text == HANDOFF_LABEL
    assert deep_link_payload(button.url or "") == (BOT.username, "adv_fatigue")
    assert check_reply_markup(group.reply_markup.to_dict()) is not None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=3000), min_size=1, max_size=6))
def test_any_text_renders_to_messages_telegram_accepts(parts: list[str]) -> None:
    out = render_reply(reply(*(Text(p, strong=i % 2 == 0) for i, p in enumerate(parts))))
    for message in out:
        text, _ = message_text(message.text, "HTML")  # raises like the server would
        assert visible_length(text) <= MAX_MESSAGE_LENGTH
    words = "".join("".join(p.split()) for p in parts)
    assert "".join("".join(html_to_plain(m.text).split()) for m in out) == words


# ----------------------------------------------------------------- translation


def _message(data: dict[str, Any]) -> Message:
    base = {"message_id": 10, "date": 0}
    message = Message.de_json({**base, **data}, PTB_BOT)
    assert message is not None
    return message


def _text(chat: dict[str, Any], text: str, **extra: Any) -> Message:
    user = {"id": 5, "is_bot": False, "first_name": "Sam"}
    return _message(
        {"chat": chat, "from": user, "text": text, "entities": auto_entities(text), **extra}
    )


PRIVATE = {"id": 5, "type": "private", "first_name": "Sam"}
GROUP = {"id": -42, "type": "supergroup", "title": "Gym"}


@pytest.mark.parametrize(
    ("chat", "text", "command", "argument", "addressed"),
    [
        (PRIVATE, "calves twitching after legs", None, "calves twitching after legs", True),
        (PRIVATE, "/start adv_fatigue", "start", "adv_fatigue", True),
        (PRIVATE, "/HELP", "help", "", True),
        (PRIVATE, "/whatever now", "whatever", "now", True),
        (
            GROUP,
            "/twitch@aftertwitch_test_bot calves 🦵 jumping",
            "twitch",
            "calves 🦵 jumping",
            True,
        ),
        (GROUP, "/twitch quads", "twitch", "quads", True),
        (
            GROUP,
            "anyone else twitchy after squats?",
            None,
            "anyone else twitchy after squats?",
            False,
        ),
        (GROUP, "@aftertwitch_test_bot, 🦵 calves jumping", None, "🦵 calves jumping", True),
        (GROUP, "hey @Aftertwitch_Test_Bot why twitch", None, "hey why twitch", True),
        (GROUP, "ask @someone_else about it", None, "ask @someone_else about it", False),
    ],
)
def test_translate_text(
    chat: dict[str, Any], text: str, command: str | None, argument: str, addressed: bool
) -> None:
    incoming = translate_message(_text(chat, text), BOT)
    assert incoming is not None
    assert (incoming.command, incoming.text, incoming.addressed) == (command, argument, addressed)
    assert incoming.chat_kind is (ChatKind.PRIVATE if chat is PRIVATE else ChatKind.GROUP)
    assert (incoming.platform, incoming.chat_id, incoming.user_id) == (
        "telegram",
        str(chat["id"]),
        "5",
    )


def test_command_for_another_bot_is_dropped() -> None:
    assert translate_message(_text(GROUP, "/help@other_bot"), BOT) is None


def test_reply_to_the_bot_addresses_it() -> None:
    bot_message = {
        "message_id": 3,
        "date": 0,
        "chat": GROUP,
        "from": {"id": BOT.id, "is_bot": True, "first_name": "B"},
        "text": "hi",
    }
    incoming = translate_message(_text(GROUP, "still twitching", reply_to_message=bot_message), BOT)
    assert incoming is not None and incoming.addressed and incoming.text == "still twitching"


def test_media_edits_and_service_messages() -> None:
    user = {"id": 5, "is_bot": False, "first_name": "Sam"}
    sticker = _message(
        {
            "chat": PRIVATE,
            "from": user,
            "sticker": {
                "file_id": "f",
                "file_unique_id": "u",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        }
    )
    incoming = translate_message(sticker, BOT)
    assert incoming is not None and (incoming.media, incoming.text) == ("sticker", "")
    edited = translate_message(_text(GROUP, "/twitch fixed typo"), BOT, edited=True)
    assert edited is not None
    assert (edited.media, edited.text, edited.command) == ("edit", "", None)
    joined = _message({"chat": GROUP, "from": user, "new_chat_members": [user]})
    assert translate_message(joined, BOT) is None
    from_bot = _message(
        {"chat": GROUP, "from": {"id": 9, "is_bot": True, "first_name": "X"}, "text": "beep"}
    )
    assert translate_message(from_bot, BOT) is None


def test_translate_button_press_keeps_the_chat_kind() -> None:
    message = {
        "message_id": 3,
        "date": 0,
        "chat": GROUP,
        "text": "pick",
        "from": {"id": BOT.id, "is_bot": True, "first_name": "B"},
    }
    query = CallbackQuery.de_json(
        {
            "id": "q1",
            "chat_instance": "c",
            "data": "why",
            "from": {"id": 6, "is_bot": False, "first_name": "Kim"},
            "message": message,
        },
        PTB_BOT,
    )
    incoming = translate_callback(query)
    assert incoming is not None
    assert (incoming.choice, incoming.chat_kind, incoming.user_id, incoming.chat_id) == (
        "why",
        ChatKind.GROUP,
        "6",
        "-42",
    )
    assert incoming.addressed and incoming.command is None


def test_fake_parser_refuses_what_telegram_refuses() -> None:
    refused = {
        "<script>x</script>": 'Unsupported start tag "script" at byte offset 0',
        "a < b": 'Unsupported start tag "" at byte offset 2',
        "<b>open": 'Can\'t find end tag corresponding to start tag "b"',
        "<b><i>x</b></i>": 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
        "x</b>": "Unexpected end tag at byte offset 1",
        '<span class="nope">x</span>': 'Tag "span" must have class "tg-spoiler"',
    }
    for html, reason in refused.items():
        with pytest.raises(ValueError, match="can't parse entities") as info:
            message_text(html, "HTML")
        assert reason in str(info.value)
    assert parse_html("&lt;b&gt; &amp;&quot; &#128170; &#x1F4AA; &copy; a > b")[0] == (
        '<b> &" 💪 💪 &copy; a > b'
    )
