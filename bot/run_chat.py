"""Runs `aftertwitch chat`: the console adapter over the configured store."""

from __future__ import annotations

import asyncio
import getpass
import sys

from adapters.console import ConsoleChat, interactive, script
from bot.config import Settings
from bot.wiring import open_service
from dialogs.stores import StoreError


def _user(user: str | None) -> str:
    if user:
        return user
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "you"


def run(settings: Settings, user: str | None, chat: str | None, group: bool) -> int:
    """The console conversation: interactive in a terminal, scriptable on a pipe; 0 at EOF."""
    for stream in (sys.stdin, sys.stdout):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    with asyncio.Runner() as runner:
        service_cm = open_service(settings)
        try:
            service = runner.run(service_cm.__aenter__())
        except StoreError as exc:
            sys.stderr.write(f"aftertwitch: store: {exc}\n")
            return 2
        try:
            console = ConsoleChat(service, user=_user(user), chat=chat, group=group)
            if sys.stdin.isatty():
                interactive(runner, console, sys.stdout)
            else:
                script(runner, console, sys.stdin, sys.stdout)
        except KeyboardInterrupt:
            sys.stdout.write("\n")
        finally:
            runner.run(service_cm.__aexit__(None, None, None))
    return 0
