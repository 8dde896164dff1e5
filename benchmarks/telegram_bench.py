"""Updates per second through the real Telegram stack on loopback (PTB + adapter + fake API).

    .venv/bin/python benchmarks/telegram_bench.py [--updates 600] [--users 50]

For each configuration it pushes `--updates` private messages from `--users` users at once into
the fake Bot API server and measures the time until the bot has handled every one (getUpdates,
translation, the dialog service, rendering, sendMessage and the fake's checks), then the
round-trip latency of single messages. Configurations:

- adapter only: a scripted dialog service that echoes (the Telegram side's own cost);
- full stack: the real dialog service with an SQLite store in a temporary folder;
- full stack with the production rate limiter: capped by Telegram's flood limits (30 msg/s),
  so this shows the limiter at work rather than the stack's capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.telegram.app import DEFAULT_RATE_LIMITER
from bot.config import Settings
from bot.wiring import open_service
from dialogs.types import Conversations, IncomingMessage, Reply, ReplyKind, Text
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_harness import ScriptedConversations, TelegramHarness

MESSAGES = (
    "my calves keep twitching after leg day, barely drank anything",
    "is it normal to twitch after a workout?",
    "quads jumping since yesterday's squats, no warm-up",
    "/selfcare",
    "twitch",
)


@dataclass
class Figures:
    name: str
    updates: int
    seconds: float
    sent: int
    latency_ms: list[float]

    def line(self) -> str:
        rate = self.updates / self.seconds if self.seconds else float("inf")
        p50 = statistics.median(self.latency_ms)
        p95 = sorted(self.latency_ms)[int(len(self.latency_ms) * 0.95) - 1]
        return (
            f"{self.name:<42} {rate:8.1f} updates/s  ({self.updates} updates, "
            f"{self.sent} messages sent, {self.seconds:.2f} s)  latency p50 {p50:.1f} ms, "
            f"p95 {p95:.1f} ms"
        )


def echo(message: IncomingMessage) -> list[Reply]:
    return [Reply(ReplyKind.COMMAND, (Text(message.text or message.command or "?"),))]


@asynccontextmanager
async def scripted() -> AsyncIterator[Conversations]:
    yield ScriptedConversations(echo)


@asynccontextmanager
async def real_service() -> AsyncIterator[Conversations]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, AFTERTWITCH_STORE=f"sqlite:///{folder}/bench.sqlite3"
        )
        async with open_service(settings) as service:
            yield service


async def measure(
    name: str, engine: object, *, updates: int, users: int, limited: bool, probes: int
) -> Figures:
    rate_limiter = DEFAULT_RATE_LIMITER if limited else None
    async with (
        FakeTelegramAPI() as api,
        engine as conversations,  # type: ignore[attr-defined]
        TelegramHarness(api, conversations, rate_limiter=rate_limiter) as tg,
    ):
        people = [api.user(10_000 + n, f"user{n}") for n in range(users)]
        chats = [api.private_chat(person) for person in people]
        await tg.say(chats[0], people[0], "/start")  # warm-up
        start_calls = len(api.calls)
        started = time.perf_counter()
        pushed = [
            api.send_text(chats[n % users], people[n % users], MESSAGES[n % len(MESSAGES)])
            for n in range(updates)
        ]
        await tg.processed([p.update_id for p in pushed], within=600)
        seconds = time.perf_counter() - started
        sent = sum(1 for c in api.calls[start_calls:] if c.method == "sendMessage" and c.ok)
        latency = []
        for n in range(probes):
            began = time.perf_counter()
            await tg.say(chats[n % users], people[n % users], MESSAGES[n % len(MESSAGES)])
            latency.append((time.perf_counter() - began) * 1000)
    return Figures(name, updates, seconds, sent, latency)


async def main(updates: int, users: int, limited_updates: int) -> None:
    print(f"python-telegram-bot on loopback against the fake Bot API; {users} users\n")
    runs = [
        ("adapter only (scripted service)", scripted(), updates, False),
        ("full stack (dialog service, SQLite)", real_service(), updates, False),
        ("full stack + production rate limiter", real_service(), limited_updates, True),
    ]
    for name, engine, count, limited in runs:
        figures = await measure(
            name,
            engine,
            updates=count,
            users=users,
            limited=limited,
            probes=40 if not limited else 10,
        )
        print(figures.line(), flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--limited-updates",
        type=int,
        default=90,
        help="updates for the rate-limited run (about 30 per second)",
    )
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.users, args.limited_updates))
