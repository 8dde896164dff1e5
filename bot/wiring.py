"""Wiring: knowledge + store + dialog service, opened and closed as one unit for any adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from dialogs.service import DialogService
from dialogs.stores import open_store
from knowledge.cache import load_matcher


@asynccontextmanager
async def open_service(settings: Settings) -> AsyncIterator[DialogService]:
    """Load the knowledge (the built matcher, cached), open the configured store, and yield
    the dialog service."""
    matcher = load_matcher(settings.knowledge_dir, cache_dir=settings.cache_dir,
                           use_cache=settings.use_cache)
    store = await open_store(settings.store, ttl_days=settings.state_ttl_days)
    try:
        yield DialogService(matcher.knowledge, store, log_text=settings.log_text,
                            matcher=matcher)
    finally:
        await store.close()
