"""Benchmark the paths that used to grow with the portfolio, at several sizes, on PostgreSQL.

From the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale.py [--sizes 1000,100000]

The database (`bench_scale` unless --database says otherwise; it must start with `bench_`) is created, migrated and
seeded with bench/seed.py (the same realistic portfolio as the queue benchmark), then at each size:

- what_if: the boundary what-if of a stricter draft against the active boundary as its page asks for it (set-based
  on PostgreSQL, grouped by the check facts kept with each use case), its grouped query as it was before those facts
  were kept (what_if_from_revisions: every latest revision's JSON read), and the same answer checked use case by use
  case (what_if_per_use_case, the way before that);
- activation: the signature that puts the stricter draft in force (the request's work), then the worker's re-review
  pass over the approved use cases it leaves behind (how long, how many moved, statements per batch);
- duplicates: the submit page's possible-duplicates check for a request of the largest team;
- create / submit: POST /api/v1/use-cases/ and POST .../submit/ as a requester (p50 and statements).

The last line printed is one JSON object with the figures.
"""

import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from bench.database import run_sized  # noqa: E402

API_REPEATS = 30
DUPLICATE_REPEATS = 20
PAGE_REPEATS = 15


def log(message: str) -> None:
    print(message, flush=True)


def counting():
    """Capture the statements of what follows. The log is emptied first: a test-client request empties it when it
    starts (request_started), which would leave a capture begun on a longer log with nothing in it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    return CaptureQueriesContext(connection)


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return value, (time.perf_counter() - started) * 1000


def fact_groups_from_revisions(listed: int) -> int:
    """The what-if's grouped query before the facts were kept: every latest revision's JSON read and grouped."""
    from django.contrib.postgres.aggregates import ArrayAgg
    from django.db.models import Count, F

    from intake.models import UseCaseRevision
    from riskboundaries.selectors import IMPACT_STATES, _check_facts, _FirstOf

    rows = (
        UseCaseRevision.objects.filter(
            use_case__status__in=IMPACT_STATES, number=F("use_case__revision_count")
        )
        .values(facts=_check_facts())
        .annotate(
            how_many=Count("pk"), ids=_FirstOf(ArrayAgg("use_case_id", order_by="use_case_id"), n=listed)
        )
        .values_list("facts", "how_many", "ids")
        .order_by()
    )
    return len(list(rows))


def measure(size: int, people, step: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from bench import seed
    from intake.models import UseCase
    from intake.selectors import possible_duplicates
    from intake.workflow import Status
    from outbox import services as outbox
    from riskboundaries import services
    from riskboundaries.models import ReReviewRun
    from riskboundaries.selectors import boundary_impact_split, breaching_use_cases
    from riskboundaries.views import IMPACT_PAGE_ROWS
    from tests.answer_sets import CHATBOT
    from tests.riskboundaries.conftest import PERMISSIVE

    User = get_user_model()
    cio, ciso = people.cio, User.objects.get(username=seed.CISO)
    figures: dict = {}

    # What-if and activation: a stricter draft each time (a different review date keeps the versions distinct).
    limits = {**PERMISSIVE, "max_inherent_score": 12, "review_by": f"2027-0{step + 1}-28"}
    draft = services.boundary_create(actor=cio, limits=limits)
    runs = [timed(boundary_impact_split, draft, listed=IMPACT_PAGE_ROWS) for _ in range(2)]
    split = runs[-1][0]
    figures["what_if_ms"] = round(min(ms for _, ms in runs), 1)
    figures["what_if_breaching"] = split.count("newly") + split.count("already")
    # The grouped query as it was before the check facts were kept with each use case: built from every latest
    # revision's JSON (what a use case without kept facts still falls back to).
    groups, ms = min(
        (timed(fact_groups_from_revisions, IMPACT_PAGE_ROWS) for _ in range(2)), key=lambda r: r[1]
    )
    figures["what_if_from_revisions_ms"] = round(ms, 1)
    figures["what_if_groups"] = groups
    # The same answer read and checked use case by use case (what SQLite does, and every database did before).
    per_row, ms = timed(breaching_use_cases, draft.content)
    figures["what_if_per_use_case_ms"] = round(ms, 1)
    assert len(per_row) == figures["what_if_breaching"]
    approved_before = UseCase.objects.filter(status=Status.APPROVED).count()
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    # Tasks run in-process under these settings: keep the pass out of the signature, as a worker would.
    publish, outbox.publish = outbox.publish, lambda message_id: False
    try:
        with counting() as signing:
            _, ms = timed(
                services.boundary_sign, actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash
            )
    finally:
        outbox.publish = publish
    figures["activation_request_ms"] = round(ms, 1)
    figures["activation_request_queries"] = len(signing.captured_queries)
    run = ReReviewRun.objects.get(boundary=draft)
    with counting() as one_batch:
        services._re_review_batch(run.pk, batch_size=500)
    figures["re_review_batch_queries"] = len(one_batch.captured_queries)
    run, ms = timed(services.boundary_re_review_run, run_id=run.pk, slice_seconds=3600)
    figures["re_review_pass_s"] = round(ms / 1000, 2)
    figures["re_review_checked"], figures["re_review_flagged"] = run.checked, run.flagged
    figures["approved_before"] = approved_before

    # Possible duplicates for a request of the largest team.
    team_id = max(people.members, key=lambda t: UseCase.objects.filter(team_id=t).count())
    requester = User.objects.get(pk=people.members[team_id][0])
    sample = UseCase.objects.filter(team_id=team_id).order_by("-pk").first()
    with counting() as checking:
        possible_duplicates(sample, user=requester)
    samples = [timed(possible_duplicates, sample, user=requester)[1] for _ in range(DUPLICATE_REPEATS)]
    figures["duplicates_p50_ms"] = round(statistics.median(samples), 2)
    figures["duplicates_queries"] = len(checking.captured_queries)

    # Create and submit through the API, as the requester.
    client = Client()
    client.force_login(requester)
    create_ms, submit_ms, counts = [], [], []
    publish, outbox.publish = (
        outbox.publish,
        lambda message_id: False,
    )  # the e-mails are the worker's, not the request's
    for n in range(API_REPEATS):
        with counting() as created:
            response, ms = timed(
                client.post,
                "/api/v1/use-cases/",
                {"title": f"Bench assistant {size}-{n}", **CHATBOT},
                content_type="application/json",
            )
        create_sql = [
            q["sql"] for q in created.captured_queries
        ]  # read now: the next request empties the log
        assert response.status_code == 201, response.content[:300]
        create_ms.append(ms)
        ref = response.json()["ref"]
        with counting() as submitted:
            response, ms = timed(client.post, f"/api/v1/use-cases/{ref}/submit/")
        submit_sql = [q["sql"] for q in submitted.captured_queries]
        assert response.status_code == 200, response.content[:300]
        submit_ms.append(ms)
        counts.append((len(create_sql), len(submit_sql)))
        if n == API_REPEATS - 1 and os.environ.get("BENCH_SHOW_QUERIES"):
            for statement in [*create_sql, *submit_sql]:
                log("    " + statement[:150])
    outbox.publish = publish

    # Pages and lists people open, and the queue API against its own SQL run bare.
    cio_client = Client()
    cio_client.force_login(cio)
    for who, page_client, url in (
        ("cio", cio_client, "/"),
        ("cio", cio_client, "/board-packs/dashboard/"),
        ("cio", cio_client, "/decisions/"),
        ("cio", cio_client, "/requests/"),
        ("cio", cio_client, "/api/v1/review-queue/"),
        ("requester", client, "/"),
        ("requester", client, "/requests/"),
        ("requester", client, "/api/v1/use-cases/"),
    ):
        name = f"{who} {url}"
        page_client.get(url)
        with counting() as page_queries:
            response = page_client.get(url)
        statements = [
            q["sql"] for q in page_queries.captured_queries
        ]  # read now: the next request empties the log
        assert response.status_code == 200, (url, response.status_code)
        samples = [timed(page_client.get, url)[1] for _ in range(PAGE_REPEATS)]
        figures[f"page {name}"] = {"p50_ms": round(statistics.median(samples), 1), "queries": len(statements)}
        if url == "/api/v1/review-queue/":
            main = max(statements, key=len)
            with connection.cursor() as cursor:
                bare = []
                for _ in range(PAGE_REPEATS):
                    started = time.perf_counter()
                    cursor.execute(main)
                    cursor.fetchall()
                    bare.append((time.perf_counter() - started) * 1000)
            figures["queue_bare_sql_p50_ms"] = round(statistics.median(bare), 2)
            figures["queue_over_bare_sql"] = round(
                figures[f"page {name}"]["p50_ms"] / figures["queue_bare_sql_p50_ms"], 1
            )
    figures["create_p50_ms"] = round(statistics.median(create_ms[3:]), 2)
    figures["submit_p50_ms"] = round(statistics.median(submit_ms[3:]), 2)
    # The first request of a process also fills Django's caches (content types, permissions): steady state is the rest.
    figures["create_submit_queries"] = counts[-1]
    figures["create_submit_queries_first"] = counts[0]
    for name, value in figures.items():
        log(f"[{size:>7}] {name:<28} {value}")
    return figures


def run(args: argparse.Namespace, sizes: list[int]) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from bench import seed
    from riskboundaries import services
    from tests.riskboundaries.conftest import PERMISSIVE

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    people = seed.seed_people()
    seeder = seed.Seeder(people)
    from django.contrib.auth import get_user_model

    ciso = get_user_model().objects.get(username=seed.CISO)
    first = services.boundary_create(actor=people.cio, limits=PERMISSIVE)
    services.boundary_sign(actor=people.cio, boundary=first, role="cio", seen_hash=first.content_hash)
    services.boundary_sign(actor=ciso, boundary=first, role="ciso", seen_hash=first.content_hash)

    results, timings, seeded = {}, {}, 0
    for step, size in enumerate(sizes):
        started = time.perf_counter()
        seeder.seed(size - seeded)
        seeded = size
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        timings[f"seed_{size}_s"] = round(time.perf_counter() - started, 1)
        log(f"[{size:>7}] seeded in {timings[f'seed_{size}_s']} s")
        results[str(size)] = measure(size, people, step)
    return {"sizes": results, "version": version, "timings": timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_scale", help="database to create and drop (bench_*)")
    parser.add_argument("--sizes", default="1000,100000", help="use-case counts, ascending")
    parser.add_argument("--settings", default="config.settings.test", help="Django settings module")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    return run_sized("bench/scale.py", args, run)


if __name__ == "__main__":
    sys.exit(main())
