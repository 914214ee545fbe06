"""Benchmark the shared review queue API against the naive guardian + page-number alternative on PostgreSQL.

From the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/queue.py

DATABASE_URL names the server and credentials; the benchmark creates (or resets) its own database on that server,
`bench_queue` unless --database says otherwise (the name must start with `bench_`), migrates it, seeds 1,000 and then
100,000 use cases, times GET /api/v1/review-queue/ (plain and ?waiting_on=me), the naive queue (naive.py), the
queue pages most urgent first and the CIO's home, through Django's test client as a CIO, and drops the database at the end unless --keep is given. The last line printed is one JSON
object with the figures.
"""

import sys
from pathlib import Path

# Run as a script, this directory would come first on sys.path and this file would shadow the standard `queue`
# module: put the project root there instead, before anything else is imported.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from bench.database import run_sized  # noqa: E402

QUEUE_URL = "/api/v1/review-queue/"
ENDPOINTS = (
    ("queue", QUEUE_URL),
    ("queue_waiting_on_me", QUEUE_URL + "?waiting_on=me"),
    ("naive", "/bench/naive-queue/"),
    # The pages people open: the queue most urgent first (all open, and the default "waiting on me" tab, each with
    # a COUNT per tab), and the CIO's home with its inbox.
    ("queue_page_open", "/decisions/?filter=open"),
    ("queue_page_me", "/decisions/"),
    ("home", "/"),
)
JSON_ENDPOINTS = ("queue", "queue_waiting_on_me", "naive")
WARM_UP = 10  # requests per endpoint before timing (fewer if they take over WARM_UP_BUDGET seconds)
WARM_UP_BUDGET = 5.0
MIN_REQUESTS = 10  # an endpoint slower than --budget allows still gets this many timed requests
FROM_TABLE = re.compile(r'FROM "(\w+)"')


def log(message: str) -> None:
    print(message, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_queue", help="database to create and drop (bench_*)")
    parser.add_argument(
        "--sizes", default="1000,100000", help="use-case counts, ascending (default 1000,100000)"
    )
    parser.add_argument(
        "--requests", type=int, help="timed requests per endpoint (default 200 below 10k, else 100)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=90.0,
        help=f"seconds of timed requests per endpoint and size; slower endpoints stop early (at least {MIN_REQUESTS})",
    )
    parser.add_argument("--settings", default="config.settings.test", help="Django settings module")
    parser.add_argument(
        "--explain", action="store_true", help="print EXPLAIN ANALYZE of each endpoint's page query"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def run(args: argparse.Namespace, sizes: list[int]) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from bench import seed

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    log(f"migrated {args.database} on PostgreSQL {version} in {time.perf_counter() - started:.1f} s")

    people = seed.seed_people()
    seeder = seed.Seeder(people)
    client = Client()
    client.force_login(people.cio)
    results: dict[str, dict] = {}
    timings: dict[str, float] = {}
    seeded = 0
    with override_settings(ROOT_URLCONF="bench.urls"):
        for size in sizes:
            started = time.perf_counter()
            written = seeder.seed(size - seeded)
            seeded = size
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            timings[f"seed_{size}_s"] = round(time.perf_counter() - started, 1)
            log(
                f"[{size:>7}] seeded +{written['intake.UseCase']:,} use cases in {timings[f'seed_{size}_s']} s "
                "(" + ", ".join(f"{label.split('.')[1]} +{n:,}" for label, n in written.items()) + ")"
            )
            n = args.requests or (200 if size < 10_000 else 100)
            started = time.perf_counter()
            results[str(size)] = measure(client, size, n, budget=args.budget, explain=args.explain)
            timings[f"measure_{size}_s"] = round(time.perf_counter() - started, 1)

    first, last = str(sizes[0]), str(sizes[-1])
    if first != last:
        for name, _ in ENDPOINTS:
            a, b = results[first][name], results[last][name]
            log(
                f"{name:<24} {first} -> {last}: p50 x{b['p50_ms'] / a['p50_ms']:.1f}, "
                f"queries {a['queries']} -> {b['queries']}"
                + ("" if a["queries"] == b["queries"] else "  <- GROWS")
            )
    return {"sizes": results, "version": version, "timings": timings}


def measure(client, size: int, n: int, *, budget: float, explain: bool) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _, url in ENDPOINTS:
        started = time.perf_counter()
        for _ in range(WARM_UP):
            client.get(url)
            if time.perf_counter() - started > WARM_UP_BUDGET:
                break
    # Query counts (and the SQL, for EXPLAIN) from one warm request each, outside the timed runs; the first
    # request fills caches (content types) that later ones do not repeat.
    captured, pages = {}, {}
    for name, url in ENDPOINTS:
        connection.queries_log.clear()  # a request empties the log as it starts: count from an empty one
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
        captured[name] = [q["sql"] for q in context.captured_queries]
        if name in JSON_ENDPOINTS:
            pages[name] = response.json()["results"]

    def same(a: str, b: str) -> str:
        rows = [[(r["ref"], r["slots"], r["waiting_on_me"]) for r in pages[name]] for name in (a, b)]
        return "same" if rows[0] == rows[1] else "DIFFERENT"

    for name, _ in ENDPOINTS:
        log(f"[{size:>7}] {name} queries: " + ", ".join(describe(q) for q in captured[name]))
    log(
        f"[{size:>7}] first pages: "
        + ", ".join(f"{name} {len(rows)}" for name, rows in pages.items())
        + f"; naive vs queue {same('naive', 'queue')}"
    )

    samples: dict[str, list[float]] = {name: [] for name, _ in ENDPOINTS}
    active = dict(ENDPOINTS)
    for _ in range(n):  # interleaved, so drift on the machine hits every endpoint alike
        for name, url in list(active.items()):
            started = time.perf_counter()
            response = client.get(url)
            samples[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
            if sum(samples[name]) > budget * 1000 and len(samples[name]) >= MIN_REQUESTS:
                del active[name]

    figures = {}
    for name, _ in ENDPOINTS:
        figures[name] = {
            "p50_ms": round(statistics.median(samples[name]), 2),
            "p95_ms": round(percentile(samples[name], 0.95), 2),
            "queries": len(captured[name]),
            "requests": len(samples[name]),
        }
        log(
            f"[{size:>7}] {name:<24} p50 {figures[name]['p50_ms']:>8.2f} ms   p95 {figures[name]['p95_ms']:>8.2f} ms"
            f"   {figures[name]['queries']} queries   ({len(samples[name])} requests)"
        )
    if explain:
        for name, _ in ENDPOINTS:
            for statement in captured[name]:
                if "intake_usecase" in statement:
                    explain_analyze(f"{name} at {size}", statement)
    return figures


def describe(statement: str) -> str:
    """A query in a word: the main table it reads (the use cases if it reads them at all), COUNT marked."""
    tables = FROM_TABLE.findall(statement)
    table = "intake_usecase" if "intake_usecase" in tables else (tables[0] if tables else "?")
    return f"count({table})" if statement.startswith("SELECT COUNT(") else table


def explain_analyze(label: str, statement: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    log(f"--- EXPLAIN ANALYZE, {label}:\n{statement}\n{plan}\n---")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return run_sized("bench/queue.py", args, run)


if __name__ == "__main__":
    sys.exit(main())
