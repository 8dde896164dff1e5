"""Rendering: the engine's `Reply` as Telegram HTML messages (≤ 4096 characters) and keyboards."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from dialogs.types import Block, Bullets, Choice, Disclaimer, Reply, Text, Warning

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit on a message's text after entity parsing."""

MAX_CALLBACK_DATA_BYTES = 64
HANDOFF_LABEL = "💬 Continue in a private chat"
"""The label of the group button that opens a private chat with the bot (UI, not advice)."""

_PARAGRAPH_SEPARATOR = "\n\n"
_MAX_ROW_BUTTONS = 3
_MAX_ROW_WIDTH = 28
_MAX_SHARED_LABEL = 16

Style = Literal["b", "i"] | None
_OUR_TAGS = re.compile(r"</?[bi]>")


@dataclass(frozen=True, slots=True)
class Span:
    """A run of plain text with at most one style (bold or italic)."""

    text: str
    style: Style = None


Paragraph = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """One `sendMessage`: HTML text (parse mode HTML) and, on the last one, the keyboard."""

    text: str
    reply_markup: InlineKeyboardMarkup | None = None


def visible_length(text: str) -> int:
    """Length as Telegram may count it (UTF-16 code units; never less than code points)."""
    return len(text.encode("utf-16-le")) // 2


def render_reply(
    reply: Reply,
    *,
    group: bool = False,
    bot_username: str | None = None,
    limit: int = MAX_MESSAGE_LENGTH,
) -> list[OutgoingMessage]:
    """Render one reply as messages: HTML chunks split at paragraph boundaries, keyboard last."""
    chunks = [to_html(chunk) for chunk in split_paragraphs(paragraphs_of(reply.blocks), limit)]
    markup = keyboard_for(reply, group=group, bot_username=bot_username)
    if not chunks:
        if markup is None:
            return []
        chunks = ["👇"]  # a keyboard needs a message; the engine sent buttons without words
    messages = [OutgoingMessage(text) for text in chunks]
    messages[-1] = OutgoingMessage(messages[-1].text, markup)
    return messages


def html_to_plain(text: str) -> str:
    """Our own HTML back to plain text (the only tags in it are the <b>/<i> we wrote)."""
    return html.unescape(_OUR_TAGS.sub("", text))


def paragraphs_of(blocks: Iterable[Block]) -> list[Paragraph]:
    """Blocks as styled paragraphs; warnings first (urgent before see-doctor), then in order."""
    ordered = sorted(blocks, key=_block_rank)  # sorted() is stable: the rest keep their order
    return [p for p in (_paragraph(block) for block in ordered) if _has_words(p)]


def _block_rank(block: Block) -> int:
    if isinstance(block, Warning):
        return 0 if block.level == "urgent" else 1
    return 2


def _paragraph(block: Block) -> Paragraph:
    match block:
        case Warning(level="urgent", title=title, text=text):
            return (Span(f"🚨 {title}".strip(), "b"), Span("\n"), Span(text, "b"))
        case Warning(title=title, text=text):
            return (Span(f"⚠️ {title}".strip(), "b"), Span(f"\n{text}"))
        case Bullets(items=items, title=title):
            spans: list[Span] = []
            if title:
                spans += [Span(title, "b"), Span("\n")]
            spans.append(Span("\n".join(f"• {item}" for item in items)))
            return tuple(spans)
        case Text(text=text, strong=strong):
            return (Span(text, "b" if strong else None),)
        case Disclaimer(text=text):
            return (Span(text, "i"),)
    raise TypeError(f"unknown block type {type(block).__name__}")  # pragma: no cover


def _has_words(paragraph: Paragraph) -> bool:
    return any(span.text.strip() for span in paragraph)


def _length(paragraph: Paragraph) -> int:
    return sum(visible_length(span.text) for span in paragraph)


