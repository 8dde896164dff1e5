"""Loads the knowledge YAML into validated models; every failure names the file and line."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from knowledge.learned import MODEL_FILE, LearnedModel, ModelFormatError, parse_model
from knowledge.schema import (
    CAUSE_IDS,
    QUESTION_IDS,
    SELF_CARE_IDS,
    Cause,
    Knowledge,
    Lexicon,
    PreventionTip,
    Question,
    SelfCareStep,
    WarningSign,
)
from knowledge.startup import gc_paused

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"
WORDS_FILE = "words.txt"

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so `no`, `on`, `off` stay words."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml's C parser when present (the knowledge loads 3-4x faster)."""


_FastLoader.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


class KnowledgeError(Exception):
    """A knowledge file is broken; `str()` is one line: `file:line: what is wrong`."""

    def __init__(self, file: Path | str, line: int | None, message: str) -> None:
        self.file, self.line, self.message = str(file), line, message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Doc:
    """One parsed file: its data and the line of every node, by path."""

    file: Path
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int:
        """The line of the deepest known node on `path` (1-based)."""
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 1

    def fail(self, path: Path_, message: str) -> KnowledgeError:
        return KnowledgeError(self.file, self.line(path), message)


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*path, key.value)] = key.start_mark.line + 1
                _index(value, (*path, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), lines)


