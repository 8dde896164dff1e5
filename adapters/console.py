"""The console adapter (design.md §5): a conversation in the terminal, scriptable on a pipe."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import TextIO

from dialogs import texts
from dialogs.service import DialogService
from dialogs.types import (
    Bullets,
    ChatKind,
    Choice,
    ConversationKey,
    Disclaimer,
    IncomingMessage,
    Reply,
    Text,
    Warning,
)

log = logging.getLogger(__name__)

PLATFORM = "console"
MENTION = f"@{texts.BOT_NAME}"
_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")
_COMMAND = re.compile(r"^/(\S*)\s*(.*)$", re.DOTALL)


def _lines(text: str) -> list[str]:
    """A block's text as non-empty lines, so a record never holds an empty line."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]


def render(reply: Reply) -> list[str]:
    """A reply as plain-text lines: blocks, then choices as `[n] label`, then the hand-off."""
    out: list[str] = []
    for block in reply.blocks:
        match block:
            case Warning(level=level, title=title, text=text):
                mark = "URGENT" if level == "urgent" else "IMPORTANT"
                out += [f"!! {mark}: {title}", *_lines(text)]
            case Bullets(items=items, title=title):
                out += _lines(title or "") + [f"- {' '.join(_lines(item))}" for item in items]
            case Text(text=text) | Disclaimer(text=text):
                out += _lines(text)
    out += [f"[{n}] {choice.label}" for n, choice in enumerate(reply.choices, 1)]
    if reply.handoff:
        out.append(f"(continue in private: /start {reply.handoff})")
    return out


class ConsoleChat:
    """One console conversation: turns input lines into messages and replies into lines."""

    def __init__(self, service: DialogService, *, user: str, chat: str | None = None,
                 group: bool = False) -> None:
        self.service = service
        self.group = group
        self.kind = ChatKind.GROUP if group else ChatKind.PRIVATE
        chat_id = chat or ("group" if group else user)
        self.key = ConversationKey(PLATFORM, chat_id, user)
        self._last: tuple[Choice, ...] | None = None  # None: no reply seen in this run yet

    def _message(self, **fields: object) -> IncomingMessage:
        return IncomingMessage(
            platform=PLATFORM, chat_id=self.key.chat_id, chat_kind=self.kind,
            user_id=self.key.user_id, user_name=self.key.user_id, **fields,  # type: ignore[arg-type]
        )

    async def _menu(self) -> tuple[Choice, ...]:
        if self._last is None:  # after a restart: the stored menu of the conversation
            self._last = await self.service.last_menu(self.key)
        return self._last

    async def parse(self, line: str) -> IncomingMessage | str:
        """The message a line means, or a note to print when it means none."""
        line = line.rstrip("\r\n")
        if number := _NUMBER.match(line):
            menu = await self._menu()
            index = int(number.group(1))
            if not menu:
                return "The last reply has no choices to pick from."
            if not 1 <= index <= len(menu):
                return f"Pick a choice from 1 to {len(menu)}."
            return self._message(choice=menu[index - 1].id)
        if command := _COMMAND.match(line):
            name = command.group(1).split("@")[0].lower()
            return self._message(command=name, text=command.group(2).strip())
        if self.group:
            if line.lstrip().lower().startswith(MENTION):
                return self._message(text=line.lstrip()[len(MENTION):].lstrip(" ,:"))
            return self._message(text=line, addressed=False)
        return self._message(text=line)

    async def handle(self, line: str) -> list[str]:
        """One input line in, the lines of its record out (empty: the bot stays silent)."""
        message = await self.parse(line)
        if isinstance(message, str):
            return [message]
        replies = await self.service.on_message(message)
        out: list[str] = []
        for reply in replies:
            out += render(reply)
            self._last = reply.choices
        return out

    async def is_new(self) -> bool:
        return (await self.service.load(self.key)).is_new


BANNER = (
    "aftertwitch: tell me what's twitching and what you did. Type a number to pick a choice, "
    "/help for commands, Ctrl-D to leave."
)


def script(runner: asyncio.Runner, chat: ConsoleChat, stdin: TextIO, stdout: TextIO) -> None:
    """One message a line; each answered by its lines and one empty line (design.md §5)."""
    while line := stdin.readline():
        for out in runner.run(chat.handle(line)):
            stdout.write(out + "\n")
        stdout.write("\n")
        stdout.flush()


def interactive(runner: asyncio.Runner, chat: ConsoleChat, stdout: TextIO) -> None:
    """A prompt in a terminal; a new conversation opens with the greeting."""
    print(BANNER, file=stdout)
    if runner.run(chat.is_new()):
        print("\n".join(runner.run(chat.handle("/start"))) + "\n", file=stdout)
    while True:
        try:
            line = input("> ")
        except EOFError:
            print(file=stdout)
            return
        if lines := runner.run(chat.handle(line)):
            print("\n".join(lines) + "\n", file=stdout, flush=True)
