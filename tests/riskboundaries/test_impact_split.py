"""What-if against the active boundary: new breaches apart from old ones, in the selector, the pages and the API."""

import pytest

from riskboundaries import selectors, services
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, approve, signed_by_both
from tests.riskboundaries.test_views import detail_url, form_data, text

pytestmark = pytest.mark.django_db

ACTIVE_LIMITS = {**PERMISSIVE, "max_autonomy": 2}


@pytest.fixture
def active(cio, ciso):
    return signed_by_both(services.boundary_create(actor=cio, limits=ACTIVE_LIMITS), cio, ciso)


@pytest.fixture
def portfolio(active, make_use_case):
    """Approved use cases at autonomy 3 (outside the active boundary), 2 (inside it) and 0."""
    return {
        autonomy: approve(
            make_use_case(
                title=f"Agent at autonomy {autonomy}", answers={**CHATBOT, "autonomy": autonomy}, submit=True
            )
        )
        for autonomy in (3, 2, 0)
    }


def refs(pairs) -> list[str]:
    return [use_case.reference for use_case, _ in pairs]


def test_a_stricter_version_splits_new_breaches_from_old(cio, active, portfolio, django_assert_num_queries):
    with django_assert_num_queries(1):
        split = selectors.breaching_against_active({**ACTIVE_LIMITS, "max_autonomy": 1}, active)

    assert refs(split.newly) == [portfolio[2].reference]
    assert refs(split.already) == [portfolio[3].reference]
    assert split.no_longer == [] and split.active_version == active.version
    assert refs(split.breaching) == refs(selectors.breaching_use_cases({**ACTIVE_LIMITS, "max_autonomy": 1}))


def test_a_looser_version_lists_what_no_longer_breaches(active, portfolio):
    split = selectors.breaching_against_active({**ACTIVE_LIMITS, "max_autonomy": 3}, active)

    assert split.newly == [] and split.already == []
    assert refs(split.no_longer) == [portfolio[3].reference]
    assert split.no_longer[0][1].verdict.breaches  # the check shown is the active boundary's


def test_with_no_active_boundary_every_breach_is_new(make_use_case):
    use_case = approve(make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True))

    split = selectors.breaching_against_active({**PERMISSIVE, "max_autonomy": 1}, None)

    assert refs(split.newly) == [use_case.reference] and split.already == [] and split.active_version is None


def test_the_draft_page_shows_the_diff_first_then_new_then_old_breaches(as_user, cio, active, portfolio):
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 1})

    page = text(as_user(cio).get(detail_url(draft)))

    diff = page.index("Changes from the active boundary v1")
    newly = page.index("Newly breaching under this version 1")
    already = page.index("Already breaching the active boundary 1")
    assert diff < newly < already
    assert "2 use cases would breach it: 1 newly, 1 already breaching the active boundary v1" in page
    assert page.index(portfolio[2].reference) < already < page.index(portfolio[3].reference)
    assert "No longer breaching" not in page


def test_the_draft_page_shows_what_would_no_longer_breach(as_user, cio, active, portfolio):
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 3})

    page = text(as_user(cio).get(detail_url(draft)))

    assert "No approved or submitted use case would breach it." in page
    assert "No longer breaching 1" in page and portfolio[3].reference in page


def test_the_editor_preview_shows_the_diff_first_then_each_group_with_its_count(
    as_user, cio, active, portfolio
):
    response = as_user(cio).post(
        "/risk-boundaries/impact-preview/", form_data({**ACTIVE_LIMITS, "max_autonomy": 1})
    )

    page = text(response)
    assert response.status_code == 200
    diff = page.index("Changes from the active boundary v1")
    newly = page.index("Newly breaching under this version 1")
    already = page.index("Already breaching the active boundary 1")
    assert diff < newly < page.index(portfolio[2].reference) < already < page.index(portfolio[3].reference)
    assert "Highest autonomy" in page[diff:newly]


def test_the_draft_page_query_count_does_not_grow_with_the_use_cases(
    as_user, cio, active, portfolio, make_use_case, django_assert_max_num_queries
):
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 1})
    client = as_user(cio)
    client.get(detail_url(draft))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(draft))
    for n in range(5):
        approve(make_use_case(title=f"More {n}", answers={**CHATBOT, "autonomy": 2 + n % 2}, submit=True))
    with CaptureQueriesContext(connection) as many:
        client.get(detail_url(draft))
    assert len(many) == len(few)


def test_the_api_marks_each_row_newly_breaching_or_not(api_as, cio, active, portfolio):
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 1})

    body = api_as(cio).get(f"/api/v1/risk-boundaries/{draft.version}/impact/").json()

    rows = {row["ref"]: row for row in body["breaching"]}
    assert rows[portfolio[2].reference]["newly_breaching"] is True
    assert rows[portfolio[3].reference]["newly_breaching"] is False
    assert {"title", "status", "team", "verdict", "breaches"} <= set(rows[portfolio[3].reference])
