"""Issuing a board pack on the database: the joint statement, the CIO's and the CISO's signatures on a version's
content hash, the issued copy the second signature brings, and what voids a signature."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed
from reporting import services
from reporting.models import BoardPack, PackSignature, QuarterStatement
from reporting.workflow import IssuanceState
from tests.factories import UserFactory
from tests.reporting.issuance.steps import CURRENT, PREVIOUS, STATEMENT, pdf_text, sign

pytestmark = pytest.mark.django_db


def test_a_rendered_draft_has_a_content_hash_and_is_not_issued(run, secretary):
    pack = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    pack.refresh_from_db()
    assert len(pack.content_hash) == 64
    assert pack.issuance == IssuanceState.UNSIGNED and not pack.is_issued and not pack.is_interim


def test_the_content_hash_leaves_out_signatures_issued_flag_and_generation_time():
    context = {"quarter": "2026-Q3", "generated_at": timezone.now(), "issue": {"statement": None}}
    before = services.content_hash(
        {**context, "issue": {**context["issue"], "issued": False, "signatures": []}}
    )
    after = services.content_hash(
        {
            **context,
            "generated_at": timezone.now(),
            "issue": {**context["issue"], "issued": True, "signatures": [{"role": "CIO", "name": "A"}]},
        }
    )
    assert before == after
    assert services.content_hash({**context, "issue": {"statement": {"text": "Other words"}}}) != before


def test_a_pack_without_a_statement_cannot_be_signed(run, secretary, cio):
    pack = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    pack.refresh_from_db()
    with pytest.raises(InvalidTransition, match="have not written the statement"):
        services.board_pack_sign(actor=cio, pack=pack, role=Role.CIO, seen_hash=pack.content_hash)


def test_writing_the_statement_voids_the_earlier_draft_and_prepares_one_that_holds_it(run, draft, cio):
    first = BoardPack.objects.get(quarter=PREVIOUS, version=1)
    assert first.issuance == IssuanceState.VOID and "statement changed" in first.void_reason
    assert draft.statement_text == STATEMENT and draft.statement_revision == 1
    assert draft.statement_authors == [cio.get_full_name() or cio.username]
    event = AuditEvent.objects.get(action="reporting.statement_written")
    assert event.payload["quarter"] == PREVIOUS and event.payload["revision"] == 1


def test_one_signature_is_not_issued(run, draft, cio):
    sign(run, draft, cio, Role.CIO)
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.PART_SIGNED and not draft.is_issued and not draft.issued_file
    assert (
        AuditEvent.objects.filter(action="reporting.board_pack_signed", object_id=str(draft.pk)).count() == 1
    )


def test_both_signatures_issue_the_same_content_with_its_own_pdf(real_pdf, run, draft, cio, ciso):
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.ISSUED and draft.issued_at is not None
    issued, drafted = draft.issued_file.read(), draft.file.read()
    assert issued.startswith(b"%PDF") and issued != drafted
    # the issued copy carries the statement and both signatories; the draft says it is not issued
    issued_text, draft_text = pdf_text(issued), pdf_text(drafted)
    assert "AI adoption is on plan" in " ".join(issued_text.split())
    for person, role in ((cio, "CIO"), (ciso, "CISO")):
        assert f"{person.get_full_name() or person.username} ({role}" in " ".join(issued_text.split())
    assert "Draft — not issued" in draft_text and "Draft — not issued" not in issued_text
    assert {s.content_hash for s in draft.signatures.all()} == {draft.content_hash}
    assert AuditEvent.objects.filter(action="reporting.board_pack_issued", object_id=str(draft.pk)).exists()


def test_a_stale_hash_is_refused(run, draft, cio):
    with pytest.raises(InvalidTransition, match="changed since you opened it"):
        services.board_pack_sign(actor=cio, pack=draft, role=Role.CIO, seen_hash="0" * 64)
    assert not PackSignature.objects.exists()


def test_editing_the_statement_after_a_signature_voids_it(run, draft, cio, ciso):
    sign(run, draft, cio, Role.CIO)
    run(services.statement_save, actor=ciso, quarter=PREVIOUS, text=STATEMENT + " Budget is approved.")
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.VOID
    (signature,) = PackSignature.objects.filter(pack=draft)
    assert signature.voided_at is not None
    # the void version cannot get its second signature; the new draft holds the new words and needs both again
    with pytest.raises(InvalidTransition):
        services.board_pack_sign(actor=ciso, pack=draft, role=Role.CISO, seen_hash=draft.content_hash)
    newest = BoardPack.objects.get(quarter=PREVIOUS, version=3)
    assert newest.statement_text.endswith("Budget is approved.") and newest.content_hash != draft.content_hash
    assert newest.issuance == IssuanceState.UNSIGNED
    assert set(QuarterStatement.objects.get(quarter=PREVIOUS).authors.all()) == {cio, ciso}


def test_a_version_prepared_before_the_latest_statement_cannot_be_signed(run, draft, cio):
    QuarterStatement.objects.filter(quarter=PREVIOUS).update(
        revision=2
    )  # as if edited while it was rendering
    with pytest.raises(InvalidTransition, match="statement changed after this version"):
        services.board_pack_sign(actor=cio, pack=draft, role=Role.CIO, seen_hash=draft.content_hash)


def test_the_secretary_cannot_sign(draft, secretary):
    with pytest.raises(NotAllowed):
        services.board_pack_sign(actor=secretary, pack=draft, role=Role.CIO, seen_hash=draft.content_hash)


def test_the_same_person_cannot_sign_in_both_roles(run, draft):
    both = UserFactory(username="both", roles=[Role.CIO, Role.CISO])
    sign(run, draft, both, Role.CIO)
    with pytest.raises(NotAllowed, match="cannot sign it twice"):
        sign(run, draft, both, Role.CISO)
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.PART_SIGNED


def test_the_secretary_cannot_write_the_statement(secretary):
    with pytest.raises(NotAllowed):
        services.statement_save(actor=secretary, quarter=PREVIOUS, text=STATEMENT)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 2001, "At most 2,000 characters."),
        ("Fine\u202eevil", "Remove the control characters"),
        ("  ", "Write"),
    ],
)
def test_a_statement_too_long_blank_or_with_control_characters_is_refused_naming_the_field(
    cio, text, message
):
    with pytest.raises(DomainError) as refused:
        services.statement_save(actor=cio, quarter=PREVIOUS, text=text)
    assert message in " ".join(refused.value.errors["text"])
    assert not QuarterStatement.objects.exists()


def test_the_statement_cannot_change_once_the_quarter_is_issued(run, draft, cio, ciso):
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    with pytest.raises(InvalidTransition, match="can no longer change"):
        services.statement_save(actor=cio, quarter=PREVIOUS, text="Something else")


def test_issuing_a_version_voids_the_quarters_other_drafts(run, draft, cio, ciso, secretary):
    later = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    later.refresh_from_db()
    assert later.issuance == IssuanceState.VOID and "signed by both" in later.void_reason


def test_content_that_no_longer_matches_at_the_issued_render_is_void_not_issued(
    run, draft, cio, ciso, monkeypatch
):
    sign(run, draft, cio, Role.CIO)
    monkeypatch.setattr(services, "content_hash", lambda context: "f" * 64)
    sign(run, draft, ciso, Role.CISO)
    draft.refresh_from_db()
    assert draft.issuance == IssuanceState.VOID and not draft.issued_file
    assert not PackSignature.objects.filter(pack=draft, voided_at__isnull=True).exists()


def test_the_other_executive_and_the_secretary_are_emailed(run, draft, cio, ciso, secretary):
    mail.outbox.clear()
    sign(run, draft, cio, Role.CIO)
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([ciso.email, secretary.email])
    assert f"Board pack {PREVIOUS} version 2 signed by the CIO" == message.subject
    mail.outbox.clear()
    sign(run, draft, ciso, Role.CISO)
    subjects = [m.subject for m in mail.outbox]
    assert f"Board pack {PREVIOUS} is issued" in subjects
    issued = next(m for m in mail.outbox if m.subject == f"Board pack {PREVIOUS} is issued")
    assert cio.email in issued.to and ciso.email in issued.to and secretary.email in issued.to


def test_the_statement_is_emailed_to_the_other_executive_and_the_secretary(run, cio, ciso, secretary):
    mail.outbox.clear()
    run(services.statement_save, actor=cio, quarter=PREVIOUS, text=STATEMENT)
    message = next(m for m in mail.outbox if m.subject.startswith("Board statement"))
    assert sorted(message.to) == sorted([ciso.email, secretary.email]) and STATEMENT in message.body


@pytest.mark.parametrize("quarter", [PREVIOUS, CURRENT])
def test_the_content_hash_is_the_same_when_the_data_is_read_again_later(people, run, quarter):
    """The issued copy is rendered from the data read again: at the same cut-off it must hash the same, days later."""
    import time_machine

    pack = run(services.board_pack_request, actor=people["secretary"], quarter=quarter)
    pack.refresh_from_db()
    assert pack.status == BoardPack.Status.READY, pack.error
    statement = {
        "statement_revision": 0,
        "statement_text": "",
        "statement_authors": [],
        "statement_updated_at": None,
    }
    first = services._pack_content(pack, statement=statement, signatures=[])["content_hash"]
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        again = services._pack_content(pack, statement=statement, signatures=[])["content_hash"]
    assert first == again == pack.content_hash


def test_a_version_prepared_after_the_quarter_was_issued_cannot_be_signed(run, draft, cio, ciso, secretary):
    sign(run, draft, cio, Role.CIO)
    sign(run, draft, ciso, Role.CISO)
    later = run(services.board_pack_request, actor=secretary, quarter=PREVIOUS)
    later.refresh_from_db()
    with pytest.raises(InvalidTransition, match="Version 2 of this quarter is signed by both"):
        services.board_pack_sign(actor=cio, pack=later, role=Role.CIO, seen_hash=later.content_hash)


def test_the_sweep_sends_a_signed_pack_whose_issued_copy_is_missing_to_the_worker_again(
    run, draft, cio, monkeypatch
):
    sign(run, draft, cio, Role.CIO)
    BoardPack.objects.filter(pk=draft.pk).update(
        issuance=IssuanceState.ISSUING, issuance_changed_at=timezone.now() - timedelta(hours=1)
    )
    published = []
    monkeypatch.setattr(
        "reporting.tasks.render_board_pack.apply_async", lambda args, **kwargs: published.append(args[0])
    )
    assert services.board_pack_sweep() == [draft.pk] and published == [draft.pk]


# --- the issued copy's render: counted attempts, then given up with its reason ---------------------------------------


def _failing_render(monkeypatch, calls):
    from reporting import rendering

    def render(context, **_):
        calls.append(context["issue"]["issued"])
        raise OSError("the object store refused the write")

    monkeypatch.setattr(rendering, "render_pack", render)


def test_an_issued_copy_that_fails_is_retried_by_the_sweep_and_given_up_after_the_last_attempt(
    run, draft, cio, ciso, secretary, monkeypatch, settings
):
    settings.BOARD_PACK_MAX_ATTEMPTS = 2
    sign(run, draft, cio, Role.CIO)
    calls = []
    _failing_render(monkeypatch, calls)
    sign(run, draft, ciso, Role.CISO)  # the first attempt, sent by the second signature
    draft.refresh_from_db()
    assert calls == [True]
    assert draft.issuance == IssuanceState.ISSUING and draft.issue_attempts == 1
    assert draft.issue_error == "OSError: the object store refused the write"
    # The sweep leaves a recent attempt alone, then sends it again once it has waited as long as a queued pack.
    assert draft.pk not in services.board_pack_sweep()
    later = timezone.now() + timedelta(seconds=settings.BOARD_PACK_QUEUED_SECONDS + 1)
    mail.outbox.clear()
    assert draft.pk in run(services.board_pack_sweep, now=later)
    draft.refresh_from_db()
    assert calls == [True, True] and draft.issue_attempts == 2
    assert draft.issuance == IssuanceState.VOID
    assert draft.void_reason.startswith(
        "The issued copy could not be rendered in 2 attempts (OSError: the object"
    )
    assert not PackSignature.objects.filter(pack=draft, voided_at__isnull=True).exists()
    voided = AuditEvent.objects.filter(action="reporting.board_pack_voided", object_id=str(draft.pk)).latest(
        "sequence"
    )
    assert voided.payload["attempts"] == 2
    (message,) = [m for m in mail.outbox if m.subject == f"Board pack {PREVIOUS} could not be issued"]
    assert sorted(message.to) == sorted([cio.email, ciso.email, secretary.email])
    assert "Prepare a new version and sign it again" in message.body
    # Given up, it is not sent again.
    assert draft.pk not in services.board_pack_sweep(now=later + timedelta(hours=1))


def test_a_delivery_after_the_last_interrupted_attempt_voids_it_without_rendering(
    run, draft, cio, ciso, monkeypatch, settings
):
    """A worker killed while it rendered leaves the attempt counted and no error: the next delivery past the last
    attempt gives up instead of rendering again."""
    sign(run, draft, cio, Role.CIO)
    BoardPack.objects.filter(pk=draft.pk).update(issue_attempts=settings.BOARD_PACK_MAX_ATTEMPTS)
    monkeypatch.setattr(services, "enqueue", lambda *args, **kwargs: None)  # nothing reaches the worker
    sign(run, draft, ciso, Role.CISO)
    monkeypatch.undo()
    calls = []
    _failing_render(monkeypatch, calls)

    services.board_pack_render(pack_id=draft.pk)

    draft.refresh_from_db()
    assert calls == [] and draft.issuance == IssuanceState.VOID
    assert "its worker stopped before it finished, each time" in draft.void_reason


def test_issuance_emails_go_through_the_outbox_in_the_same_transaction(run, draft, cio):
    from outbox.models import OutboxMessage

    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    sign(run, draft, cio, Role.CIO)
    (message,) = OutboxMessage.objects.exclude(pk__in=before).filter(task="reporting.tasks.notify_issuance")
    assert message.args == ["signed"]
    assert message.kwargs == {"actor_id": cio.pk, "pack_id": draft.pk, "role": Role.CIO}


def test_an_issuance_email_is_retried_while_the_mail_server_is_away(draft, cio, monkeypatch):
    from celery.exceptions import Retry

    from reporting import notifications, tasks

    attempts = []

    def flaky(kind, **kwargs):
        attempts.append(kind)
        if len(attempts) == 1:
            raise ConnectionRefusedError("mail server away")
        return 1

    monkeypatch.setattr(notifications, "notify_issuance", flaky)
    with pytest.raises(Retry):  # scheduled again, not dropped
        tasks.notify_issuance.apply(args=["signed"], kwargs={"actor_id": cio.pk, "pack_id": draft.pk})
    result = tasks.notify_issuance.apply(args=["signed"], kwargs={"actor_id": cio.pk, "pack_id": draft.pk})

    assert result.successful() and result.result == 1 and attempts == ["signed", "signed"]
    assert tasks.notify_issuance.max_retries == 5
