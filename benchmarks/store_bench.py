"""Conversation store figures: state size in bytes, and get/put per second (SQLite, memory).

Run: python benchmarks/store_bench.py [--n 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dialogs.machine import step
from dialogs.state import DialogState
from dialogs.store_memory import MemoryStore
from dialogs.store_sqlite import SQLiteStore
from dialogs.stores import DAY, Store
from dialogs.types import ChatKind, ConversationKey, IncomingMessage
from knowledge import load_knowledge
from knowledge.matcher import Matcher


def typical_states() -> dict[str, str]:
    """States after real turns: a new one, a clarifying question open, a full conversation."""
    knowledge = load_knowledge()
    matcher = Matcher(knowledge)
    out: dict[str, str] = {}
    state = DialogState()
    turns = [
        ("clarifying", "my calf is twitching"),
        ("advised", "I barely drank anything and skipped my warm up after leg day"),
        ("see_doctor", "it's been three weeks now"),
    ]
    for label, text in turns:
        msg = IncomingMessage(platform="telegram", chat_id="123456789", user_id="123456789",
                              chat_kind=ChatKind.PRIVATE, text=text)
        new, _ = step(state, msg, knowledge, matcher)
        assert new is not None
        state = new.stamped(time.time())
        out[label] = state.to_json()
    return out


async def rate(store: Store, data: str, n: int) -> tuple[float, float, float]:
    """put/s over n distinct conversations, get/s over them, and put/s of one conversation."""
    keys = [ConversationKey("telegram", str(-1000 - i % 50), str(i)) for i in range(n)]
    start = time.perf_counter()
    for key in keys:
        await store.put(key, data)
    puts = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for key in keys:
        assert await store.get(key) is not None
    gets = n / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(n):
        await store.put(keys[0], data)
    same = n / (time.perf_counter() - start)
    return puts, gets, same


async def main(n: int) -> None:
    states = typical_states()
    print("state size (JSON bytes):")
    for label, data in states.items():
        print(f"  {label:<11} {len(data.encode()):>5}")
    data = states["see_doctor"]
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = await SQLiteStore.open(Path(tmp) / "bench.sqlite3", 30 * DAY)
        memory = MemoryStore(30 * DAY)
        print(f"\nops per second, {n} conversations, state of {len(data)} bytes:")
        print(f"  {'store':<8} {'put (new)':>10} {'get':>10} {'put (same)':>11}")
        for name, store in (("sqlite", sqlite), ("memory", memory)):
            puts, gets, same = await rate(store, data, n)
            print(f"  {name:<8} {puts:>10,.0f} {gets:>10,.0f} {same:>11,.0f}")
            await store.close()
    print("\n(SQLite: WAL, synchronous=NORMAL, one aiosqlite connection, each put committed)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5000, help="operations per measurement")
    asyncio.run(main(parser.parse_args().n))
