"""`aftertwitch telegram`: run the bot on Telegram with long polling until stopped."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from adapters.telegram import ALLOWED_UPDATES, TelegramAdapter, build_application
from bot.config import Settings
from bot.logs import setup_logging
from dialogs.stores import StoreError
from dialogs.types import Conversations
from knowledge import KnowledgeError

ServiceOpener = Callable[[Settings], AbstractAsyncContextManager[Conversations]]

MISSING_TOKEN = (
    "TELEGRAM_TOKEN is not set: create a bot with @BotFather and put its token in the "
    "environment or .env (see docs/telegram.md)"
)
REJECTED_TOKEN = (
    "TELEGRAM_TOKEN was rejected by the Telegram Bot API at {base} (Unauthorized): "
    "check the token @BotFather gave you"
)
UNREACHABLE = "cannot reach the Telegram Bot API at {base} ({error}): check TELEGRAM_API_BASE"


def run(settings: Settings, *, open_service: ServiceOpener | None = None) -> int:
    """Long-poll Telegram and answer until SIGINT/SIGTERM; 0 when stopped, 2 on a bad setup.

    The token is checked first (getMe), then the dialog service is opened (post_init) and
    closed after polling stopped (post_shutdown). `open_service` defaults to
    `bot.wiring.open_service`.
    """
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        _fail(MISSING_TOKEN)
        return 2
    setup_logging(settings.log_level, secrets=[token])
    opener = open_service or _default_opener()
    adapter = TelegramAdapter()
    services = AsyncExitStack()

    async def open_conversations(_: Application) -> None:
        adapter.conversations = await services.enter_async_context(opener(settings))

    async def close_conversations(_: Application) -> None:
        await services.aclose()
        adapter.conversations = None

    app = build_application(
        settings, adapter, post_init=open_conversations, post_shutdown=close_conversations
    )
    error = _check_token(app, settings.telegram_api_base)
    if error:
        _fail(error)
        return 2
    try:
        app.run_polling(allowed_updates=list(ALLOWED_UPDATES), close_loop=True)
    except KnowledgeError as exc:
        _fail(f"cannot load the knowledge base: {exc}")
        return 2
    except StoreError as exc:
        _fail(f"cannot open the conversation store (AFTERTWITCH_STORE): {exc}")
        return 2
    finally:
        asyncio.set_event_loop(None)  # run_polling closed it
    return 0


def _default_opener() -> ServiceOpener:
    from bot.wiring import open_service  # the engine is imported only when it's needed

    return open_service


def _check_token(app: Application, base: str) -> str | None:
    """Initialize `app` (getMe) on a fresh event loop; a one-line error if that fails.

    Done here rather than inside run_polling because PTB's own failure message (and its log
    line) would carry the token.
    """
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(app.initialize())
    except InvalidToken:
        error = REJECTED_TOKEN.format(base=base)
    except NetworkError as exc:
        error = UNREACHABLE.format(base=base, error=type(exc).__name__)
    else:
        return None
    loop.run_until_complete(app.shutdown())
    loop.close()
    asyncio.set_event_loop(None)
    return error


def _fail(line: str) -> None:
    sys.stderr.write(f"aftertwitch telegram: {line}\n")
