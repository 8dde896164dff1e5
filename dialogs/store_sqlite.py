"""The SQLite conversation store (aiosqlite, WAL): schema version, migrations, expiry."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import aiosqlite

from dialogs.stores import StoreError
from dialogs.types import ConversationKey

log = logging.getLogger(__name__)

# MIGRATIONS[n] takes the schema from version n to n + 1, in one transaction. Append only.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: one row per conversation, its state as JSON text
        """CREATE TABLE conversations (
               platform TEXT NOT NULL, chat_id TEXT NOT NULL, user_id TEXT NOT NULL,
               state TEXT NOT NULL, updated_at REAL NOT NULL,
               PRIMARY KEY (platform, chat_id, user_id)) WITHOUT ROWID""",
        "CREATE INDEX conversations_updated ON conversations (updated_at)",
    ),
    (  # 2: when a conversation began; an index for delete_by_user
        "ALTER TABLE conversations ADD COLUMN created_at REAL",
        "UPDATE conversations SET created_at = updated_at WHERE created_at IS NULL",
        "CREATE INDEX conversations_user ON conversations (platform, user_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


async def schema_version(db: aiosqlite.Connection) -> int:
    await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    async with db.execute("SELECT version FROM schema_version") as cursor:
        row = await cursor.fetchone()
    if row is None:
        await db.execute("INSERT INTO schema_version (version) VALUES (0)")
        return 0
    return int(row[0])


async def migrate(db: aiosqlite.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to `target`; returns the version it started from."""
    start = await schema_version(db)
    if start > SCHEMA_VERSION:
        raise StoreError(
            f"store schema version {start} is newer than this aftertwitch knows "
            f"({SCHEMA_VERSION}); upgrade aftertwitch or use another store file"
        )
    for version in range(start, target):
        await db.execute("BEGIN IMMEDIATE")
        try:
            for statement in MIGRATIONS[version]:
                await db.execute(statement)
            await db.execute("UPDATE schema_version SET version = ?", (version + 1,))
        except BaseException:
            await db.execute("ROLLBACK")
            raise
        await db.execute("COMMIT")
    if start and start < target:
        log.info("store schema migrated from version %d to %d", start, target)
    return start


class SQLiteStore:
    """One aiosqlite connection in autocommit mode; every write is its own transaction."""

    def __init__(self, db: aiosqlite.Connection, path: Path, ttl_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.path = path
        self._ttl = ttl_seconds
        self._clock = clock
        self._lock = asyncio.Lock()  # one statement or transaction at a time on the connection

    @classmethod
    async def open(cls, path: Path, ttl_seconds: float,
                   clock: Callable[[], float] = time.time) -> SQLiteStore:
        memory = str(path) == ":memory:"
        if not memory:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open: {exc}") from None
        try:
            await db.execute("PRAGMA busy_timeout = 5000")
            if not memory:
                async with db.execute("PRAGMA journal_mode = WAL") as cursor:
                    row = await cursor.fetchone()
                if row is None or str(row[0]).lower() != "wal":
                    log.warning("%s: WAL mode not available", path)
            # WAL + NORMAL: a committed write survives the process being killed.
            await db.execute("PRAGMA synchronous = NORMAL")
            await migrate(db)
        except sqlite3.DatabaseError as exc:
            await db.close()
            raise StoreError(f"{path}: not a usable aftertwitch store: {exc}") from None
        except BaseException:
            await db.close()
            raise
        store = cls(db, path, ttl_seconds, clock)
        await store.expire()
        return store

    async def _run(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._lock:
            cursor = await self._db.execute(sql, tuple(params))
            count = cursor.rowcount
            await cursor.close()
            return count

    async def get(self, key: ConversationKey) -> str | None:
        async with self._lock, self._db.execute(
            "SELECT state, updated_at FROM conversations "
            "WHERE platform = ? AND chat_id = ? AND user_id = ?",
            (key.platform, key.chat_id, key.user_id),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        if row[1] < self._clock() - self._ttl:
            await self.delete(key)
            return None
        return str(row[0])

    async def put(self, key: ConversationKey, data: str) -> None:
        now = self._clock()
        await self._run(
            "INSERT INTO conversations (platform, chat_id, user_id, state, updated_at, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, chat_id, user_id) DO UPDATE SET"
            " state = excluded.state, updated_at = excluded.updated_at",
            (key.platform, key.chat_id, key.user_id, data, now, now),
        )

    async def delete(self, key: ConversationKey) -> bool:
        return bool(await self._run(
            "DELETE FROM conversations WHERE platform = ? AND chat_id = ? AND user_id = ?",
            (key.platform, key.chat_id, key.user_id),
        ))

    async def delete_by_user(self, platform: str, user_id: str) -> int:
        return await self._run(
            "DELETE FROM conversations WHERE platform = ? AND user_id = ?", (platform, user_id)
        )

    async def delete_chat(self, platform: str, chat_id: str) -> int:
        return await self._run(
            "DELETE FROM conversations WHERE platform = ? AND chat_id = ?", (platform, chat_id)
        )

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> int:
        if old_chat_id == new_chat_id:
            return 0
        params = {"p": platform, "old": old_chat_id, "new": new_chat_id}
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                await self._db.execute(
                    "DELETE FROM conversations WHERE platform = :p AND chat_id = :new AND EXISTS"
                    " (SELECT 1 FROM conversations o WHERE o.platform = :p AND o.chat_id = :old"
                    " AND o.user_id = conversations.user_id"
                    " AND o.updated_at > conversations.updated_at)", params)
                cursor = await self._db.execute(
                    "UPDATE OR IGNORE conversations SET chat_id = :new"
                    " WHERE platform = :p AND chat_id = :old", params)
                moved = cursor.rowcount
                await self._db.execute(
                    "DELETE FROM conversations WHERE platform = :p AND chat_id = :old", params)
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")
        return moved

    async def expire(self) -> int:
        count = await self._run(
            "DELETE FROM conversations WHERE updated_at < ?", (self._clock() - self._ttl,)
        )
        if count:
            log.info("expired %d stored conversations", count)
        return count

    async def close(self) -> None:
        await self._db.close()
