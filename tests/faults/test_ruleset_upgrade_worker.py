"""A newer ruleset, end to end with real worker and beat processes on PostgreSQL and Redis: the beat notices that the
portfolio was assessed under an older ruleset, the worker re-assesses it in the background, nothing moves until both
executives acknowledge, then the worker sends the approved use case whose risk rose to re-review."""

import time

import pytest

from intake import services
from intake.assessment import RULESET_VERSION
from intake.models import RulesetUpgrade, UseCase
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.intake.test_ruleset_upgrade import older_ruleset
from tests.riskboundaries.conftest import approve
from tests.services.processes import celery_beat, celery_worker, wait_for_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_deployed_ruleset_is_re_assessed_by_the_worker_and_applied_once_both_acknowledge(
    production_env, tmp_path, monkeypatch, make_use_case, cio, ciso
):
    from outbox import services as outbox

    restore = older_ruleset(monkeypatch)
    screener = approve(make_use_case(title="CV screener", answers=CV_SCREENING, submit=True))
    restore()
    current = approve(make_use_case(title="Support chatbot", answers=CHATBOT, submit=True))  # today's ruleset
    monkeypatch.setattr(outbox, "publish", lambda message_id: False)  # only the worker side publishes

    env = production_env(RULESET_CHECK_SECONDS="2", BOUNDARY_RE_REVIEW_BATCH="1")
    beat = celery_beat(env=env, log_dir=tmp_path)
    worker = celery_worker(env=env, queue="celery", log_dir=tmp_path, name="worker", node="w1")
    try:
        wait_for_worker(worker)
        wait_until(
            lambda: RulesetUpgrade.objects.filter(state=RulesetUpgrade.State.AWAITING).exists(),
            timeout=120,
            what="the beat starting the upgrade and the worker re-assessing the portfolio",
            logs=(worker, beat),
        )
        upgrade = RulesetUpgrade.objects.get()
        assert (upgrade.version, upgrade.total, upgrade.checked, upgrade.changed, upgrade.rose) == (
            RULESET_VERSION,
            2,
            2,
            1,
            1,
        )
        time.sleep(3)  # more beats pass: nothing is started twice, nothing moves before both acknowledge
        assert RulesetUpgrade.objects.count() == 1
        assert UseCase.objects.get(pk=screener.pk).status == Status.APPROVED

        services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="cio")
        services.ruleset_acknowledge(actor=ciso, upgrade=upgrade, role="ciso")
        wait_until(
            lambda: RulesetUpgrade.objects.filter(pk=upgrade.pk, state=RulesetUpgrade.State.APPLIED).exists(),
            timeout=120,
            what="the worker applying the acknowledged ruleset",
            logs=(worker, beat),
        )
    finally:
        beat.stop()
        assert worker.stop() == 0, worker.log()
    assert UseCase.objects.get(pk=screener.pk).status == Status.RE_REVIEW_DUE
    assert UseCase.objects.get(pk=current.pk).status == Status.APPROVED
    assert RulesetUpgrade.objects.get().re_reviewed == 1
