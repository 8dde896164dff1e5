"""Deeper knowledge checks that need the matcher: every cause reachable by its own phrases."""

from __future__ import annotations

from pathlib import Path

from knowledge.loader import DATA_DIR, line_of
from knowledge.schema import Knowledge


def reachability_problems(
    knowledge: Knowledge, folder: str | Path | None = None
) -> list[tuple[str, int | None, str]]:
    """(file, line, message) for each cause that none of its own phrases ranks first."""
    from knowledge.matcher import Matcher

    matcher = Matcher(knowledge)
    file = Path(folder or DATA_DIR) / "causes.yaml"
    problems = []
    for cause in knowledge.causes:
        if not any(
            (hits := matcher.match(f"my calf twitches, {phrase}").cause_ids) and hits[0] == cause.id
            for phrase in cause.phrases
        ):
            problems.append((str(file), line_of(file, ("causes", cause.id)),
                             f"cause {cause.id!r}: no phrase of its own makes it the top match"))
    return problems
