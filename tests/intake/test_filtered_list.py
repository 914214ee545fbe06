"""The requests list narrowed by filters: the selector (one query, each filter) and the page (chips, bad values)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from intake import selectors, views
from intake.listfilters import parse_filters
from intake.models import UseCase
from intake.workflow import Status
from tests.intake.conftest import CV_SCREENING

pytestmark = pytest.mark.django_db


def filtered(user, query: str, *, now=None):
    from django.http import QueryDict

    return selectors.use_cases_filtered(
        selectors.use_cases_visible_to(user), parse_filters(QueryDict(query)), now=now or timezone.now()
    )


def refs(queryset) -> set[str]:
    return {u.reference for u in queryset}


# --- the selector ------------------------------------------------------------------------------------------------


def test_status_tier_band_and_score_filter_on_the_use_case(make_use_case, cio):
    chatbot = make_use_case(title="Chat", submit=True)
    screening = make_use_case(title="Screening", answers=CV_SCREENING, submit=True)
    make_use_case(title="Draft")
    UseCase.objects.filter(pk=chatbot.pk).update(band="low", score=3)
    UseCase.objects.filter(pk=screening.pk).update(band="critical", score=20)

    assert refs(filtered(cio, "status=submitted")) == {chatbot.reference, screening.reference}
    assert refs(filtered(cio, f"tier={screening.tier}")) == {screening.reference}
    assert refs(filtered(cio, "band=low")) == {chatbot.reference}
    assert refs(filtered(cio, "band=low&band=critical")) == {chatbot.reference, screening.reference}
    assert refs(filtered(cio, "score=20")) == {screening.reference}
    assert refs(filtered(cio, "status=approved")) == set()


def test_likelihood_and_impact_come_from_the_latest_revision(make_use_case, cio):
    screening = make_use_case(title="Screening", answers=CV_SCREENING, submit=True)
    make_use_case(title="Chat", submit=True)
    assessed = screening.revisions.get().assessment
    likelihood, impact = assessed["likelihood"], assessed["impact"]

    assert refs(filtered(cio, f"likelihood={likelihood}&impact={impact}")) == {screening.reference}
    other = 1 if impact != 1 else 2
    assert screening.reference not in refs(filtered(cio, f"likelihood={likelihood}&impact={other}"))


def test_overdue_is_waiting_longer_than_the_decision_target(make_use_case, cio):
    with time_machine.travel(timezone.now() - timedelta(days=14)):
        old = make_use_case(title="Old", submit=True)
    fresh = make_use_case(title="Fresh", submit=True)

    assert refs(filtered(cio, "overdue=yes")) == {old.reference}
    assert fresh.reference in refs(filtered(cio, ""))


def test_the_verdict_filter_reads_the_stored_boundary_verdict(make_use_case, cio):
    one = make_use_case(title="One", submit=True)
    two = make_use_case(title="Two", submit=True)
    UseCase.objects.filter(pk=one.pk).update(boundary_verdict="exceeds")
    UseCase.objects.filter(pk=two.pk).update(boundary_verdict="within")

    assert refs(filtered(cio, "verdict=exceeds&verdict=prohibited")) == {one.reference}


def test_exception_filters_read_the_standing_approval(cio):
    from approvals.models import Approval

    call_command("seed_demo", "--password", "demo-password-123")
    standing = {
        a.use_case.reference: a.exception_expires_on
        for a in Approval.objects.select_related("use_case").order_by("approved_at")
    }
    approved = set(UseCase.objects.filter(status=Status.APPROVED).values_list("reference", flat=True))
    expected = {ref for ref, expires in standing.items() if expires is not None and ref in approved}

    assert expected
    assert refs(filtered(cio, "exception=standing")) == expected
    today = timezone.localdate()
    assert refs(filtered(cio, "exception=expired")) == {ref for ref in expected if standing[ref] < today}


def test_filtering_stays_one_query_and_within_what_the_user_may_see(
    make_use_case, requester, other_team_requester, django_assert_num_queries
):
    mine = make_use_case(title="Mine", submit=True)
    make_use_case(actor=other_team_requester, title="Theirs", submit=True)

    with django_assert_num_queries(1):
        found = refs(
            filtered(requester, "status=submitted&likelihood=1&impact=1&overdue=yes&exception=standing")
        )
    assert found == set()
    assert refs(filtered(requester, "status=submitted")) == {mine.reference}


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_list_shows_only_matching_rows_with_a_removable_chip_each(as_user, cio, make_use_case):
    chatbot = make_use_case(title="Chat", submit=True)
    screening = make_use_case(title="Screening", answers=CV_SCREENING, submit=True)
    UseCase.objects.filter(pk=chatbot.pk).update(band="low")
    UseCase.objects.filter(pk=screening.pk).update(band="critical")

    response = as_user(cio).get("/requests/?status=submitted&band=critical")

    content = response.content.decode()
    assert response.status_code == 200
    assert screening.reference in content and chatbot.reference not in content
    assert "Status: Submitted" in content and "Band: Critical" in content
    assert 'href="/requests/?band=critical"' in content  # the status chip removes the status only
    assert 'href="/requests/?status=submitted"' in content
    assert 'href="/requests/">Clear filters</a>' in content


def test_an_unknown_filter_value_is_named_and_ignored_never_an_error(as_user, cio, make_use_case):
    use_case = make_use_case(title="Chat", submit=True)

    response = as_user(cio).get("/requests/?band=purple&likelihood=99&status=lost")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Band: “purple” is not one of the choices; it was ignored." in content
    assert "Likelihood: “99” is not a whole number from 1 to 5; it was ignored." in content
    assert use_case.reference in content
    assert "Clear filters" not in content


def test_nothing_matching_says_so(as_user, cio, make_use_case):
    make_use_case(title="Chat", submit=True)

    content = as_user(cio).get("/requests/?status=retired").content.decode()

    assert "No use cases match these filters." in content


def test_the_older_link_carries_the_filters(as_user, cio, make_use_case, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first, second, third = (make_use_case(title=f"Assistant {n}", submit=True) for n in range(3))
    make_use_case(title="Draft")
    client = as_user(cio)

    newest = client.get("/requests/?status=submitted").content.decode()
    assert f'href="?before={second.pk}&amp;status=submitted"' in newest

    older = client.get(f"/requests/?before={second.pk}&status=submitted").content.decode()
    assert first.reference in older and third.reference not in older
    assert 'href="/requests/?status=submitted">Newest</a>' in older


def test_the_filtered_list_query_count_is_pinned(as_user, cio, make_use_case, django_assert_max_num_queries):
    client = as_user(cio)
    make_use_case(title="First", submit=True)
    query = "/requests/?status=submitted&status=approved&likelihood=2&impact=3&overdue=yes&exception=standing"
    client.get(query)
    for n in range(8):
        make_use_case(title=f"Assistant number {n}", submit=True)

    with django_assert_max_num_queries(4):
        assert client.get(query).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/requests/?status=submitted").content.decode().count('href="/requests/GAI-') == 9
