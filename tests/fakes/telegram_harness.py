"""The real Telegram adapter (PTB Application) running against the fake Bot API, for tests.

`TelegramHarness` starts the application the way the platform-testing recipe says (not
`run_polling`), and tells when the bot has finished with an update: a handler in a late
group records each processed update id, so a test awaits that instead of sleeping and gets
exactly the API calls the update caused (`Exchange`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, BaseRateLimiter, ContextTypes, TypeHandler

from adapters.telegram import ALLOWED_UPDATES, TelegramAdapter, build_application
from adapters.telegram.app import DEFAULT_RATE_LIMITER, DefaultRateLimiter
from bot.config import Settings
from dialogs.types import Conversations, IncomingMessage, Reply

from .telegram_api import ApiCall, FakeTelegramAPI, Pushed

PROCESSED_GROUP = 10_000
T = TypeVar("T")


@dataclass
class Exchange:
    """What the bot did for some pushed updates: every API call but getUpdates, in order."""

    pushed: list[Pushed]
    calls: list[ApiCall]

    def of(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method == method]

    @property
    def sent(self) -> list[ApiCall]:
        """The sendMessage calls the fake accepted."""
        return [call for call in self.of("sendMessage") if call.ok]

    @property
    def texts(self) -> list[str]:
        return [call.text for call in self.sent]

    @property
    def refused(self) -> list[ApiCall]:
        return [call for call in self.calls if not call.ok]


class TelegramHarness:
    """The adapter's Application polling a `FakeTelegramAPI`; `async with` starts and stops it."""

    def __init__(
        self,
        api: FakeTelegramAPI,
        conversations: Conversations,
        *,
        rate_limiter: BaseRateLimiter | DefaultRateLimiter | None = DEFAULT_RATE_LIMITER,
        concurrent_updates: int = 64,
    ) -> None:
        self.api = api
        self.adapter = TelegramAdapter(conversations)
        self._rate_limiter = rate_limiter
        self._concurrent_updates = concurrent_updates
        self._done: set[int] = set()
        self._done_changed = asyncio.Event()
        self.app: Application | None = None

    @property
    def settings(self) -> Settings:
        return Settings(  # type: ignore[call-arg]
            _env_file=None, TELEGRAM_TOKEN=self.api.token, TELEGRAM_API_BASE=self.api.base_url
        )

    async def start(self) -> None:
        app = build_application(
            self.settings,
            self.adapter,
            rate_limiter=self._rate_limiter,
            trust_env=False,
            concurrent_updates=self._concurrent_updates,
        )
        app.add_handler(TypeHandler(Update, self._processed), group=PROCESSED_GROUP)
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)  # run_polling would; we don't use run_polling in tests
        assert app.updater is not None
        await app.updater.start_polling(timeout=1, allowed_updates=list(ALLOWED_UPDATES))
        await app.start()
        self.app = app

    async def stop(self) -> None:
        app, self.app = self.app, None
        if app is None:
            return
        assert app.updater is not None
        await app.updater.stop()
        await app.stop()
        await app.shutdown()

    async def __aenter__(self) -> TelegramHarness:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _processed(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._done.add(update.update_id)
        self._done_changed.set()
        self._done_changed = asyncio.Event()

    async def processed(self, update_ids: list[int], within: float = 5.0) -> None:
        """Wait until the bot has finished handling every one of `update_ids`."""

        async def wait() -> None:
            while not set(update_ids) <= self._done:
                await self._done_changed.wait()

        await asyncio.wait_for(wait(), within)

    async def run(self, push: Callable[[], Pushed | list[Pushed]], within: float = 5.0) -> Exchange:
        """Push updates (by calling `push`), wait until handled, return the calls they caused."""
        start = len(self.api.calls)
        pushed = push()
        updates = pushed if isinstance(pushed, list) else [pushed]
        await self.processed([u.update_id for u in updates], within)
        calls = [c for c in self.api.calls[start:] if c.method != "getUpdates"]
        return Exchange(updates, calls)

    async def say(
        self, chat: dict[str, Any], user: dict[str, Any], text: str, **kw: Any
    ) -> Exchange:
        return await self.run(lambda: self.api.send_text(chat, user, text, **kw))

    async def press(self, user: dict[str, Any], message: dict[str, Any], data: str) -> Exchange:
        return await self.run(lambda: self.api.press(user, message, data))


@dataclass
class ScriptedConversations:
    """A test double of the dialog service: records what it is told, answers with `script`."""

    script: Callable[[IncomingMessage], list[Reply]] = field(default=lambda m: [])
    messages: list[IncomingMessage] = field(default_factory=list)
    migrations: list[tuple[str, str, str]] = field(default_factory=list)
    chats_left: list[tuple[str, str]] = field(default_factory=list)

    async def on_message(self, message: IncomingMessage) -> list[Reply]:
        self.messages.append(message)
        return self.script(message)

    async def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        self.migrations.append((platform, old_chat_id, new_chat_id))

    async def on_chat_left(self, platform: str, chat_id: str) -> None:
        self.chats_left.append((platform, chat_id))


@dataclass
class RecordingConversations:
    """Wraps a real dialog service and records each message with the replies it got."""

    inner: Conversations
    turns: list[tuple[IncomingMessage, list[Reply]]] = field(default_factory=list)

    async def on_message(self, message: IncomingMessage) -> list[Reply]:
        replies = await self.inner.on_message(message)
        self.turns.append((message, replies))
        return replies

    async def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.inner.on_chat_migrated(platform, old_chat_id, new_chat_id)

    async def on_chat_left(self, platform: str, chat_id: str) -> None:
        await self.inner.on_chat_left(platform, chat_id)

    @property
    def last(self) -> list[Reply]:
        """The replies to the last message."""
        return self.turns[-1][1] if self.turns else []


class ThreadedFake:
    """A FakeTelegramAPI on its own event loop in a thread, for code that runs its own loop
    (`bot.run_telegram.run`). `call` runs a function or coroutine on the fake's loop."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.api = FakeTelegramAPI()

    def __enter__(self) -> ThreadedFake:
        self._thread.start()
        self.call(self.api.start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.call(self.api.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=5)
        self.loop.close()

    def call(self, work: Coroutine[Any, Any, T] | Callable[[], T], within: float = 10.0) -> T:
        async def run() -> T:
            return await work if asyncio.iscoroutine(work) else work()  # type: ignore[operator]

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(within)
