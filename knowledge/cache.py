"""The built matcher, cached on disk by the hash of the knowledge files and the matcher's code.

Building the matcher (tokenising ~4,500 knowledge phrases) takes about 100 ms; unpickling the
built one takes about 20. The cache key covers every YAML file of the knowledge folder and
every module of this package, so an edited phrase or a new matcher version never meets a stale
cache. A cache that can't be read or written is skipped silently: the matcher is then built.
The cache holds only our own objects, written by this program into the user's cache folder
(trusted like the installed code itself).
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from pathlib import Path

from knowledge.loader import DATA_DIR, load_knowledge
from knowledge.matcher import Matcher

log = logging.getLogger(__name__)

_CODE_DIR = Path(__file__).resolve().parent
_PREFIX = "matcher-"


def default_cache_dir() -> Path:
    """The user's cache folder for aftertwitch (XDG on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("aftertwitch"))


def cache_key(folder: Path) -> str:
    """sha256 over the knowledge files (YAML, learned JSON), the package code, Python."""
    digest = hashlib.sha256(sys.version.encode())
    for path in [*sorted(folder.glob("*.yaml")), *sorted(folder.glob("*.json")),
                 *sorted(folder.glob("*.txt")),
                 *sorted(_CODE_DIR.glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def load_matcher(folder: Path | str | None = None, *, cache_dir: Path | None = None,
                 use_cache: bool = True) -> Matcher:
    """The matcher for a knowledge folder: from the cache when it is current, else built (and
    cached). Broken knowledge raises `KnowledgeError` exactly as `load_knowledge` does."""
    source = Path(folder) if folder is not None else DATA_DIR
    if not use_cache:
        return _build(source)
    try:
        key = cache_key(source)
    except OSError:
        return _build(source)  # the loader names the missing file
    where = (cache_dir or default_cache_dir()) / f"{_PREFIX}{key}.pickle"
    cached = _read(where)
    if cached is not None:
        return cached
    matcher = _build(source)
    _write(where, matcher)
    return matcher


def _build(source: Path) -> Matcher:
    return Matcher(load_knowledge(source))


def _read(path: Path) -> Matcher | None:
    try:
        with path.open("rb") as fh:
            matcher = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # truncated, or from another version: build anew
        log.debug("matcher cache unreadable (%s); building", exc.__class__.__name__)
        return None
    return matcher if isinstance(matcher, Matcher) else None


def _write(path: Path, matcher: Matcher) -> None:
    """Atomically (a temporary file renamed into place), dropping older caches beside it."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        tmp = Path(name)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(matcher, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        for old in path.parent.glob(f"{_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only home, a full disk: work without the cache
        log.debug("matcher cache not written (%s)", exc.__class__.__name__)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
