"""One conversation's dialog state: only ids, counters and timestamps, as versioned JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from knowledge.result import TRIAGE_ORDER

STATE_VERSION = 1
_ID_RE = re.compile(r"^[a-z0-9_]{1,40}$")
_MAX_IDS = 16


class Phase(StrEnum):
    """Where the conversation is (the states of dialogs.machine's transition table)."""

    IDLE = "idle"  # nothing open: waiting for a complaint or a question
    CLARIFY_1 = "clarify_1"  # the first clarifying question is open
    CLARIFY_2 = "clarify_2"  # the second (and last) clarifying question is open
    ADVISED = "advised"  # a complaint was answered: its causes can be explored
    URGENT = "urgent"  # the last thing said was urgent advice


class StateError(ValueError):
    """A stored state that can't be read (corrupt, or from a newer version)."""


@dataclass(frozen=True, slots=True)
class DialogState:
    """What the engine needs to go on with one conversation. Never any message text.

    `turn` counts handled messages (0: a new conversation); `menu` holds the choice ids of the
    last reply that had choices and `menu_turn` the turn it was given at, so buttons and typed
    numbers can be matched to it after a restart.
    """

    phase: Phase = Phase.IDLE
    causes: tuple[str, ...] = ()
    triage: str = "self_care"
    warnings: tuple[str, ...] = ()
    question: str | None = None
    disclaimer_shown: bool = False
    turn: int = 0
    menu: tuple[str, ...] = ()
    menu_turn: int = 0
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def is_new(self) -> bool:
        return self.turn == 0

    def raise_triage(self, level: str, warnings: tuple[str, ...] = ()) -> DialogState:
        """Triage only goes up within a conversation; warning signs accumulate."""
        triage = max(self.triage, level, key=TRIAGE_ORDER.__getitem__)
        merged = self.warnings + tuple(w for w in warnings if w not in self.warnings)
        return replace(self, triage=triage, warnings=merged[-_MAX_IDS:])

    def stamped(self, now: float) -> DialogState:
        return replace(self, created_at=self.created_at or now, updated_at=now)

    def to_json(self) -> str:
        data: dict[str, Any] = {"v": STATE_VERSION, **asdict(self)}
        data["phase"] = self.phase.value
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | bytes) -> DialogState:
        """Read a stored state, migrating older versions; raises StateError when it can't."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise StateError(f"not JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict) or not isinstance(data.get("v"), int):
            raise StateError("no version")
        version = data.pop("v")
        if version > STATE_VERSION:
            raise StateError(f"state version {version} is newer than {STATE_VERSION}")
        while version < STATE_VERSION:
            if version not in MIGRATIONS:
                raise StateError(f"no migration from state version {version}")
            data = MIGRATIONS[version](data)
            version += 1
        return _validated(data)


# MIGRATIONS[n] turns a version-n dict (without "v") into a version n+1 dict.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def _ids(value: Any, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > _MAX_IDS:
        raise StateError(f"{name}: not a short list")
    if not all(isinstance(v, str) and _ID_RE.match(v) for v in value):
        raise StateError(f"{name}: bad id")
    return tuple(value)


def _validated(data: dict[str, Any]) -> DialogState:
    try:
        phase = Phase(data.get("phase", "idle"))
    except ValueError:
        raise StateError("unknown phase") from None
    triage = data.get("triage", "self_care")
    if triage not in TRIAGE_ORDER:
        raise StateError("unknown triage level")
    question = data.get("question")
    if question is not None and not (isinstance(question, str) and _ID_RE.match(question)):
        raise StateError("bad question id")
    menu = data.get("menu", [])
    if not isinstance(menu, list) or len(menu) > 32 or not all(
        isinstance(m, str) and len(m) <= 64 for m in menu
    ):
        raise StateError("bad menu")
    numbers = {k: data.get(k, 0) for k in ("turn", "menu_turn", "created_at", "updated_at")}
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and v >= 0
               for v in numbers.values()):
        raise StateError("bad counters")
    return DialogState(
        phase=phase,
        causes=_ids(data.get("causes", []), "causes"),
        triage=triage,
        warnings=_ids(data.get("warnings", []), "warnings"),
        question=question,
        disclaimer_shown=bool(data.get("disclaimer_shown", False)),
        turn=int(numbers["turn"]),
        menu=tuple(menu),
        menu_turn=int(numbers["menu_turn"]),
        created_at=float(numbers["created_at"]),
        updated_at=float(numbers["updated_at"]),
    )
