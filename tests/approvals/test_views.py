"""The review queue, the focused review page and conditions through the test client."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from approvals import services
from approvals.models import Condition, SlotDecision
from approvals.rules import ConditionInput
from approvals.services import decision_record
from intake import services as intake_services
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.approvals.reading import seen
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def approved_with_conditions(use_case, cio, ciso, *conditions: ConditionInput, rationale: str):
    """The CIO approves with ``conditions``, the CISO approves: the use case is approved and its conditions exist."""
    decision_record(
        actor=cio,
        use_case=use_case,
        decision="approve_with_conditions",
        rationale=rationale,
        conditions=list(conditions),
    )
    decision_record(actor=ciso, use_case=use_case, decision="approve")
    return use_case


def test_the_queue_is_for_cio_and_ciso(client, requester, secretary, cio):
    for person in (requester, secretary):
        client.force_login(person)
        assert client.get("/decisions/").status_code == 403
    client.force_login(cio)
    assert client.get("/decisions/").status_code == 200


def test_the_queue_shows_both_slots_and_filters_with_htmx(client, make_use_case, boundary, cio, ciso):
    first = make_use_case(title="First", submit=True)
    decision_record(actor=ciso, use_case=first, decision="approve")
    client.force_login(cio)
    html = client.get("/decisions/").content.decode()
    assert first.reference in html and "Waiting" in html and "Approve" in html
    fragment = client.get("/decisions/?filter=open", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="queue-table"' in fragment and "<html" not in fragment


def test_the_queue_page_query_count_does_not_grow(
    client, make_use_case, boundary, cio, django_assert_max_num_queries
):
    client.force_login(cio)
    make_use_case(title="One", submit=True)
    with django_assert_max_num_queries(11) as few:
        client.get("/decisions/?filter=open")
    for i in range(10):
        make_use_case(title=f"More {i}", submit=True)
    with django_assert_max_num_queries(11) as many:
        client.get("/decisions/?filter=open")
    assert len(few.captured_queries) == len(many.captured_queries)


def test_deciding_from_the_review_page(client, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    page = client.get(f"/decisions/review/{use_case.reference}/")
    assert page.status_code == 200 and b"Against the risk boundary" in page.content
    response = client.post(
        f"/decisions/review/{use_case.reference}/", {"decision": "approve", **seen(use_case)}
    )
    assert response.status_code == 302
    assert SlotDecision.objects.get().decider == cio


def test_a_refused_decision_names_the_field_and_keeps_the_input(client, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    response = client.post(
        f"/decisions/review/{use_case.reference}/",
        {"decision": "reject", "condition_1_text": "Keep me", **seen(use_case)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "written rationale is required" in html and 'value="Keep me"' in html
    assert not SlotDecision.objects.exists()


def test_the_submitter_is_refused_with_the_reason(client, boundary, team):
    from accounts.roles import Role
    from tests.answer_sets import CHATBOT
    from tests.factories import UserFactory

    both = UserFactory(username="req_cio", roles=[Role.REQUESTER, Role.CIO], teams=[team])
    use_case = intake_services.use_case_submit(
        actor=both,
        use_case=intake_services.use_case_create(actor=both, team=team, title="Mine", answers=CHATBOT),
    )
    client.force_login(both)
    response = client.post(
        f"/decisions/review/{use_case.reference}/", {"decision": "approve", **seen(use_case)}
    )
    assert response.status_code == 403 and b"You submitted this request" in response.content


def test_the_review_page_shows_what_changed_since_the_last_decision(
    client, make_use_case, boundary, requester, cio, ciso
):
    use_case = make_use_case(submit=True)
    decision_record(
        actor=ciso, use_case=use_case, decision="request_changes", rationale="Say who oversees it."
    )
    intake_services.use_case_update(
        actor=requester, use_case=use_case, changes={"human_oversight": "The duty manager."}
    )
    intake_services.use_case_submit(actor=requester, use_case=use_case)
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    assert "Since revision 1" in html and "The duty manager." in html


def test_the_use_case_page_shows_decisions_conditions_and_the_re_review_date(
    client, make_use_case, boundary, requester, cio, ciso
):
    use_case = approved_with_conditions(
        make_use_case(submit=True),
        cio,
        ciso,
        ConditionInput("Publish an AI notice", "Web team", timezone.localdate() + timedelta(days=7)),
        rationale="Notice first.",
    )
    client.force_login(requester)
    html = client.get(f"/requests/{use_case.reference}/").content.decode()
    assert "Joint decision" in html and "Publish an AI notice" in html and 'id="re-review-on"' in html
    condition = Condition.objects.get()
    response = client.post(f"/decisions/conditions/{condition.pk}/met/")
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.met_by == requester


def test_another_team_cannot_mark_a_condition_met(
    client, make_use_case, boundary, cio, ciso, other_team_requester
):
    use_case = approved_with_conditions(
        make_use_case(submit=True), cio, ciso, ConditionInput("Do it"), rationale="x"
    )
    client.force_login(other_team_requester)
    assert client.post(f"/decisions/conditions/{Condition.objects.get().pk}/met/").status_code == 404
    use_case.refresh_from_db()
    assert use_case.status == Status.APPROVED


def test_the_review_form_carries_the_round_and_revision_shown(client, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    shown = seen(use_case)
    assert f'name="review_round" value="{shown["review_round"]}"' in html
    assert f'name="content_hash" value="{shown["content_hash"]}"' in html


def test_a_form_opened_before_a_re_review_re_renders_with_the_reason_and_keeps_the_input(
    client, make_use_case, boundary, cio, ciso
):
    use_case = make_use_case(submit=True)
    opened = seen(use_case)  # the CIO opens the page in round 1 …
    decision_record(actor=cio, use_case=use_case, decision="approve")
    decision_record(actor=ciso, use_case=use_case, decision="approve")
    intake_services.use_case_flag_re_review(actor=None, use_case=use_case, reason="Due.")  # … round 2 opens
    client.force_login(cio)
    typed = {"decision": "reject", "rationale": "Typed with care.", "condition_1_owner": "Ops"}
    response = client.post(f"/decisions/review/{use_case.reference}/", {**typed, **opened})
    assert response.status_code == 409
    html = response.content.decode()
    assert "review round 2 now, not round 1" in html and "What you typed is kept" in html
    assert "Typed with care." in html and 'value="Ops"' in html
    assert 'name="review_round" value="2"' in html  # the page now shows the round it is in
    assert SlotDecision.objects.filter(use_case=use_case).count() == 2


def test_a_form_for_an_older_revision_is_refused_and_shows_the_current_one(
    client, make_use_case, boundary, requester, cio, ciso
):
    use_case = make_use_case(submit=True)
    opened = seen(use_case)
    decision_record(actor=ciso, use_case=use_case, decision="request_changes", rationale="Name the owner.")
    intake_services.use_case_update(
        actor=requester, use_case=use_case, changes={"human_oversight": "Ops lead."}
    )
    intake_services.use_case_submit(actor=requester, use_case=use_case)
    client.force_login(cio)
    stale_hash = {**seen(use_case), "content_hash": opened["content_hash"]}
    response = client.post(f"/decisions/review/{use_case.reference}/", {"decision": "approve", **stale_hash})
    assert response.status_code == 409 and "not the revision you reviewed" in response.content.decode()
    assert f'value="{seen(use_case)["content_hash"]}"' in response.content.decode()
    assert not SlotDecision.objects.filter(use_case=use_case, revision_number=2).exists()


def test_a_post_without_the_round_and_revision_is_refused(client, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    response = client.post(f"/decisions/review/{use_case.reference}/", {"decision": "approve"})
    assert response.status_code == 400
    assert "did not say which review round and revision you were shown" in response.content.decode()
    assert not SlotDecision.objects.exists()


def test_control_characters_in_the_form_are_refused_naming_the_field(client, make_use_case, boundary, cio):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    response = client.post(
        f"/decisions/review/{use_case.reference}/",
        {"decision": "reject", "rationale": "No\x07 way.", **seen(use_case)},
    )
    assert response.status_code == 400 and "Remove the control characters" in response.content.decode()
    assert not SlotDecision.objects.exists()


def test_a_form_sent_after_both_decided_shows_the_use_case_as_it_is_now(
    client, make_use_case, boundary, cio, ciso
):
    use_case = make_use_case(submit=True)
    opened = seen(use_case)
    decision_record(actor=cio, use_case=use_case, decision="approve")
    decision_record(actor=ciso, use_case=use_case, decision="approve")
    deputy = UserFactory(username="deputy_cio", roles=[Role.CIO])
    client.force_login(deputy)
    response = client.post(
        f"/decisions/review/{use_case.reference}/", {"decision": "reject", "rationale": "Late.", **opened}
    )
    html = response.content.decode()
    assert response.status_code == 409 and "not waiting for a decision" in html
    assert "status-approved" in html and "Late." in html


def radio(html: str, value: str) -> str:
    """The decision radio for ``value``, as rendered."""
    found = re.search(rf'<input[^>]*name="decision" value="{value}"[^>]*>', html)
    assert found, value
    return found.group(0)


def reason_of(html: str, tag: str) -> str:
    """The text of the element the radio's aria-describedby names."""
    described = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
    return re.search(rf'id="{described}">([^<]*)<', html).group(1)


