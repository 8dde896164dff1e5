"""The PTB `Application`: built from settings, rate-limited, with the bot's command menu."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter
from telegram.request import HTTPXRequest

from adapters.telegram.handlers import TelegramAdapter
from bot.config import Settings
from dialogs.commands import COMMANDS

logger = logging.getLogger(__name__)

ALLOWED_UPDATES: tuple[str, ...] = (
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
)
"""The update types the bot asks Telegram for (getUpdates/setWebhook `allowed_updates`)."""

RETRY_AFTER_ATTEMPTS = 3
"""How many times a request refused with RetryAfter is tried again, after the wait it asks."""

Hook = Callable[[Application], Awaitable[None]]


class DefaultRateLimiter:
    """Marker: use `AIORateLimiter` with Telegram's flood limits and RetryAfter retries."""


DEFAULT_RATE_LIMITER = DefaultRateLimiter()


def build_application(
    settings: Settings,
    adapter: TelegramAdapter,
    *,
    rate_limiter: BaseRateLimiter | DefaultRateLimiter | None = DEFAULT_RATE_LIMITER,
    trust_env: bool = True,
    concurrent_updates: int = 64,
    post_init: Hook | None = None,
    post_shutdown: Hook | None = None,
) -> Application:
    """The Application for `settings` (token, TELEGRAM_API_BASE), with `adapter`'s handlers.

    `post_init` runs before the command menu is published (open the dialog service there);
    `post_shutdown` after the bot stopped. `trust_env=False` ignores proxy variables (tests).
    Raises ValueError when there is no token.
    """
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ValueError("TELEGRAM_TOKEN is not set")
    quiet_library_loggers()
    base = settings.telegram_api_base
    if isinstance(rate_limiter, DefaultRateLimiter):
        rate_limiter = AIORateLimiter(max_retries=RETRY_AFTER_ATTEMPTS)

    async def _post_init(app: Application) -> None:
        if post_init is not None:
            await post_init(app)
        await publish_commands(app.bot)
        logger.info("telegram bot @%s is ready", app.bot.username)

    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .request(HTTPXRequest(connection_pool_size=64, httpx_kwargs={"trust_env": trust_env}))
        .get_updates_request(HTTPXRequest(httpx_kwargs={"trust_env": trust_env}))
        .concurrent_updates(concurrent_updates)
        .post_init(_post_init)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if post_shutdown is not None:
        builder = builder.post_shutdown(post_shutdown)
    app = builder.build()
    adapter.register(app)
    return app


def bot_commands(*, group: bool) -> list[BotCommand]:
    """The command menu of private chats or of groups, from `dialogs.commands.COMMANDS`."""
    return [
        BotCommand(info.name, info.description)
        for info in COMMANDS
        if (info.group if group else info.private)
    ]


async def publish_commands(bot: Bot) -> None:
    """setMyCommands for private chats and for groups; a failure is logged, not fatal."""
    menus = (
        (BotCommandScopeAllPrivateChats(), bot_commands(group=False)),
        (BotCommandScopeAllGroupChats(), bot_commands(group=True)),
    )
    for scope, commands in menus:
        try:
            await bot.set_my_commands(commands, scope=scope)
        except TelegramError as exc:
            logger.warning(
                "telegram command menu for %s not set: %s", scope.type, type(exc).__name__
            )


def quiet_library_loggers() -> None:
    """Keep tokens and message text out of the logs, whatever the root level.

    httpx logs each request URL (it holds the token) at INFO; PTB's Bot logs its API URL and
    every request's parameters and result (message text) at DEBUG, and its Application every
    update it processes.
    """
    for name, floor in (
        ("httpx", logging.WARNING),
        ("httpcore", logging.WARNING),
        ("telegram.Bot", logging.INFO),
        ("telegram.ext.ExtBot", logging.INFO),
        ("telegram.ext.Application", logging.INFO),
    ):
        library_logger = logging.getLogger(name)
        library_logger.setLevel(max(floor, library_logger.level))