def _parse(file: Path) -> _Doc:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError(file, None, "file is missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(file, None, f"cannot read: {exc.__class__.__name__}") from None
    try:
        loader = _FastLoader(text)  # one parse: the node tree gives lines, then the data
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KnowledgeError(
            file, mark.line + 1 if mark else None, f"broken YAML: {problem}") from None
    lines: dict[Path_, int] = {}
    if node is not None:
        _index(node, (), lines)
    return _Doc(file, data, lines)


def _validate(doc: _Doc, adapter: TypeAdapter[Any], key: str) -> Any:
    if not isinstance(doc.data, dict) or key not in doc.data:
        raise doc.fail((), f"expected a mapping with a '{key}' key")
    try:
        return adapter.validate_python(doc.data[key])
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = (key, *err["loc"])
        field = ".".join(str(p) for p in (key, *err["loc"]))
        entry = doc.data[key][err["loc"][0]] if err["loc"] and isinstance(
            doc.data[key], list) and isinstance(err["loc"][0], int) else None
        ident = f" (id {entry.get('id')!r})" if isinstance(entry, dict) and "id" in entry else ""
        msg = err["msg"].lower()
        if err["type"] == "missing":
            msg = f"missing '{err['loc'][-1]}'"
        raise doc.fail(loc, f"{field}{ident}: {msg}") from None


def _unique(doc: _Doc, key: str, items: tuple[BaseModel, ...], allowed: tuple[str, ...] | None,
            what: str) -> None:
    seen: set[str] = set()
    for i, item in enumerate(items):
        ident = item.id  # type: ignore[attr-defined]
        if ident in seen:
            raise doc.fail((key, i, "id"), f"duplicate {what} id {ident!r}")
        if allowed is not None and ident not in allowed:
            raise doc.fail((key, i, "id"), f"unknown {what} id {ident!r} "
                                           f"(expected one of: {', '.join(allowed)})")
        seen.add(ident)
    if allowed is not None:
        missing = [a for a in allowed if a not in seen]
        if missing:
            raise doc.fail((key,), f"missing {what} id(s): {', '.join(missing)}")


def _check_refs(doc: _Doc, causes: tuple[Cause, ...], steps: set[str], tips: set[str]) -> None:
    for i, cause in enumerate(causes):
        for field, known in (("self_care", steps), ("prevention", tips)):
            for j, ref in enumerate(getattr(cause, field)):
                if ref not in known:
                    raise doc.fail(("causes", i, field, j),
                                   f"cause {cause.id!r}: unknown {field} id {ref!r}")


def _check_reachable(doc: _Doc, causes: tuple[Cause, ...]) -> None:
    """Every cause needs a phrase of its own: one that no other cause also lists."""
    owners: dict[str, set[str]] = {}
    for cause in causes:
        for phrase in (*cause.phrases, *cause.cues):
            owners.setdefault(phrase.casefold(), set()).add(cause.id)
    for i, cause in enumerate(causes):
        own = [p for p in cause.phrases if owners[p.casefold()] == {cause.id}]
        if not own:
            raise doc.fail(("causes", i, "phrases"),
                           f"cause {cause.id!r} is reached by no phrase of its own")


def _check_warnings(doc: _Doc, warnings: tuple[WarningSign, ...]) -> None:
    seen: set[str] = set()
    for i, sign in enumerate(warnings):
        if sign.id in seen:
            raise doc.fail(("warnings", i, "id"), f"duplicate warning id {sign.id!r}")
        seen.add(sign.id)
        if sign.source == "safety" and not sign.reference:
            raise doc.fail(("warnings", i), f"warning {sign.id!r}: source safety needs a reference")
        if sign.source == "article" and not sign.section:
            raise doc.fail(("warnings", i), f"warning {sign.id!r}: source article needs a section")
        for j, cause_id in enumerate(sign.implies):
            if cause_id not in CAUSE_IDS:
                raise doc.fail(("warnings", i, "implies", j),
                               f"warning {sign.id!r}: unknown cause id {cause_id!r} in implies")


@gc_paused
def load_knowledge(path: str | Path | None = None, *, learned: bool = True) -> Knowledge:
    """Load and validate a knowledge folder (default: the shipped one); `learned=False`
    leaves out the learned model (to train a new one, even over a broken file)."""
    folder = Path(path) if path is not None else DATA_DIR
    if not folder.is_dir():
        raise KnowledgeError(folder, None, "not a knowledge folder")
    return _load(folder.resolve(), learned=learned)


def _learned(path: Path) -> LearnedModel | None:
    """The learned word weights, when the folder has them (a folder without works too)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(path, None, f"unreadable: {exc.__class__.__name__}") from None
    try:
        return parse_model(text)
    except ModelFormatError as exc:
        raise KnowledgeError(path, exc.line, str(exc)) from None


def _words(path: Path) -> frozenset[str]:
    """Real words, one a line ("#" starts a comment); a folder without the file has none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError(path, None, f"unreadable: {exc.__class__.__name__}") from None
    lines = text.split("\n")
    words = [w for w in lines if w and w[0] != "#"]
    if not all(map(str.isalpha, words)):
        number = next(n for n, w in enumerate(lines, 1) if w and w[0] != "#" and not w.isalpha())
        raise KnowledgeError(path, number, "expected one word a line")
    return frozenset(words)


def _load(folder: Path, *, learned: bool = True) -> Knowledge:
    docs = {name: _parse(folder / f"{name}.yaml") for name in (
        "causes", "questions", "self_care", "prevention", "warnings", "lexicon", "meta")}
    steps = _validate(docs["self_care"], TypeAdapter(tuple[SelfCareStep, ...]), "self_care")
    _unique(docs["self_care"], "self_care", steps, SELF_CARE_IDS, "self-care")
    tips = _validate(docs["prevention"], TypeAdapter(tuple[PreventionTip, ...]), "prevention")
    _unique(docs["prevention"], "prevention", tips, None, "prevention")
    causes = _validate(docs["causes"], TypeAdapter(tuple[Cause, ...]), "causes")
    _unique(docs["causes"], "causes", causes, CAUSE_IDS, "cause")
    _check_refs(docs["causes"], causes, {s.id for s in steps}, {t.id for t in tips})
    _check_reachable(docs["causes"], causes)
    questions = _validate(docs["questions"], TypeAdapter(tuple[Question, ...]), "questions")
    _unique(docs["questions"], "questions", questions, QUESTION_IDS, "question")
    warnings = _validate(docs["warnings"], TypeAdapter(tuple[WarningSign, ...]), "warnings")
    _check_warnings(docs["warnings"], warnings)
    lexicon = _validate(docs["lexicon"], TypeAdapter(Lexicon), "lexicon")
    meta = docs["meta"]
    for key in ("disclaimer", "source_title"):
        if not isinstance(meta.data, dict) or not str(meta.data.get(key) or "").strip():
            raise meta.fail((key,), f"missing '{key}'")
    # Order causes, questions and steps as the article does (design.md §1).
    knowledge = Knowledge(
        causes=tuple(sorted(causes, key=lambda c: CAUSE_IDS.index(c.id))),
        questions=tuple(sorted(questions, key=lambda q: QUESTION_IDS.index(q.id))),
        self_care=tuple(sorted(steps, key=lambda s: SELF_CARE_IDS.index(s.id))),
        prevention=tips,
        warnings=warnings,
        lexicon=lexicon,
        disclaimer=str(meta.data["disclaimer"]).strip(),
        source_title=str(meta.data["source_title"]).strip(),
        learned=_learned(folder / MODEL_FILE) if learned else None,
        dictionary=_words(folder / WORDS_FILE),
    )
    log.debug("knowledge loaded from %s: %d causes, %d questions, %d warnings",
              folder, len(knowledge.causes), len(knowledge.questions), len(knowledge.warnings))
    return knowledge


def line_of(file: Path, path: tuple[str, str]) -> int | None:
    """The line of the entry with id `path[1]` in list `path[0]` of a knowledge file."""
    try:
        doc = _parse(file)
    except KnowledgeError:
        return None
    key, ident = path
    for i, entry in enumerate((doc.data or {}).get(key) or []):
        if isinstance(entry, dict) and entry.get("id") == ident:
            return doc.line((key, i))
    return None
