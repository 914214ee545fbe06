"""Board-pack rendering at 100, 1,000 and 5,000 use cases on PostgreSQL: the render task's path, timed step by step.

From the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/boardpack.py [--sizes 100,1000,5000]

DATABASE_URL names the server and credentials. For each size the benchmark creates (or resets) its own database on
that server, `bench_boardpack` unless --database says otherwise (the name must start with `bench_`), migrates it and
seeds it through the real services on a controlled clock (pack_seed.py), then measures, in a fresh process (so the
peak memory is that render's alone), what the render task does: a render process started (reporting.pdf_engine),
gathering from the database meanwhile (reporting.pack.pack_context), templating (reporting.rendering.pack_html),
and the render process turning the HTML into a tagged PDF/A; then the same final HTML through WeasyPrint alone in
this process, tagged and untagged (PDF/A-3u), for the cost of the tags.
The database is dropped at the end unless --keep is given. The last line
printed is one JSON object with the figures.
"""

import os
import sys
from pathlib import Path

# Run as a script, this directory would come first on sys.path, and its queue.py would shadow the standard `queue`
# module for everything imported later: put the project root there instead, before anything else is imported.
BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from bench.database import check_name, drop_database, recreate_database, server_config, url_for  # noqa: E402

FROM_TABLE = re.compile(r'FROM "(\w+)"')
UNTAGGED_VARIANT = "pdf/a-3u"  # the pack's variant before it was tagged
REPEAT = 2  # each timed step's runs; the best is kept
EMPTY_HTML = "<html lang='en'><body><p>.</p></body></html>"


def log(message: str) -> None:
    print(message, flush=True)


