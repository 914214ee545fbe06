"""Selectors: visibility in one query, my requests, and duplicate candidates (how titles compare: test_similarity)."""

import pytest

from intake.selectors import my_requests, possible_duplicates, use_cases_visible_to

pytestmark = pytest.mark.django_db


def test_possible_duplicates_are_from_the_same_team_and_most_similar_first(
    make_use_case, requester, other_team_requester
):
    near = make_use_case(title="Customer email reply drafting")
    make_use_case(title="Refund approval agent")
    make_use_case(actor=other_team_requester, title="Customer email reply drafting assistant")
    new = make_use_case(title="Drafting replies to customer email")
    assert [c.reference for c, _ in possible_duplicates(new, user=requester)] == [near.reference]


def test_withdrawn_requests_are_not_duplicate_candidates(make_use_case, requester):
    from intake.services import use_case_withdraw

    old = make_use_case(title="Meeting notes summariser")
    use_case_withdraw(actor=requester, use_case=old)
    assert possible_duplicates(make_use_case(title="Meeting notes summariser"), user=requester) == []


def test_visibility_is_one_query(make_use_case, requester, django_assert_num_queries):
    for i in range(5):
        make_use_case(title=f"Item {i}")
    with django_assert_num_queries(1):
        rows = list(use_cases_visible_to(requester))
        _ = [(r.team.name, r.submitter.username) for r in rows]
    assert len(rows) == 5


def test_my_requests_holds_own_and_team_requests_only(
    make_use_case, requester, teammate, other_team_requester
):
    mine = make_use_case(title="Mine")
    theirs = make_use_case(actor=teammate, title="Teammate's")
    make_use_case(actor=other_team_requester, title="Elsewhere")
    assert {u.pk for u in my_requests(requester)} == {mine.pk, theirs.pk}


def test_my_requests_lists_each_request_once_without_distinct_when_its_author_shares_several_teams(
    make_use_case, requester, teammate, django_assert_num_queries
):
    """A request of one's own team, by oneself, in a team with several members: once, from a query with no join on
    the memberships and no DISTINCT."""
    from accounts.models import Team

    mine = make_use_case(title="Mine")
    second = Team.objects.create(name="Second team", slug="second-team")
    requester.teams.add(second)
    teammate.teams.add(second)
    theirs = make_use_case(actor=teammate, title="Teammate's")

    with django_assert_num_queries(1) as captured:
        rows = list(my_requests(requester))
    sql = captured.captured_queries[0]["sql"].upper()

    assert sorted(u.pk for u in rows) == sorted([mine.pk, theirs.pk])
    assert "DISTINCT" not in sql
    assert "accounts_user_teams".upper() in sql  # the memberships, as a subquery on the user's own rows


def test_duplicate_candidates_are_only_what_the_person_may_see(make_use_case, requester, cio):
    make_use_case(title="Board minutes drafting")  # a draft: the CIO may not see it
    submitted = make_use_case(title="Board minutes drafting assistant", submit=True)
    assert possible_duplicates(submitted, user=cio) == []


