"""One configured logging setup; a filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

_TOKEN_PATTERNS = (
    re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b"),  # Telegram bot token
    re.compile(r"/bot[^/\s]+/"),  # a Bot API URL with the token inside
    re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}\b"),  # Discord
)


class RedactingFilter(logging.Filter):
    """Replaces known secrets and token-shaped strings in a record's final message."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def add_secret(self, secret: str | None) -> None:
        if secret:
            self._secrets.append(secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "<redacted>")
        for pattern in _TOKEN_PATTERNS:
            text = pattern.sub(
                lambda m: "/bot<redacted>/" if m.group(0).startswith("/bot") else "<redacted>",
                text,
            )
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message or record.args:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
        return True


_FILTER = RedactingFilter()


def setup_logging(level: str = "INFO", secrets: Iterable[str | None] = ()) -> RedactingFilter:
    """Configure the root logger once: stderr, one line a record, secrets redacted."""
    for secret in secrets:
        _FILTER.add_secret(secret)
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_aftertwitch", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler._aftertwitch = True  # type: ignore[attr-defined]
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        handler.addFilter(_FILTER)
        root.addHandler(handler)
    root.setLevel(level)
    # Libraries that would log secrets or health data: httpx logs every request URL (it holds
    # the Telegram token) at INFO; aiosqlite logs every statement with its parameters (the
    # stored dialog state: causes and warning signs by user id) at DEBUG.
    for name, floor in (("httpx", logging.WARNING), ("httpcore", logging.WARNING),
                        ("aiosqlite", logging.INFO)):
        logging.getLogger(name).setLevel(max(floor, root.level))
    return _FILTER
