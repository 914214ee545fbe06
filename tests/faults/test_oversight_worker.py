"""The inventory and the attestations with a real worker on PostgreSQL and Redis: a provider's lost term and an owner's
attestation of a change each send the use case to re-review, and the worker tells both executives once each."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from approvals.models import Approval
from intake.models import UseCase
from intake.workflow import Status
from oversight import inventory, services
from riskboundaries import services as boundary_services
from tests.answer_sets import CHATBOT
from tests.riskboundaries.conftest import PERMISSIVE, signed_by_both
from tests.services.processes import celery_beat, celery_worker, wait_for_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _subjects(folder: Path) -> list[str]:
    texts = [path.read_text(errors="replace") for path in sorted(folder.glob("*.log"))]
    return sorted(m.group(1).strip() for text in texts for m in re.finditer(r"^Subject: (.*)$", text, re.M))


def test_a_lost_provider_term_and_an_attested_change_reach_the_executives_through_the_worker(
    production_env, tmp_path, monkeypatch, make_use_case, requester, cio, ciso
):
    from approvals.services import decision_record
    from outbox import services as outbox

    limits = {
        **PERMISSIVE,
        "allowed_providers": [
            {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed"]},
            {"name": "Anthropic", "regions": [], "required_terms": []},
        ],
    }
    signed_by_both(boundary_services.boundary_create(actor=cio, limits=limits), cio, ciso)
    first = make_use_case(title="Support chatbot", answers=CHATBOT, submit=True)
    second = make_use_case(title="Claims helper", answers={**CHATBOT, "provider": "Anthropic"}, submit=True)
    for use_case in (first, second):
        decision_record(actor=cio, use_case=use_case, decision="approve", slot="cio")
        decision_record(actor=ciso, use_case=use_case, decision="approve", slot="ciso")
    # Approved last quarter: the owner owes this quarter's attestation.
    Approval.objects.update(approved_at=timezone.now() - timedelta(days=120))
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)  # only the worker side publishes

    azure = inventory.provider_list(actor=cio, name="Azure OpenAI")
    terms = {
        "dpa_signed": {"holds": False, "checked_on": timezone.localdate(), "document": "Notice of 1 Nov"}
    }
    impact, saved = inventory.provider_terms_set(actor=cio, provider=azure, terms=terms, confirm=True)
    assert saved and [u.pk for u, _ in impact] == [first.pk]
    services.use_case_attest(
        actor=requester,
        use_case=second,
        same_model=True,
        same_data=False,
        controls_operating=True,
        note="Now also reads claims handlers' notes.",
    )

    env = production_env()
    beat = celery_beat(env=env, log_dir=tmp_path)  # its outbox sweep hands the queued messages to the broker
    worker = celery_worker(env=env, queue="celery", log_dir=tmp_path, name="worker", node="w1")
    expected = [f"{first.reference} is due for re-review", f"{second.reference} is due for re-review"]
    try:
        wait_for_worker(worker)
        wait_until(
            lambda: all(subject in _subjects(production_env.mail) for subject in expected),
            timeout=90,
            what="the worker telling the executives of both re-reviews",
            logs=(worker, beat),
        )
    finally:
        beat.stop()
        assert worker.stop() == 0, worker.log()
    subjects = _subjects(production_env.mail)
    assert [subjects.count(subject) for subject in expected] == [1, 1]
    assert set(UseCase.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        Status.RE_REVIEW_DUE
    }
