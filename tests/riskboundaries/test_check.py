"""The boundary check: each clause breached, each edge (equal to the limit) within, drafts, precedence and shape."""

import json
from dataclasses import replace
from typing import Any

import pytest

from intake.assessment import assess
from intake.contracts import BoundaryCheck, Breach
from intake.contracts import RequiredControl as Condition
from intake.vocabulary import Verdict
from riskboundaries.check import check_boundary
from riskboundaries.limits import Limits, ProviderRule
from tests.intake.assessment.examples import CUSTOMER_CHATBOT, CV_SCREENER, INTERNAL_CODE_ASSISTANT, answers

# Generous enough that the example use cases are within it; each test tightens one clause.
OPEN = Limits(
    max_data_classification_internal="restricted",
    max_data_classification_external="restricted",
    max_autonomy=4,
    max_eu_tier="high",
    max_inherent_score=25,
)


def limits(**changes: Any) -> Limits:
    return replace(OPEN, **changes)


def check(case: dict[str, Any], boundary: Limits, **assessment_changes: Any) -> BoundaryCheck:
    """Check cleaned answers against their real assessment, optionally overriding parts of the assessment."""
    assessment = assess(case).to_dict()
    eu_changes = assessment_changes.pop("eu_ai_act", {})
    assessment = {**assessment, **assessment_changes, "eu_ai_act": {**assessment["eu_ai_act"], **eu_changes}}
    return check_boundary(case, assessment, boundary)


def clauses(result: BoundaryCheck) -> list[str]:
    return [breach.clause for breach in result.breaches]


def test_the_examples_are_within_the_open_boundary():
    for base in (INTERNAL_CODE_ASSISTANT, CV_SCREENER, CUSTOMER_CHATBOT):
        result = check(answers(base), OPEN)
        assert result == BoundaryCheck(Verdict.WITHIN)


# --- data classification ------------------------------------------------------------------------------------------


INTERNAL_DATA_BREACH = Breach(
    "max_data_classification_internal",
    "Confidential",
    "Restricted",
    "Uses restricted data with internal users; the boundary allows up to confidential.",
)
EXTERNAL_DATA_BREACH = Breach(
    "max_data_classification_external",
    "Internal",
    "Restricted",
    "Uses restricted data with external users; the boundary allows up to internal.",
)


@pytest.mark.parametrize(
    ("base", "users", "limit", "breach"),
    [
        (INTERNAL_CODE_ASSISTANT, "employees_limited", "confidential", INTERNAL_DATA_BREACH),
        (INTERNAL_CODE_ASSISTANT, "employees_all", "confidential", INTERNAL_DATA_BREACH),
        (CUSTOMER_CHATBOT, "customers", "internal", EXTERNAL_DATA_BREACH),
        (CUSTOMER_CHATBOT, "public", "internal", EXTERNAL_DATA_BREACH),
    ],
)
def test_users_with_data_above_the_limit_for_their_kind_exceed(base, users, limit, breach):
    case = answers(base, users=users, data_classification="restricted")

    result = check(case, limits(**{breach.clause: limit}))

    assert result.verdict == Verdict.EXCEEDS
    assert result.breaches == (breach,)


def test_internal_users_with_data_at_the_internal_limit_are_within():
    case = answers(INTERNAL_CODE_ASSISTANT, users="employees_limited", data_classification="confidential")

    result = check(
        case,
        limits(max_data_classification_internal="confidential", max_data_classification_external="public"),
    )

    assert result.verdict == Verdict.WITHIN


def test_external_users_with_data_at_the_external_limit_are_within():
    case = answers(CUSTOMER_CHATBOT, data_classification="internal")

    # The internal limit is stricter but does not apply to customers.
    result = check(
        case, limits(max_data_classification_external="internal", max_data_classification_internal="public")
    )

    assert result.verdict == Verdict.WITHIN


# --- sourcing and providers ---------------------------------------------------------------------------------------


def test_sourcing_not_in_the_allowed_list_exceeds():
    case = answers(INTERNAL_CODE_ASSISTANT, sourcing="consumer_app")

    result = check(case, limits(allowed_sourcing=("enterprise_saas", "api_model")))

    assert clauses(result) == ["allowed_sourcing"]
    breach = result.breaches[0]
    assert breach.actual == "Consumer app (e.g. a public chatbot)"
    assert breach.limit == "Feature of an enterprise SaaS product, Model called through an API"


