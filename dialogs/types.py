"""Platform-neutral boundary types: what adapters hand the engine and what they get back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal, Protocol

CHOICE_ID_RE = re.compile(r"^[a-z0-9_:.,+-]{1,64}$")
HANDOFF_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True, slots=True)
class ConversationKey:
    """A conversation is one user in one chat on one platform (design.md §3)."""

    platform: str
    chat_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a user did: free text, a command (with its argument text) or a button press.

    `addressed` is true in private chats and, in groups, when the bot was mentioned, replied
    to, or called by a command. `media` names what a non-text message carried ("sticker",
    "photo", "voice", "edit", ...): the engine answers it, adapters don't. `raw` keeps the
    platform's payload for debugging; the engine never reads it.
    """

    platform: str
    chat_id: str
    chat_kind: ChatKind
    user_id: str
    text: str = ""
    command: str | None = None
    choice: str | None = None
    addressed: bool = True
    media: str | None = None
    user_name: str | None = None
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> ConversationKey:
        return ConversationKey(self.platform, self.chat_id, self.user_id)

    @property
    def is_group(self) -> bool:
        return self.chat_kind is ChatKind.GROUP


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph. `strong` asks the adapter to emphasise it (bold)."""

    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Bullets:
    """A titled bullet list."""

    items: tuple[str, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Warning:
    """Triage advice. Always the first block of a reply; `urgent` must be unmissable."""

    level: Literal["see_doctor", "urgent"]
    text: str
    title: str


@dataclass(frozen=True, slots=True)
class Disclaimer:
    """The short "not a doctor" line, once per conversation."""

    text: str


Block = Text | Bullets | Warning | Disclaimer


@dataclass(frozen=True, slots=True)
class Choice:
    """A button. `id` is stable, ASCII, at most 64 bytes (fits Telegram and Discord)."""

    id: str
    label: str

    def __post_init__(self) -> None:
        if not CHOICE_ID_RE.match(self.id):
            raise ValueError(f"bad choice id {self.id!r}")


class ReplyKind(StrEnum):
    COMPLAINT = "complaint"
    CLARIFY = "clarify"
    ANSWER = "answer"
    DETAIL = "detail"
    OFF_TOPIC = "off_topic"
    COMMAND = "command"
    FORGET = "forget"
    BAD_INPUT = "bad_input"
    EXPIRED = "expired"
    ERROR = "error"  # the engine failed on this message; the reply is a polite apology


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to send: ordered blocks, then choices; plus the ids it is about.

    `handoff`, when set in a group, asks the adapter to offer continuing in private (a
    Telegram deep link `?start=<handoff>`, a Discord ephemeral follow-up); the engine
    understands it back as the argument of `/start`.
    """

    kind: ReplyKind
    blocks: tuple[Block, ...]
    choices: tuple[Choice, ...] = ()
    causes: tuple[str, ...] = ()
    question: str | None = None
    triage: str = "self_care"
    handoff: str | None = None

    def __post_init__(self) -> None:
        if self.handoff is not None and not HANDOFF_RE.match(self.handoff):
            raise ValueError(f"bad handoff payload {self.handoff!r}")

    def plain_text(self) -> str:
        """Blocks as plain text (console, logs of structure in tests, fallbacks)."""
        parts: list[str] = []
        for block in self.blocks:
            match block:
                case Warning(title=title, text=text):
                    parts.append(f"{title}\n{text}")
                case Bullets(items=items, title=title):
                    lines = [title] if title else []
                    lines += [f"- {item}" for item in items]
                    parts.append("\n".join(lines))
                case Text(text=text) | Disclaimer(text=text):
                    parts.append(text)
        return "\n\n".join(parts)


class Conversations(Protocol):
    """What an adapter talks to: the dialog service (dialogs.service.DialogService)."""

    async def on_message(self, message: IncomingMessage) -> list[Reply]: ...

    async def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        ...

    async def on_chat_left(self, platform: str, chat_id: str) -> None: ...
