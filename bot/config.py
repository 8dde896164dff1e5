"""Settings from the environment and `.env` (design.md §4), with tokens kept secret."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def default_store_url() -> str:
    return f"sqlite:///{Path(user_data_dir('aftertwitch')) / 'state.sqlite3'}"


class Settings(BaseSettings):
    """Every setting of design.md §4. Tokens are `SecretStr`: they never print."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    telegram_token: SecretStr | None = Field(default=None, alias="TELEGRAM_TOKEN")
    discord_token: SecretStr | None = Field(default=None, alias="DISCORD_TOKEN")
    store: str = Field(default_factory=default_store_url, alias="AFTERTWITCH_STORE")
    state_ttl_days: float = Field(default=30, gt=0, alias="AFTERTWITCH_STATE_TTL_DAYS")
    log_level: str = Field(default="INFO", alias="AFTERTWITCH_LOG_LEVEL")
    log_text: bool = Field(
        default=False,
        alias="AFTERTWITCH_LOG_TEXT",
        description="log message text at DEBUG (off by default: health talk is private)",
    )
    knowledge_dir: Path | None = Field(default=None, alias="AFTERTWITCH_KNOWLEDGE")
    cache_dir: Path | None = Field(
        default=None, alias="AFTERTWITCH_CACHE_DIR",
        description="where the built matcher is cached (default: the user cache folder)")
    use_cache: bool = Field(default=True, alias="AFTERTWITCH_MATCHER_CACHE")
    telegram_api_base: str = Field(default="https://api.telegram.org", alias="TELEGRAM_API_BASE")
    discord_api_base: str = Field(
        default="https://discord.com/api/v10", alias="DISCORD_API_BASE"
    )
    discord_gateway_url: str | None = Field(default=None, alias="DISCORD_GATEWAY_URL")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("store")
    @classmethod
    def _store(cls, value: str) -> str:
        value = value.strip()
        if not value:
            return default_store_url()
        if not value.startswith(("sqlite://", "memory://", "redis://")):
            raise ValueError("must be sqlite:///path, memory:// or redis://host:port/db")
        return value

    @field_validator("telegram_api_base", "discord_api_base")
    @classmethod
    def _base(cls, value: str) -> str:
        return value.strip().rstrip("/")


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Read settings; raises pydantic.ValidationError naming the variable on bad values."""
    return Settings(_env_file=env_file)  # type: ignore[call-arg]