def note(message: str) -> None:
    """Detail that is not one of the figures: to stderr, so stdout stays one line per size and the JSON."""
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_boardpack", help="database to create and drop (bench_*)")
    parser.add_argument("--sizes", default="100,1000,5000", help="use-case counts (default 100,1000,5000)")
    parser.add_argument("--settings", default="config.settings.test", help="Django settings module")
    parser.add_argument("--keep", action="store_true", help="keep the database (of the last size) afterwards")
    parser.add_argument("--seed-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-child", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# Children: each runs with DATABASE_URL naming the benchmark's database ----------------------------------------


def setup_django(*quiet: str) -> None:
    """Django for a child; the loggers named go down to warnings, as config/settings/local.py has them."""
    import django

    django.setup()
    for name in quiet:
        logging.getLogger(name).setLevel(logging.WARNING)


def seed_child(size: int) -> dict:
    """Migrate the empty database, seed `size` use cases through the services, VACUUM ANALYZE."""
    setup_django("celery.app.trace")  # a line per notification task, run in-process
    from django.core.management import call_command
    from django.db import connection

    from bench import pack_seed
    from intake.models import UseCase
    from reporting.selectors import statuses_at

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    built = pack_seed.seed(size)
    seeded = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    # The pack reads statuses from the audit trail: after the last step it must agree with the use cases' rows.
    now_status = statuses_at(pack_seed.REQUESTED_AT + timedelta(days=1))
    rows = dict(UseCase.objects.values_list("pk", "status"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT occurred_at < lag(occurred_at) OVER (ORDER BY sequence) AS back"
            " FROM audit_auditevent) AS chain WHERE back"
        )
        backwards = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM audit_auditevent")
        events = cursor.fetchone()[0]
    return {
        "migrate_seconds": round(migrated - started, 1),
        "seed_seconds": round(seeded - migrated, 1),
        "steps": built["steps"],
        "statuses": built["statuses"],
        "audit_events": events,
        "audit_trail_disagrees": sum(1 for pk, status in rows.items() if now_status.get(pk) != status),
        "audit_times_backwards": backwards,
    }


def measure_child(size: int) -> dict:
    """The render task's path (a render process started, the data gathered and templated meanwhile, the HTML
    rendered there), then WeasyPrint alone on the same HTML in this process: tagged as the task renders it, then
    untagged, for what the tags cost."""
    setup_django("weasyprint", "fontTools")  # their per-step progress
    import weasyprint  # noqa: F401 - loaded before timing, as in a worker that has rendered before
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import pack_seed
    from reporting.pack import pack_context
    from reporting.rendering import pack_html, render_pdf, render_process, static_base, static_roots

    quarter, cutoff = pack_seed.pack_dates()
    connection.ensure_connection()
    base_url, roots = static_base().as_uri() + "/", static_roots()
    with render_process() as empty:  # what a render process holds before it lays out a page
        empty.render(EMPTY_HTML, base_url=base_url, roots=roots)
    process_baseline_kib = empty.peak_kib
    # Each step is timed REPEAT times and its best time kept: one run on a 2 vCPU machine varies by 10-15 %, more
    # than the ratios this benchmark reports.
    task_runs, process_peaks = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        with render_process() as process:
            with CaptureQueriesContext(connection) as queries:
                context = pack_context(quarter, cutoff, version=1)
            gathered = time.perf_counter()
            html = pack_html(context)
            templated = time.perf_counter()
            pdf, pages = process.render(html, base_url=base_url, roots=roots)
        rendered = time.perf_counter()
        process_peaks.append(process.peak_kib)
        task_runs.append((rendered - started, gathered - started, templated - gathered, rendered - templated))
    # The worker's own peak over the task's runs: Django, the data, the HTML and the PDF (no layout).
    worker_peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    process_peak_kib = max(process_peaks)

    task, gather, template, weasyprint_in_task = min(task_runs)
    alone = untagged = float("inf")
    for _ in range(REPEAT):
        alone_started = time.perf_counter()
        _pdf, alone_pages = render_pdf(html)
        alone = min(alone, time.perf_counter() - alone_started)
        assert alone_pages == pages, (alone_pages, pages)
    for _ in range(REPEAT):
        untagged_started = time.perf_counter()
        _pdf, untagged_pages = render_pdf(html, variant=UNTAGGED_VARIANT)
        untagged = min(untagged, time.perf_counter() - untagged_started)
        assert untagged_pages == pages, (untagged_pages, pages)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    peak_kib = max(worker_peak_kib, process_peak_kib)
    return {
        "use_cases": size,
        "pages": pages,
        "seconds": round(task, 2),
        "gather_seconds": round(gather, 2),
        "gather_queries": len(queries.captured_queries),
        "template_seconds": round(template, 2),
        # From the HTML handed over to the PDF read back (the render process had loaded WeasyPrint by then).
        "weasyprint_seconds": round(weasyprint_in_task, 2),
        "weasyprint_alone_seconds": round(alone, 2),
        "pages_per_second": round(pages / alone, 1),
        # The whole task's path against WeasyPrint alone on its HTML (the target: at most 1.1).
        "seconds_over_weasyprint": round(task / alone, 2),
        "untagged_seconds": round(untagged, 2),
        "untagged_pages_per_second": round(pages / untagged, 1),
        "tagging_cost": round(alone / untagged, 2),
        # The larger of the worker's peak and the render process's: the most either process held.
        "peak_memory_mib": round(peak_kib / 1024, 1),
        "peak_memory_mib_per_page": round(peak_kib / 1024 / pages, 2),
        "worker_peak_memory_mib": round(worker_peak_kib / 1024, 1),
        "render_process_peak_memory_mib": round(process_peak_kib / 1024, 1),
        # What the render adds to a render process that holds WeasyPrint alone, per page.
        "render_memory_mib_per_page": round((process_peak_kib - process_baseline_kib) / 1024 / pages, 2),
        "pdf_bytes": len(pdf),
        # Not part of the figures: what the pack held, and the gathering's slowest statements.
        "_detail": {
            "html_bytes": len(html.encode()),
            "render_process_baseline_mib": round(process_baseline_kib / 1024, 1),
            "statement_seconds": round(sum(float(q["time"]) for q in queries.captured_queries), 3),
            "slowest_queries": [f"{float(q['time']) * 1000:.0f} ms {describe(q['sql'])}" for q in slowest],
            "sections": sections(context),
        },
    }


def describe(statement: str) -> str:
    tables = FROM_TABLE.findall(statement)
    return tables[0] if tables else statement[:40]


def sections(context: dict) -> dict:
    """How many rows each section of the pack has (an empty one means the seeding missed something)."""
    summary = context["summary"]
    return {
        "register": len(context["register"]),
        "signatures": len((context["boundary"] or {}).get("signatures", [])),
        "providers": len(context["portfolio"]["by_provider"]),
        "heatmap": sum(map(sum, context["heatmap"])),
        "breaches": len(context["exposure"]["breaches"]),
        "exceptions": len(context["exposure"]["exceptions"]),
        "decisions": context["decisions"]["count"],
        "median_days": context["decisions"]["median_days"],
        "p90_days": context["decisions"]["p90_days"],
        "prohibited": len(context["prohibited"]),
        "open_conditions": len(context["open_conditions"]),
        "overdue_conditions": sum(1 for c in context["open_conditions"] if c["overdue"]),
        "overdue_re_reviews": len(context["overdue_re_reviews"]),
        "new_this_quarter": summary["new_this_quarter"],
        "rag": summary["rag"],
    }


# The parent: no Django, one database per size ----------------------------------------------------------------


def child(args: argparse.Namespace, flag: str, size: int, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, flag, str(size), "--settings", args.settings],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.seed_child or args.measure_child:
        os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
        result = seed_child(args.seed_child) if args.seed_child else measure_child(args.measure_child)
        print(json.dumps(result), flush=True)
        return 0
    check_name(args.database)
    sizes = [int(s) for s in args.sizes.split(",")]
    if any(s < 1 for s in sizes):
        sys.exit("--sizes must be positive, e.g. 100,1000,5000")
    config = server_config("bench/boardpack.py")
    env = {
        **os.environ,
        "DATABASE_URL": url_for(args.database),
        # Notifications go nowhere while seeding (they would only fill the in-memory outbox).
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    results: dict[str, dict] = {}
    seeding: dict[str, float] = {}
    version = ""
    started = time.perf_counter()
    try:
        for size in sizes:
            # One database per size, seeded from an empty one: the seeding moves the clock forward through the
            # year, so a second batch could not be added to the same quarter without going back in time.
            version = recreate_database(config, args.database)
            note(f"[{size:>5}] seeding {size:,} use cases through the services ...")
            seeded = child(args, "--seed-child", size, env)
            if seeded["audit_trail_disagrees"] or seeded["audit_times_backwards"]:
                sys.exit(f"[{size:>5}] the seeded audit trail is inconsistent: {seeded}")
            seeding[str(size)] = seeded["seed_seconds"]
            note(
                f"[{size:>5}] seeded in {seeded['seed_seconds']} s (migrate {seeded['migrate_seconds']} s; "
                f"{seeded['steps']:,} timed steps, {seeded['audit_events']:,} audit events); statuses now "
                + ", ".join(f"{status} {n}" for status, n in sorted(seeded["statuses"].items()))
            )
            result = child(args, "--measure-child", size, env)
            detail = result.pop("_detail")
            results[str(size)] = result
            log(
                f"{size:>5} use cases: {result['pages']} pages in {result['seconds']} s = gather "
                f"{result['gather_seconds']} s ({result['gather_queries']} queries) + template "
                f"{result['template_seconds']} s + WeasyPrint {result['weasyprint_seconds']} s; WeasyPrint alone "
                f"{result['weasyprint_alone_seconds']} s ({result['pages_per_second']} pages/s; task path "
                f"{result['seconds_over_weasyprint']}x that), untagged {result['untagged_seconds']} s "
                f"({result['untagged_pages_per_second']} pages/s; tags cost {result['tagging_cost']}x); peak "
                f"{result['peak_memory_mib']} MiB ({result['peak_memory_mib_per_page']} MiB/page, the render "
                f"{result['render_memory_mib_per_page']} MiB/page); "
                f"{result['pdf_bytes']:,} bytes"
            )
            note(
                f"[{size:>5}] statements' execute time {detail['statement_seconds']} s (fetches from server-side "
                f"cursors not included), slowest {detail['slowest_queries']}; HTML {detail['html_bytes']:,} bytes; "
                "sections " + ", ".join(f"{k} {v}" for k, v in detail["sections"].items())
            )
    finally:
        if args.keep:
            log(f"kept database {args.database}")
        else:
            drop_database(config, args.database)
            log(f"dropped database {args.database}")
    log(f"total {time.perf_counter() - started:.1f} s")
    print(
        json.dumps(
            {
                "sizes": results,
                "machine": {"cpus": os.cpu_count()},
                "postgres": version,
                "seed_seconds": seeding,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
