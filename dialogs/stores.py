"""The conversation store protocol, and `open_store` for `memory://` and `sqlite:///path` URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from dialogs.types import ConversationKey

DAY = 86400.0


class StoreError(RuntimeError):
    """A store that can't be opened or used (bad URL, newer schema, unreadable file)."""


class Store(Protocol):
    """Per-conversation state as JSON text; entries older than the TTL are gone."""

    async def get(self, key: ConversationKey) -> str | None: ...

    async def put(self, key: ConversationKey, data: str) -> None: ...

    async def delete(self, key: ConversationKey) -> bool: ...

    async def delete_by_user(self, platform: str, user_id: str) -> int:
        """Every conversation of one user on one platform, in all chats."""
        ...

    async def delete_chat(self, platform: str, chat_id: str) -> int:
        """Every member's conversation in one chat (the bot left or was removed)."""
        ...

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        """Move a chat's conversations to a new chat id (Telegram group -> supergroup).

        Where a member already has a conversation under the new id, the newer one wins.
        """
        ...

    async def expire(self) -> int:
        """Delete entries not written for longer than the TTL; returns how many."""
        ...

    async def close(self) -> None: ...


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite://` URL: `sqlite:///tmp/x.db` and `sqlite:////tmp/x.db` are
    both /tmp/x.db; `sqlite://x.db` is relative to the working directory; `~` expands."""
    rest = url[len("sqlite://"):]
    if rest.startswith("//"):
        rest = rest[1:]
    if not rest or rest == "/":
        raise StoreError(f"no file in store URL {url!r}: use sqlite:///path/to/state.sqlite3")
    return Path(rest).expanduser()


async def open_store(url: str, ttl_days: float) -> Store:
    """Open the store a URL names; SQLite creates the file and its folders."""
    if ttl_days <= 0:
        raise StoreError("the state TTL must be a positive number of days")
    ttl = ttl_days * DAY
    if url.startswith("memory://"):
        from dialogs.store_memory import MemoryStore

        return MemoryStore(ttl)
    if url.startswith("sqlite://"):
        from dialogs.store_sqlite import SQLiteStore

        return await SQLiteStore.open(sqlite_path(url), ttl)
    if url.startswith("redis://"):
        raise StoreError("the redis store is not built yet: use sqlite:///path or memory://")
    raise StoreError(f"unknown store URL {url!r}: use sqlite:///path or memory://")
