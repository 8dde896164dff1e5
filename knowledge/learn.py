"""Training of `learned.json` from the labelled tuning set: `python -m knowledge.learn`.

One logistic model per head, trained together by plain stochastic gradient descent with a
fixed seed, so the same tuning file always gives the same weights. The held-out set is never
read here. Sign heads (which see-a-doctor or urgent sign) learn from the signs that the phrases
found in messages labelled see_doctor or urgent; the other heads learn from the labels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

from knowledge.evaluate import SETS_DIR, Example, load_set
from knowledge.learned import MODEL_FILE, LearnedModel, sigmoid
from knowledge.loader import DATA_DIR, load_knowledge
from knowledge.matcher import Matcher

EPOCHS = 12
RATE = 0.2
L2 = 1e-4
MIN_COUNT = 3        # a feature seen once or twice in training is a name, not a habit
MIN_WEIGHT = 0.15


def _rows(matcher: Matcher, examples: list[Example]) -> list[tuple[list[str], dict[int, float]]]:
    """Per example: its features, and per head it trains, the target (1 or 0)."""
    heads = _heads(matcher)
    index = {h: i for i, h in enumerate(heads)}
    rows = []
    for ex in examples:
        a = matcher.analyse(ex.text)
        feats = list(matcher.features(a.toks))
        target: dict[int, float] = {index[f"question:{q}"]: float(q == ex.question)
                                    for q in (q.id for q in matcher.knowledge.questions)}
        target[index["topic"]] = float(not ex.off_topic)
        target[index["urgent"]] = float(ex.triage == "urgent")
        if not ex.off_topic:
            for c in matcher.knowledge.causes:
                target[index[f"cause:{c.id}"]] = float(c.id in ex.causes)
                if ex.causes:  # which of the causes given comes first
                    target[index[f"first:{c.id}"]] = float(c.id == ex.causes[0])
            target[index["doctor"]] = float(ex.triage != "self_care")
            for level, prefix in (("see_doctor", "sign:"), ("urgent", "urgent:")):
                found = {w.id for w in a.result.warning_signs if w.level == level}
                if ex.triage != "self_care" and found:  # which sign, where the phrases knew
                    for name in heads:
                        if name.startswith(prefix):
                            target[index[name]] = float(name[len(prefix):] in found)
        rows.append((feats, target))
    return rows


def _heads(matcher: Matcher) -> list[str]:
    k = matcher.knowledge
    return [*(f"cause:{c.id}" for c in k.causes), *(f"question:{q.id}" for q in k.questions),
            "doctor", "topic", "urgent",
            *(f"sign:{w.id}" for w in k.warnings if w.level == "see_doctor"),
            *(f"first:{c.id}" for c in k.causes),
            *(f"urgent:{w.id}" for w in k.warnings if w.level == "urgent")]


def train(matcher: Matcher, examples: list[Example], *, seed: int = 0) -> LearnedModel:
    heads = _heads(matcher)
    rows = _rows(matcher, examples)
    counts = Counter(f for feats, _ in rows for f in feats)
    rows = [([f for f in feats if counts[f] >= MIN_COUNT], target) for feats, target in rows]
    weights: dict[str, list[float]] = {}
    bias = [-2.0] * len(heads)
    order = list(range(len(rows)))
    rnd = random.Random(seed)
    for _ in range(EPOCHS):
        rnd.shuffle(order)
        for i in order:
            feats, target = rows[i]
            vecs = [weights.setdefault(f, [0.0] * len(heads)) for f in feats]
            for head, want in target.items():
                z = bias[head] + sum(v[head] for v in vecs)
                step = RATE * (want - sigmoid(z))
                bias[head] += 0.1 * step
                for v in vecs:
                    v[head] = v[head] * (1.0 - RATE * L2) + step
    table = {f: [w if abs(w) >= MIN_WEIGHT else 0.0 for w in vec] for f, vec in weights.items()}
    return LearnedModel(tuple(heads), tuple(bias), {f: v for f, v in table.items() if any(v)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge.learn", description=__doc__)
    parser.add_argument("--data", type=Path, default=SETS_DIR / "tuning.yaml")
    parser.add_argument("--limit", type=int, default=None,
                        help="train on the first N messages only (to measure on the rest)")
    parser.add_argument("--out", type=Path, default=DATA_DIR / MODEL_FILE)
    args = parser.parse_args(argv)
    knowledge = load_knowledge(learned=False)
    examples = load_set(args.data)[:args.limit]
    model = train(Matcher(knowledge), examples)
    digest = hashlib.sha256(args.data.read_bytes()).hexdigest()
    if args.limit is not None:
        digest = f"{digest}:first{args.limit}"
    model = LearnedModel(model.heads, model.bias, model.weights, digest)
    args.out.write_text(json.dumps(model.to_json(), indent=0) + "\n", encoding="utf-8")
    sys.stderr.write(f"{args.out}: {len(model.weights)} features, {len(model.heads)} heads, "
                     f"trained on {len(examples)} messages\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
