"""Use-case services on the real database: references, revisions, permissions, audit, prohibited practices."""

import threading

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake import services
from intake.models import UseCase, UseCaseRevision
from intake.selectors import use_cases_visible_to
from intake.workflow import Status
from tests.audit.trail import audit_actions
from tests.intake.conftest import CHATBOT
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def actions_for(use_case) -> list[str]:
    return audit_actions("intake.usecase", use_case)


def test_a_draft_gets_the_next_reference_of_the_year(make_use_case):
    first, second = make_use_case(), make_use_case(title="Second")
    year = first.created_at.year
    assert first.reference == f"GAI-{year}-0001" and second.reference == f"GAI-{year}-0002"
    assert first.status == Status.DRAFT


def test_creating_a_draft_is_audited_and_grants_the_submitter_and_team(
    make_use_case, requester, teammate, cio
):
    use_case = make_use_case()
    assert "intake.use_case_created" in actions_for(use_case)
    assert use_cases_visible_to(requester).filter(pk=use_case.pk).exists()
    assert use_cases_visible_to(teammate).filter(pk=use_case.pk).exists()
    assert not use_cases_visible_to(cio).filter(pk=use_case.pk).exists()  # drafts are the team's own


def test_only_requesters_of_the_team_create(cio, team, other_team_requester):
    with pytest.raises(NotAllowed):
        services.use_case_create(actor=cio, team=team, title="x")
    with pytest.raises(NotAllowed):
        services.use_case_create(actor=other_team_requester, team=team, title="x")


def test_a_bad_answer_is_refused_naming_the_field_and_nothing_changes(make_use_case, requester):
    use_case = make_use_case()
    with pytest.raises(DomainError) as excinfo:
        services.use_case_update(
            actor=requester,
            use_case=use_case,
            changes={"title": "New title", "stage": "someday", "users": ["x"]},
        )
    assert set(excinfo.value.errors) == {"stage", "users"}
    use_case.refresh_from_db()
    assert use_case.title == "Customer service assistant" and use_case.answers["stage"] == "pilot"


def test_an_unknown_field_is_refused_by_name(make_use_case, requester):
    with pytest.raises(DomainError) as excinfo:
        services.use_case_update(actor=requester, use_case=make_use_case(), changes={"colour": "blue"})
    assert excinfo.value.errors == {"colour": ["Unknown field."]}


def test_editing_is_audited_with_the_fields_that_changed(make_use_case, requester):
    use_case = make_use_case()
    services.use_case_update(
        actor=requester, use_case=use_case, changes={"stage": "production", "title": "Renamed"}
    )
    event = AuditEvent.objects.filter(action="intake.use_case_edited").latest("sequence")
    assert event.payload["fields"] == ["title", "stage"]


def test_only_the_submitter_edits(make_use_case, teammate):
    with pytest.raises(NotAllowed):
        services.use_case_update(actor=teammate, use_case=make_use_case(), changes={"title": "Mine now"})


def test_submission_needs_every_required_answer_naming_them(make_use_case, requester):
    use_case = make_use_case(answers={"stage": "idea"})
    with pytest.raises(DomainError) as excinfo:
        services.use_case_submit(actor=requester, use_case=use_case)
    assert {"sourcing", "users", "eu_nexus", "human_oversight"} <= set(excinfo.value.errors)
    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT and use_case.revision_count == 0


def test_submitting_freezes_a_revision_with_its_hash_and_assessment(make_use_case, requester, cio, ciso):
    use_case = make_use_case()
    use_case = services.use_case_submit(actor=requester, use_case=use_case)
    revision = UseCaseRevision.objects.get(use_case=use_case)
    assert use_case.status == Status.SUBMITTED and revision.number == 1
    assert len(revision.content_hash) == 64 and revision.content["answers"]["stage"] == "pilot"
    assert revision.assessment["eu_ai_act"]["tier"] == use_case.tier
    assert use_cases_visible_to(cio).filter(pk=use_case.pk).exists()
    assert use_cases_visible_to(ciso).filter(pk=use_case.pk).exists()
    assert "intake.use_case_submit" in actions_for(use_case)


def test_the_same_content_always_hashes_the_same(make_use_case, requester):
    a = services.use_case_submit(actor=requester, use_case=make_use_case(title="Same"))
    b = services.use_case_submit(actor=requester, use_case=make_use_case(title="Same"))
    assert a.revisions.get().content_hash == b.revisions.get().content_hash


def test_after_submission_the_submitter_can_no_longer_edit(make_use_case, requester):
    use_case = make_use_case(submit=True)
    with pytest.raises(InvalidTransition):
        services.use_case_update(actor=requester, use_case=use_case, changes={"title": "Late change"})


def test_reviewers_are_emailed_after_commit(
    make_use_case, requester, cio, ciso, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_use_case(submit=True)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == sorted([cio.email, ciso.email])


def test_a_prohibited_practice_is_closed_by_the_system_citing_article_5(make_use_case, requester, cio):
    answers = {**CHATBOT, "prohibited_practices": ["emotion_recognition_workplace_education"]}
    use_case = make_use_case(answers=answers, submit=True)
    assert use_case.status == Status.REJECTED
    assert "Art. 5" in use_case.status_reason
    event = AuditEvent.objects.filter(action="intake.use_case_system_reject").latest("sequence")
    assert event.actor is None and event.payload["practices"] == ["emotion_recognition_workplace_education"]
    assert use_cases_visible_to(cio).filter(pk=use_case.pk).exists()  # kept and visible to the CIO and CISO
    assert UseCase.objects.blocked_as_prohibited().count() == 1


def test_withdrawing_is_audited_and_final(make_use_case, requester):
    use_case = services.use_case_withdraw(actor=requester, use_case=make_use_case(), reason="Not needed")
    assert use_case.status == Status.WITHDRAWN and use_case.status_reason == "Not needed"
    assert "intake.use_case_withdraw" in actions_for(use_case)
    with pytest.raises(InvalidTransition):
        services.use_case_submit(actor=requester, use_case=use_case)


def test_revisions_cannot_be_altered_on_postgresql(make_use_case):
    need_postgresql()
    make_use_case(submit=True)
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE intake_usecaserevision SET content_hash = 'x'")


@pytest.mark.django_db(transaction=True)
def test_references_stay_unique_under_concurrent_creation(requester, team):
    need_postgresql()
    references, errors = [], []
    barrier = threading.Barrier(6)

    def create(i: int) -> None:
        try:
            barrier.wait()
            for j in range(5):
                use_case = services.use_case_create(actor=requester, team=team, title=f"Parallel {i}-{j}")
                references.append(use_case.reference)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(references) == 30 and len(set(references)) == 30
