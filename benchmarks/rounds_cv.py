"""Leave-one-round-out figures of the learned model: trained without a blind round, run on it.

Run: .venv/bin/python benchmarks/rounds_cv.py [--rounds 18 19 20 21 22 23 24] [--jobs 2]

Each blind round that went from held-out into `tuning.yaml` is marked there by a comment
"# ---- Moved here from heldout.yaml (round N: ..., K messages)". For each round asked for,
the model is trained on the rest of the tuning set and the full matcher (phrases and that
model) is measured on the round: how the second opinion does on writers it has not seen,
which is how its thresholds were chosen. The phrases themselves were tuned on those rounds,
so the figures flatter them; the held-out set is never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from knowledge.evaluate import METRICS, SETS_DIR, Report, evaluate, load_set  # noqa: E402

_MARK = re.compile(r"# ---- Moved here from heldout\.yaml \(round (\d+):.*?(\d[\d,]*) messages")


def rounds(path: Path) -> dict[int, tuple[int, int]]:
    """Round number -> (first, end) index of its messages in the tuning set."""
    found: dict[int, tuple[int, int]] = {}
    count, text = 0, path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(text):
        if line.startswith("- "):  # an entry, block ("- text: ...") or flow ("- {text: ...}")
            count += 1
        elif line.startswith("# ---- Moved here from heldout.yaml"):
            m = _MARK.search(" ".join(text[i:i + 2]))
            if m:
                found[int(m.group(1))] = (count, count + int(m.group(2).replace(",", "")))
    return found


def _fold(job: tuple[int, int, int]) -> tuple[int, Report]:
    from knowledge import load_knowledge
    from knowledge.learn import train
    from knowledge.matcher import Matcher

    number, first, end = job
    examples = load_set(SETS_DIR / "tuning.yaml")
    phrases = load_knowledge(learned=False)
    model = train(Matcher(phrases), examples[:first] + examples[end:])
    matcher = Matcher(phrases.model_copy(update={"learned": model}))
    return number, evaluate(matcher.match, examples[first:end])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, nargs="*", default=[18, 19, 20, 21, 22, 23, 24])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    known = rounds(SETS_DIR / "tuning.yaml")
    missing = [r for r in args.rounds if r not in known]
    if missing:
        sys.stderr.write(f"tuning.yaml: no round {missing[0]} (known: {sorted(known)})\n")
        return 2
    jobs = [(r, *known[r]) for r in args.rounds]
    with ProcessPoolExecutor(args.jobs) as pool:
        reports = dict(pool.map(_fold, jobs))
    keys = [m for m in METRICS if m.key != "urgent_recall"]
    print("round  msgs  " + "  ".join(f"{m.key:>14}" for m in keys))
    total = {m.key: [0, 0] for m in METRICS}
    for r in args.rounds:
        rep = reports[r]
        cells = []
        for m in keys:
            hits, cases = rep.counts[m.key]
            total[m.key][0] += hits
            total[m.key][1] += cases
            cells.append(f"{100 * hits / cases:13.1f}%" if cases else f"{'-':>14}")
        print(f"{r:>5} {known[r][1] - known[r][0]:>5}  " + "  ".join(cells))
    print("  all        " + "  ".join(
        f"{100 * total[m.key][0] / total[m.key][1]:13.1f}%" for m in keys))
    print("(false_alarms, question_false and off_false count the bad cases; urgent recall is "
          "left out: the phrases were tuned on every round's emergencies)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
