"""A newer ruleset over a portfolio assessed under an older one: re-assessed in batches, shown to both executives,
and once both acknowledge, the approved use cases whose risk rose go to re-review. Audited; resumable."""

from itertools import pairwise

import pytest

from audit.models import AuditEvent
from config.errors import DomainError, InvalidTransition, NotAllowed
from intake import selectors, services
from intake.assessment import RULESET_VERSION, assess
from intake.models import RulesetChange, RulesetUpgrade, UseCase
from intake.vocabulary import Band, Tier
from intake.workflow import Status
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.riskboundaries.conftest import approve

OLD = "2026.10.1"


def older_ruleset(monkeypatch, *, tier: str = "minimal", band: str = "low"):
    """Submissions assessed as an older ruleset did: the same rules, but the given tier and band (a deliberately
    milder reading), under version OLD."""
    real = services.assess

    class Older:
        def __init__(self, answers):
            self.real = real(answers)
            self.tier, self.band, self.ruleset_version = Tier(tier), Band(band), OLD
            self.data = self.real.to_dict()
            self.data["ruleset_version"] = OLD
            self.data["eu_ai_act"]["tier"] = tier
            self.data["band"] = band
            self.data["eu_ai_act"]["transparency_duties"] = []
            self.data["eu_ai_act"]["obligations"] = [
                item for item in self.data["eu_ai_act"]["obligations"] if item["id"] == "EU-ART4-AI-LITERACY"
            ]

        def to_dict(self):
            return self.data

        def __getattr__(self, name):
            return getattr(self.real, name)

    monkeypatch.setattr(services, "assess", Older)
    return lambda: monkeypatch.setattr(services, "assess", real)


@pytest.fixture
def portfolio(monkeypatch, make_use_case):
    """Under the older ruleset: an approved CV screener read as minimal (riskier now), an approved chatbot read as
    limited and low as today (only its obligations change), and a submitted CV screener (riskier, not approved)."""
    restore = older_ruleset(monkeypatch)
    screener = approve(make_use_case(title="CV screener", answers=CV_SCREENING, submit=True))
    restore()
    now = assess(CHATBOT).to_dict()
    restore = older_ruleset(monkeypatch, tier=now["eu_ai_act"]["tier"], band=now["band"])
    chatbot = approve(make_use_case(title="Support chatbot", answers=CHATBOT, submit=True))
    restore()
    restore = older_ruleset(monkeypatch)
    waiting = make_use_case(title="Another screener", answers=CV_SCREENING, submit=True)
    restore()
    draft = make_use_case(title="A draft")  # not live: never re-assessed
    return {"screener": screener, "chatbot": chatbot, "waiting": waiting, "draft": draft}


def reassessed() -> RulesetUpgrade:
    upgrade = services.ruleset_upgrade_start()
    return services.ruleset_reassess_run(upgrade_id=upgrade.pk, batch_size=2)


@pytest.mark.django_db
def test_a_deployment_without_a_newer_ruleset_starts_nothing(make_use_case):
    make_use_case(answers=CHATBOT, submit=True)
    assert services.ruleset_upgrade_start() is None
    assert not RulesetUpgrade.objects.exists()


@pytest.mark.django_db
def test_the_portfolio_is_re_assessed_in_batches_and_what_changes_is_recorded(portfolio):
    upgrade = services.ruleset_upgrade_start()
    assert (upgrade.version, upgrade.state, upgrade.total) == (RULESET_VERSION, "assessing", 3)
    assert services.ruleset_upgrade_start().pk == upgrade.pk  # once per version

    upgrade = services.ruleset_reassess_run(upgrade_id=upgrade.pk, batch_size=2)

    assert (upgrade.state, upgrade.checked, upgrade.changed, upgrade.rose) == ("awaiting", 3, 3, 2)
    changes = {c.use_case_id: c for c in RulesetChange.objects.all()}
    screener = changes[portfolio["screener"].pk]
    assert screener.rose and screener.from_version == OLD
    assert (screener.change["before"]["tier"], screener.change["after"]["tier"]) == ("minimal", "high")
    assert not changes[portfolio["chatbot"].pk].rose  # only obligations moved
    assert portfolio["draft"].pk not in changes
    events = list(
        AuditEvent.objects.filter(action__startswith="intake.ruleset_")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert events == ["intake.ruleset_deployed", "intake.ruleset_assessed"]
    # The frozen assessments stand meanwhile.
    assert UseCase.objects.get(pk=portfolio["screener"].pk).status == Status.APPROVED


@pytest.mark.django_db
def test_a_re_assessment_interrupted_resumes_at_its_cursor_without_counting_twice(portfolio):
    upgrade = services.ruleset_upgrade_start()
    services._ruleset_reassess_batch(upgrade.pk, batch_size=2)  # then the worker died
    upgrade = services.ruleset_reassess_run(upgrade_id=upgrade.pk, batch_size=2)
    assert (upgrade.checked, upgrade.changed) == (3, 3)
    assert RulesetChange.objects.count() == 3


@pytest.mark.django_db
def test_only_the_cio_and_the_ciso_acknowledge_once_each_then_the_riskier_approved_go_to_re_review(
    portfolio, cio, ciso, requester
):
    upgrade = reassessed()
    with pytest.raises(NotAllowed):
        services.ruleset_acknowledge(actor=requester, upgrade=upgrade, role="cio")
    with pytest.raises(NotAllowed):
        services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="ciso")
    with pytest.raises(DomainError):
        services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="board")
    upgrade = services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="cio")
    assert upgrade.state == "awaiting"
    with pytest.raises(InvalidTransition):
        services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="cio")

    upgrade = services.ruleset_acknowledge(actor=ciso, upgrade=upgrade, role="ciso")
    assert upgrade.state == "applying"
    upgrade = services.ruleset_apply_run(upgrade_id=upgrade.pk, batch_size=1)

    assert (upgrade.state, upgrade.re_reviewed) == ("applied", 1)
    screener = UseCase.objects.get(pk=portfolio["screener"].pk)
    assert screener.status == Status.RE_REVIEW_DUE
    assert f"Ruleset {RULESET_VERSION} assesses it as riskier" in screener.status_reason
    assert "tier Minimal risk → High risk" in screener.status_reason
    assert UseCase.objects.get(pk=portfolio["chatbot"].pk).status == Status.APPROVED  # not riskier
    assert (
        UseCase.objects.get(pk=portfolio["waiting"].pk).status == Status.SUBMITTED
    )  # riskier, but not approved
    actions = list(
        AuditEvent.objects.filter(action__startswith="intake.ruleset_")
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == [
        "intake.ruleset_acknowledged",
        "intake.ruleset_acknowledged",
        "intake.ruleset_applied",
    ]
    assert selectors.pending_ruleset_upgrade() is None


@pytest.mark.django_db
def test_a_use_case_resubmitted_since_under_the_new_ruleset_is_not_sent_back(portfolio, cio, ciso, requester):
    upgrade = reassessed()
    use_case = UseCase.objects.get(pk=portfolio["screener"].pk)
    UseCase.objects.filter(pk=use_case.pk).update(
        revision_count=use_case.revision_count + 1
    )  # a newer revision
    services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="cio")
    services.ruleset_acknowledge(actor=ciso, upgrade=upgrade, role="ciso")
    upgrade = services.ruleset_apply_run(upgrade_id=upgrade.pk)
    assert upgrade.re_reviewed == 0


