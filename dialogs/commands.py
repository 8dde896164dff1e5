"""The bot's commands and their one-line descriptions, for every adapter's command menu."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CommandInfo:
    name: str
    description: str
    private: bool = True
    group: bool = True


COMMANDS: tuple[CommandInfo, ...] = (
    CommandInfo("start", "Start here: tell me what's twitching"),
    CommandInfo("twitch", "Describe your twitch, e.g. /twitch calves after leg day", private=False),
    CommandInfo("help", "What I can do and how to ask"),
    CommandInfo("causes", "The ten common causes of twitching after exercise"),
    CommandInfo("faq", "Common questions: is it normal, when to worry..."),
    CommandInfo("selfcare", "Things you can do now to calm a twitch"),
    CommandInfo("prevent", "How to stop it coming back"),
    CommandInfo("forget", "Delete what I remember about our chat"),
    CommandInfo("about", "Who I am, my sources, and that I'm not a doctor"),
)

COMMAND_NAMES: frozenset[str] = frozenset(c.name for c in COMMANDS)
