"""`aftertwitch telegram` (bot.run_telegram.run): token errors, and a real long-polling run."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.config import Settings
from bot.run_telegram import run
from dialogs.commands import COMMANDS
from dialogs.types import Conversations, IncomingMessage, Reply, ReplyKind, Text
from tests.fakes.telegram_harness import ScriptedConversations, ThreadedFake


def settings(**env: Any) -> Settings:
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


def test_a_missing_token_is_one_line_naming_the_variable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(settings()) == 2
    assert run(settings(TELEGRAM_TOKEN="  ")) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("TELEGRAM_TOKEN is not set" in line for line in err)


def test_a_rejected_token_is_one_line_and_never_printed(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "987654321:" + "Q" * 35
    with ThreadedFake() as fake:
        code = run(settings(TELEGRAM_TOKEN=wrong, TELEGRAM_API_BASE=fake.api.base_url))
        refused = fake.call(lambda: fake.api.calls_to("getMe"))
    assert code == 2 and [c.status for c in refused] == [401]
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "TELEGRAM_TOKEN was rejected" in err
    assert wrong not in err and "Q" * 35 not in caplog.text


def test_an_unreachable_server_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    base = "http://127.0.0.1:9"  # the discard port: nothing listens there
    assert run(settings(TELEGRAM_TOKEN="1:x", TELEGRAM_API_BASE=base)) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "cannot reach the Telegram Bot API" in err


def test_long_polling_until_stopped() -> None:
    """The whole command: token checked, service opened, menu set, a message answered,
    SIGINT stops it, the service is closed, exit status 0."""
    events: list[str] = []

    def hello(message: IncomingMessage) -> list[Reply]:
        return [Reply(ReplyKind.COMMAND, (Text(f"hello {message.user_name}"),))]

    @asynccontextmanager
    async def open_service(_: Settings) -> AsyncIterator[Conversations]:
        events.append("opened")
        yield ScriptedConversations(hello)
        events.append("closed")

    with ThreadedFake() as fake:
        api = fake.api
        user = api.user(301, "Robin")

        returned = threading.Event()

        def drive() -> None:
            try:
                fake.call(api.parked_poll(within=10), within=15)
                fake.call(lambda: api.send_text(api.private_chat(user), user, "/start"))
                sent = fake.call(api.next_call("sendMessage", within=10), within=15)
                events.append(f"sent {sent.text}")
            finally:
                if not returned.is_set():  # only ever signal the running bot, not pytest
                    os.kill(os.getpid(), signal.SIGINT)

        driver = threading.Thread(target=drive, daemon=True)
        driver.start()
        try:
            code = run(
                settings(TELEGRAM_TOKEN=api.token, TELEGRAM_API_BASE=api.base_url),
                open_service=open_service,
            )
        finally:
            returned.set()
        driver.join(timeout=5)
        published = fake.call(lambda: api.commands("all_private_chats"))
    assert code == 0
    assert events == ["opened", "sent hello Robin", "closed"]
    assert [c["command"] for c in published] == [c.name for c in COMMANDS if c.private]


def test_a_bad_store_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with ThreadedFake() as fake:
        code = run(
            settings(
                TELEGRAM_TOKEN=fake.api.token,
                TELEGRAM_API_BASE=fake.api.base_url,
                AFTERTWITCH_STORE="sqlite://",  # no file named
            )
        )
    err = capsys.readouterr().err
    assert code == 2 and len(err.splitlines()) == 1 and "AFTERTWITCH_STORE" in err
