"""The Telegram adapter: python-telegram-bot in front of the platform-neutral dialog service."""

from adapters.telegram.app import ALLOWED_UPDATES, build_application, publish_commands
from adapters.telegram.handlers import TelegramAdapter
from adapters.telegram.translate import PLATFORM

__all__ = [
    "ALLOWED_UPDATES",
    "PLATFORM",
    "TelegramAdapter",
    "build_application",
    "publish_commands",
]
