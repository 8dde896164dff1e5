"""Quality floors: the issue's targets on the tuning set, slightly lower ones on the held-out set.

The held-out set is never tuned on; its test reports aggregate rates only, never messages.
"""

from __future__ import annotations

import sys

import yaml

from knowledge.evaluate import METRICS, SETS_DIR, Report, evaluate, load_set
from knowledge.matcher import Matcher

# (metric, floor; for the "lower is better" metrics, a ceiling)
# (round 2, 1277 messages: top-1 94.9%, top-3 99.7%, multi 96.7%, questions 98.9%, see_doctor+
# 99.1%, urgent 100%, false alarms 0%, off-topic 100%, false rejects 0.1%)
# (round 3, 1823 messages with the round-2 blind sets folded in: top-1 92.2%, top-3 98.4%,
# multi 96.1%, negated 100%, questions 99.6%, see_doctor+ 98.7%, urgent 100%, false alarms
# 0.1%, off-topic 99.1%, false rejects 0.4%)
# (round 4 start, 2318 messages with the round-3 blind sets folded in: top-1 90.6%, top-3
# 97.2%, multi 91.6%, negated 99.6%, questions 95.5%, see_doctor+ 98.3%, urgent 100%, false
# alarms 0.3%, off-topic 98.3%, false rejects 0.6%; after round 4: top-1 90.4%, top-3 97.1%,
# multi 93.4%, questions 98.5%, urgent 100% (172/172); floors just under these)
# Measured on the whole tuning set in round 5 (after the round-4 held-out messages moved in):
# top-1 88.1%, top-3 95.8%, multi 91.3%, negated 99.4%, questions 95.7%, spurious questions
# 0.6%, see_doctor+ 97.6%, urgent 100% (248/248), false alarms 0.4%, off-topic 97.8%, false
# rejects 1.0%.
# Round 6 (3725 messages: the round-5 held-out set folded in, plus 16 round-6 ones), measured
# after round 6: top-1 90.4%, top-3 98.1%, multi 91.5%, negated 99.5%, questions 97.0%,
# spurious questions 0.7%, see_doctor+ 97.3%, urgent 100% (280/280), false alarms 0.5%,
# off-topic 97.7%, false rejects 0.6%.
# Just under the tuning figures measured after round 6's set joined it (2349 messages): top-1
# 90.2%, top-3 97.7%, multi 90.7%, questions 96.5%, see_doctor+ 96.9%, urgent 100%, false
# alarms 0.5%, off-topic 97.4%, false rejects 0.6%, spurious questions 0.6%.
# Round 8 (4648 messages: the round-7 held-out set folded in), measured after round 8's
# differential-reply and dance-idiom work: top-1 90.0%, top-3 97.4%, multi 90.9%, negated
# 99.4%, questions 95.2%, spurious questions 0.6%, see_doctor+ 96.8%, urgent 100% (344/344),
# false alarms 0.5%, off-topic 97.7%, false rejects 0.6%; floors just under these.
# Round 12b (8409 messages: the round-8 to round-12 held-out sets and the round-9 dev sets
# folded in), measured at the end of the session: top-1 86.5%, top-3 95.2%, multi 88.2%,
# negated 99.0%, questions 92.8%, spurious questions 0.7%, see_doctor+ 97.3%, urgent 100%
# (603/603), false alarms 0.8%, off-topic 98.2%, false rejects 0.9%; floors just under these.
# Round 21b (14,829 messages: held-out rounds 13 to 21 folded in). The learned model is trained
# on this set, so the full matcher's figures here are training figures (top-1 95.0%, top-3
# 97.7%, multi 95.2%, negated 99.8%, questions 94.0%, spurious questions 0.5%, see_doctor+
# 98.7%, urgent 100% (1065/1065), false alarms 0.9%, off-topic 98.1%, false rejects 0.95%);
# the phrases alone, which the model never touches, are guarded on their own figures (top-1
# 84.1%, top-3 93.5%, multi 84.5%, negated 98.9%, questions 88.8%, spurious questions 0.5%,
# see_doctor+ 95.4%, urgent 1065/1065, false alarms 0.9%, off-topic 98.1%, false rejects
# 0.95%).
# Round 23b (16,999 messages: round 22b, a training batch by three blind authors, and round
# 23 folded in). The full matcher's figures are training figures (top-1 98.3%: the first-cause
# habit now ranks every listed cause; top-3 98.7%, multi 95.8%, negated 99.9%, questions
# 99.3%, spurious questions 0.5%, see_doctor+ 99.2%, urgent 100% (1224/1224), false alarms
# 0.9%, off-topic 98.2%, false rejects 0.2%); the phrases alone: top-1 83.7%, top-3 93.0%,
# multi 83.2%, negated 98.9%, questions 88.4%, spurious questions 0.5%, see_doctor+ 94.9%,
# urgent 1224/1224, false alarms 0.9%, off-topic 98.2%, false rejects 1.0%.
# Round 24b (18,633 messages: round 24 and a training batch by four more blind authors folded
# in; nothing of the phrases was tuned on that batch). Full matcher (training figures): top-1
# 98.8%, top-3 99.8% (a cause read as denied comes back where the model is near sure), multi
# 98.4%, negated 99.9%, questions 99.4%, spurious questions 0.5%, see_doctor+ 99.1%, urgent
# 100% (1345/1345), false alarms 0.9%, off-topic 98.2%, false rejects 0.15%; the phrases
# alone: top-1 83.2%, top-3 92.7%, multi 82.9%, negated 98.9%, questions 87.8%, spurious
# questions 0.5%, see_doctor+ 94.7%, urgent 1345/1345, false alarms 0.9%, off-topic 98.2%,
# false rejects 1.0%.
# Round 24c (19,549 messages: a second four-author training batch folded in). Full matcher
# (training figures): top-1 98.6%, top-3 99.6%, multi 98.5%, negated 99.9%, questions 99.4%,
# spurious questions 0.5%, see_doctor+ 99.2%, urgent 100% (1411/1411), false alarms 0.9%,
# off-topic 98.3%, false rejects 0.16%; the phrases alone: top-1 83.0%, top-3 92.5%, multi
# 82.5%, negated 98.8%, questions 87.2%, spurious questions 0.5%, see_doctor+ 94.9%, urgent
# 1411/1411, false alarms 0.9%, off-topic 98.3%, false rejects 1.1%.
# Round 31 session (30,996 messages: rounds 28b, 29b and 30b and four more four-author
# training batches folded in). Full matcher (training figures): top-1 98.7%, top-3 99.6%,
# multi 98.2%, negated 99.8%, questions 99.2%, spurious questions 0.5%, see_doctor+ 99.5%,
# urgent 2223/2223, false alarms 0.7%, off-topic 98.6%, false rejects 0.2%; the phrases
# alone: top-1 82.4%, top-3 92.1%, multi 81.8%, negated 98.3%, questions 85.8%, spurious
# questions 0.5%, see_doctor+ 95.4%, urgent 2223/2223, false alarms 0.7%, off-topic 98.6%,
# false rejects 1.3%.
# Round 35 session (35,528 messages: rounds 31b-34b and two more four-author training batches
# folded in). Full matcher (training figures): top-1 98.8%, top-3 99.8%, multi 98.1%, negated
# 99.7%, questions 99.4%, spurious questions 0.6%, see_doctor+ 99.5%, urgent 2549/2549, false
# alarms 0.6%, off-topic 98.5%, false rejects 0.2%; the phrases alone: top-1 83.0%, top-3
# 92.8%, multi 82.3%, negated 98.3%, questions 86.3%, spurious questions 0.6%, see_doctor+
# 95.5%, urgent 2549/2549, false alarms 0.6%, off-topic 98.5%, false rejects 1.3%.
# benchmarks/rounds_cv.py gives the model's figures on rounds it was not trained on.
TUNING_FLOORS = {
    "top1": 0.985, "top3_any": 0.995, "multi_all": 0.98, "negated_first": 0.995,
    "questions": 0.99, "doctor_recall": 0.99, "urgent_recall": 1.00, "false_alarms": 0.009,
    "off_rejected": 0.98, "off_false": 0.002, "question_false": 0.0065,
}
# (the ninth training batch, 901 messages, labels most questions at the end of long posts
# null: 2.0% spurious questions on it against 0.5% on the rest)
# The phrases read English: training batches of two languages mixed in one message and of
# numbers-heavy writing lowered their tuning figures; the model reads those words too.
PHRASES_FLOORS = {
    "top1": 0.82, "top3_any": 0.915, "multi_all": 0.81, "negated_first": 0.98,
    "questions": 0.855, "doctor_recall": 0.95, "urgent_recall": 1.00, "false_alarms": 0.008,
    "off_rejected": 0.98, "off_false": 0.014, "question_false": 0.0065,
}
# Regression guards just under the figures measured once on the current held-out set (668
# messages by three blind authors, round 35; python benchmarks/match_bench.py at 49dd298):
# top-1 92.3% (98.3% any expected first), top-3 98.8%, multi 91.5%, negated first 0/78,
# questions 95.7%, spurious questions 1.0%, see_doctor+ 95.1%, urgent 48/48, false alarms 0.0%,
# off-topic 97.3%, false rejects 0.3%: every target of the issue met. Its misses are not
# studied here: a set that is studied becomes tuning data, and a new blind round replaces it.
HELDOUT_FLOORS = {
    "top1": 0.92, "top3_any": 0.985, "multi_all": 0.91, "negated_first": 1.00,
    "questions": 0.95, "doctor_recall": 0.95, "urgent_recall": 1.00, "false_alarms": 0.003,
    "off_rejected": 0.97, "off_false": 0.004, "question_false": 0.011,
}
_HIGHER = {m.key: m.higher for m in METRICS}


