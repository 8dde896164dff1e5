"""The knowledge loader: the shipped folder loads; each kind of breakage names file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge import Knowledge, KnowledgeError, load_knowledge
from knowledge.schema import CAUSE_IDS, QUESTION_IDS, SELF_CARE_IDS


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_containing(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def load_error(folder: Path) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    message = str(info.value)
    assert "\n" not in message
    return info.value


def test_shipped_knowledge_is_complete_and_in_article_order(knowledge: Knowledge) -> None:
    assert tuple(c.id for c in knowledge.causes) == CAUSE_IDS
    assert tuple(q.id for q in knowledge.questions) == QUESTION_IDS
    assert tuple(s.id for s in knowledge.self_care) == SELF_CARE_IDS
    levels = {w.level for w in knowledge.warnings}
    assert levels == {"see_doctor", "urgent"}


def test_every_safety_addition_is_marked_and_referenced(knowledge: Knowledge) -> None:
    for sign in knowledge.warnings:
        if sign.level == "urgent":
            assert sign.source == "safety", sign.id
        if sign.source == "safety":
            assert sign.reference and re.search(r"NHS|Mayo|CDC|WHO", sign.reference), sign.id
        else:
            assert sign.section, sign.id


def test_every_entry_cites_its_section(knowledge: Knowledge) -> None:
    for entry in (*knowledge.causes, *knowledge.questions, *knowledge.self_care,
                  *knowledge.prevention):
        assert re.search(r"(Cause \d+|Q&A \d)", entry.section), entry.id


def test_broken_yaml_names_file_and_line(knowledge_dir: Path) -> None:
    causes = knowledge_dir / "causes.yaml"
    line = line_containing(causes, "title: Dehydration")
    edit(causes, "title: Dehydration and electrolyte imbalance", "title: [unclosed: oops")
    err = load_error(knowledge_dir)
    assert err.file.endswith("causes.yaml")
    assert err.line is not None and line <= err.line <= line + 2
    assert "broken YAML" in str(err)


def test_unknown_cause_id(knowledge_dir: Path) -> None:
    causes = knowledge_dir / "causes.yaml"
    line = line_containing(causes, "id: stress")
    edit(causes, "- id: stress", "- id: strezz")
    err = load_error(knowledge_dir)
    assert (Path(err.file).name, err.line) == ("causes.yaml", line)
    assert "unknown cause id 'strezz'" in err.message


def test_unknown_self_care_reference(knowledge_dir: Path) -> None:
    causes = knowledge_dir / "causes.yaml"
    edit(causes, "self_care: [hydrate, stretch, massage]", "self_care: [hydrate, yoga, massage]")
    err = load_error(knowledge_dir)
    assert Path(err.file).name == "causes.yaml"
    assert err.line == line_containing(causes, "self_care: [hydrate, yoga")
    assert "unknown self_care id 'yoga'" in err.message


def test_missing_answer(knowledge_dir: Path) -> None:
    questions = knowledge_dir / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    start = text.index("    answer: >-\n      Yes. Stress")
    end = text.index("    paraphrases:", start)
    questions.write_text(text[:start] + text[end:], encoding="utf-8")
    err = load_error(knowledge_dir)
    assert Path(err.file).name == "questions.yaml"
    assert err.line == line_containing(questions, "- id: stress")
    assert "missing 'answer'" in err.message and "'stress'" in err.message


def test_duplicate_id(knowledge_dir: Path) -> None:
    questions = knowledge_dir / "questions.yaml"
    edit(questions, "- id: manage", "- id: normal")
    err = load_error(knowledge_dir)
    assert "duplicate question id 'normal'" in err.message
    assert err.line == [n for n, line in enumerate(questions.read_text().splitlines(), 1)
                        if "- id: normal" in line][1]


def test_cause_that_no_phrase_reaches(knowledge_dir: Path) -> None:
    causes = knowledge_dir / "causes.yaml"
    text = causes.read_text(encoding="utf-8")
    start = text.index("- id: form")
    block = text[start:text.index("- id: overexertion")]
    fatigue_phrase = "      - leg day\n"
    phrases_start = block.index("    phrases:\n") + len("    phrases:\n")
    phrases_end = block.index("    cues:")
    new_block = block[:phrases_start] + fatigue_phrase + block[phrases_end:]
    causes.write_text(text.replace(block, new_block), encoding="utf-8")
    err = load_error(knowledge_dir)
    assert "'form' is reached by no phrase of its own" in err.message
    form_line = line_containing(causes, "- id: form")
    lines = causes.read_text(encoding="utf-8").splitlines()
    phrases_line = next(n for n in range(form_line, len(lines) + 1)
                        if lines[n - 1].strip() == "phrases:")
    assert err.line == phrases_line


def test_missing_file(knowledge_dir: Path) -> None:
    (knowledge_dir / "warnings.yaml").unlink()
    err = load_error(knowledge_dir)
    assert err.file.endswith("warnings.yaml") and "missing" in err.message


def test_safety_sign_without_reference(knowledge_dir: Path) -> None:
    warnings = knowledge_dir / "warnings.yaml"
    text = warnings.read_text(encoding="utf-8")
    text = text.replace(
        '    reference: "NHS: Chest pain (nhs.uk/conditions/chest-pain); Mayo Clinic: Heart '
        'attack symptoms"\n', "")
    warnings.write_text(text, encoding="utf-8")
    err = load_error(knowledge_dir)
    assert "'chest_pain': source safety needs a reference" in err.message
    assert err.line == line_containing(warnings, "- id: chest_pain")


def test_bad_level_and_unknown_key(knowledge_dir: Path) -> None:
    warnings = knowledge_dir / "warnings.yaml"
    edit(warnings, "level: urgent", "level: panic")
    err = load_error(knowledge_dir)
    assert err.line == line_containing(warnings, "level: panic")
    assert "level" in err.message


def test_yaml_words_stay_words(knowledge_dir: Path) -> None:
    """`no`, `on`, `off` are words in our lists, not YAML 1.1 booleans."""
    lexicon = knowledge_dir / "lexicon.yaml"
    edit(lexicon, "  negations: [", "  negations: [off, yes, ")
    knowledge = load_knowledge(knowledge_dir)
    assert {"off", "yes", "no"} <= set(knowledge.lexicon.negations)


def test_not_a_folder(tmp_path: Path) -> None:
    err = load_error(tmp_path / "nope")
    assert "not a knowledge folder" in err.message


def test_a_frames_unless_takes_single_words(knowledge_dir: Path) -> None:
    """Cancel words are checked one by one, so "spot on" would cancel a frame on every "on"."""
    causes = knowledge_dir / "causes.yaml"
    edit(causes, "                 decent]", "                 decent, spot on]")
    err = load_error(knowledge_dir)
    assert "unless takes single words" in err.message
    assert err.file == str(causes)
    assert err.line == line_containing(causes, "decent, spot on]") - 1


def test_negations_are_single_words(knowledge_dir: Path) -> None:
    """Each negation word counts alone, so "ruled out" would make every "out" a "not"."""
    lexicon = knowledge_dir / "lexicon.yaml"
    edit(lexicon, "nobody, nowhere, lack]", "nobody, nowhere, lack, ruled out]")
    err = load_error(knowledge_dir)
    assert "negations are single words" in err.message and err.file == str(lexicon)
    assert err.line == line_containing(lexicon, "ruled out]")


def test_a_broken_word_list_names_its_line(knowledge_dir: Path) -> None:
    path = knowledge_dir / "words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[10] = "two words"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = load_error(knowledge_dir)
    assert error.file.endswith("words.txt") and error.line == 11


def test_the_word_list_is_loaded(knowledge: Knowledge) -> None:
    assert {"chasing", "inner", "selling"} <= knowledge.dictionary
    assert all(len(w) >= 5 for w in knowledge.dictionary)
