"""Boundary lifecycle and signatures on the real database, including racing signatures."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.roles import Role
from audit.models import AuditEvent
from audit.selectors import audit_chain_verify
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake.models import UseCase
from intake.workflow import Status
from riskboundaries import services
from riskboundaries.models import BoundarySignature, RiskBoundary
from riskboundaries.selectors import boundary_impact
from riskboundaries.workflow import BoundaryState
from tests.audit.trail import audit_actions
from tests.factories import UserFactory
from tests.intake.conftest import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, STRICT, approve, run_re_review_passes
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db


def actions(boundary) -> list[str]:
    return audit_actions("riskboundaries.riskboundary", boundary)


def test_only_cio_and_ciso_draft(requester, secretary, admin_user):
    for person in (requester, secretary, admin_user):
        with pytest.raises(NotAllowed):
            services.boundary_create(actor=person, limits=PERMISSIVE)


def test_a_draft_gets_the_next_version_and_is_audited(cio):
    first = services.boundary_create(actor=cio, limits=PERMISSIVE)
    second = services.boundary_create(actor=cio, limits=STRICT)
    assert (first.version, second.version) == (1, 2)
    assert first.state == BoundaryState.DRAFT and len(first.content_hash) == 64
    assert actions(first) == ["riskboundaries.boundary_drafted"]


def test_invalid_limits_are_refused_naming_the_field(cio):
    with pytest.raises(DomainError) as excinfo:
        services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 9})
    assert "max_autonomy" in excinfo.value.errors
    assert RiskBoundary.objects.count() == 0


def test_both_signatures_activate_it(cio, ciso):
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    boundary = services.boundary_sign(
        actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash
    )
    assert boundary.state == BoundaryState.AWAITING_SIGNATURES
    boundary = services.boundary_sign(
        actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
    )
    assert boundary.state == BoundaryState.ACTIVE and boundary.activated_at is not None
    assert [s.content_hash for s in boundary.signatures.all()] == [boundary.content_hash] * 2
    assert actions(boundary) == [
        "riskboundaries.boundary_drafted",
        "riskboundaries.boundary_signed",
        "riskboundaries.boundary_sign",
        "riskboundaries.boundary_signed",
        "riskboundaries.boundary_activate",
    ]


def test_activation_supersedes_the_previous_boundary(active_boundary, cio, ciso):
    newer = services.boundary_create(actor=ciso, limits=STRICT)
    services.boundary_sign(actor=ciso, boundary=newer, role="ciso", seen_hash=newer.content_hash)
    services.boundary_sign(actor=cio, boundary=newer, role="cio", seen_hash=newer.content_hash)
    active_boundary.refresh_from_db()
    newer.refresh_from_db()
    assert active_boundary.state == BoundaryState.SUPERSEDED and active_boundary.superseded_at
    assert newer.state == BoundaryState.ACTIVE
    assert RiskBoundary.objects.filter(state=BoundaryState.ACTIVE).count() == 1
    assert "riskboundaries.boundary_supersede" in actions(active_boundary)


def test_each_signs_only_in_a_role_they_hold(cio, ciso):
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    with pytest.raises(NotAllowed):
        services.boundary_sign(actor=cio, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)


def test_one_person_cannot_fill_both_signatures():
    both = UserFactory(username="both", roles=[Role.CIO, Role.CISO])
    boundary = services.boundary_create(actor=both, limits=PERMISSIVE)
    services.boundary_sign(actor=both, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    with pytest.raises(NotAllowed, match="cannot sign a boundary twice"):
        services.boundary_sign(actor=both, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)


def test_the_same_role_cannot_sign_twice(cio):
    other_cio = UserFactory(username="deputy_cio", roles=[Role.CIO])
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    with pytest.raises(InvalidTransition):
        services.boundary_sign(
            actor=other_cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash
        )


def test_signing_content_you_did_not_see_is_refused(cio):
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    with pytest.raises(InvalidTransition, match="changed since you opened"):
        services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash="0" * 64)


def test_editing_after_a_signature_voids_it_and_says_so(cio, ciso):
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE)
    services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    boundary, voided = services.boundary_update(actor=ciso, boundary=boundary, limits=STRICT)
    assert voided == 1 and boundary.state == BoundaryState.DRAFT
    signature = BoundarySignature.objects.get(boundary=boundary)
    assert signature.voided_at is not None and "changed" in signature.void_reason
    assert "riskboundaries.signature_voided" in actions(boundary)
    # The CISO's signature alone does not activate it: the CIO must sign the new content again.
    boundary = services.boundary_sign(
        actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash
    )
    assert boundary.state == BoundaryState.AWAITING_SIGNATURES


def test_an_active_boundary_cannot_be_edited_or_signed(active_boundary, cio):
    with pytest.raises(InvalidTransition):
        services.boundary_update(actor=cio, boundary=active_boundary, limits=STRICT)
    with pytest.raises(InvalidTransition):
        services.boundary_sign(
            actor=cio, boundary=active_boundary, role="cio", seen_hash=active_boundary.content_hash
        )


def test_the_database_allows_one_active_boundary_only(active_boundary, cio):
    other = services.boundary_create(actor=cio, limits=STRICT)
    with pytest.raises(IntegrityError), transaction.atomic():
        RiskBoundary.objects.filter(pk=other.pk).update(state=BoundaryState.ACTIVE)


def test_what_if_lists_approved_and_submitted_use_cases_that_would_breach(
    make_use_case, active_boundary, cio
):
    risky = approve(make_use_case(title="Chatbot", submit=True))  # autonomy 0, score 9 (> 6 strict)
    waiting = make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True)
    make_use_case(title="Draft only", answers={**CHATBOT, "autonomy": 4})
    draft = services.boundary_create(actor=cio, limits=STRICT)
    found = {use_case.reference: result for use_case, result in boundary_impact(draft)}
    assert set(found) == {risky.reference, waiting.reference}
    assert "max_autonomy" in {b.clause for b in found[waiting.reference].breaches}


def test_activation_moves_breaching_approved_use_cases_to_re_review(
    make_use_case, active_boundary, cio, ciso
):
    breaching = approve(make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True))
    fine = approve(
        make_use_case(
            title="Tame",
            answers={
                **CHATBOT,
                "users": "employees_limited",
                "autonomy": 0,
                "transparency_triggers": [],
                "output_use": "draft_reviewed",
                "user_count": "lt_50",
                "affected_persons": [],
            },
            submit=True,
        )
    )
    stricter = {**PERMISSIVE, "max_autonomy": 1}
    draft = services.boundary_create(actor=cio, limits=stricter)
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    breaching.refresh_from_db()
    assert breaching.status == Status.APPROVED  # activation returns at once; the worker's pass moves it
    run_re_review_passes()
    breaching.refresh_from_db()
    fine.refresh_from_db()
    assert breaching.status == Status.RE_REVIEW_DUE and "highest autonomy" in breaching.status_reason
    assert fine.status == Status.APPROVED
    event = AuditEvent.objects.filter(action="intake.use_case_flag_re_review").get()
    assert event.payload["boundary_version"] == draft.version


def test_submission_freezes_the_verdict_and_boundary_version(make_use_case, active_boundary):
    use_case = make_use_case(submit=True)
    revision = use_case.revisions.get()
    assert revision.boundary_version == active_boundary.version
    assert revision.boundary_check["verdict"] in {"within", "within_with_conditions"}
    assert UseCase.objects.get(pk=use_case.pk).boundary_verdict == revision.boundary_check["verdict"]


@pytest.mark.django_db(transaction=True)
def test_racing_signatures_activate_exactly_once(cio, ciso):
    need_postgresql()
    first = services.boundary_create(actor=cio, limits=PERMISSIVE)
    services.boundary_sign(actor=cio, boundary=first, role="cio", seen_hash=first.content_hash)
    services.boundary_sign(actor=ciso, boundary=first, role="ciso", seen_hash=first.content_hash)
    draft = services.boundary_create(actor=cio, limits=STRICT)
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    second_ciso = UserFactory(username="ciso_two", roles=[Role.CISO])
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def sign(person):
        try:
            barrier.wait()
            services.boundary_sign(actor=person, boundary=draft, role="ciso", seen_hash=draft.content_hash)
            outcomes.append("signed")
        except (InvalidTransition, NotAllowed) as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(p,)) for p in (ciso, second_ciso)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["InvalidTransition", "signed"]
    assert list(RiskBoundary.objects.order_by("version").values_list("state", flat=True)) == [
        BoundaryState.SUPERSEDED,
        BoundaryState.ACTIVE,
    ]
    assert BoundarySignature.objects.filter(boundary=draft, voided_at__isnull=True).count() == 2
    assert audit_chain_verify().ok


@pytest.mark.django_db(transaction=True)
def test_activation_does_not_deadlock_with_a_use_case_write(make_use_case, cio, ciso):
    need_postgresql()
    from audit.services import audit_record

    first = services.boundary_create(actor=cio, limits=PERMISSIVE)
    services.boundary_sign(actor=cio, boundary=first, role="cio", seen_hash=first.content_hash)
    services.boundary_sign(actor=ciso, boundary=first, role="ciso", seen_hash=first.content_hash)
    approved = approve(make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True))
    draft = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    row_locked = threading.Event()
    errors: list[BaseException] = []

    def use_case_writer():
        # What every use-case service does: lock the row, then write to the audit chain.
        try:
            with transaction.atomic():
                UseCase.objects.select_for_update().get(pk=approved.pk)
                row_locked.set()
                threading.Event().wait(0.5)
                audit_record(actor=None, action="test.use_case_write", obj=approved)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def activating_signature():
        try:
            row_locked.wait(5)
            services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=use_case_writer), threading.Thread(target=activating_signature)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    approved.refresh_from_db()
    assert approved.status == Status.RE_REVIEW_DUE


def test_an_older_draft_cannot_replace_a_newer_active_boundary(active_boundary, cio, ciso):
    older = services.boundary_create(actor=cio, limits=STRICT)
    newer = services.boundary_create(actor=cio, limits={**STRICT, "max_autonomy": 0})
    for boundary in (newer,):
        services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
        services.boundary_sign(actor=ciso, boundary=boundary, role="ciso", seen_hash=boundary.content_hash)
    with pytest.raises(InvalidTransition, match="already in force"):
        services.boundary_sign(actor=cio, boundary=older, role="cio", seen_hash=older.content_hash)


def test_the_change_note_is_audited_and_frozen_once_signed(cio, ciso):
    boundary = services.boundary_create(actor=cio, limits=PERMISSIVE, change_note="First")
    boundary, _ = services.boundary_update(
        actor=cio, boundary=boundary, limits=PERMISSIVE, change_note="Better"
    )
    assert "riskboundaries.boundary_note_changed" in actions(boundary)
    services.boundary_sign(actor=cio, boundary=boundary, role="cio", seen_hash=boundary.content_hash)
    with pytest.raises(InvalidTransition, match="change note"):
        services.boundary_update(actor=ciso, boundary=boundary, limits=PERMISSIVE, change_note="Rewritten")


def test_providers_cannot_be_listed_twice(cio):
    providers = [{"name": "Azure OpenAI"}, {"name": " azure openai "}]
    with pytest.raises(DomainError) as excinfo:
        services.boundary_create(actor=cio, limits={**PERMISSIVE, "allowed_providers": providers})
    assert "allowed_providers" in excinfo.value.errors


def test_what_if_is_one_query_however_many_use_cases(make_use_case, cio, django_assert_num_queries):
    for i in range(8):
        make_use_case(title=f"Agent {i}", answers={**CHATBOT, "autonomy": 3}, submit=True)
    draft = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    with django_assert_num_queries(1):
        found = boundary_impact(draft)
    assert len(found) == 8


def test_a_new_boundary_tells_both_roles_of_the_re_reviews_it_causes(
    make_use_case, active_boundary, cio, ciso, django_capture_on_commit_callbacks
):
    from django.core import mail

    approve(make_use_case(title="Agent", answers={**CHATBOT, "autonomy": 3}, submit=True))
    draft = services.boundary_create(actor=cio, limits={**PERMISSIVE, "max_autonomy": 1})
    services.boundary_sign(actor=cio, boundary=draft, role="cio", seen_hash=draft.content_hash)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.boundary_sign(actor=ciso, boundary=draft, role="ciso", seen_hash=draft.content_hash)
    due = [m for m in mail.outbox if "due for re-review" in m.subject]
    assert len(due) == 1 and sorted(due[0].to) == sorted([cio.email, ciso.email])