@pytest.mark.django_db
def test_acknowledging_before_the_re_assessment_is_over_is_refused(portfolio, cio):
    upgrade = services.ruleset_upgrade_start()
    with pytest.raises(InvalidTransition):
        services.ruleset_acknowledge(actor=cio, upgrade=upgrade, role="cio")


# --- pages and API ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_executives_page_lists_what_changes_and_the_use_case_page_says_a_ruleset_is_pending(
    portfolio, as_user, cio, requester
):
    reassessed()
    page = as_user(cio).get("/requests/ruleset/").content.decode()
    assert portfolio["screener"].reference in page and "Riskier" in page
    assert "Acknowledge as CIO" in page
    assert as_user(requester).get("/requests/ruleset/").status_code == 403

    detail = as_user(requester).get(f"/requests/{portfolio['screener'].reference}/").content.decode()
    assert f"A newer ruleset ({RULESET_VERSION}) is waiting for the CIO and the CISO" in detail
    assert "Under the new rules:" in detail and "High risk" in detail
    home = as_user(cio).get("/").content.decode()
    assert f"A newer ruleset: {RULESET_VERSION}" in home


@pytest.mark.django_db
def test_acknowledging_on_the_page(portfolio, as_user, cio, ciso):
    reassessed()
    response = as_user(cio).post("/requests/ruleset/acknowledge/", {"role": "cio"})
    assert response.status_code == 302
    assert RulesetUpgrade.objects.get().acknowledgements.filter(role="cio", person=cio).exists()


@pytest.mark.django_db
def test_the_api_shows_the_upgrade_to_the_executives_and_takes_their_acknowledgement(
    portfolio, api_as, cio, ciso, requester
):
    reassessed()
    assert api_as(requester).get("/api/v1/ruleset/").status_code == 403
    body = api_as(cio).get("/api/v1/ruleset/").json()
    assert (body["version"], body["state"], body["changed"], body["rose"]) == (
        RULESET_VERSION,
        "awaiting",
        3,
        2,
    )
    assert body["changes"][0]["rose"] is True  # the riskier first

    refused = api_as(cio).post("/api/v1/ruleset/acknowledge/", {"role": "ciso"}, format="json")
    assert refused.status_code == 403
    assert api_as(cio).post("/api/v1/ruleset/acknowledge/", {"role": "cio"}, format="json").status_code == 200
    done = api_as(ciso).post("/api/v1/ruleset/acknowledge/", {"role": "ciso"}, format="json").json()
    assert done["state"] == "applying" and {a["role"] for a in done["acknowledgements"]} == {"cio", "ciso"}


def test_the_upgrade_goes_through_its_states_in_order_one_step_at_a_time():
    from intake.workflow import RULESET_UPGRADE_STEPS

    states = list(RulesetUpgrade.State.values)
    assert dict(pairwise(states)) == RULESET_UPGRADE_STEPS


@pytest.mark.django_db
def test_a_step_out_of_order_is_refused(portfolio):
    upgrade = services.ruleset_upgrade_start()
    with pytest.raises(InvalidTransition):
        services._ruleset_advance(upgrade, RulesetUpgrade.State.APPLIED)
    assert RulesetUpgrade.objects.get().state == "assessing"