def test_on_postgresql_reworded_duplicates_are_found_through_the_trigram_index(
    make_use_case, requester, team, django_assert_num_queries
):
    """The check reads a bounded set of the most alike titles through an index, however many requests the team has,
    and still finds the reordered, re-worded duplicate."""
    from django.db import connection

    from intake.models import UseCase
    from tests.support import need_postgresql

    need_postgresql()
    near = make_use_case(title="Customer email reply drafting")
    template = UseCase.objects.get(pk=near.pk)
    UseCase.objects.bulk_create(
        UseCase(
            reference=f"GAI-2020-{n:05d}",
            title=f"Unrelated workflow number {n}",
            team=team,
            submitter=requester,
            answers=template.answers,
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE intake_usecase")
    new = make_use_case(title="Drafting replies to customer email")
    with django_assert_num_queries(2) as queries:  # none worded the same: then the nearest by trigrams
        found = possible_duplicates(new, user=requester)
    assert [c.reference for c, _ in found] == [near.reference]
    plan = _plan(queries.captured_queries[1]["sql"])
    # The nearest titles within the team: the team is the index's condition, not a filter on every team's titles.
    assert "usecase_team_title_trgm_idx" in plan, plan
    # Visibility is probed for the few rows the walk returns, not answered from a hash of every grant of the team.
    assert "hashed SubPlan" not in plan, plan
    assert "Index Cond: (team_id = " in plan, plan


def test_the_requesters_counts_by_state_stop_past_the_cap_and_agree_below_it(make_use_case, requester):
    from intake.selectors import my_requests_by_state

    for n in range(4):
        make_use_case(title=f"Submitted {n}", submit=True)
    make_use_case(title="A draft")
    exact = my_requests_by_state(requester)
    assert exact == {"submitted": 4, "draft": 1}
    assert my_requests_by_state(requester, at_most=10) == exact
    capped = my_requests_by_state(requester, at_most=2)
    # Past the cap a state reads cap + 1 rows and stops (PostgreSQL); SQLite counts them all.
    assert capped["draft"] == 1 and capped["submitted"] in ({3} if _on_postgresql() else {4})


def test_the_requesters_capped_counts_do_not_count_what_they_may_not_see(
    make_use_case, requester, other_team_requester
):
    from intake.selectors import my_requests_by_state

    make_use_case(actor=other_team_requester, title="Not mine", submit=True)
    make_use_case(title="Mine", submit=True)
    assert my_requests_by_state(requester, at_most=999) == {"submitted": 1}


def _on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def test_the_most_recent_requests_are_the_teams_and_the_users_own_newest_first(
    make_use_case, requester, other_team_requester, team
):
    from intake.models import UseCase
    from intake.selectors import my_recent_requests

    older = make_use_case(title="Older")
    newer = make_use_case(title="Newer", submit=True)
    make_use_case(actor=other_team_requester, title="Not ours")
    own_elsewhere = make_use_case(title="Filed before moving teams")
    other_team = other_team_requester.teams.get()
    UseCase.objects.filter(pk=own_elsewhere.pk).update(team=other_team)  # still the requester's own request
    found = my_recent_requests(requester, limit=10)
    assert [u.reference for u in found] == [
        u.reference
        for u in UseCase.objects.filter(pk__in=[older.pk, newer.pk, own_elsewhere.pk]).order_by(
            "-updated_at", "-pk"
        )
    ]
    assert [u.reference for u in my_recent_requests(requester, exclude_states=("submitted",), limit=1)] == [
        UseCase.objects.filter(pk__in=[older.pk, own_elsewhere.pk])
        .order_by("-updated_at", "-pk")
        .first()
        .reference
    ]


def test_an_inactive_person_is_shown_no_duplicates(make_use_case, requester):
    make_use_case(title="Board minutes drafting")
    new = make_use_case(title="Board minutes drafting assistant")
    requester.is_active = False

    assert possible_duplicates(new, user=requester) == []


def _plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # can it use the index (not: is it cheapest here)
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_on_postgresql_titles_worded_alike_are_read_by_their_wording_in_one_query(
    make_use_case, requester, team, other_team_requester, django_assert_num_queries
):
    """In a team whose titles come in clusters worded alike, the check reads the same title and the newest of the
    cluster down b-trees on (team, lower(title)) and (team, wording), and stops: no trigram walk through hundreds of
    alike titles."""
    from django.contrib.auth.models import Permission
    from django.db import connection

    from intake.models import UseCase, UseCaseUserObjectPermission
    from intake.services import use_case_withdraw
    from tests.support import need_postgresql

    need_postgresql()
    template = UseCase.objects.get(pk=make_use_case(title="Unrelated").pk)
    UseCase.objects.bulk_create(
        UseCase(
            reference=f"GAI-2020-{n:05d}",
            title=f"Claims triage #{n // 10}" if n % 10 == 0 else f"Workflow {n} of another kind",
            team=team,
            submitter=requester,
            answers=template.answers,
        )
        for n in range(6000)
    )
    view = Permission.objects.get(codename="view_usecase")
    UseCaseUserObjectPermission.objects.bulk_create(
        UseCaseUserObjectPermission(user=requester, permission=view, content_object_id=pk)
        for pk in UseCase.objects.filter(reference__startswith="GAI-2020-").values_list("pk", flat=True)
    )
    withdrawn = make_use_case(title="Claims: triage 7")
    use_case_withdraw(actor=requester, use_case=withdrawn)
    elsewhere = make_use_case(actor=other_team_requester, title="CLAIMS TRIAGE 7")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE intake_usecase")
    new = make_use_case(title="Claims triage #7")

    with django_assert_num_queries(1) as queries:
        found = possible_duplicates(new, user=requester)

    titles = [c.title for c, _ in found]
    assert len(found) == 5 and all(t.startswith("Claims triage #") for t in titles), titles
    assert titles[0] == "Claims triage #7"  # the same title, though older than the cluster's newest fifty
    assert withdrawn.pk not in [c.pk for c, _ in found] and elsewhere.pk not in [c.pk for c, _ in found]
    plan = _plan(queries.captured_queries[0]["sql"])
    assert "usecase_team_wording_idx" in plan and "usecase_team_lower_title_idx" in plan, plan
    assert "hashed SubPlan" not in plan, plan


def test_titles_worded_alike_but_too_few_still_bring_the_nearest_by_trigrams(make_use_case, requester):
    """Fewer than five worded alike: the reworded ones are looked for as well, and each is listed once."""
    same = make_use_case(title="Board minutes drafting 2")
    reworded = make_use_case(title="Drafting the board minutes")
    new = make_use_case(title="Board minutes drafting")

    found = [c.pk for c, _ in possible_duplicates(new, user=requester)]

    assert sorted(found) == sorted([same.pk, reworded.pk])
