"""The `aftertwitch` command line: check, match, chat, telegram, discord."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from pydantic import ValidationError

from bot import __version__
from bot.config import Settings, load_settings
from bot.logs import setup_logging
from knowledge import Knowledge, KnowledgeError, load_knowledge

log = logging.getLogger(__name__)

MAX_LINE_BYTES = 1 << 20  # a longer --jsonl line is cut here; it still gets its one answer


class UsageError(Exception):
    """A one-line problem the user can fix; the CLI prints it and exits 2."""


def _settings() -> Settings:
    try:
        return load_settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "configuration"
        raise UsageError(f"configuration: {name}: {err['msg']}") from None


def _knowledge(path: str | None, settings: Settings | None = None) -> Knowledge:
    folder = path or (settings.knowledge_dir if settings else None)
    return load_knowledge(folder)


def _read_lines(stream: BinaryIO) -> Iterator[str]:
    """One str per input line, split on \\n only, so every line gets exactly one answer."""
    for raw in stream:
        line = raw[:MAX_LINE_BYTES]
        if line.endswith(b"\n"):
            line = line[:-1]
        if line.endswith(b"\r"):
            line = line[:-1]
        yield line.decode("utf-8", errors="replace")


def cmd_check(args: argparse.Namespace) -> int:
    from knowledge.check import reachability_problems

    knowledge = _knowledge(args.path)
    problems = reachability_problems(knowledge, args.path)
    if problems:
        raise KnowledgeError(*problems[0])
    n_phrases = sum(len(c.phrases) + len(c.cues) for c in knowledge.causes)
    urgent = [w for w in knowledge.warnings if w.level == "urgent"]
    safety = [w for w in knowledge.warnings if w.source == "safety"]
    print(f"ok: {args.path or 'shipped knowledge'}")
    print(f"  causes: {len(knowledge.causes)} ({n_phrases} phrases and cues)")
    print(f"  questions: {len(knowledge.questions)} "
          f"({sum(len(q.paraphrases) for q in knowledge.questions)} paraphrases)")
    print(f"  self-care steps: {len(knowledge.self_care)}; prevention tips: "
          f"{len(knowledge.prevention)}")
    print(f"  warning signs: {len(knowledge.warnings)} ({len(knowledge.warnings) - len(urgent)} "
          f"see_doctor, {len(urgent)} urgent; {len(safety)} marked source: safety)")
    return 0


def cmd_match(args: argparse.Namespace) -> int:
    if args.jsonl and args.text:
        raise UsageError("match: give TEXT or --jsonl (lines on standard input), not both")
    if not args.jsonl and not args.text:
        raise UsageError("match: give the message as TEXT, or use --jsonl with lines on stdin")
    from knowledge.cache import load_matcher

    settings = _settings()
    matcher = load_matcher(args.knowledge or settings.knowledge_dir, cache_dir=settings.cache_dir,
                           use_cache=settings.use_cache)
    render: Callable[[str], Any] = matcher.explain if args.explain else (
        lambda text: matcher.match(text).to_json())
    if args.jsonl:
        out = sys.stdout
        for line in _read_lines(sys.stdin.buffer):
            out.write(json.dumps(render(line), ensure_ascii=False) + "\n")
        out.flush()
        return 0
    result = render(" ".join(args.text))
    print(json.dumps(result, ensure_ascii=False, indent=2 if args.explain else None))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings()
    from bot.run_chat import run

    return run(settings, user=args.user, chat=args.chat, group=args.group)


def cmd_telegram(_: argparse.Namespace) -> int:
    settings = _settings()
    from bot.run_telegram import run

    return run(settings)


def cmd_discord(_: argparse.Namespace) -> int:
    raise UsageError("discord: the Discord adapter is not built yet; use `aftertwitch chat` "
                     "or `aftertwitch telegram`")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aftertwitch",
        description="A chatbot for muscles that keep twitching after a workout.",
    )
    parser.add_argument("--version", action="version", version=f"aftertwitch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("check", help="validate a knowledge folder and print a summary")
    p.add_argument("path", nargs="?", help="knowledge folder (default: the shipped one)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("match", help="read one message, print the matcher's JSON")
    p.add_argument("text", nargs="*", help="the message (words are joined by spaces)")
    p.add_argument("--jsonl", action="store_true", help="one message per stdin line")
    p.add_argument("--explain", action="store_true", help="show why: phrases and scores")
    p.add_argument("--knowledge", help="knowledge folder (default: the shipped one)")
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("chat", help="talk to the bot in this terminal (no token needed)")
    p.add_argument("--user", help="whose conversation (default: your login name)")
    p.add_argument("--chat", help="which chat (default: a private chat)")
    p.add_argument("--group", action="store_true", help="make the chat a group")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("telegram", help="run the bot on Telegram (needs TELEGRAM_TOKEN)")
    p.set_defaults(func=cmd_telegram)
    p = sub.add_parser("discord", help="run the bot on Discord (not built yet)")
    p.set_defaults(func=cmd_discord)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse prints its own one-line usage error
        return 2 if exc.code not in (0, None) else 0
    if args.command is None:
        parser.print_help()
        return 2
    level = "WARNING"
    try:
        settings = load_settings()
        level = settings.log_level
        secrets = [s.get_secret_value() for s in (settings.telegram_token,
                                                  settings.discord_token) if s]
    except ValidationError:
        secrets = []
    setup_logging(level, secrets)
    try:
        return int(args.func(args) or 0)
    except (KnowledgeError, UsageError) as exc:
        print(f"aftertwitch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
