"""An in-memory conversation store, for tests and throwaway runs."""

from __future__ import annotations

import time
from collections.abc import Callable

from dialogs.types import ConversationKey


class MemoryStore:
    """A dict of (JSON, written-at) per conversation; forgets everything on exit."""

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.time) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._data: dict[ConversationKey, tuple[str, float]] = {}

    def _fresh(self, written: float) -> bool:
        return written >= self._clock() - self._ttl

    async def get(self, key: ConversationKey) -> str | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        if not self._fresh(entry[1]):
            del self._data[key]
            return None
        return entry[0]

    async def put(self, key: ConversationKey, data: str) -> None:
        self._data[key] = (data, self._clock())

    async def delete(self, key: ConversationKey) -> bool:
        return self._data.pop(key, None) is not None

    def _drop(self, keys: list[ConversationKey]) -> int:
        for key in keys:
            del self._data[key]
        return len(keys)

    async def delete_by_user(self, platform: str, user_id: str) -> int:
        return self._drop([k for k in self._data if (k.platform, k.user_id) == (platform, user_id)])

    async def delete_chat(self, platform: str, chat_id: str) -> int:
        return self._drop([k for k in self._data if (k.platform, k.chat_id) == (platform, chat_id)])

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        if old_chat_id == new_chat_id:
            return 0
        moved = 0
        for key in [k for k in self._data if (k.platform, k.chat_id) == (platform, old_chat_id)]:
            entry = self._data.pop(key)
            target = ConversationKey(platform, new_chat_id, key.user_id)
            existing = self._data.get(target)
            if existing is None or existing[1] < entry[1]:
                self._data[target] = entry
                moved += 1
        return moved

    async def expire(self) -> int:
        return self._drop([k for k, (_, written) in self._data.items() if not self._fresh(written)])

    async def close(self) -> None:
        self._data.clear()
