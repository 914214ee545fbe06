"""The review-round backfill (approvals 0005) on existing rows: cycles numbered per use case, the use case's round
after them, and the one-cycle-per-round constraint holding on the result."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("approvals", "0004_review_cycle_waiting_since"),
    ("intake", "0004_usecase_awaiting_decision_since"),
]
AFTER = [("approvals", "0005_review_round")]
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # The people the rows belong to as they are now: accounts' later fields (not null, no database default) must be
    # in the historical models, or creating a user here would leave them empty.
    accounts = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "accounts"]
    executor.migrate([*targets, *accounts])
    return executor.loader.project_state([*targets, *accounts]).apps


@pytest.mark.django_db(transaction=True)
def test_the_backfill_numbers_each_use_cases_rounds_from_its_cycles():
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Team = apps.get_model("accounts", "Team")
        UseCase = apps.get_model("intake", "UseCase")
        Revision = apps.get_model("intake", "UseCaseRevision")
        Cycle = apps.get_model("approvals", "ReviewCycle")
        person = User.objects.create(username="someone")
        team = Team.objects.create(name="Team", slug="team")
        made = {}

        def use_case(key, status, revisions):
            made[key] = UseCase.objects.create(
                reference=f"GAI-2026-{len(made) + 1:04d}",
                title=key,
                team=team,
                submitter=person,
                status=status,
                revision_count=revisions,
            )
            return [
                Revision.objects.create(
                    use_case=made[key],
                    number=n,
                    content={},
                    content_hash=f"{n:064d}",
                    assessment={},
                    ruleset_version="x",
                    submitted_by=person,
                    submitted_at=T0,
                )
                for n in range(1, revisions + 1)
            ]

        def cycle(key, revision, hours, closed=True, kind="initial"):
            opened = T0 + timedelta(hours=hours)
            return Cycle.objects.create(
                use_case=made[key],
                revision=revision,
                kind=kind,
                opened_at=opened,
                closed_at=opened if closed else None,
                outcome="approved" if closed else "",
            )

        use_case("draft", "draft", 0)
        use_case("waiting", "submitted", 1)
        [r1] = use_case("deciding", "submitted", 1)
        cycle("deciding", r1, 1, closed=False)
        first, second = use_case("approved_on_r2", "approved", 2)
        later = cycle("approved_on_r2", second, 5)
        earlier = cycle("approved_on_r2", first, 2)
        [r1] = use_case("re_review", "re_review_due", 1)
        cycle("re_review", r1, 1)
        [r1] = use_case("re_reviewing", "re_review_due", 1)
        cycle("re_reviewing", r1, 1)
        same_time = [cycle("re_reviewing", r1, 3, closed=False, kind="re_review")]
        use_case("withdrawn_undecided", "withdrawn", 1)
        [r1] = use_case("tie", "approved", 1)
        tied = [cycle("tie", r1, 7), cycle("tie", r1, 7)]  # same instant: the order they were created in

        apps = _migrate(AFTER)
        UseCase = apps.get_model("intake", "UseCase")
        Cycle = apps.get_model("approvals", "ReviewCycle")
        rounds = dict(UseCase.objects.values_list("title", "review_round"))
        assert rounds == {
            "draft": 0,
            "waiting": 1,  # waiting with no cycle yet: the round it waits for
            "deciding": 1,
            "approved_on_r2": 2,
            "re_review": 2,  # flagged after its approval, nothing decided yet
            "re_reviewing": 2,
            "withdrawn_undecided": 1,  # its submission was a round, decided by nobody
            "tie": 2,
        }
        cycle_rounds = dict(Cycle.objects.values_list("pk", "review_round"))
        assert (cycle_rounds[earlier.pk], cycle_rounds[later.pk]) == (1, 2)  # by when they opened
        assert cycle_rounds[same_time[0].pk] == 2
        assert [cycle_rounds[c.pk] for c in tied] == [1, 2]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