def test_sourcing_in_the_allowed_list_or_an_empty_list_is_within():
    case = answers(INTERNAL_CODE_ASSISTANT, sourcing="enterprise_saas")

    assert check(case, limits(allowed_sourcing=("enterprise_saas",))).verdict == Verdict.WITHIN
    assert check(case, limits(allowed_sourcing=())).verdict == Verdict.WITHIN


def test_a_provider_not_on_the_list_exceeds_and_is_named():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="Acme AI")

    result = check(case, limits(allowed_providers=(ProviderRule("GitHub"), ProviderRule("Azure OpenAI"))))

    assert result.verdict == Verdict.EXCEEDS
    assert result.breaches == (
        Breach(
            "allowed_providers",
            "Azure OpenAI, GitHub",
            "Acme AI",
            "Uses Acme AI, which is not an allowed provider; the boundary allows only: Azure OpenAI, GitHub.",
        ),
    )


def test_provider_names_match_ignoring_case_and_surrounding_spaces():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="  github ")

    result = check(case, limits(allowed_providers=(ProviderRule("GitHub"),)))

    assert result.verdict == Verdict.WITHIN


def test_an_empty_provider_list_allows_any_provider():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="Anyone at all")

    assert check(case, limits(allowed_providers=())).verdict == Verdict.WITHIN


def test_a_listed_provider_in_a_region_it_is_not_allowed_in_exceeds():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub", hosting_region="us")

    result = check(case, limits(allowed_providers=(ProviderRule("GitHub", regions=("eu", "uk")),)))

    assert clauses(result) == ["allowed_providers"]
    breach = result.breaches[0]
    assert breach.limit == "GitHub in: European Union, United Kingdom"
    assert breach.actual == "GitHub in: United States"
    assert "GitHub" in breach.reason and "United States" in breach.reason


def test_a_listed_provider_in_an_allowed_region_or_any_region_is_within():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub", hosting_region="uk")

    assert (
        check(case, limits(allowed_providers=(ProviderRule("GitHub", regions=("eu", "uk")),))).verdict
        == "within"
    )
    assert check(case, limits(allowed_providers=(ProviderRule("GitHub"),))).verdict == "within"


def test_a_listed_provider_missing_required_terms_exceeds_naming_what_is_missing():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub", provider_terms=["dpa_signed"])
    rule = ProviderRule("GitHub", required_terms=("zero_retention", "dpa_signed", "eu_data_residency"))

    result = check(case, limits(allowed_providers=(rule,)))

    assert clauses(result) == ["allowed_providers"]
    breach = result.breaches[0]
    assert breach.actual == "GitHub commits to: A data processing agreement is signed"
    assert "Prompts and outputs are not stored, Data stays in the EU" in breach.reason
    assert "data processing agreement" not in breach.reason.split("missing:")[1]


def test_a_listed_provider_with_no_terms_recorded_misses_them_all():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub", provider_terms=[])

    result = check(case, limits(allowed_providers=(ProviderRule("GitHub", required_terms=("dpa_signed",)),)))

    assert result.breaches[0].actual == "GitHub commits to: nothing recorded"


def test_a_listed_provider_with_every_required_term_is_within():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub")  # all four terms
    rule = ProviderRule("GitHub", regions=("eu",), required_terms=("zero_retention", "dpa_signed"))

    assert check(case, limits(allowed_providers=(rule,))).verdict == Verdict.WITHIN


def test_region_and_terms_failing_together_are_two_breaches_region_first():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="GitHub", hosting_region="other", provider_terms=[])
    rule = ProviderRule("GitHub", regions=("eu",), required_terms=("dpa_signed",))

    result = check(case, limits(allowed_providers=(rule,)))

    assert clauses(result) == ["allowed_providers", "allowed_providers"]
    assert "Elsewhere or unknown" in result.breaches[0].actual
    assert "commits to" in result.breaches[1].actual


def test_an_unlisted_provider_is_one_breach_regions_and_terms_are_not_checked():
    case = answers(INTERNAL_CODE_ASSISTANT, provider="Acme", hosting_region="other", provider_terms=[])
    rule = ProviderRule("GitHub", regions=("eu",), required_terms=("dpa_signed",))

    assert len(check(case, limits(allowed_providers=(rule,))).breaches) == 1


# --- autonomy, tools, domains -------------------------------------------------------------------------------------


def test_autonomy_above_the_limit_exceeds():
    case = answers(INTERNAL_CODE_ASSISTANT, autonomy=3)

    result = check(case, limits(max_autonomy=2))

    assert result.breaches == (
        Breach(
            "max_autonomy",
            "2 — Acts with confirmation",
            "3 — Bounded autonomy",
            "Works at autonomy level 3; the boundary allows up to level 2.",
        ),
    )


