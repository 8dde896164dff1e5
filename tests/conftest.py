"""Shared fixtures: the shipped knowledge, a writable copy of it, a clean environment."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from knowledge import Knowledge, load_knowledge
from knowledge.loader import DATA_DIR
from knowledge.matcher import Matcher

# Tests only ever talk to 127.0.0.1; keep any proxy settings of the machine out of the way.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return load_knowledge()


@pytest.fixture(scope="session")
def matcher(knowledge: Knowledge) -> Matcher:
    """Built once: matching is pure, so tests can share it."""
    return Matcher(knowledge)


@pytest.fixture(scope="session")
def phrases_only(knowledge: Knowledge) -> Matcher:
    """The matcher without its learned second opinion: for tests of the phrase mechanisms
    themselves (a frame cancelled, a sign set aside), whatever the model adds on top."""
    return Matcher(knowledge.model_copy(update={"learned": None}))


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No aftertwitch/platform variables from the machine; cwd without a .env file."""
    for name in list(os.environ):
        if name.startswith(("AFTERTWITCH_", "TELEGRAM_", "DISCORD_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
