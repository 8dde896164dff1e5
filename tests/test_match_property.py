"""Property: any string at all gives valid contract JSON, without raising."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import Knowledge
from knowledge.matcher import Matcher
from knowledge.schema import CAUSE_IDS, QUESTION_IDS

_matcher: Matcher | None = None


@pytest.fixture(scope="module", autouse=True)
def _build(knowledge: Knowledge) -> None:
    global _matcher  # noqa: PLW0603 - one matcher for all hypothesis examples
    _matcher = Matcher(knowledge)


def check(text: str) -> None:
    assert _matcher is not None
    out = _matcher.match(text).to_json()
    again = json.loads(json.dumps(out, ensure_ascii=False))
    assert again == out
    assert set(out) == {"causes", "question", "triage", "warning_signs", "off_topic"}
    assert isinstance(out["off_topic"], bool)
    assert out["triage"] in ("self_care", "see_doctor", "urgent")
    assert len(out["causes"]) <= 3
    assert len({c["id"] for c in out["causes"]}) == len(out["causes"])
    for cause in out["causes"]:
        assert cause["id"] in CAUSE_IDS
        assert 0.0 <= cause["score"] <= 1.0
        assert all(isinstance(e, str) and e for e in cause["evidence"])
    scores = [c["score"] for c in out["causes"]]
    assert scores == sorted(scores, reverse=True)
    if out["question"] is not None:
        assert out["question"]["id"] in QUESTION_IDS
        assert 0.0 <= out["question"]["score"] <= 1.0
    levels = {w["level"] for w in out["warning_signs"]}
    assert levels <= {"see_doctor", "urgent"}
    expected = "urgent" if "urgent" in levels else ("see_doctor" if levels else "self_care")
    assert out["triage"] == expected
    if out["off_topic"]:
        assert out["causes"] == [] and out["question"] is None
        assert out["triage"] == "self_care" and out["warning_signs"] == []
    explained = _matcher.explain(text)
    assert explained["result"] == out
    json.dumps(explained)


_GYM = st.sampled_from([
    "calf", "twitching", "no", "not", "didn't", "water", "warm up", "stress", "pain", "weeks",
    "3", "hrs", "?", ",", ".", "but", "leg day", "pee", "dark", "chest", "numb", "is it normal",
    "💀", "🍿", "soooo", "dehydraded", "n't", "'", "#", "never", "plenty", "a&e", "24/7",
])
_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(st.text())
def test_any_text(text: str) -> None:
    check(text)


@_SETTINGS
@given(st.lists(_GYM, max_size=40).map(" ".join))
def test_gym_word_salad(text: str) -> None:
    check(text)


@_SETTINGS
@given(st.binary(max_size=300))
def test_binary_ish(data: bytes) -> None:
    check(data.decode("utf-8", errors="surrogateescape"))
    check(data.decode("latin-1"))


@_SETTINGS
@given(st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=50))
def test_emoji_only(text: str) -> None:
    check(text)


@pytest.mark.parametrize("text", [
    "", " ", "\n\n\n", "\x00" * 100, "\ud800\udfff", "twitch " * 20_000, "a" * 100_000,
    "🍿" * 5_000, "<b>calf</b> & twitching &amp; <script>", "calf\ttwitching\r\n" * 300,
    "ＣＡＬＦ ＴＷＩＴＣＨＩＮＧ", "no " * 3_000 + "pain", "؟ العضلة ترتعش", "ふくらはぎ",
])
def test_edge_cases(text: str) -> None:
    check(text)
