"""Benchmark the assessment engine: how long one answer set takes to assess, on average and at the tail.

From the project root (no database, no Django settings needed beyond importing the rules):

    .venv/bin/python bench/engine.py [--cases 5000] [--seed 20261127]

Answer sets are drawn at random over every question and choice (as the engine's property test draws them, a few
questions left unanswered as in a draft), then each is assessed, and turned into the stored dict, twice: the first
pass warms up, the second is timed one call at a time. The last line printed is one JSON object with the figures.
"""

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=20261127)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from intake.assessment import RULESET_VERSION, assess
    from intake.assessment.rules import RULES
    from tests.intake.assessment.examples import random_answers

    rng = random.Random(args.seed)
    cases = [random_answers(rng) for _ in range(args.cases)]
    for case in cases:  # warm up
        assess(case).to_dict()
    assess_us, to_dict_us = [], []
    for case in cases:
        started = time.perf_counter()
        result = assess(case)
        assessed = time.perf_counter()
        result.to_dict()
        done = time.perf_counter()
        assess_us.append((assessed - started) * 1e6)
        to_dict_us.append((done - assessed) * 1e6)
    total_us = [a + b for a, b in zip(assess_us, to_dict_us, strict=True)]
    figures = {
        "ruleset_version": RULESET_VERSION,
        "rules": len(RULES),
        "cases": len(cases),
        "assess_mean_us": round(statistics.fmean(assess_us), 1),
        "assess_p50_us": round(statistics.median(assess_us), 1),
        "assess_p99_us": round(statistics.quantiles(assess_us, n=100)[98], 1),
        "with_to_dict_mean_us": round(statistics.fmean(total_us), 1),
        "with_to_dict_p99_us": round(statistics.quantiles(total_us, n=100)[98], 1),
    }
    print(
        f"{figures['cases']:,} answer sets, {figures['rules']} rules: assess mean {figures['assess_mean_us']} µs "
        f"(p50 {figures['assess_p50_us']}, p99 {figures['assess_p99_us']}); with the stored dict mean "
        f"{figures['with_to_dict_mean_us']} µs (p99 {figures['with_to_dict_p99_us']})"
    )
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
