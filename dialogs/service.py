"""The dialog service: per-conversation locks, state load/step/save, one error boundary."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from dialogs import texts
from dialogs.actions import rebuild
from dialogs.locks import KeyedLocks
from dialogs.machine import Matching, handoff_chat, step
from dialogs.state import DialogState, StateError
from dialogs.stores import Store
from dialogs.types import (
    Choice,
    ConversationKey,
    IncomingMessage,
    Reply,
    ReplyKind,
    Text,
)
from knowledge.schema import Knowledge

log = logging.getLogger(__name__)
EXPIRE_EVERY = 3600.0  # seconds between sweeps of expired conversations


def _where(exc: BaseException) -> str:
    """The innermost project frame of an exception, without its message (it may hold text)."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "site-packages" not in f.filename] or frames
    if not ours:
        return "?"
    frame = ours[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


class DialogService:
    """Implements dialogs.types.Conversations over a store; shared by every adapter.

    Messages of one conversation are handled one at a time, in arrival order (a FIFO
    asyncio.Lock per key); different conversations run concurrently. The new state is written
    before the replies are returned, so a crash never loses what the user was told.
    """

    def __init__(self, knowledge: Knowledge, store: Store, *, log_text: bool = False,
                 matcher: Matching | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if matcher is None:
            from knowledge.matcher import Matcher

            matcher = Matcher(knowledge)
        self.knowledge = knowledge
        self.store = store
        self.matcher = matcher
        self._log_text = log_text
        self._clock = clock
        self._locks = KeyedLocks()
        self._last_expire = clock()

    async def load(self, key: ConversationKey) -> DialogState:
        """The stored state of a conversation, or a new one (also for unreadable entries)."""
        raw = await self.store.get(key)
        if raw is None:
            return DialogState()
        try:
            return DialogState.from_json(raw)
        except StateError as exc:
            log.warning("unreadable state, starting afresh: %s platform=%s chat=%s user=%s",
                        exc, key.platform, key.chat_id, key.user_id)
            return DialogState()

    async def on_message(self, message: IncomingMessage) -> list[Reply]:
        key = message.key
        try:
            await self._maybe_expire()
            async with self._locks.hold(key):
                state = await self.load(key)
                linked = await self._linked(message)
                new_state, replies = step(state, message, self.knowledge, self.matcher,
                                          linked=linked)
                if new_state is None:
                    await self.store.delete(key)
                elif new_state != state:
                    await self.store.put(key, new_state.stamped(self._clock()).to_json())
        except Exception as exc:
            log.error("%s handling a message (%s) platform=%s chat=%s user=%s",
                      type(exc).__name__, _where(exc), key.platform, key.chat_id, key.user_id)
            if message.is_group and not message.addressed:
                return []
            return [Reply(ReplyKind.ERROR, (Text(texts.ERROR),))]
        self._log(message, state, new_state, replies)
        return replies

    async def _linked(self, message: IncomingMessage) -> DialogState | None:
        """For a private `/start <group hand-off>`: the SENDER's own conversation in that group.

        The payload only names the group; whoever presses the link gets their own state there,
        never the state of the member the group reply was for. None when they have none.
        """
        chat_id = handoff_chat(message)
        if chat_id is None:
            return None
        state = await self.load(ConversationKey(message.platform, chat_id, message.user_id))
        return None if state.is_new else state

    def _log(self, message: IncomingMessage, old: DialogState, new: DialogState | None,
             replies: list[Reply]) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        what = "choice" if message.choice else "command" if message.command else (
            message.media or "text")
        log.debug(
            "handled %s platform=%s chat=%s user=%s phase=%s->%s replies=%s",
            what, message.platform, message.chat_id, message.user_id, old.phase.value,
            new.phase.value if new else "forgotten",
            ",".join(f"{r.kind.value}[{','.join(r.causes)}|{r.triage}]" for r in replies) or "-",
        )
        if self._log_text:
            log.debug("text user=%s: %r choice=%r command=%r", message.user_id, message.text,
                      message.choice, message.command)

    async def _maybe_expire(self) -> None:
        now = self._clock()
        if now - self._last_expire >= EXPIRE_EVERY:
            self._last_expire = now
            await self.store.expire()

    async def last_menu(self, key: ConversationKey) -> tuple[Choice, ...]:
        """The choices of the conversation's last reply that had any (e.g. after a restart)."""
        async with self._locks.hold(key):
            state = await self.load(key)
        return rebuild(state.menu, self.knowledge)

    async def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        try:
            moved = await self.store.move_chat(platform, old_chat_id, new_chat_id)
        except Exception as exc:
            log.error("%s moving chat (%s) platform=%s chat=%s new_chat=%s", type(exc).__name__,
                      _where(exc), platform, old_chat_id, new_chat_id)
            return
        log.info("chat migrated platform=%s chat=%s new_chat=%s conversations=%d",
                 platform, old_chat_id, new_chat_id, moved)

    async def on_chat_left(self, platform: str, chat_id: str) -> None:
        try:
            deleted = await self.store.delete_chat(platform, chat_id)
        except Exception as exc:
            log.error("%s deleting chat (%s) platform=%s chat=%s", type(exc).__name__,
                      _where(exc), platform, chat_id)
            return
        log.info("chat left platform=%s chat=%s conversations deleted=%d",
                 platform, chat_id, deleted)
