"""Kill-and-resume with a real subprocess; per-conversation ordering; the error boundary."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import queue
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dialogs.service import DialogService
from dialogs.store_memory import MemoryStore
from dialogs.stores import DAY
from dialogs.types import ChatKind, ConversationKey, IncomingMessage, ReplyKind
from knowledge import Knowledge
from knowledge.result import CauseHit, MatchResult

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60  # seconds: only a guard against a hung child, never a pacing delay


class Chat:
    """`aftertwitch chat` in a subprocess; records are read as they are printed."""

    def __init__(self, cwd: Path, store: Path, *args: str) -> None:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AFTERTWITCH_", "TELEGRAM_", "DISCORD_"))}
        env.update(PYTHONPATH=str(ROOT), AFTERTWITCH_STORE=f"sqlite:///{store}",
                   AFTERTWITCH_LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", *args], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def say(self, line: str) -> list[str]:
        """Send one line; wait for its whole record (up to the empty line)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        record: list[str] = []
        while True:
            got = self.lines.get(timeout=WAIT)
            if got is None:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                raise AssertionError(f"chat ended early: {record}\n{err}")
            if got == "":
                return record
            record.append(got)

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL: no cleanup, no flush, no close
        self.proc.wait(timeout=WAIT)

    def end(self) -> int:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        return self.proc.wait(timeout=WAIT)


def stored(store: Path, user: str) -> dict:
    db = sqlite3.connect(store)
    row = db.execute("SELECT state FROM conversations WHERE user_id = ?", (user,)).fetchone()
    db.close()
    assert row is not None
    return json.loads(row[0])


def test_sigkill_mid_conversation_resumes(tmp_path: Path, knowledge: Knowledge) -> None:
    store = tmp_path / "data" / "state.sqlite3"
    first = Chat(tmp_path, store, "--user", "alice")
    clarify = first.say("my calf is twitching")
    assert sum(line.startswith("[") for line in clarify) == 10
    assert knowledge.disclaimer.split(":")[0] in " ".join(clarify)
    first.kill()
    assert first.proc.returncode == -9
    state = stored(store, "alice")
    assert state["phase"] == "clarify_1" and len(state["menu"]) == 10

    second = Chat(tmp_path, store, "--user", "alice")
    answer = second.say("2")  # the second choice of the reply given before the kill
    assert knowledge.cause("dehydration").title in " ".join(answer)
    assert knowledge.disclaimer.split(":")[0] not in " ".join(answer)  # said once, before
    state = stored(store, "alice")
    assert state["phase"] == "advised" and state["causes"] == ["dehydration"]
    why = second.say("1")
    assert knowledge.cause("dehydration").why.split()[0] in " ".join(why)
    second.kill()

    third = Chat(tmp_path, store, "--user", "alice")
    again = third.say("2")  # "When should I worry?" of the last menu, across a second kill
    assert knowledge.question("concern").answer.split(".")[0] in " ".join(again)
    assert third.end() == 0


class Canned:
    def match(self, text: str) -> MatchResult:
        cause = {"one": "fatigue", "two": "dehydration"}.get(text.split(maxsplit=1)[0], "stress")
        return MatchResult(causes=(CauseHit(cause, 0.9),))


class Gated(MemoryStore):
    """A store whose next read of one user waits for an event."""

    def __init__(self) -> None:
        super().__init__(DAY)
        self.reads: list[str] = []
        self.hold: dict[str, tuple[asyncio.Event, asyncio.Event]] = {}

    async def get(self, key: ConversationKey) -> str | None:
        self.reads.append(key.user_id)
        if key.user_id in self.hold:
            entered, release = self.hold.pop(key.user_id)
            entered.set()
            await release.wait()
        return await super().get(key)


def message(user: str, text: str) -> IncomingMessage:
    return IncomingMessage(platform="test", chat_id=f"dm-{user}", chat_kind=ChatKind.PRIVATE,
                           user_id=user, text=text)


async def test_same_user_in_order_others_concurrently(knowledge: Knowledge) -> None:
    store = Gated()
    service = DialogService(knowledge, store, matcher=Canned())
    entered, release = asyncio.Event(), asyncio.Event()
    store.hold["alice"] = (entered, release)

    first = asyncio.create_task(service.on_message(message("alice", "one session")))
    await entered.wait()  # alice's first message is inside, holding her conversation
    second = asyncio.create_task(service.on_message(message("alice", "two drinks")))
    key = ConversationKey("test", "dm-alice", "alice")
    await asyncio.sleep(0)  # one step for the second task: it runs up to alice's lock
    assert service._locks.users(key) == 2  # ... and waits there

    bob = await service.on_message(message("bob", "one session"))  # not held up by alice
    assert bob[0].causes == ("fatigue",)
    assert not first.done() and not second.done()
    assert store.reads == ["alice", "bob"]  # alice's second message hasn't even read yet

    release.set()
    one, two = await first, await second
    assert one[0].causes == ("fatigue",)
    assert two[0].causes == ("dehydration", "fatigue")  # it saw the first message's state
    assert store.reads == ["alice", "bob", "alice"]
    assert len(service._locks) == 0  # no lock left behind


