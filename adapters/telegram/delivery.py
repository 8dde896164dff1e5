"""Delivery: sending rendered replies to a chat, with Telegram's failure modes handled."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from adapters.telegram.render import html_to_plain, render_reply
from dialogs.types import Reply

logger = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class ChatUnreachable(Exception):
    """The chat can't be written to (blocked, kicked, deleted): stop sending, quietly."""


async def deliver(
    bot: Bot,
    chat_id: int,
    replies: Sequence[Reply],
    *,
    group: bool = False,
    reply_to_message_id: int | None = None,
) -> list[Message]:
    """Send every reply in order; in groups the first message quotes the member's message.

    A chat that refuses messages (`Forbidden`: the user blocked the bot, the bot was removed)
    ends delivery with one INFO line and no error: it's the user's choice, not a fault. Any
    other refusal of one message (a `BadRequest`, a network failure after the rate limiter's
    retries) loses only that message: it is logged by class, never by text, and the remaining
    parts of the reply are still sent.
    """
    sent: list[Message] = []
    quote = reply_to_message_id if group else None
    try:
        for reply in replies:
            for outgoing in render_reply(reply, group=group, bot_username=bot.username):
                try:
                    message = await _send_html(
                        bot, chat_id, outgoing.text, outgoing.reply_markup, quote
                    )
                except TelegramError as exc:
                    logger.warning(
                        "telegram chat %s: a message was not sent (%s); going on with the rest",
                        chat_id,
                        type(exc).__name__,
                    )
                    continue
                sent.append(message)
                quote = None
    except ChatUnreachable as exc:
        logger.info("telegram chat %s is unreachable (%s); not sending", chat_id, exc)
    return sent


async def _send_html(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None,
    quote: int | None,
) -> Message:
    parameters = (
        ReplyParameters(message_id=quote, allow_sending_without_reply=True) if quote else None
    )
    try:
        return await bot.send_message(
            chat_id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            reply_parameters=parameters,
            link_preview_options=NO_PREVIEW,
        )
    except Forbidden as exc:
        raise ChatUnreachable(type(exc).__name__) from exc
    except ChatMigrated as exc:
        raise ChatUnreachable(f"migrated to {exc.new_chat_id}") from exc
    except BadRequest as exc:
        if "can't parse entities" not in exc.message.lower():
            raise
        # Never expected (everything is escaped), but a reply must not be lost to markup.
        logger.warning("telegram refused our HTML (%s); sending plain text", type(exc).__name__)
        return await bot.send_message(
            chat_id,
            html_to_plain(text),
            reply_markup=markup,
            reply_parameters=parameters,
            link_preview_options=NO_PREVIEW,
        )
