"""The cached matcher: reused while current, rebuilt when knowledge or code change or it breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge import KnowledgeError
from knowledge import cache as cache_mod
from knowledge.cache import cache_key, load_matcher
from knowledge.matcher import Matcher

TEXT = "calves jumping after leg day, barely drank anything"


def _builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real builds of the matcher inside `load_matcher`."""
    calls: list[int] = []

    build = cache_mod._build

    def counting(source: Path) -> Matcher:
        calls.append(1)
        return build(source)

    monkeypatch.setattr(cache_mod, "_build", counting)
    return calls


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_the_second_load_comes_from_the_cache(cache_dir: Path, knowledge_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _builds(monkeypatch)
    first = load_matcher(knowledge_dir, cache_dir=cache_dir)
    second = load_matcher(knowledge_dir, cache_dir=cache_dir)
    assert len(builds) == 1
    assert second.match(TEXT) == first.match(TEXT)
    assert [p.name for p in cache_dir.iterdir()] == [f"matcher-{cache_key(knowledge_dir)}.pickle"]


def test_an_edited_phrase_rebuilds_and_drops_the_old_cache(
        cache_dir: Path, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _builds(monkeypatch)
    load_matcher(knowledge_dir, cache_dir=cache_dir)
    causes = knowledge_dir / "causes.yaml"
    causes.write_text(causes.read_text(encoding="utf-8").replace(
        '      - "grip workout"\n', '      - "grip workout"\n      - "zorbing marathon"\n', 1),
        encoding="utf-8")
    matcher = load_matcher(knowledge_dir, cache_dir=cache_dir)
    assert len(builds) == 2
    assert "fatigue" in matcher.match("a zorbing marathon and my calves twitch").cause_ids
    assert len(list(cache_dir.glob("matcher-*.pickle"))) == 1


def test_broken_knowledge_still_fails_with_file_and_line(cache_dir: Path,
                                                         knowledge_dir: Path) -> None:
    load_matcher(knowledge_dir, cache_dir=cache_dir)  # a good cache exists ...
    (knowledge_dir / "questions.yaml").write_text("questions: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"questions\.yaml:\d+"):
        load_matcher(knowledge_dir, cache_dir=cache_dir)  # ... and is not used


def test_a_corrupt_cache_is_rebuilt(cache_dir: Path, knowledge_dir: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = cache_dir / f"matcher-{cache_key(knowledge_dir)}.pickle"
    cache_dir.mkdir()
    path.write_bytes(b"not a pickle")
    builds = _builds(monkeypatch)
    matcher = load_matcher(knowledge_dir, cache_dir=cache_dir)
    assert len(builds) == 1 and matcher.match(TEXT).cause_ids
    assert path.read_bytes() != b"not a pickle"


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path: Path,
                                                         knowledge_dir: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    matcher = load_matcher(knowledge_dir, cache_dir=blocked / "cache")
    assert matcher.match(TEXT).cause_ids


def test_the_cache_can_be_turned_off(cache_dir: Path, knowledge_dir: Path) -> None:
    load_matcher(knowledge_dir, cache_dir=cache_dir, use_cache=False)
    assert not cache_dir.exists()
