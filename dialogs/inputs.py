"""Free text as it arrives: cleaned, bounded, and sorted into readable or not."""

from __future__ import annotations

import unicodedata
from enum import StrEnum

MAX_CHARS = 2000  # the matcher reads at most this much of one message
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Co"})  # not Cn: new emoji may be unassigned here


class Problem(StrEnum):
    EMPTY = "empty"
    NO_WORDS = "no_words"  # emoji, symbols or punctuation only
    UNREADABLE = "unreadable"  # binary-ish: control characters, undecodable bytes


def clean(text: str) -> tuple[str, Problem | None]:
    """The text to match (control characters gone, at most MAX_CHARS) and its problem, if any."""
    sample = text[: MAX_CHARS * 2]
    if not sample.strip():
        return "", Problem.EMPTY
    bad = sum(
        1
        for ch in sample
        if ch == "\ufffd" or (unicodedata.category(ch) in _BAD_CATEGORIES and ch not in "\n\t\r")
    )
    if bad / len(sample) > 0.2:
        return "", Problem.UNREADABLE
    kept = "".join(
        ch if ch == "\n" or (unicodedata.category(ch) not in _BAD_CATEGORIES and ch != "\ufffd")
        else " "
        for ch in sample
    )
    # Spaces fold, but a line break stays: the matcher reads it as the end of a sentence.
    lines = (" ".join(line.split()) for line in kept.splitlines())
    kept = "\n".join(line for line in lines if line)[:MAX_CHARS]
    if not any(ch.isalnum() for ch in kept):
        return "", Problem.NO_WORDS
    return kept, None
