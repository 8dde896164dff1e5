"""Conversation scripts (tests/conversations/*.yaml) through the real engine and SQLite store.

A script is a YAML mapping: `name`, optional `chat: private|group` (default private), and
`steps`, each one action plus an optional `expect`:

- `say: TEXT` (`addressed: false` for group chatter; `repeat: N` sends TEXT N times over),
  `command: NAME` (+ `text: ARG`; `$handoff` stands for this user's last hand-off payload,
  `$handoff:NAME` for member NAME's: a link someone else got, pressed by this user),
  `press: N | TAG` (the N-th choice, or the first whose tag is TAG, of this user's last reply
  with choices), `press_id: RAW`, `press_again: true` (the last pressed id once more),
  `media: KIND`, `restart: true` (reopen service and store), `wait_days: N`;
- `user: NAME` on any step speaks as another member (default `u1`); `private: true` sends the
  step in that user's private chat even in a group script;
- `expect`: `silent`, `kind`, `causes` (exact), `causes_include`, `top_cause`, `triage`,
  `question`, `choices` (tags that must be there), `no_choices`, `choice_count`,
  `warning` (level of the first block, or null), `only_warning`, `disclaimer`, `handoff`,
  `max_chars` (of the plain text), `text_excludes` (strings the reply must not contain),
  `stored` (whether the store holds this conversation).

A choice's tag is its id's action (`why`, `prevent`, `worry`, `more`, `care`), or action and
argument for the others (`clar:heat`, `cause:fatigue`, `q:concern`, `list:faq`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dialogs.actions import parse_choice
from dialogs.service import DialogService
from dialogs.store_sqlite import SQLiteStore
from dialogs.stores import DAY
from dialogs.types import ChatKind, Disclaimer, IncomingMessage, Reply, Warning
from knowledge import Knowledge

SCRIPTS = sorted((Path(__file__).parent / "conversations").glob("*.yaml"))
STEP_KEYS = {"say", "command", "press", "press_id", "press_again", "media", "restart",
             "wait_days"}
EXPECT_KEYS = {"silent", "kind", "causes", "causes_include", "top_cause", "triage", "question",
               "choices", "no_choices", "choice_count", "warning", "only_warning", "disclaimer",
               "handoff", "max_chars", "text_excludes", "stored"}


def tag(choice_id: str) -> str:
    action = parse_choice(choice_id)
    assert action is not None, choice_id
    if action.name in ("why", "prevent", "worry", "more", "care"):
        return action.name
    return f"{action.name}:{action.args[0]}"


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


class Runner:
    """Drives one script against a DialogService over a real SQLite file."""

    def __init__(self, knowledge: Knowledge, path: Path, group: bool) -> None:
        self.knowledge = knowledge
        self.path = path
        self.group = group
        self.clock = Clock()
        self.service: DialogService | None = None
        self.last_choices: dict[str, tuple[str, ...]] = {}
        self.last_pressed: dict[str, str] = {}
        self.last_handoff: dict[str, str] = {}

    async def open(self) -> None:
        store = await SQLiteStore.open(self.path, 30 * DAY, clock=self.clock)
        self.service = DialogService(self.knowledge, store, clock=self.clock)

    async def close(self) -> None:
        if self.service is not None:
            await self.service.store.close()
            self.service = None

    def message(self, user: str, step: dict[str, Any], **fields: Any) -> IncomingMessage:
        group = self.group and not step.get("private")
        return IncomingMessage(
            platform="test", chat_id="group-1" if group else f"dm-{user}",
            chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE, user_id=user,
            addressed=step.get("addressed", True), **fields,
        )

    def pick(self, user: str, press: int | str) -> str:
        choices = self.last_choices.get(user, ())
        if isinstance(press, int):
            assert 1 <= press <= len(choices), f"no choice {press} in {choices}"
            return choices[press - 1]
        found = [c for c in choices if tag(c) == press]
        assert found, f"no choice tagged {press!r} in {choices}"
        return found[0]

    async def run_step(self, step: dict[str, Any]) -> list[Reply] | None:
        user = step.get("user", "u1")
        if step.get("restart"):
            await self.close()
            await self.open()
            return None
        if "wait_days" in step:
            self.clock.now += step["wait_days"] * DAY
            return None
        if "say" in step:
            msg = self.message(user, step, text=str(step["say"]) * step.get("repeat", 1))
        elif "command" in step:
            text = str(step.get("text", ""))
            if text == "$handoff" or text.startswith("$handoff:"):
                text = self.last_handoff[text.partition(":")[2] or user]
            msg = self.message(user, step, command=step["command"], text=text)
        elif "media" in step:
            msg = self.message(user, step, media=step["media"])
        else:
            if "press" in step:
                raw = self.pick(user, step["press"])
            elif "press_id" in step:
                raw = step["press_id"]
            else:
                raw = self.last_pressed[user]
            self.last_pressed[user] = raw
            msg = self.message(user, step, choice=raw)
        assert self.service is not None
        replies = await self.service.on_message(msg)
        for reply in replies:
            if reply.choices:
                self.last_choices[user] = tuple(c.id for c in reply.choices)
            if reply.handoff:
                self.last_handoff[user] = reply.handoff
        return replies

    async def check(self, where: str, step: dict[str, Any], replies: list[Reply]) -> None:
        expect: dict[str, Any] = step.get("expect", {})
        unknown = set(expect) - EXPECT_KEYS
        assert not unknown, f"{where}: unknown expect keys {unknown}"
        if "stored" in expect:
            user = step.get("user", "u1")
            key = self.message(user, step).key
            assert self.service is not None
            stored = await self.service.store.get(key)
            assert (stored is not None) == expect["stored"], f"{where}: stored={stored!r}"
        if expect.get("silent"):
            assert replies == [], f"{where}: expected silence, got {replies}"
            return
        if set(expect) <= {"stored"}:
            return
        assert len(replies) == 1, f"{where}: expected one reply, got {len(replies)}"
        r = replies[0]
        text = r.plain_text()
        info = f"{where}: {r.kind} causes={r.causes} triage={r.triage} q={r.question}\n{text}"
        choice_tags = [tag(c.id) for c in r.choices]
        checks = {
            "kind": lambda v: r.kind.value == v,
            "causes": lambda v: list(r.causes) == v,
            "causes_include": lambda v: set(v) <= set(r.causes),
            "top_cause": lambda v: bool(r.causes) and r.causes[0] == v,
            "triage": lambda v: r.triage == v,
            "question": lambda v: r.question == v,
            "choices": lambda v: set(v) <= set(choice_tags),
            "no_choices": lambda v: (not r.choices) == v,
            "choice_count": lambda v: len(r.choices) == v,
            "warning": lambda v: (r.blocks[0].level if isinstance(r.blocks[0], Warning)
                                  else None) == v,
            "only_warning": lambda v: (len(r.blocks) == 1 and isinstance(r.blocks[0], Warning))
                                      == v,
            "disclaimer": lambda v: any(isinstance(b, Disclaimer) for b in r.blocks) == v,
            "handoff": lambda v: (r.handoff is not None) == v,
            "max_chars": lambda v: len(text) <= v,
            "text_excludes": lambda v: not any(x in text for x in v),
        }
        for name, value in expect.items():
            if name in checks:
                assert checks[name](value), f"{name}={value!r}; choices={choice_tags}\n{info}"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SCRIPTS, ids=[p.stem for p in SCRIPTS])
async def test_conversation(path: Path, tmp_path: Path, knowledge: Knowledge) -> None:
    script = load(path)
    assert script.get("name") and script.get("steps"), f"{path.name}: needs name and steps"
    runner = Runner(knowledge, tmp_path / "state.sqlite3", script.get("chat") == "group")
    await runner.open()
    try:
        for n, step in enumerate(script["steps"], 1):
            actions = STEP_KEYS & set(step)
            assert len(actions) == 1, f"{path.name} step {n}: one action of {sorted(STEP_KEYS)}"
            replies = await runner.run_step(step)
            if replies is not None:
                await runner.check(f"{path.name} step {n}", step, replies)
    finally:
        await runner.close()


def test_enough_scripts() -> None:
    assert len(SCRIPTS) >= 25