def test_autonomy_at_the_limit_is_within():
    assert (
        check(answers(INTERNAL_CODE_ASSISTANT, autonomy=2), limits(max_autonomy=2)).verdict == Verdict.WITHIN
    )
    assert (
        check(answers(INTERNAL_CODE_ASSISTANT, autonomy=0), limits(max_autonomy=0)).verdict == Verdict.WITHIN
    )


def test_autonomy_given_as_text_is_compared_as_a_number():
    result = check_boundary({"autonomy": "4"}, {}, limits(max_autonomy=3))

    assert clauses(result) == ["max_autonomy"]


def test_each_forbidden_tool_permission_present_is_its_own_breach():
    case = answers(
        INTERNAL_CODE_ASSISTANT,
        tool_permissions=["production_infrastructure", "read_only", "financial_transactions"],
    )

    result = check(
        case, limits(forbidden_tool_permissions=("financial_transactions", "production_infrastructure"))
    )

    assert clauses(result) == ["forbidden_tool_permissions", "forbidden_tool_permissions"]
    assert [b.actual for b in result.breaches] == ["Move money", "Change production systems"]
    assert result.breaches[0].reason == "Its tools can “move money”; the boundary forbids this."


def test_tool_permissions_that_are_not_forbidden_are_within():
    case = answers(INTERNAL_CODE_ASSISTANT, tool_permissions=["read_only", "write_internal"])

    assert check(case, limits(forbidden_tool_permissions=("financial_transactions",))).verdict == "within"


def test_a_forbidden_decision_domain_exceeds():
    case = answers(CV_SCREENER)

    result = check(case, limits(forbidden_domains=("employment_recruitment", "credit_scoring")))

    assert result.breaches == (
        Breach(
            "forbidden_domains",
            "Not allowed",
            "Recruiting or screening candidates",
            "Helps decide “recruiting or screening candidates”; the boundary forbids AI in this area.",
        ),
    )


def test_a_decision_domain_that_is_not_forbidden_is_within():
    assert check(answers(CV_SCREENER), limits(forbidden_domains=("credit_scoring",))).verdict == "within"


# --- EU tier and score --------------------------------------------------------------------------------------------


def test_a_high_risk_use_case_exceeds_a_limited_maximum():
    result = check(answers(CV_SCREENER), limits(max_eu_tier="limited"))

    assert result.breaches == (
        Breach(
            "max_eu_tier",
            "Limited risk",
            "High risk",
            "Is high risk under the EU AI Act; the boundary allows up to limited risk without an exception.",
        ),
    )


def test_a_limited_risk_use_case_exceeds_a_minimal_maximum():
    assert clauses(check(answers(CUSTOMER_CHATBOT), limits(max_eu_tier="minimal"))) == ["max_eu_tier"]


@pytest.mark.parametrize(
    ("base", "max_tier"),
    [(CV_SCREENER, "high"), (CUSTOMER_CHATBOT, "limited"), (INTERNAL_CODE_ASSISTANT, "minimal")],
)
def test_a_use_case_at_the_maximum_tier_is_within(base, max_tier):
    assert check(answers(base), limits(max_eu_tier=max_tier)).verdict == Verdict.WITHIN


def test_outside_the_eu_ai_act_counts_as_minimal():
    case = answers(INTERNAL_CODE_ASSISTANT, eu_nexus="none")
    assert assess(case).tier == "not_applicable"

    assert check(case, limits(max_eu_tier="minimal")).verdict == Verdict.WITHIN


def test_a_score_above_the_maximum_exceeds():
    result = check(answers(CUSTOMER_CHATBOT), limits(max_inherent_score=8))  # scores 9

    assert result.breaches == (
        Breach(
            "max_inherent_score",
            "8",
            "9 (medium)",
            "Its inherent risk score is 9 out of 25; the boundary allows up to 8.",
        ),
    )


def test_a_score_equal_to_the_maximum_is_within():
    assert check(answers(CUSTOMER_CHATBOT), limits(max_inherent_score=9)).verdict == Verdict.WITHIN


# --- drafts -------------------------------------------------------------------------------------------------------

STRICT = Limits(
    max_data_classification_internal="public",
    max_data_classification_external="public",
    allowed_sourcing=("self_trained",),
    allowed_providers=(ProviderRule("Nobody", regions=("eu",), required_terms=("dpa_signed",)),),
    max_autonomy=0,
    forbidden_tool_permissions=("read_only", "write_internal"),
    forbidden_domains=("employment_recruitment",),
    max_eu_tier="high",
    max_inherent_score=25,
)


