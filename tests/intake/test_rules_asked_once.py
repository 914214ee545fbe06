"""Rules the pages and the services both follow, asked of one policy: what stops a submission, and which boundary
check a submitted use case is held to."""

from types import SimpleNamespace

import pytest

from intake import policies
from intake.answers import missing_for_submission
from intake.workflow import Status
from tests.answer_sets import CHATBOT as COMPLETE_ANSWERS


def test_a_title_is_the_first_gap_and_the_unanswered_questions_follow():
    gaps = policies.submission_gaps("", {})
    assert next(iter(gaps)) == "title"
    assert gaps["title"] == ["Give the request a title."]
    assert set(gaps) == {"title", *missing_for_submission({})}


def test_nothing_stops_a_titled_complete_request():
    assert policies.submission_gaps("Chatbot", COMPLETE_ANSWERS) == {}
    assert policies.submission_gaps("", COMPLETE_ANSWERS) == {"title": ["Give the request a title."]}


def _case(status):
    return SimpleNamespace(status=status)


def _revision(version):
    return SimpleNamespace(boundary_version=version)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN])
def test_a_submitted_use_case_is_held_to_the_check_frozen_at_submission(status):
    assert policies.judged_on_submission_check(_case(status), _revision(2))


def test_a_re_review_is_judged_against_the_boundary_in_force_now():
    assert not policies.judged_on_submission_check(_case(Status.RE_REVIEW_DUE), _revision(2))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.CHANGES_REQUESTED])
def test_while_it_can_change_it_is_checked_live(status):
    assert not policies.judged_on_submission_check(_case(status), _revision(2))


def test_with_no_boundary_at_submission_or_no_revision_it_is_checked_live():
    assert not policies.judged_on_submission_check(_case(Status.SUBMITTED), _revision(None))
    assert not policies.judged_on_submission_check(_case(Status.SUBMITTED), None)
