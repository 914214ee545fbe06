"""What the requester is told comes next and by when, the timeline's sentences, the one date format, and go-live dates."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.events import event_type
from config.dates import human_date
from intake import deadlines, services
from intake.events import PERMISSION_GRANTED
from intake.workflow import Status
from tests.intake.test_views import CHATBOT_POST

pytestmark = pytest.mark.django_db

FRIDAY = datetime(2026, 11, 27, 10, 0, tzinfo=timezone.get_default_timezone())


def detail(as_user, user, use_case) -> str:
    return as_user(user).get(f"/requests/{use_case.reference}/").content.decode()


# --- the decision target ----------------------------------------------------------------------------------------


def test_a_friday_submission_is_due_five_working_days_later():
    assert deadlines.decision_due(FRIDAY) == FRIDAY + timedelta(days=7)


def test_the_queue_calls_it_overdue_exactly_when_it_passes_its_due_moment():
    due = deadlines.decision_due(FRIDAY)
    assert not deadlines.overdue_cutoff(due) > FRIDAY
    assert deadlines.overdue_cutoff(due + timedelta(minutes=1)) > FRIDAY


def test_approvals_reads_the_same_rule():
    from approvals import selectors

    assert selectors.overdue_cutoff is deadlines.overdue_cutoff
    assert selectors.working_days_between is deadlines.working_days_between


# --- what happens next ------------------------------------------------------------------------------------------


def test_the_submitted_page_says_who_decides_next_and_by_when(as_user, requester, make_use_case):
    with time_machine.travel(FRIDAY, tick=False):
        use_case = make_use_case(submit=True)
        content = detail(as_user, requester, use_case)
    assert (
        "<strong>Next:</strong> the CIO and the CISO decide, target 5 working days (by 4 Dec 2026)" in content
    )


def test_a_draft_has_no_next_step(as_user, requester, make_use_case):
    assert "<strong>Next:</strong>" not in detail(as_user, requester, make_use_case())


def test_a_late_decision_says_when_it_was_due(as_user, requester, make_use_case):
    with time_machine.travel(FRIDAY, tick=False):
        use_case = make_use_case(submit=True)
    with time_machine.travel(FRIDAY + timedelta(days=10), tick=False):
        content = detail(as_user, requester, use_case)
    assert "target 5 working days (was due 4 Dec 2026)" in content


def test_the_submission_message_says_what_happens_next(as_user, requester, make_use_case):
    use_case = make_use_case()
    with time_machine.travel(FRIDAY, tick=False):
        response = as_user(requester).post(f"/requests/{use_case.reference}/submit/", follow=True)
    assert (
        "Next: the CIO and the CISO decide, target 5 working days (by 4 Dec 2026)."
        in response.content.decode()
    )


# --- the timeline -----------------------------------------------------------------------------------------------


def test_access_grants_wait_behind_a_toggle_and_the_rest_reads_as_sentences(
    as_user, requester, make_use_case
):
    use_case = make_use_case(submit=True)
    content = detail(as_user, requester, use_case)
    timeline, _, access = content.partition("Show access changes")
    assert (
        "Created the draft" in timeline and "Submitted revision 1 for the CIO and CISO decision" in timeline
    )
    assert "Access:" not in timeline
    assert "Access: " in access and "<details" in timeline[-400:]
    assert event_type(PERMISSION_GRANTED).minor


def test_the_joint_outcome_reads_as_a_sentence():
    kind = event_type("intake.use_case_request_changes")
    assert kind.text({"revision": 2}) == (
        "The CIO and the CISO asked for changes to revision 2: it is back with the requester"
    )


# --- one date format --------------------------------------------------------------------------------------------


def test_people_read_dates_one_way(settings):
    from django.template import Context, Template

    rendered = Template('{{ day|date }} · {{ moment|date:"DATETIME_FORMAT" }}').render(
        Context({"day": date(2026, 11, 27), "moment": datetime(2026, 11, 27, 14, 30)})
    )
    assert rendered == "27 Nov 2026 · 27 Nov 2026, 14:30"
    assert human_date(date(2026, 12, 4)) == "4 Dec 2026"


def test_the_go_live_date_reads_like_every_other_date(as_user, requester, make_use_case):
    use_case = make_use_case(go_live_target=timezone.localdate() + timedelta(days=30))
    assert human_date(use_case.go_live_target) in detail(as_user, requester, use_case)


# --- the target go-live date ------------------------------------------------------------------------------------


def test_a_past_go_live_date_is_refused_next_to_its_field(as_user, requester):
    yesterday = timezone.localdate() - timedelta(days=1)
    response = as_user(requester).post(
        "/requests/new/", {**CHATBOT_POST, "go_live_target": yesterday.isoformat()}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert f"The target go-live date {human_date(yesterday)} has passed" in content
    assert 'href="#q-go_live_target"' in content or 'id="id_go_live_target"' in content


def test_the_service_refuses_a_past_go_live_date_for_every_client(requester, team):
    from config.errors import DomainError

    with pytest.raises(DomainError) as refused:
        services.use_case_create(
            actor=requester, team=team, title="T", go_live_target=timezone.localdate() - timedelta(days=1)
        )
    assert "go_live_target" in refused.value.errors


def test_a_draft_whose_go_live_date_has_passed_still_saves(requester, make_use_case):
    with time_machine.travel(FRIDAY, tick=False):
        use_case = make_use_case(go_live_target=date(2026, 12, 1))
    with time_machine.travel(FRIDAY + timedelta(days=30), tick=False):
        saved = services.use_case_update(
            actor=requester, use_case=use_case, changes={"summary": "Sharper summary"}
        )
        services.use_case_update(
            actor=requester, use_case=saved, changes={"go_live_target": date(2026, 12, 1), "title": "Renamed"}
        )
    assert saved.summary == "Sharper summary" and saved.status == Status.DRAFT


def test_the_picker_offers_today_or_later(as_user, requester):
    content = as_user(requester).get("/requests/new/").content.decode()
    assert f'min="{timezone.localdate().isoformat()}"' in content


def test_the_favicon_is_linked_and_served(client):
    content = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/img/favicon.svg" type="image/svg+xml"' in content