def test_an_empty_draft_never_breaches():
    assert check(answers(), STRICT).verdict == Verdict.WITHIN
    assert check_boundary({}, {}, STRICT).verdict == Verdict.WITHIN


def test_unanswered_fields_given_as_none_or_blank_never_breach():
    case = {
        "users": None,
        "data_classification": "restricted",  # no users yet: which limit applies is not known
        "sourcing": None,
        "provider": "  ",
        "hosting_region": None,
        "autonomy": None,
        "tool_permissions": None,
        "decision_domain": None,
    }

    assert (
        check_boundary(case, {"eu_ai_act": {"tier": None}, "score": None}, STRICT).verdict == Verdict.WITHIN
    )


def test_a_provider_answered_before_its_region_and_terms_only_breaches_on_the_name():
    rule = ProviderRule("GitHub", regions=("eu",), required_terms=("dpa_signed",))

    assert check_boundary({"provider": "GitHub"}, {}, limits(allowed_providers=(rule,))).verdict == "within"
    assert clauses(check_boundary({"provider": "Acme"}, {}, limits(allowed_providers=(rule,)))) == [
        "allowed_providers"
    ]


def test_a_partial_draft_breaches_only_on_what_is_answered():
    case = answers(autonomy=3, data_classification="restricted")

    result = check(case, STRICT)

    assert clauses(result) == ["max_autonomy"]


# --- prohibited ---------------------------------------------------------------------------------------------------


def test_a_prohibited_practice_is_prohibited_even_when_every_limit_is_met():
    case = answers(INTERNAL_CODE_ASSISTANT, prohibited_practices=["social_scoring"])

    result = check(case, OPEN)

    assert result.verdict == Verdict.PROHIBITED
    assert result.breaches == (
        Breach(
            "max_eu_tier",
            "High risk",
            "Prohibited",
            "Is a practice the EU AI Act prohibits; no boundary or exception can allow it.",
        ),
    )


def test_a_prohibited_practice_is_prohibited_whatever_the_eu_connection():
    case = answers(INTERNAL_CODE_ASSISTANT, eu_nexus="none", prohibited_practices=["facial_scraping"])
    assert assess(case).tier == "not_applicable"

    assert check(case, OPEN).verdict == Verdict.PROHIBITED


def test_the_prohibited_tier_alone_is_prohibited_and_breaches_the_tier_clause():
    result = check_boundary({}, {"eu_ai_act": {"tier": "prohibited"}, "score": 5}, OPEN)

    assert result.verdict == Verdict.PROHIBITED
    assert clauses(result) == ["max_eu_tier"]


def test_prohibited_takes_precedence_over_breaches_and_conditions():
    case = answers(CV_SCREENER, autonomy=4, prohibited_practices=["social_scoring"])
    boundary = limits(max_autonomy=1, required_controls={"prohibited": ("C-17",), "high": ("C-11",)})

    result = check(case, boundary)

    assert result.verdict == Verdict.PROHIBITED
    assert "max_autonomy" in clauses(result)
    assert result.conditions == ()


# --- conditions ---------------------------------------------------------------------------------------------------

CONTROLS_PER_TIER = {
    "not_applicable": ("C-09",),
    "minimal": ("C-18",),
    "limited": ("C-01", "C-02"),
    "high": ("C-11", "C-15", "C-16"),
}


@pytest.mark.parametrize(
    ("case", "tier", "why"),
    [
        (answers(CV_SCREENER), "high", "Required by the risk boundary for high-risk use cases"),
        (answers(CUSTOMER_CHATBOT), "limited", "Required by the risk boundary for limited-risk use cases"),
        (
            answers(INTERNAL_CODE_ASSISTANT),
            "minimal",
            "Required by the risk boundary for minimal-risk use cases",
        ),
        (
            answers(INTERNAL_CODE_ASSISTANT, eu_nexus="none"),
            "not_applicable",
            "Required by the risk boundary for use cases outside the EU AI Act",
        ),
    ],
)
def test_required_controls_for_the_tier_make_it_within_with_conditions(case, tier, why):
    result = check(case, limits(required_controls=CONTROLS_PER_TIER))

    assert result.verdict == Verdict.WITHIN_WITH_CONDITIONS
    assert result.breaches == ()
    assert [c.control_id for c in result.conditions] == list(CONTROLS_PER_TIER[tier])
    assert {c.why for c in result.conditions} == {why}


