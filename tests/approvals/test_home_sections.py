"""The home page as an inbox: what waits on the CIO's and CISO's decision, what expires soon, and the requester's own."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from approvals.rules import ConditionInput
from approvals.services import decision_record
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Likelihood 5 × impact 5: the critical band.
CRITICAL = {
    **CHATBOT,
    "autonomy": 4,
    "capabilities": ["chat", "tool_use"],
    "tool_permissions": ["financial_transactions", "production_infrastructure"],
    "output_use": "automated_action",
    "data_classification": "restricted",
    "personal_data": ["financial", "special_category"],
    "users": "public",
    "affected_persons": ["public", "minors_or_vulnerable"],
}
# Raw audit codes look like "auth.login" or "intake.permission_granted": none may reach a person's home.
AUDIT_CODE = re.compile(
    r">\s*[a-z_]+\.[a-z_]+\s*<|\b(?:auth|intake|approvals|accounts|riskboundaries|reporting)\.[a-z_]+_[a-z_]+\b"
)


def home(client, person) -> str:
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def inbox(html: str) -> str:
    """The 'Waiting on your decision' section alone."""
    start = html.index('aria-labelledby="home-decisions-heading"')
    return html[start : html.index("</section>", start)]


def a_pile(make_use_case):
    """Three submitted requests: a medium one today, a critical one today, a medium one that waited ten days."""
    with time_machine.travel(timezone.now() - timedelta(days=14)):
        overdue = make_use_case(title="Old invoice summariser", submit=True)
    fresh = make_use_case(title="Fresh meeting notes", submit=True)
    critical = make_use_case(title="Autonomous payments agent", answers=CRITICAL, submit=True)
    assert critical.band == "critical" and fresh.band == "medium"
    return overdue, critical, fresh


def test_the_cio_sees_how_many_wait_on_them_overdue_first_then_critical(client, make_use_case, boundary, cio):
    overdue, critical, fresh = a_pile(make_use_case)
    section = inbox(home(client, cio))
    assert 'id="home-waiting-count">3<' in section
    order = [section.index(use_case.title) for use_case in (overdue, critical, fresh)]
    assert order == sorted(order)
    for use_case in (overdue, critical, fresh):
        assert reverse("approvals:review", args=[use_case.reference]) in section
    assert section.count(">Overdue<") == 1
    assert f'href="{reverse("approvals:queue")}?filter=me"' in section


def test_what_i_decided_no_longer_waits_on_me_but_still_on_the_other_role(
    client, make_use_case, boundary, cio, ciso
):
    *_, fresh = a_pile(make_use_case)
    decision_record(actor=cio, use_case=fresh, decision="approve")
    assert 'id="home-waiting-count">2<' in inbox(home(client, cio))
    assert fresh.title not in inbox(home(client, cio))
    assert 'id="home-waiting-count">3<' in inbox(home(client, ciso))


def test_only_the_five_most_urgent_are_listed_with_a_link_to_all(client, make_use_case, boundary, cio):
    for number in range(7):
        make_use_case(title=f"Request number {number}", submit=True)
    section = inbox(home(client, cio))
    assert 'id="home-waiting-count">7<' in section
    assert section.count("Review<span") == 5
    assert "See all 7 waiting on you" in section


def test_the_approver_home_costs_the_same_queries_with_one_request_or_many(
    client, make_use_case, boundary, cio, django_assert_max_num_queries
):
    make_use_case(title="One", submit=True)
    client.force_login(cio)
    client.get("/")  # the first request fills caches (content types) that later ones do not repeat
    # The recent activity reads one query per kind of object it names (use case, boundary, provider proposed from a
    # request...), whatever the count; the incidents section two (the reporting duties due, the serious incidents
    # still running), the attestations one.
    with django_assert_max_num_queries(24) as few:
        client.get("/")
    for number in range(8):
        make_use_case(title=f"More {number}", answers=CRITICAL if number % 2 else CHATBOT, submit=True)
    with django_assert_max_num_queries(24) as many:
        client.get("/")
    assert len(many.captured_queries) <= len(few.captured_queries)


def test_conditions_and_exceptions_expiring_within_30_days_are_listed(
    client, make_use_case, boundary, cio, ciso
):
    today = timezone.localdate()
    soon = make_use_case(title="Soon due", submit=True)
    decision_record(
        actor=cio,
        use_case=soon,
        decision="approve_with_conditions",
        rationale="Notice first.",
        conditions=[
            ConditionInput("Publish the AI notice", due_on=today + timedelta(days=10)),
            ConditionInput("Yearly bias audit", due_on=today + timedelta(days=90)),
        ],
    )
    decision_record(actor=ciso, use_case=soon, decision="approve")
    exceeding = make_use_case(
        title="Pilot beyond the boundary", answers={**CV_SCREENING, "autonomy": 3}, submit=True
    )
    for person in (cio, ciso):
        decision_record(
            actor=person,
            use_case=exceeding,
            decision="approve_with_exception",
            rationale="Pilot.",
            exception_expires_on=today + timedelta(days=20),
        )
    html = home(client, cio)
    start = html.index('aria-labelledby="home-expiring-heading"')
    section = html[start : html.index("</section>", start)]
    assert "Publish the AI notice" in section and "Yearly bias audit" not in section
    assert "Exception to the risk boundary" in section
    assert (today + timedelta(days=20)).strftime("%-d %b %Y") in section
    assert reverse("intake:detail", args=[exceeding.reference]) in section


def test_no_raw_audit_codes_on_the_approver_home(client, make_use_case, boundary, cio):
    a_pile(make_use_case)
    html = home(client, cio)
    assert not AUDIT_CODE.search(html), AUDIT_CODE.search(html)


def test_the_requester_home_shows_what_needs_them_then_the_rest_by_state(
    client, make_use_case, boundary, cio, ciso, requester
):
    today = timezone.localdate()
    to_fix = make_use_case(title="Needs a better purpose", submit=True)
    decision_record(
        actor=cio, use_case=to_fix, decision="request_changes", rationale="Say who reads the replies."
    )
    approved = make_use_case(title="Approved with a condition", submit=True)
    decision_record(
        actor=cio,
        use_case=approved,
        decision="approve_with_conditions",
        rationale="Notice first.",
        conditions=[ConditionInput("Publish the AI notice", due_on=today + timedelta(days=5))],
    )
    decision_record(actor=ciso, use_case=approved, decision="approve")
    make_use_case(title="Waiting one", submit=True)
    make_use_case(title="Still a draft")
    html = home(client, requester)
    assert 'id="home-needs-me-count">2<' in html
    assert reverse("intake:edit", args=[to_fix.reference]) in html
    assert "Publish the AI notice" in html and reverse("intake:detail", args=[approved.reference]) in html
    mine = html[html.index('aria-labelledby="home-mine-heading"') :]
    for label in (Status.DRAFT.label, Status.SUBMITTED.label, Status.APPROVED.label):
        assert label in mine
    assert "Still a draft" in mine and "Waiting one" in mine
    assert f'href="{reverse("intake:new")}">New request<' in html
    assert "Waiting on your decision" not in html


def test_the_requester_home_query_count_does_not_grow(
    client, make_use_case, boundary, requester, django_assert_max_num_queries
):
    make_use_case(title="One", submit=True)
    client.force_login(requester)
    # The incidents section: one (duties due on their use cases); the attestations: one (what they still owe).
    with django_assert_max_num_queries(12) as few:
        client.get("/")
    for number in range(8):
        make_use_case(title=f"More {number}", submit=number % 2 == 0)
    with django_assert_max_num_queries(12) as many:
        client.get("/")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_a_requester_who_is_not_the_submitter_is_not_asked_to_revise(
    client, make_use_case, boundary, cio, team
):
    to_fix = make_use_case(title="Someone else's", submit=True)
    decision_record(actor=cio, use_case=to_fix, decision="request_changes", rationale="More detail.")
    teammate = UserFactory(username="mate", roles=["requester"], teams=[team])
    html = home(client, teammate)
    assert 'id="home-needs-me-count">0<' in html
    assert reverse("intake:edit", args=[to_fix.reference]) not in html
