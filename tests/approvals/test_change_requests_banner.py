"""The use-case page quotes what the CIO and CISO asked to change when they hand a request back."""

import pytest

from approvals.services import decision_record
from intake.workflow import Status

pytestmark = pytest.mark.django_db


def test_the_requester_reads_what_to_change(as_user, requester, cio, boundary, make_use_case):
    use_case = make_use_case(submit=True)
    decision_record(
        actor=cio, use_case=use_case, decision="request_changes", rationale="Name the data retention period."
    )
    use_case.refresh_from_db()
    assert use_case.status == Status.CHANGES_REQUESTED

    content = as_user(requester).get(f"/requests/{use_case.reference}/").content.decode()

    banner = content.split('class="alert alert-warning change-requests"', 1)[1].split("</section>", 1)[0]
    assert "Name the data retention period." in banner and "The CIO" in banner
    assert "Edit the request" in banner
    assert "<strong>Next:</strong>" not in content


def test_no_banner_while_waiting(as_user, requester, boundary, make_use_case):
    use_case = make_use_case(submit=True)
    assert (
        "change-requests" not in as_user(requester).get(f"/requests/{use_case.reference}/").content.decode()
    )
