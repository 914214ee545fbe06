"""The check facts kept with a use case at each submission: what a boundary check reads of its latest revision, so
that the what-if groups use cases without reading their revisions' JSON (riskboundaries.selectors._fact_groups)."""

import json

import pytest
from django.db import connection, transaction

from intake import services as intake_services
from intake.models import UseCase
from intake.workflow import Action
from riskboundaries import selectors, services
from riskboundaries.check import ANSWERS_READ, ASSESSMENT_READ, FACTS_VERSION, check_facts_of
from tests.answer_sets import CHATBOT, CV_SCREENING
from tests.riskboundaries.conftest import PERMISSIVE, approve, signed_by_both

pytestmark = pytest.mark.django_db

ACTIVE_LIMITS = {**PERMISSIVE, "max_autonomy": 2}
STRICTER = {**ACTIVE_LIMITS, "max_autonomy": 1, "max_inherent_score": 12}


def built(use_case) -> dict:
    """The facts the database builds from the use case's latest revision, as the what-if does without kept ones."""
    queryset = UseCase.objects.filter(pk=use_case.pk)
    return queryset.annotate(built=selectors.built_check_facts()).values_list("built", flat=True).get()


@pytest.mark.parametrize(
    "answers",
    [CHATBOT, CV_SCREENING, {**CHATBOT, "autonomy": 4, "provider_terms": []}],
    ids=["chatbot", "cv-screening", "autonomous-no-terms"],
)
def test_a_submission_keeps_the_facts_the_database_builds_from_its_revision(make_use_case, answers):
    use_case = make_use_case(answers=answers, submit=True)
    use_case.refresh_from_db()

    assert use_case.check_facts == built(use_case)
    assert use_case.check_facts["v"] == FACTS_VERSION
    assert set(use_case.check_facts["answers"]) == set(ANSWERS_READ)
    assert set(use_case.check_facts) == {"v", "answers", *ASSESSMENT_READ}


def test_a_draft_keeps_no_facts_and_a_resubmission_keeps_its_new_revisions(requester, make_use_case):
    draft = make_use_case(answers={**CHATBOT, "autonomy": 1})
    draft.refresh_from_db()
    assert draft.check_facts is None

    use_case = intake_services.use_case_submit(actor=requester, use_case=draft)
    assert use_case.check_facts["answers"]["autonomy"] == 1
    with transaction.atomic():  # stand-in for the deciders asking for changes
        locked = intake_services._locked(use_case)
        intake_services._transition(
            locked, Action.REQUEST_CHANGES, actor=None, reason="Less autonomy, please."
        )
    intake_services.use_case_update(actor=requester, use_case=locked, changes={"autonomy": 3})
    resubmitted = intake_services.use_case_submit(actor=requester, use_case=locked)

    resubmitted.refresh_from_db()
    assert resubmitted.revision_count == 2
    assert resubmitted.check_facts["answers"]["autonomy"] == 3
    assert resubmitted.check_facts == built(resubmitted)


def test_the_facts_version_changes_when_what_the_check_reads_changes():
    from riskboundaries.check import facts_version

    assert facts_version(ANSWERS_READ, ASSESSMENT_READ) == FACTS_VERSION
    assert facts_version((*ANSWERS_READ, "purpose"), ASSESSMENT_READ) != FACTS_VERSION
    assert facts_version(ANSWERS_READ[:-1], ASSESSMENT_READ) != FACTS_VERSION
    assert facts_version(ANSWERS_READ, (*ASSESSMENT_READ, "role")) != FACTS_VERSION


def test_facts_in_python_and_in_the_database_agree_on_a_missing_answer():
    facts = check_facts_of({"autonomy": 2}, {"band": "low", "score": 3, "eu_ai_act": {"tier": "minimal"}})

    assert facts["answers"]["provider"] is None and facts["answers"]["autonomy"] == 2
    assert facts["prohibited"] is None and facts["tier"] == "minimal"


@pytest.fixture
def mixed_portfolio(cio, ciso, make_use_case):
    active = signed_by_both(services.boundary_create(actor=cio, limits=ACTIVE_LIMITS), cio, ciso)
    for n, (base, autonomy) in enumerate(
        [(CHATBOT, 0), (CHATBOT, 2), (CHATBOT, 3), (CHATBOT, 4), (CV_SCREENING, 1), (CV_SCREENING, 3)] * 2
    ):
        use_case = make_use_case(title=f"Mixed {n}", answers={**base, "autonomy": autonomy}, submit=True)
        if n % 2:
            approve(use_case)
    return active


def what_if(active) -> dict:
    split = selectors.breaching_against_active(STRICTER, active)
    return {
        "newly": sorted(u.reference for u, _ in split.newly),
        "already": sorted(u.reference for u, _ in split.already),
        "counts": {group: split.count(group) for group in ("newly", "already", "no_longer")},
        "checks": {u.reference: c for u, c in split.breaching},
    }


def test_the_what_if_is_the_same_from_kept_facts_missing_ones_and_those_of_other_reads(
    mixed_portfolio, django_assert_num_queries
):
    kept = what_if(mixed_portfolio)
    one_by_one = {u.reference: c for u, c in selectors.breaching_use_cases(STRICTER)}
    assert kept["checks"] == one_by_one and len(one_by_one) > 4

    ids = sorted(UseCase.objects.filter(revision_count__gte=1).values_list("pk", flat=True))
    UseCase.objects.filter(pk__in=ids[::3]).update(check_facts=None)
    # Facts written for other reads (an older FACTS_VERSION) and now wrong: they must not be used.
    UseCase.objects.filter(pk__in=ids[1::3]).update(
        check_facts={**check_facts_of({**CHATBOT, "autonomy": 0}, {"band": "low", "score": 1}), "v": "older"}
    )

    queries = 3 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(queries):
        assert what_if(mixed_portfolio) == kept
    # Groups found both among kept facts and among rebuilt ones are one: their counts add up, their first ids merge.
    listed = selectors.breaching_against_active(STRICTER, mixed_portfolio, listed=2)
    assert {group: listed.count(group) for group in ("newly", "already", "no_longer")} == kept["counts"]
    assert sorted(u.reference for u, _ in listed.newly) == kept["newly"][:2] or len(listed.newly) == 2
    assert {u.reference: c for u, c in selectors.breaching_use_cases(STRICTER)} == one_by_one

    written = services.check_facts_refresh(batch_size=3)

    assert written == len(ids[::3]) + len(ids[1::3])
    assert services.check_facts_refresh() == 0  # idempotent
    for use_case in UseCase.objects.filter(pk__in=ids):
        assert use_case.check_facts == built(use_case)
    assert what_if(mixed_portfolio) == kept


def test_the_grouped_what_if_reads_no_revision_when_every_use_case_keeps_its_facts(
    mixed_portfolio, django_assert_num_queries
):
    from tests.support import need_postgresql

    need_postgresql()
    with django_assert_num_queries(1) as captured:
        groups = list(selectors._fact_groups(selectors.IMPACT_STATES, listed=2))

    assert "intake_usecaserevision" not in captured.captured_queries[0]["sql"]  # the use case's own row
    assert (
        sum(how_many for _, how_many, _ in groups)
        == UseCase.objects.filter(status__in=selectors.IMPACT_STATES, revision_count__gte=1).count()
    )
    assert all(len(ids) <= 2 for _, _, ids in groups)
    assert len({json.dumps(facts, sort_keys=True) for facts, _, _ in groups}) == len(groups)
