"""What-if against the active boundary: new breaches apart from old ones, in the selector, the pages and the API."""

import pytest
from django.db import connection

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
    # PostgreSQL: the distinct combinations in one grouped query of the facts kept, then the use
    # cases listed; elsewhere one query.
    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 1):
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
    assert body["counts"] == {"newly": 1, "already": 1, "no_longer": 0}


def test_the_api_lists_at_most_the_limit_of_each_group_and_counts_them_all(
    api_as, cio, active, portfolio, make_use_case
):
    for n in range(3):
        approve(make_use_case(title=f"Another agent {n}", answers={**CHATBOT, "autonomy": 2}, submit=True))
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 1})
    client = api_as(cio)
    body = client.get(f"/api/v1/risk-boundaries/{draft.version}/impact/", {"limit": 2}).json()
    assert body["counts"] == {"newly": 4, "already": 1, "no_longer": 0}
    assert sum(row["newly_breaching"] for row in body["breaching"]) == 2 and len(body["breaching"]) == 3
    for bad in ("0", "-1", "x", "5001"):
        refused = client.get(f"/api/v1/risk-boundaries/{draft.version}/impact/", {"limit": bad})
        assert refused.status_code == 400 and "limit" in refused.json()["errors"], bad


class _Recording(dict):
    """Answers that remember which questions were read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_the_boundary_check_reads_only_the_answers_the_what_if_groups_by():
    """The set-based what-if is exact only if a check depends on ANSWERS_READ alone."""
    from intake.assessment import assess
    from riskboundaries.check import ANSWERS_READ, check_boundary
    from riskboundaries.limits import limits_from_content
    from tests.answer_sets import CV_SCREENING

    strict = limits_from_content(
        {
            **PERMISSIVE,
            "max_autonomy": 0,
            "max_data_classification_internal": "public",
            "max_data_classification_external": "public",
            "allowed_sourcing": ["self_trained"],
            "allowed_providers": [
                {"name": "Nobody", "regions": ["eu"], "required_terms": ["zero_retention"]}
            ],
            "forbidden_tool_permissions": ["external_communications", "write_internal"],
            "forbidden_domains": ["credit_scoring", "education_access"],
            "max_inherent_score": 1,
            "max_eu_tier": "minimal",
        }
    )
    read: set[str] = set()
    for base in (CHATBOT, CV_SCREENING):
        for variant in ({}, {"autonomy": 4}, {"prohibited_practices": ["social_scoring"]}):
            answers = _Recording({**base, **variant})
            check_boundary(answers, assess(dict(answers)).to_dict(), strict)
            read |= answers.read
    assert read <= set(ANSWERS_READ), read - set(ANSWERS_READ)
    assert {"autonomy", "provider", "data_classification"} <= read


def test_on_postgresql_the_grouped_what_if_agrees_with_checking_each_use_case(
    cio, active, make_use_case, django_assert_num_queries
):
    from tests.answer_sets import CV_SCREENING
    from tests.support import need_postgresql

    need_postgresql()
    for n, (base, autonomy) in enumerate(
        [(CHATBOT, 0), (CHATBOT, 2), (CHATBOT, 3), (CHATBOT, 4), (CV_SCREENING, 1), (CV_SCREENING, 3)] * 3
    ):
        use_case = make_use_case(title=f"Mixed {n}", answers={**base, "autonomy": autonomy}, submit=True)
        if n % 2:
            approve(use_case)
    limits = {**ACTIVE_LIMITS, "max_autonomy": 1, "max_inherent_score": 12}
    with django_assert_num_queries(2):
        grouped = selectors.breaching_against_active(limits, active)
    # The per-use-case reading (what SQLite does): every use case and every check must be the same.
    one_by_one = {use_case.reference: check for use_case, check in selectors.breaching_use_cases(limits)}
    assert {u.reference: c for u, c in grouped.breaching} == one_by_one
    assert grouped.count("newly") + grouped.count("already") == len(one_by_one) > 6

    listed = selectors.breaching_against_active(limits, active, listed=2)
    assert listed.count("newly") == grouped.count("newly") and listed.count("already") == grouped.count(
        "already"
    )
    assert len(listed.newly) == min(2, grouped.count("newly")) and len(listed.already) <= 2
    assert refs(listed.newly) == refs(grouped.newly)[:2]


def test_a_versions_page_lists_a_bounded_number_and_says_how_many_more(
    as_user, cio, active, portfolio, make_use_case, monkeypatch
):
    from riskboundaries import views

    monkeypatch.setattr(views, "IMPACT_PAGE_ROWS", 1)
    for n in range(2):
        approve(make_use_case(title=f"Another agent {n}", answers={**CHATBOT, "autonomy": 2}, submit=True))
    draft = services.boundary_create(actor=cio, limits={**ACTIVE_LIMITS, "max_autonomy": 1})
    page = text(as_user(cio).get(detail_url(draft)))
    assert "Newly breaching under this version 3" in page and "And 2 more, not listed here" in page
