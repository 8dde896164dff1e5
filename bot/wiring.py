"""Wiring: knowledge + store + dialog service, opened and closed as one unit for any adapter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from dialogs.service import DialogService
from dialogs.stores import open_store
from knowledge import load_knowledge


@asynccontextmanager
async def open_service(settings: Settings) -> AsyncIterator[DialogService]:
    """Load the knowledge, open the configured store, and yield the dialog service."""
    knowledge = load_knowledge(settings.knowledge_dir)
    store = await open_store(settings.store, ttl_days=settings.state_ttl_days)
    try:
        yield DialogService(knowledge, store, log_text=settings.log_text)
    finally:
        await store.close()