def exceeding(make_use_case):
    """A CV screener at autonomy 3: beyond the boundary's autonomy, and high-risk, so C-03 is required."""
    use_case = make_use_case(answers={**CV_SCREENING, "autonomy": 3}, submit=True)
    assert use_case.boundary_verdict == "exceeds"
    return use_case


def required_control(use_case) -> str:
    """The first control the boundary requires of the use case, as the review page fills it in."""
    control = services.cycle_check(use_case, use_case.revisions.get()).check.conditions[0]
    return f"{control.control_id} {control.name}"


def test_a_use_case_beyond_the_boundary_offers_only_an_exception_among_approvals(
    client, make_use_case, boundary, cio
):
    use_case = exceeding(make_use_case)
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    for value in ("approve", "approve_with_conditions"):
        tag = radio(html, value)
        assert " disabled" in tag
        assert (
            reason_of(html, tag) == "It exceeds the risk boundary: it can only be approved with an exception."
        )
    for value in ("approve_with_exception", "request_changes", "reject"):
        assert " disabled" not in radio(html, value)
    latest = timezone.localdate() + timedelta(days=180)  # the boundary's longest exception
    assert reason_of(html, radio(html, "approve_with_exception")) == (
        f"Exceptions may run until {latest.day} {latest:%b %Y} at the latest."
    )
    expiry = re.search(r'<input[^>]*name="exception_expires_on"[^>]*>', html).group(0)
    assert f'max="{latest.isoformat()}"' in expiry
    assert f'min="{(timezone.localdate() + timedelta(days=1)).isoformat()}"' in expiry