def _check(report: Report, floors: dict[str, float], show: list[str] | None) -> list[str]:
    problems = []
    for key, floor in floors.items():
        rate = report.rate(key)
        if rate is None:
            continue
        ok = rate >= floor - 1e-9 if _HIGHER[key] else rate <= floor + 1e-9
        if not ok:
            hits, cases = report.counts[key]
            line = f"{key}: {rate:.3f} ({hits}/{cases}), floor {floor}"
            if show is not None:
                line += f"; misses: {[show[i] for i in report.misses[key]][:10]}"
            problems.append(line)
    return problems


def test_tuning_set_meets_the_targets(matcher: Matcher) -> None:
    examples = load_set("tuning")
    assert len(examples) >= 150
    report = evaluate(matcher.match, examples)
    problems = _check(report, TUNING_FLOORS, [e.text for e in examples])
    assert not problems, "\n".join(problems)


def test_the_phrases_alone_meet_their_floors(phrases_only: Matcher) -> None:
    """Without the learned model: a phrase change that loses ground can't hide behind it."""
    examples = load_set("tuning")
    report = evaluate(phrases_only.match, examples)
    problems = _check(report, PHRASES_FLOORS, [e.text for e in examples])
    assert not problems, "\n".join(problems)


def test_heldout_set_stays_above_its_floors(matcher: Matcher) -> None:
    """Aggregate figures only: the held-out messages are never printed."""
    examples = load_set("heldout")
    assert len(examples) >= 150
    report = evaluate(matcher.match, examples)
    problems = _check(report, HELDOUT_FLOORS, None)
    assert not problems, "\n".join(problems)


def test_the_rounds_in_tuning_are_found_where_their_messages_are() -> None:
    """benchmarks/rounds_cv.py slices tuning.yaml by its round markers: each slice must start
    at the first message after its marker, whatever style the entries before it use."""
    sys.path.insert(0, str(SETS_DIR.parent.parent / "benchmarks"))
    from rounds_cv import rounds

    path = SETS_DIR / "tuning.yaml"
    examples = load_set(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = rounds(path)
    assert {22, 23, 24} <= set(found)
    for number, (first, end) in found.items():
        marker = next(i for i, line in enumerate(lines)
                      if line.startswith(f"# ---- Moved here from heldout.yaml (round {number}:"))
        start = next(i for i in range(marker, len(lines)) if lines[i].startswith("- "))
        stop = next((i for i in range(start + 1, len(lines))
                     if lines[i].startswith(("- ", "#"))), len(lines))
        entry = yaml.safe_load("\n".join(lines[start:stop]))[0]
        assert examples[first].text == entry["text"], number
        assert end <= len(examples)
