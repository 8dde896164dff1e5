"""Free-text cleaning before matching: line breaks survive as sentence stops."""

from __future__ import annotations

from dialogs.inputs import MAX_CHARS, Problem, clean


def test_line_breaks_survive_and_spaces_fold() -> None:
    text, problem = clean("calf twitching   after  leg day\n\n  no pain\x00 at all \n")
    assert problem is None
    assert text == "calf twitching after leg day\nno pain at all"


def test_bounded_and_sorted() -> None:
    assert clean(" \n\t ") == ("", Problem.EMPTY)
    assert clean("💯💯 !!") == ("", Problem.NO_WORDS)
    assert clean("\x00\x01\x02\x03 a") == ("", Problem.UNREADABLE)
    assert len(clean("calf " * 5000)[0]) == MAX_CHARS
