"""Translation: Telegram updates (messages, edits, button presses) into `IncomingMessage`s."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, Chat, Message, MessageEntity, User

from dialogs.types import ChatKind, IncomingMessage

PLATFORM = "telegram"

MEDIA_ATTRIBUTES: tuple[str, ...] = (
    "sticker",
    "photo",
    "voice",
    "video_note",
    "video",
    "animation",
    "audio",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
    "game",
)
"""What a non-text message may carry, in the order we name it (`media=` of the message)."""

_STRIP_AFTER_MENTION = " \t\n,:;-—"


@dataclass(frozen=True, slots=True)
class BotIdentity:
    """Who the bot is on Telegram: needed to tell mentions, replies and `/cmd@bot` apart."""

    id: int
    username: str

    @classmethod
    def of(cls, user: User) -> BotIdentity:
        return cls(user.id, user.username or "")


def chat_kind(chat: Chat) -> ChatKind | None:
    """Private chats and (super)groups; channels are none of our business."""
    if chat.type == Chat.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type in (Chat.GROUP, Chat.SUPERGROUP):
        return ChatKind.GROUP
    return None


def translate_message(
    message: Message, bot: BotIdentity, *, edited: bool = False
) -> IncomingMessage | None:
    """A message (or an edit of one) as the engine's message; None when it isn't for anyone.

    Commands come from a leading `bot_command` entity (`/name@bot args`); a command for
    another bot is dropped. In groups the bot is addressed by a command, a mention of its
    username, or a reply to one of its messages; the mention is taken out of the text. A
    photo, video or document with a caption is its caption: read like a text message, with
    the caption's own entities.
    """
    kind = chat_kind(message.chat)
    user_id = _sender_id(message)
    if kind is None or user_id is None:
        return None
    text, entities = _text_of(message)
    command: str | None = None
    addressed = kind is ChatKind.PRIVATE or _replies_to_bot(message, bot)
    if text is not None:
        parsed = _command(text, entities, bot)
        if parsed is not None and not parsed.for_us:
            return None  # `/cmd@otherbot`: meant for another bot
        if parsed is not None:
            command, text = parsed.name, parsed.argument
            addressed = True
        else:
            text, mentioned = _strip_mentions(text, entities, bot)
            addressed = addressed or mentioned
    media = "edit" if edited else None if text is not None else _media(message)
    if text is None and media is None:
        return None  # a service message (joins, pins, titles...): nothing to answer
    return IncomingMessage(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        user_id=user_id,
        text="" if media else (text or ""),
        command=None if media else command,
        addressed=addressed,
        media=media,
        user_name=message.from_user.first_name if message.from_user else None,
        raw=message,
    )


def translate_callback(query: CallbackQuery) -> IncomingMessage | None:
    """A button press: the choice id is the callback data; the chat is the message's chat."""
    message = query.message
    if message is None or not query.data or not isinstance(message, Message):
        return None
    kind = chat_kind(message.chat)
    if kind is None:
        return None
    return IncomingMessage(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        user_id=str(query.from_user.id),
        choice=query.data,
        addressed=True,
        user_name=query.from_user.first_name,
        raw=query,
    )


def _sender_id(message: Message) -> str | None:
    if message.sender_chat is not None:  # anonymous admins and linked channels speak as a chat
        return str(message.sender_chat.id)
    if message.from_user is None or message.from_user.is_bot:
        return None
    return str(message.from_user.id)


def _replies_to_bot(message: Message, bot: BotIdentity) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot.id)


@dataclass(frozen=True, slots=True)
class _Command:
    name: str
    argument: str
    for_us: bool  # False for `/cmd@otherbot`


def _text_of(message: Message) -> tuple[str | None, tuple[MessageEntity, ...]]:
    """The words of a message and their entities: its text, else its caption, else none."""
    if message.text is not None:
        return message.text, tuple(message.entities or ())
    if message.caption is not None:
        return message.caption, tuple(message.caption_entities or ())
    return None, ()


def _entity_text(text: str, entity: MessageEntity) -> str:
    return _utf16_slice(text, entity.offset, entity.offset + entity.length)


def _command(text: str, entities: tuple[MessageEntity, ...],
             bot: BotIdentity) -> _Command | None:
    """The leading command of a text (a `bot_command` entity at offset 0), if any."""
    first = next(iter(entities), None)
    if first is None or first.type != MessageEntity.BOT_COMMAND or first.offset != 0:
        return None
    name, _, target = _entity_text(text, first)[1:].partition("@")
    rest = _utf16_slice(text, first.offset + first.length, None)
    for_us = not target or target.lower() == bot.username.lower()
    return _Command(name.lower(), rest.strip(), for_us)


def _strip_mentions(text: str, entities: tuple[MessageEntity, ...],
                    bot: BotIdentity) -> tuple[str, bool]:
    """The text without mentions of the bot, and whether there was one."""
    spans: list[tuple[int, int]] = []
    for entity in entities:
        if entity.type == MessageEntity.MENTION:
            mentioned = _entity_text(text, entity)[1:].lower() == bot.username.lower()
        elif entity.type == MessageEntity.TEXT_MENTION:
            mentioned = bool(entity.user and entity.user.id == bot.id)
        else:
            continue
        if mentioned:
            spans.append((entity.offset, entity.offset + entity.length))
    if not spans:
        return text, False
    encoded = text.encode("utf-16-le")
    pieces: list[str] = []
    position = 0
    for start, end in sorted(spans):
        pieces.append(encoded[position * 2 : start * 2].decode("utf-16-le"))
        position = end
    pieces.append(encoded[position * 2 :].decode("utf-16-le"))
    cleaned = " ".join(" ".join(pieces).split())
    return cleaned.strip(_STRIP_AFTER_MENTION), True


def _utf16_slice(text: str, start: int, end: int | None) -> str:
    encoded = text.encode("utf-16-le")
    stop = None if end is None else end * 2
    return encoded[start * 2 : stop].decode("utf-16-le")


def _media(message: Message) -> str | None:
    for name in MEDIA_ATTRIBUTES:
        if getattr(message, name, None):
            return name
    return None
