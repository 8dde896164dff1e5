"""The console adapter: rendering, the scriptable mode (design.md §5) and the terminal mode."""

from __future__ import annotations

import os
import pty
import queue
import re
import select
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from adapters.console import ConsoleChat, render
from dialogs.service import DialogService
from dialogs.store_memory import MemoryStore
from dialogs.stores import DAY
from dialogs.types import Bullets, Choice, Disclaimer, Reply, ReplyKind, Text, Warning
from knowledge import Knowledge

ROOT = Path(__file__).resolve().parent.parent
WAIT = 60
CHOICE_LINE = re.compile(r"^\[(\d+)\] \S")


def env_for(store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AFTERTWITCH_", "TELEGRAM_", "DISCORD_"))}
    env.update(PYTHONPATH=str(ROOT), AFTERTWITCH_STORE=f"sqlite:///{store}",
               AFTERTWITCH_LOG_LEVEL="WARNING")
    return env


def chat(tmp_path: Path, lines: list[str], *args: str) -> tuple[int, list[list[str]], str]:
    """Run `aftertwitch chat` on a pipe; returns exit status, records, stderr."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", *args], cwd=tmp_path,
        env=env_for(tmp_path / "state.sqlite3"), input="".join(f"{x}\n" for x in lines),
        capture_output=True, text=True, encoding="utf-8", timeout=WAIT, check=False,
    )
    records: list[list[str]] = []
    current: list[str] = []
    for line in proc.stdout.split("\n")[:-1]:
        if line == "":
            records.append(current)
            current = []
        else:
            current.append(line)
    assert current == [], f"output does not end with an empty line: {proc.stdout!r}"
    return proc.returncode, records, proc.stderr


def choices(record: list[str]) -> list[int]:
    return [int(m.group(1)) for line in record if (m := CHOICE_LINE.match(line))]


def test_render_is_plain_and_has_no_empty_line() -> None:
    reply = Reply(
        ReplyKind.COMPLAINT,
        (Warning("see_doctor", "Check it\n\nsoon", "Title"), Text("a\n\nb", strong=True),
         Bullets(("x", "y\nz"), title="List"), Disclaimer("not a doctor")),
        (Choice("why:fatigue", "Why?"), Choice("worry", "Worry?")),
        handoff="adv-c_fatigue",
    )
    lines = render(reply)
    assert "" not in lines
    assert lines[0].startswith("!! IMPORTANT: Title")
    assert lines[-3:] == ["[1] Why?", "[2] Worry?", "(continue in private: /start adv-c_fatigue)"]
    assert "- y z" in lines


async def test_console_in_process(knowledge: Knowledge) -> None:
    service = DialogService(knowledge, MemoryStore(DAY))
    console = ConsoleChat(service, user="zoe")
    out = await console.handle("my calves keep twitching after leg day\n")
    assert choices(out) == [1, 2, 3, 4]
    assert (await console.handle("9")) == ["Pick a choice from 1 to 4."]
    detail = await console.handle("1")
    assert knowledge.cause("fatigue").why.split(".")[0] in " ".join(detail)
    assert choices(await console.handle("/causes")) == list(range(1, 11))
    assert (await console.handle("/forget"))[0]
    off = await console.handle("haha")
    assert (await console.handle("1")) == ["The last reply has no choices to pick from."]
    assert off and not choices(off)


def test_scriptable_session(tmp_path: Path, knowledge: Knowledge) -> None:
    lines = [
        "my calves keep twitching after leg day",
        "1",  # why
        "2",  # when should I worry (the why reply offers prevent, worry, more)
        "/prevent",
        "42",
        "/nonsense",
        "",
        "💪🔥",
        "<b>*markup*</b> `code` & stuff",
    ]
    status, records, stderr = chat(tmp_path, lines, "--user", "sam")
    assert status == 0, stderr
    assert len(records) == len(lines)  # one record per message, in order
    complaint, why, worry, prevent, bad_number, unknown, empty, emoji, markup = records
    assert choices(complaint) == [1, 2, 3, 4]
    assert knowledge.cause("fatigue").summary in " ".join(complaint)
    assert knowledge.cause("fatigue").why.split(".")[0] in " ".join(why)
    assert knowledge.question("concern").answer.split(".")[0] in " ".join(worry)
    assert knowledge.question("prevent").answer.split(".")[0] in " ".join(prevent)
    assert len(unknown) == 1 and "/help" in unknown[0]
    assert bad_number == ["Pick a choice from 1 to 2."]
    assert empty and emoji and markup
    assert not any("<b>" in line or "`" in line for r in records for line in r)


def test_second_run_continues(tmp_path: Path, knowledge: Knowledge) -> None:
    status, [clarify], _ = chat(tmp_path, ["my calf is twitching"], "--user", "ann")
    assert status == 0 and len(choices(clarify)) == 10
    status, [answer], _ = chat(tmp_path, ["3"], "--user", "ann")  # "Skipped warm-up"
    assert status == 0 and knowledge.cause("warmup").title in " ".join(answer)
    status, [other], _ = chat(tmp_path, ["3"], "--user", "ben")  # ben has no menu
    assert other == ["The last reply has no choices to pick from."]


def test_group_mode(tmp_path: Path) -> None:
    lines = [
        "anyone up for deadlifts later?",
        "my calves twitch after leg day",
        "@aftertwitch my calves keep twitching after leg day",
        "/faq",
        "@aftertwitch which pre-workout do you recommend?",
    ]
    status, records, stderr = chat(tmp_path, lines, "--user", "kim", "--chat", "gym", "--group")
    assert status == 0, stderr
    chatter, unaddressed, complaint, faq, off_topic = records
    assert chatter == [] and unaddressed == []  # silence: an empty record
    assert complaint[-1].startswith("(continue in private: /start adv-")
    assert not choices(complaint) and not choices(faq)
    assert faq[-1].startswith("(continue in private: /start faq")
    assert len(off_topic) == 1


def test_group_handoff_continues_in_private(tmp_path: Path, knowledge: Knowledge) -> None:
    _, [reply], _ = chat(tmp_path, ["@aftertwitch my calves keep twitching after leg day"],
                         "--user", "lee", "--chat", "gym", "--group")
    start = reply[-1].removeprefix("(continue in private: ").removesuffix(")")
    _, [private], _ = chat(tmp_path, [start], "--user", "lee")
    assert knowledge.cause("fatigue").summary in " ".join(private)
    assert choices(private) == [1, 2, 3, 4]


@pytest.mark.skipif(not hasattr(pty, "openpty"), reason="needs a pseudo-terminal")
def test_interactive_terminal(tmp_path: Path, knowledge: Knowledge) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "tty"], cwd=tmp_path,
        env=env_for(tmp_path / "state.sqlite3"), stdin=slave, stdout=slave, stderr=slave,
        close_fds=True,
    )
    os.close(slave)
    chunks: queue.Queue[bytes] = queue.Queue()

    def pump() -> None:
        while True:
            ready, _, _ = select.select([master], [], [], WAIT)
            if not ready:
                break
            try:
                data = os.read(master, 4096)
            except OSError:
                break
            if not data:
                break
            chunks.put(data)
        chunks.put(b"")

    threading.Thread(target=pump, daemon=True).start()
    seen = b""

    def until(marker: bytes) -> bytes:
        nonlocal seen
        while marker not in seen:
            data = chunks.get(timeout=WAIT)
            if not data:
                raise AssertionError(f"terminal closed before {marker!r}: {seen!r}")
            seen += data
        before, _, seen = seen.partition(marker)
        return before

    greeting = until(b"> ")  # a new conversation opens with the greeting and a prompt
    assert b"[1]" in greeting
    os.write(master, b"my calves keep twitching after leg day\n")
    complaint = until(b"> ")
    assert b"[4]" in complaint
    os.write(master, b"3\n")
    worry = until(b"> ").decode()
    assert knowledge.question("concern").answer.split(".")[0] in " ".join(worry.split())
    os.write(master, b"\x04")  # Ctrl-D
    assert proc.wait(timeout=WAIT) == 0
    os.close(master)
