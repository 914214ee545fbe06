"""The benchmarks still run against today's code: each one, at a small size, seeds its own PostgreSQL database
through the real services (or the bulk seeder), measures, drops the database and prints its JSON line.

A benchmark is only as good as its seed: a new rule in a service (evidence before a condition is met, say) must be
honoured by the seed too, or the next measurement fails an hour in. These runs catch that in CI, in about a minute."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import base_dir, database_url_for_subprocess, need_postgresql

pytestmark = (
    pytest.mark.django_db
)  # only to read the server's address; the benchmarks use databases of their own

TIMEOUT = 600


def run_benchmark(script: str, *args: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    out = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=base_dir(),
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert out.returncode == 0, f"bench/{script} failed:\n{out.stderr[-4000:]}"
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_board_pack_benchmark_seeds_through_the_services_and_renders():
    need_postgresql()
    figures = run_benchmark("boardpack.py", "--sizes", "24", "--database", "bench_ci_boardpack")
    pack = figures["sizes"]["24"]
    assert pack["pages"] > 5
    assert pack["pages_per_second"] > 0
    assert pack["gather_queries"] > 0


def test_scale_benchmark_seeds_and_times_every_path():
    need_postgresql()
    figures = run_benchmark("scale.py", "--sizes", "200", "--database", "bench_ci_scale")
    assert set(figures["sizes"]) == {"200"}
    assert figures["sizes"]["200"]


def test_queue_benchmark_seeds_and_times_every_endpoint():
    need_postgresql()
    figures = run_benchmark(
        "queue.py", "--sizes", "200", "--requests", "5", "--budget", "5", "--database", "bench_ci_queue"
    )
    assert set(figures["sizes"]) == {"200"}
    assert figures["sizes"]["200"]