def split_paragraphs(paragraphs: Sequence[Paragraph], limit: int) -> list[list[Span]]:
    """Pack paragraphs into chunks of at most `limit` visible characters.

    Paragraphs stay whole where they fit; a longer one is cut at a line break, else at a space,
    else anywhere, and every piece keeps its style, so each chunk's HTML is balanced.
    """
    pieces: list[Paragraph] = []
    for paragraph in paragraphs:
        pieces += _cut(paragraph, limit) if _length(paragraph) > limit else [paragraph]
    chunks: list[list[Span]] = []
    current: list[Span] = []
    size = 0
    for piece in pieces:
        extra = _length(piece) + (len(_PARAGRAPH_SEPARATOR) if current else 0)
        if current and size + extra > limit:
            chunks.append(current)
            current, size, extra = [], 0, _length(piece)
        if current:
            current.append(Span(_PARAGRAPH_SEPARATOR))
        current += piece
        size += extra
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if any(span.text.strip() for span in chunk)]


def _cut(paragraph: Paragraph, limit: int) -> list[Paragraph]:
    """Cut one over-long paragraph into pieces of at most `limit`, keeping span styles."""
    pieces: list[Paragraph] = []
    current: list[Span] = []
    room = limit
    queue = list(paragraph)
    while queue:
        span = queue.pop(0)
        if visible_length(span.text) <= room:
            current.append(span)
            room -= visible_length(span.text)
            continue
        head, tail = _split_text(span.text, room)
        if not head and not current:  # nothing fits an empty piece: take one character
            head, tail = span.text[:1], span.text[1:]
        if head:
            current.append(Span(head, span.style))
        if current:
            pieces.append(tuple(current))
        current, room = [], limit
        queue.insert(0, Span(tail, span.style))
    if current:
        pieces.append(tuple(current))
    return [piece for piece in pieces if _has_words(piece)]


def _split_text(text: str, room: int) -> tuple[str, str]:
    """Split so the head fits `room`: at the last line break, else space, else hard."""
    fit = _prefix_fitting(text, room)
    head = text[:fit]
    for separator in ("\n", " "):
        cut = head.rfind(separator)
        if cut > 0:
            return text[:cut], text[cut + 1 :]
    return head, text[fit:]


def _prefix_fitting(text: str, room: int) -> int:
    """The number of code points of `text` whose UTF-16 length is at most `room`."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return index
    return len(text)


def to_html(spans: Iterable[Span]) -> str:
    """Spans as Telegram HTML: every character escaped, styles as <b>/<i>."""
    out: list[str] = []
    for span in spans:
        text = html.escape(span.text)
        out.append(f"<{span.style}>{text}</{span.style}>" if span.style and text else text)
    return "".join(out)


def keyboard_for(
    reply: Reply, *, group: bool = False, bot_username: str | None = None
) -> InlineKeyboardMarkup | None:
    """Choices as inline buttons in rows of sensible width; in groups, the deep-link button."""
    buttons = [
        InlineKeyboardButton(choice.label, callback_data=choice.id)
        for choice in reply.choices
        if _valid_callback_data(choice)
    ]
    rows = layout_rows(buttons)
    if group and reply.handoff and bot_username:
        url = f"https://t.me/{bot_username}?start={reply.handoff}"
        rows.append([InlineKeyboardButton(HANDOFF_LABEL, url=url)])
    return InlineKeyboardMarkup(rows) if rows else None


def _valid_callback_data(choice: Choice) -> bool:
    size = len(choice.id.encode("utf-8"))
    if 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        return True
    logger.warning("dropped a choice whose id is %d bytes (Telegram allows 1-64)", size)
    return False


def layout_rows(buttons: Sequence[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Short labels share a row (up to three, about 28 characters); long ones get their own."""
    rows: list[list[InlineKeyboardButton]] = []
    row: list[InlineKeyboardButton] = []
    width = 0
    for button in buttons:
        size = len(button.text)
        shares = size <= _MAX_SHARED_LABEL and all(
            len(other.text) <= _MAX_SHARED_LABEL for other in row
        )
        if row and not (shares and len(row) < _MAX_ROW_BUTTONS and width + size <= _MAX_ROW_WIDTH):
            rows.append(row)
            row, width = [], 0
        row.append(button)
        width += size
    if row:
        rows.append(row)
    return rows