def test_a_prohibited_use_case_offers_no_approval_with_the_reason(client, make_use_case, boundary, cio):
    use_case = make_use_case(answers={**CHATBOT, "prohibited_practices": ["social_scoring"]}, submit=True)
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    for value in ("approve", "approve_with_conditions", "approve_with_exception"):
        tag = radio(html, value)
        assert " disabled" in tag
        assert reason_of(html, tag) == "It involves a prohibited practice: it can never be approved."
    assert " disabled" not in radio(html, "reject")


def test_within_the_boundary_an_exception_is_disabled_and_the_date_has_no_maximum(
    client, make_use_case, boundary, cio
):
    use_case = make_use_case(submit=True)
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    assert " disabled" not in radio(html, "approve")
    tag = radio(html, "approve_with_exception")
    assert " disabled" in tag and "only for a use case that exceeds" in reason_of(html, tag)
    assert "max=" not in re.search(r'<input[^>]*name="exception_expires_on"[^>]*>', html).group(0)


def test_the_boundarys_required_controls_are_filled_in_as_conditions(client, make_use_case, boundary, cio):
    use_case = exceeding(make_use_case)
    control = services.cycle_check(use_case, use_case.revisions.get()).check.conditions[0]
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    assert (
        f'name="condition_1_text" id="id_condition_1_text" value="{control.control_id} {control.name}"'
        in html
    )
    assert 'name="condition_2_text" id="id_condition_2_text" value=""' in html


