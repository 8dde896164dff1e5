"""The `aftertwitch` command line: exit codes, one-line errors, the match contract, check."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import __version__

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("AFTERTWITCH_", "TELEGRAM_", "DISCORD_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True,
        env={**base, "PYTHONPATH": str(ROOT), **(env or {})}, cwd=cwd or ROOT, timeout=60,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[bytes]) -> str:
    assert proc.returncode == 2, proc
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def valid_contract(obj: dict) -> None:
    assert set(obj) == {"causes", "question", "triage", "warning_signs", "off_topic"}
    assert len(obj["causes"]) <= 3
    for cause in obj["causes"]:
        assert set(cause) == {"id", "score", "evidence"} and 0 <= cause["score"] <= 1
    assert obj["triage"] in {"self_care", "see_doctor", "urgent"}
    assert obj["question"] is None or set(obj["question"]) == {"id", "score"}
    for sign in obj["warning_signs"]:
        assert set(sign) == {"id", "level", "evidence"}
    if obj["off_topic"]:
        assert obj["causes"] == [] and obj["question"] is None and obj["triage"] == "self_care"


def test_version_and_help() -> None:
    proc = run("--version")
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"aftertwitch {__version__}"
    proc = run("--help")
    assert proc.returncode == 0
    for command in ("check", "match", "chat", "telegram", "discord"):
        assert command in proc.stdout.decode()


def test_no_command_prints_help_and_exits_2() -> None:
    assert run().returncode == 2


def test_unknown_option_exits_2() -> None:
    assert run("match", "--nope").returncode == 2


def test_check_passes_on_shipped_knowledge() -> None:
    proc = run("check")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert out.startswith("ok:") and "causes: 10" in out and "questions: 6" in out


def test_check_fails_with_one_line_naming_file_and_line(knowledge_dir: Path) -> None:
    causes = knowledge_dir / "causes.yaml"
    causes.write_text(causes.read_text().replace("- id: nerve", "- id: nerves"))
    line = one_line_error(run("check", str(knowledge_dir)))
    assert f"{causes}:" in line and "unknown cause id 'nerves'" in line


def test_check_broken_yaml(knowledge_dir: Path) -> None:
    (knowledge_dir / "questions.yaml").write_text("questions:\n  - id: normal\n   bad: [\n")
    line = one_line_error(run("check", str(knowledge_dir)))
    assert "questions.yaml:3:" in line and "broken YAML" in line


def test_match_prints_the_contract() -> None:
    proc = run("match", "calves jumping after leg day, barely drank anything")
    assert proc.returncode == 0, proc.stderr
    valid_contract(json.loads(proc.stdout))


def test_match_jsonl_gives_one_line_per_input_line() -> None:
    lines = [b"my quads twitch after squats", b"", b"\xff\xfe\x00garbage\x01", "💯💯".encode(),
             b"x" * 200_000, b"  ", b"is this normal?\r", b"<b>@everyone</b> *_[]`"]
    proc = run("match", "--jsonl", stdin=b"\n".join(lines) + b"\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode().splitlines()
    assert len(out) == len(lines)
    for row in out:
        valid_contract(json.loads(row))


def test_match_jsonl_last_line_without_newline() -> None:
    proc = run("match", "--jsonl", stdin=b"one twitch\ntwo twitches")
    assert len(proc.stdout.decode().splitlines()) == 2


def test_match_without_text_is_a_usage_error() -> None:
    assert "give the message" in one_line_error(run("match"))


def test_match_explain_shows_normalised_text() -> None:
    proc = run("match", "--explain", "Calves JUMPINGGG after leg day")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert "normalized" in data and data["normalized"] == data["normalized"].lower()


def test_match_with_broken_knowledge_exits_2(knowledge_dir: Path) -> None:
    (knowledge_dir / "causes.yaml").write_text("causes: [\n")
    line = one_line_error(run("match", "--knowledge", str(knowledge_dir), "hi"))
    assert "causes.yaml" in line


@pytest.mark.parametrize("command", ["discord"])
def test_unbuilt_adapters_say_so(command: str) -> None:
    assert "not built yet" in one_line_error(run(command))


def test_missing_telegram_token_is_one_line(tmp_path: Path) -> None:
    line = one_line_error(run("telegram", cwd=tmp_path))
    assert "TELEGRAM_TOKEN" in line


def test_bad_setting_is_one_line_naming_the_variable(tmp_path: Path) -> None:
    proc = run("chat", cwd=tmp_path, env={"AFTERTWITCH_LOG_LEVEL": "LOUD"}, stdin=b"")
    assert "AFTERTWITCH_LOG_LEVEL" in one_line_error(proc)