def test_conditions_carry_the_control_name():
    result = check(answers(CV_SCREENER), limits(required_controls={"high": ("C-11",)}))

    assert result.conditions == (
        Condition(
            "C-11",
            "Fundamental rights impact assessment (FRIA)",
            "Required by the risk boundary for high-risk use cases",
        ),
    )


def test_controls_required_for_other_tiers_only_leave_it_within():
    result = check(answers(INTERNAL_CODE_ASSISTANT), limits(required_controls={"high": ("C-11",)}))

    assert result == BoundaryCheck(Verdict.WITHIN)


def test_outside_the_act_uses_only_the_not_applicable_controls_not_the_minimal_ones():
    case = answers(INTERNAL_CODE_ASSISTANT, eu_nexus="none")

    assert check(case, limits(required_controls={"minimal": ("C-18",)})).verdict == Verdict.WITHIN


def test_with_breaches_it_exceeds_and_still_lists_the_conditions():
    result = check(answers(CV_SCREENER), limits(max_eu_tier="limited", required_controls={"high": ("C-11",)}))

    assert result.verdict == Verdict.EXCEEDS
    assert clauses(result) == ["max_eu_tier"]
    assert [c.control_id for c in result.conditions] == ["C-11"]


# --- ordering and shape -------------------------------------------------------------------------------------------


def everything_breached() -> tuple[dict[str, Any], Limits]:
    case = answers(
        CV_SCREENER,
        users="customers",
        data_classification="restricted",
        sourcing="consumer_app",
        provider="Acme",
        autonomy=4,
        tool_permissions=["financial_transactions", "code_execution"],
    )
    boundary = Limits(
        max_data_classification_internal="public",
        max_data_classification_external="public",
        allowed_sourcing=("self_trained",),
        allowed_providers=(ProviderRule("GitHub"),),
        max_autonomy=0,
        forbidden_tool_permissions=("code_execution", "financial_transactions"),
        forbidden_domains=("employment_recruitment",),
        max_eu_tier="minimal",
        max_inherent_score=1,
        required_controls={"high": ("C-16", "C-11")},
    )
    return case, boundary


def test_breaches_follow_the_order_of_the_limits_then_of_the_choices():
    case, boundary = everything_breached()

    result = check(case, boundary)

    assert result.verdict == Verdict.EXCEEDS
    assert clauses(result) == [
        "max_data_classification_external",
        "allowed_sourcing",
        "allowed_providers",
        "max_autonomy",
        "forbidden_tool_permissions",
        "forbidden_tool_permissions",
        "forbidden_domains",
        "max_eu_tier",
        "max_inherent_score",
    ]
    assert [b.actual for b in result.breaches if b.clause == "forbidden_tool_permissions"] == [
        "Move money",
        "Run code",
    ]
    # The answers' list order does not matter.
    reordered = {**case, "tool_permissions": list(reversed(case["tool_permissions"]))}
    assert check(reordered, boundary) == result


def test_the_check_is_deterministic():
    case, boundary = everything_breached()

    assert check(case, boundary).to_dict() == check(case, boundary).to_dict()


def test_to_dict_is_plain_json():
    case, boundary = everything_breached()

    data = check(case, boundary).to_dict()

    assert json.loads(json.dumps(data)) == data
    assert type(data["verdict"]) is str
    assert data["verdict"] == "exceeds"
    assert set(data) == {"verdict", "breaches", "conditions"}
    assert all(set(b) == {"clause", "limit", "actual", "reason"} for b in data["breaches"])
    assert all(isinstance(v, str) for b in data["breaches"] for v in b.values())
    assert data["conditions"] == [
        {
            "control_id": "C-16",
            "name": "Registration in the EU database",
            "why": "Required by the risk boundary for high-risk use cases",
        },
        {
            "control_id": "C-11",
            "name": "Fundamental rights impact assessment (FRIA)",
            "why": "Required by the risk boundary for high-risk use cases",
        },
    ]


def test_within_to_dict_is_empty_lists():
    assert check(answers(INTERNAL_CODE_ASSISTANT), OPEN).to_dict() == {
        "verdict": "within",
        "breaches": [],
        "conditions": [],
    }


def test_verdict_values_and_labels():
    assert [v.value for v in Verdict] == ["within", "within_with_conditions", "exceeds", "prohibited"]
    assert Verdict("exceeds") is Verdict.EXCEEDS
    assert Verdict.EXCEEDS == "exceeds"
    assert all(v.label for v in Verdict)


def test_the_result_is_frozen():
    result = check(answers(INTERNAL_CODE_ASSISTANT), OPEN)

    with pytest.raises(AttributeError):
        result.verdict = Verdict.EXCEEDS  # type: ignore[misc]
