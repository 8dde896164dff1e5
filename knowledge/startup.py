"""Start-up cost: the cyclic garbage collector paused while the knowledge is read and built."""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(build: Callable[P, R]) -> Callable[P, R]:
    """Run `build` with the cyclic collector off. Reading the YAML and building the matcher
    make a few hundred thousand small objects, all kept: the collector's passes over them
    find nothing to free and cost a sixth of the start (measured: 187 -> 155 ms). Reference
    counting still frees everything at once; the collector is back on afterwards (unless a
    caller had it off)."""

    @functools.wraps(build)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_on = gc.isenabled()
        gc.disable()
        try:
            return build(*args, **kwargs)
        finally:
            if was_on:
                gc.enable()

    return paused
