"""Matcher benchmark: quality on both labelled sets, speed, load time and memory, ours vs the toy.

Run: .venv/bin/python benchmarks/match_bench.py [--sets tuning heldout] [--seconds 2]
Each matcher is measured in its own child process, pinned to one core, so that load time and
peak RSS are its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P99_MS = 1.0
TARGET_LOAD_MS = 200.0


def _pin_one_core() -> str:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"cpu {cpu}"
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return "unpinned"


def worker(which: str, sets: list[str], seconds: float) -> dict[str, Any]:
    """Measure one matcher in this process; returns a JSON-able summary."""
    pinned = _pin_one_core()
    t0 = time.perf_counter()
    from knowledge import load_knowledge

    if which == "ours":
        from knowledge.matcher import Matcher as build
    else:
        from benchmarks.toy_matcher import ToyMatcher as build  # type: ignore[assignment]
    t1 = time.perf_counter()
    knowledge = load_knowledge()
    t2 = time.perf_counter()
    matcher: Any = build(knowledge)
    t3 = time.perf_counter()
    cached_ms = (t3 - t1) * 1e3  # the toy has no cache: it always builds
    if which == "ours":  # what a start costs once the built matcher is cached (knowledge/cache.py)
        import tempfile

        from knowledge.cache import load_matcher

        with tempfile.TemporaryDirectory() as folder:
            load_matcher(cache_dir=Path(folder))  # builds and writes the cache
            t4 = time.perf_counter()
            load_matcher(cache_dir=Path(folder))
            cached_ms = (time.perf_counter() - t4) * 1e3
    from knowledge.evaluate import evaluate, load_set

    examples = {name: load_set(name) for name in sets}
    texts = [e.text for exs in examples.values() for e in exs]
    # cold pass: every message once on a fresh matcher (its word cache empty)
    cold: list[float] = []
    for text in texts:
        s = time.perf_counter_ns()
        matcher.match(text)
        cold.append((time.perf_counter_ns() - s) / 1e6)
    quality = {name: evaluate(matcher.match, exs).counts for name, exs in examples.items()}
    warm: list[float] = []
    done = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            s = time.perf_counter_ns()
            matcher.match(text)
            warm.append((time.perf_counter_ns() - s) / 1e6)
        done += len(texts)
    elapsed = time.perf_counter() - start
    return {
        "which": which, "pinned": pinned,
        "import_ms": (t1 - t0) * 1e3, "yaml_ms": (t2 - t1) * 1e3, "build_ms": (t3 - t2) * 1e3,
        "load_ms": (t3 - t1) * 1e3, "cached_ms": cached_ms,
        "msgs_per_s": done / elapsed if elapsed else 0.0,
        "cold_p50": _pct(cold, 50), "cold_p99": _pct(cold, 99), "cold_max": max(cold),
        "warm_p50": _pct(warm, 50), "warm_p99": _pct(warm, 99),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "quality": quality, "n_messages": len(texts),
    }


def _pct(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100.0 * (len(ordered) - 1)))]


def _run_child(which: str, sets: list[str], seconds: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", which, "--seconds", str(seconds), "--sets", *sets]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def _report(counts: dict[str, list[int]]) -> Any:
    from knowledge.evaluate import Report

    rep = Report()
    rep.counts = {k: list(v) for k, v in counts.items()}
    return rep


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=["tuning", "heldout"])
    ap.add_argument("--seconds", type=float, default=2.0, help="timed run per matcher")
    ap.add_argument("--worker", choices=["ours", "toy"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.sets, args.seconds)))
        return 0
    from knowledge.evaluate import METRICS, fmt_rate

    results = {w: _run_child(w, args.sets, args.seconds) for w in ("ours", "toy")}
    ours, toy = results["ours"], results["toy"]
    for name in args.sets:
        size = sum(ours["quality"][name][k][1] for k in ("off_rejected", "off_false"))
        print(f"\n## quality on {name} ({size} messages)")
        print(f"{'metric':44s} {'target':>8s}  {'ours':>20s}  {'toy':>20s}")
        r_ours, r_toy = _report(ours["quality"][name]), _report(toy["quality"][name])
        for m in METRICS:
            target = "" if m.target is None else (
                f"{'>=' if m.higher else '<='}{100 * m.target:.0f}%")
            mark = {True: " ", False: "!", None: " "}[r_ours.passed(m.key)]
            print(f"{m.label:44s} {target:>8s} {mark}{fmt_rate(r_ours, m.key):>20s}  "
                  f"{fmt_rate(r_toy, m.key):>20s}")
    print(f"\n## speed and size ({ours['n_messages']} messages, one core: {ours['pinned']})")
    print(f"{'':44s} {'target':>8s}  {'ours':>20s}  {'toy':>20s}")
    rows = [
        ("messages per second (warm)", "", "msgs_per_s", "{:,.0f}"),
        ("latency p50, cold pass (ms)", "", "cold_p50", "{:.3f}"),
        ("latency p99, cold pass (ms)", f"<={TARGET_P99_MS:g}", "cold_p99", "{:.3f}"),
        ("latency max, cold pass (ms)", "", "cold_max", "{:.3f}"),
        ("latency p50, warm (ms)", "", "warm_p50", "{:.3f}"),
        ("latency p99, warm (ms)", f"<={TARGET_P99_MS:g}", "warm_p99", "{:.3f}"),
        ("knowledge load: YAML + build (ms)", f"<={TARGET_LOAD_MS:g}", "load_ms", "{:.1f}"),
        ("  of which YAML + validation (ms)", "", "yaml_ms", "{:.1f}"),
        ("  of which matcher build (ms)", "", "build_ms", "{:.1f}"),
        ("knowledge load, built matcher cached (ms)", f"<={TARGET_LOAD_MS:g}", "cached_ms",
         "{:.1f}"),
        ("python imports: pydantic, rapidfuzz... (ms)", "", "import_ms", "{:.1f}"),
        ("peak RSS of the process (MB)", "", "peak_rss_mb", "{:.1f}"),
    ]
    for label, target, key, fmt in rows:
        print(f"{label:44s} {target:>8s}  {fmt.format(ours[key]):>20s}  "
              f"{fmt.format(toy[key]):>20s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