class Yielding(MemoryStore):
    """A store that gives control away inside every get and put (as a real database does),
    a different number of times per call, and records each operation in order."""

    def __init__(self) -> None:
        super().__init__(DAY)
        self.ops: list[tuple[str, str, int]] = []  # (op, user, turn read or written)
        self._calls = 0

    async def _yield(self) -> None:
        self._calls += 1
        for _ in range(1 + self._calls * 7 % 5):
            await asyncio.sleep(0)

    async def get(self, key: ConversationKey) -> str | None:
        await self._yield()
        raw = await super().get(key)
        self.ops.append(("get", key.user_id, json.loads(raw)["turn"] if raw else 0))
        await self._yield()
        return raw

    async def put(self, key: ConversationKey, data: str) -> None:
        await self._yield()
        await super().put(key, data)
        self.ops.append(("put", key.user_id, json.loads(data)["turn"]))
        await self._yield()


class Recording(Canned):
    def __init__(self) -> None:
        self.seen: list[str] = []

    def match(self, text: str) -> MatchResult:
        self.seen.append(text)
        return super().match(text)


async def test_many_messages_of_one_user_keep_their_order(knowledge: Knowledge) -> None:
    """Fifteen messages of one user at once, over a store that yields inside get and put:
    each is read, matched and written after the previous one was written, in arrival order,
    while another user's messages interleave freely."""
    store, matcher = Yielding(), Recording()
    service = DialogService(knowledge, store, matcher=matcher)
    texts = [f"{word} {n}" for n, word in enumerate(["one", "two", "three"] * 5)]
    others = [f"one other {n}" for n in range(5)]
    tasks = [service.on_message(message("carol", t)) for t in texts]
    tasks += [service.on_message(message("dan", t)) for t in others]
    replies = await asyncio.gather(*tasks)

    assert [t for t in matcher.seen if "other" not in t] == texts  # processed in arrival order
    carol = [(op, turn) for op, user, turn in store.ops if user == "carol"]
    # strictly one message at a time: read turn n, write turn n + 1, read turn n + 1, ...
    assert carol == [step for n in range(len(texts)) for step in (("get", n), ("put", n + 1))]
    users = [user for _, user, _ in store.ops]
    assert users != sorted(users, key=["carol", "dan"].index)  # dan was not held up by carol
    state = await service.load(ConversationKey("test", "dm-carol", "carol"))
    assert state.turn == len(texts)
    expected, causes = [], ()  # what one-at-a-time handling answers, cause merges included
    for t in texts:
        first = {"one": "fatigue", "two": "dehydration"}.get(t.split()[0], "stress")
        causes = tuple(dict.fromkeys((first, *causes)))[:3]
        expected.append(causes)
    assert [r[0].causes for r in replies[: len(texts)]] == expected


class Broken:
    def match(self, text: str) -> MatchResult:
        raise ZeroDivisionError("boom " + text)


async def test_a_failure_gets_a_polite_reply_and_a_log_without_text(
    knowledge: Knowledge, caplog: pytest.LogCaptureFixture
) -> None:
    service = DialogService(knowledge, MemoryStore(DAY), matcher=Broken())
    with caplog.at_level(logging.DEBUG):
        replies = await service.on_message(message("dave", "secret health detail"))
        ok = await service.on_message(IncomingMessage(
            platform="test", chat_id="dm-dave", chat_kind=ChatKind.PRIVATE, user_id="dave",
            command="help"))
    assert [r.kind for r in replies] == [ReplyKind.ERROR]
    assert ok[0].kind is ReplyKind.COMMAND  # the loop goes on
    assert "ZeroDivisionError" in caplog.text and "user=dave" in caplog.text
    assert "secret" not in caplog.text


async def test_text_is_logged_only_when_asked(knowledge: Knowledge,
                                              caplog: pytest.LogCaptureFixture) -> None:
    for log_text in (False, True):
        caplog.clear()
        service = DialogService(knowledge, MemoryStore(DAY), matcher=Canned(), log_text=log_text)
        with caplog.at_level(logging.DEBUG, logger="dialogs.service"):
            await service.on_message(message("erin", "one private words"))
        assert ("private words" in caplog.text) is log_text
        assert "user=erin" in caplog.text


async def test_chat_migrated_and_left(knowledge: Knowledge) -> None:
    store = MemoryStore(DAY)
    service = DialogService(knowledge, store, matcher=Canned())
    group = IncomingMessage(platform="telegram", chat_id="-100", chat_kind=ChatKind.GROUP,
                            user_id="u1", text="one session")
    await service.on_message(group)
    await service.on_chat_migrated("telegram", "-100", "-100200")
    assert await store.get(ConversationKey("telegram", "-100", "u1")) is None
    assert await store.get(ConversationKey("telegram", "-100200", "u1")) is not None
    await service.on_chat_left("telegram", "-100200")
    assert await store.get(ConversationKey("telegram", "-100200", "u1")) is None


async def test_unreadable_stored_state_starts_afresh(knowledge: Knowledge) -> None:
    store = MemoryStore(DAY)
    await store.put(ConversationKey("test", "dm-fay", "fay"), "{not json")
    service = DialogService(knowledge, store, matcher=Canned())
    replies = await service.on_message(message("fay", "one session"))
    assert replies[0].kind is ReplyKind.COMPLAINT
