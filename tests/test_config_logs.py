"""Settings from env and .env; tokens never reach a log line, a repr or an error."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import Settings, load_settings
from bot.logs import setup_logging

TG_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"
DC_TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0Mw.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"
ROOT = Path(__file__).resolve().parent.parent


def test_defaults(clean_env: Path) -> None:
    settings = load_settings()
    assert settings.telegram_token is None and settings.discord_token is None
    assert settings.store.startswith("sqlite:///") and settings.store.endswith(".sqlite3")
    assert settings.state_ttl_days == 30 and settings.log_level == "INFO"
    assert settings.telegram_api_base == "https://api.telegram.org"


def test_env_file_and_environment(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text(
        f"TELEGRAM_TOKEN={TG_TOKEN}\nAFTERTWITCH_STATE_TTL_DAYS=7\nAFTERTWITCH_STORE=\n"
        "TELEGRAM_API_BASE=http://127.0.0.1:8081/\n")
    monkeypatch.setenv("AFTERTWITCH_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.telegram_token is not None
    assert settings.telegram_token.get_secret_value() == TG_TOKEN
    assert settings.state_ttl_days == 7 and settings.log_level == "DEBUG"
    assert settings.store.startswith("sqlite:///")  # empty means default
    assert settings.telegram_api_base == "http://127.0.0.1:8081"
    assert TG_TOKEN not in repr(settings) and TG_TOKEN not in str(settings.model_dump())


def test_every_variable_is_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text()
    for field in Settings.model_fields.values():
        assert f"\n{field.alias}=" in example, field.alias


def test_bad_values_name_the_variable(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AFTERTWITCH_STORE", "postgres://x")
    with pytest.raises(ValidationError) as info:
        load_settings()
    assert "AFTERTWITCH_STORE" in str(info.value)


def test_tokens_never_reach_logs(caplog: pytest.LogCaptureFixture) -> None:
    redactor = setup_logging("DEBUG", [TG_TOKEN, DC_TOKEN])
    logger = logging.getLogger("aftertwitch.test")
    url = f"https://api.telegram.org/bot{TG_TOKEN}/getMe"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "calling %s with %s",
                               (url, DC_TOKEN), None)
    redactor.filter(record)
    assert TG_TOKEN not in record.getMessage() and DC_TOKEN not in record.getMessage()
    # A token-shaped string we were never told about is caught too.
    other = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9"
    assert other not in redactor.redact(f"token {other} leaked")
    try:
        raise RuntimeError(f"failed {url}")
    except RuntimeError:
        logger.exception("boom")


def test_cli_debug_run_never_prints_the_token(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TELEGRAM_TOKEN": TG_TOKEN,
           "DISCORD_TOKEN": DC_TOKEN, "AFTERTWITCH_LOG_LEVEL": "DEBUG"}
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "match", "my calf twitches"],
                          capture_output=True, env=env, cwd=tmp_path, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert TG_TOKEN.encode() not in proc.stdout + proc.stderr
    assert DC_TOKEN.encode() not in proc.stdout + proc.stderr


def test_libraries_that_log_state_or_urls_are_held_back() -> None:
    setup_logging("DEBUG")
    assert logging.getLogger("aiosqlite").getEffectiveLevel() >= logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