def test_a_pre_filled_control_goes_with_an_approval_with_conditions_named_by_the_decider(
    client, make_use_case, boundary, cio
):
    use_case = exceeding(make_use_case)
    control = services.cycle_check(use_case, use_case.revisions.get()).check.conditions[0]
    expires = timezone.localdate() + timedelta(days=30)
    client.force_login(cio)
    response = client.post(
        f"/decisions/review/{use_case.reference}/",
        {
            "decision": "approve_with_exception",
            "rationale": "Pilot with a person on every decision.",
            "exception_expires_on": expires.isoformat(),
            "condition_1_text": f"{control.control_id} {control.name}",
            "condition_1_owner": "HR operations",
            **seen(use_case),
        },
    )
    assert response.status_code == 302
    decided = SlotDecision.objects.get()
    assert [c["text"] for c in decided.proposed_conditions] == [f"{control.control_id} {control.name}"]
    assert decided.proposed_conditions[0]["owner"] == "HR operations"


def test_untouched_pre_filled_controls_do_not_stop_a_decision_without_conditions(
    client, make_use_case, boundary, cio
):
    use_case = exceeding(make_use_case)
    control = services.cycle_check(use_case, use_case.revisions.get()).check.conditions[0]
    client.force_login(cio)
    response = client.post(
        f"/decisions/review/{use_case.reference}/",
        {
            "decision": "reject",
            "rationale": "Too autonomous for hiring.",
            "condition_1_text": f"{control.control_id} {control.name}",
            **seen(use_case),
        },
    )
    assert response.status_code == 302
    assert SlotDecision.objects.get().proposed_conditions == []


def test_a_refused_decision_is_summarised_at_the_top_of_the_card_and_keeps_what_was_typed(
    client, make_use_case, boundary, cio
):
    use_case = exceeding(make_use_case)
    client.force_login(cio)
    response = client.post(
        f"/decisions/review/{use_case.reference}/",
        {
            "decision": "approve_with_exception",
            "rationale": "Typed with care.",
            "exception_expires_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
            "condition_1_text": required_control(use_case),  # sent as the page filled it in
            "condition_2_text": "Keep a person on every shortlist",
            "condition_2_due": (timezone.localdate() - timedelta(days=1)).isoformat(),
            **seen(use_case),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    assert "data-focus-on-load" in html[html.index('<div class="alert alert-danger error-summary"') :][:200]
    assert (
        html.index('id="error-summary"')
        < html.index('id="history-heading"')
        < html.index('name="review_round"')
    )
    assert 'href="#id_exception_expires_on"' in summary and "exceptions of at most 180 days" in summary
    assert 'href="#id_condition_2_due"' in summary and "Condition 2 is due in the past." in summary
    assert "Typed with care." in html and 'value="Keep a person on every shortlist"' in html
    assert 'id="id_condition_2_due-error"' in html  # the reason is next to the field too
    assert " checked" in radio(html, "approve_with_exception")
    assert not SlotDecision.objects.exists()


def test_both_slots_show_who_decided_what_with_conditions_and_expiry(
    client, make_use_case, boundary, cio, ciso
):
    use_case = exceeding(make_use_case)
    expires = timezone.localdate() + timedelta(days=30)
    decision_record(
        actor=ciso,
        use_case=use_case,
        decision="approve_with_exception",
        rationale="A three-month pilot.",
        conditions=[ConditionInput("Audit the shortlists", "HR operations", expires)],
        exception_expires_on=expires,
    )
    client.force_login(cio)
    html = client.get(f"/decisions/review/{use_case.reference}/").content.decode()
    slots = html[html.index('id="history-heading"') : html.index('name="review_round"')]
    assert "Approve with an exception" in slots and "approve_with_exception" not in slots
    assert "A three-month pilot." in slots
    assert f"Audit the shortlists · owner HR operations · due {expires.day} {expires:%b %Y}" in slots
    assert f"Exception until {expires.day} {expires:%b %Y}" in slots
    cio_slot = slots[slots.index(">CIO<") : slots.index(">CISO<")]
    assert "Waiting" in cio_slot
