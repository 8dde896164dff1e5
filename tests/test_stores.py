"""Both conversation stores behind one protocol; SQLite schema version, migration and WAL."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from dialogs.store_memory import MemoryStore
from dialogs.store_sqlite import SCHEMA_VERSION, SQLiteStore, migrate
from dialogs.stores import DAY, Store, StoreError, open_store, sqlite_path
from dialogs.types import ConversationKey


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock
                ) -> AsyncIterator[Store]:
    if request.param == "memory":
        s: Store = MemoryStore(DAY, clock)
    else:
        s = await SQLiteStore.open(tmp_path / "deep" / "er" / "state.sqlite3", DAY, clock)
    yield s
    await s.close()


def key(chat: str = "c1", user: str = "u1", platform: str = "telegram") -> ConversationKey:
    return ConversationKey(platform, chat, user)


async def test_get_put_delete(store: Store) -> None:
    assert await store.get(key()) is None
    await store.put(key(), '{"v":1}')
    await store.put(key(), '{"v":1,"turn":2}')
    assert await store.get(key()) == '{"v":1,"turn":2}'
    assert await store.get(key(user="u2")) is None
    assert await store.delete(key()) is True
    assert await store.delete(key()) is False
    assert await store.get(key()) is None


async def test_keys_are_separate_per_platform_chat_user(store: Store) -> None:
    keys = [key(), key(chat="c2"), key(user="u2"), key(platform="discord")]
    for n, k in enumerate(keys):
        await store.put(k, str(n))
    assert [await store.get(k) for k in keys] == ["0", "1", "2", "3"]


async def test_delete_by_user(store: Store) -> None:
    await store.put(key("c1", "u1"), "a")
    await store.put(key("c2", "u1"), "b")
    await store.put(key("c1", "u2"), "c")
    await store.put(key("c1", "u1", "discord"), "d")
    assert await store.delete_by_user("telegram", "u1") == 2
    assert await store.get(key("c1", "u2")) == "c"
    assert await store.get(key("c1", "u1", "discord")) == "d"


async def test_delete_chat(store: Store) -> None:
    await store.put(key("g", "u1"), "a")
    await store.put(key("g", "u2"), "b")
    await store.put(key("other", "u1"), "c")
    assert await store.delete_chat("telegram", "g") == 2
    assert await store.get(key("g", "u1")) is None
    assert await store.get(key("other", "u1")) == "c"


async def test_move_chat_newer_wins(store: Store, clock: Clock) -> None:
    await store.put(key("new", "u2"), "u2-new-older")
    await store.put(key("old", "u3"), "u3-old-older")
    clock.now += 10
    await store.put(key("old", "u1"), "u1-old")
    await store.put(key("old", "u2"), "u2-old-newer")
    clock.now += 10
    await store.put(key("new", "u3"), "u3-new-newer")
    assert await store.move_chat("telegram", "old", "new") == 2
    assert await store.get(key("old", "u1")) is None
    assert await store.get(key("old", "u3")) is None
    assert await store.get(key("new", "u1")) == "u1-old"
    assert await store.get(key("new", "u2")) == "u2-old-newer"
    assert await store.get(key("new", "u3")) == "u3-new-newer"
    assert await store.move_chat("telegram", "new", "new") == 0


async def test_move_chat_keeps_newer_target(store: Store, clock: Clock) -> None:
    await store.put(key("old", "u1"), "stale")
    clock.now += 5
    await store.put(key("new", "u1"), "fresh")
    assert await store.move_chat("telegram", "old", "new") == 0
    assert await store.get(key("new", "u1")) == "fresh"
    assert await store.get(key("old", "u1")) is None


async def test_expiry(store: Store, clock: Clock) -> None:
    await store.put(key(user="old"), "x")
    clock.now += DAY / 2
    await store.put(key(user="young"), "y")
    clock.now += DAY / 2 + 1
    assert await store.get(key(user="old")) is None  # expired even before a sweep
    assert await store.get(key(user="young")) == "y"
    await store.put(key(user="old2"), "z")
    clock.now += DAY + 1
    assert await store.expire() >= 1
    assert await store.get(key(user="old2")) is None


async def test_open_store_urls(tmp_path: Path) -> None:
    memory = await open_store("memory://", 30)
    assert isinstance(memory, MemoryStore)
    await memory.close()
    path = tmp_path / "a" / "b" / "state.sqlite3"
    sqlite = await open_store(f"sqlite:///{path}", 30)
    assert isinstance(sqlite, SQLiteStore) and path.exists()
    await sqlite.close()
    with pytest.raises(StoreError):
        await open_store("redis://localhost:6379/0", 30)
    with pytest.raises(StoreError):
        await open_store("ftp://x", 30)
    with pytest.raises(StoreError):
        await open_store("memory://", 0)


def test_sqlite_path_forms() -> None:
    assert sqlite_path("sqlite:///tmp/x.db") == Path("/tmp/x.db")
    assert sqlite_path("sqlite:////tmp/x.db") == Path("/tmp/x.db")
    assert sqlite_path("sqlite://x.db") == Path("x.db")
    with pytest.raises(StoreError):
        sqlite_path("sqlite://")


async def test_sqlite_wal_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await SQLiteStore.open(path, DAY)
    await store.put(key(), "x")
    await store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


async def test_sqlite_migrates_an_older_file(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    async with aiosqlite.connect(path, isolation_level=None) as db:
        assert await migrate(db, target=1) == 0
        await db.execute(
            "INSERT INTO conversations (platform, chat_id, user_id, state, updated_at)"
            " VALUES ('telegram', 'c1', 'u1', '{\"v\":1}', 5e9)"
        )
    store = await SQLiteStore.open(path, DAY, clock=lambda: 5e9)
    assert await store.get(key()) == '{"v":1}'
    await store.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT created_at FROM conversations").fetchone()[0] == 5e9
    indexes = {r[1] for r in db.execute("PRAGMA index_list(conversations)")}
    assert "conversations_user" in indexes
    db.close()


async def test_sqlite_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        await SQLiteStore.open(path, DAY)


async def test_sqlite_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match=str(path.name)):
        await SQLiteStore.open(path, DAY)


async def test_sqlite_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    store = await SQLiteStore.open(path, DAY)
    await store.put(key(), "kept")
    await store.close()
    again = await SQLiteStore.open(path, DAY)
    assert await again.get(key()) == "kept"
    await again.close()
