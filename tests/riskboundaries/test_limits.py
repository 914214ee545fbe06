"""Boundary limits: validation naming each field, the canonical content that is signed, and its hash."""

from datetime import date
from typing import Any

import pytest

from riskboundaries.limits import (
    Limits,
    LimitsInvalid,
    ProviderRule,
    clean_limits,
    content_hash,
    limits_from_content,
    limits_to_content,
)

GOOD: dict[str, Any] = {
    "max_data_classification_internal": "confidential",
    "max_data_classification_external": "public",
    "allowed_sourcing": ["enterprise_saas", "api_model"],
    "allowed_providers": [
        {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["dpa_signed", "zero_retention"]},
        {"name": "GitHub", "regions": [], "required_terms": []},
    ],
    "max_autonomy": 2,
    "forbidden_tool_permissions": ["financial_transactions"],
    "forbidden_domains": ["credit_scoring", "law_enforcement"],
    "max_eu_tier": "limited",
    "max_inherent_score": 12,
    "required_controls": {"high": ["C-11", "C-15"], "limited": ["C-01"], "not_applicable": ["C-09"]},
    "exception_max_days": 90,
    "review_by": "2026-12-31",
}


def errors_for(raw: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(LimitsInvalid) as caught:
        clean_limits(raw)
    return caught.value.errors


# --- accepting and round-tripping ---------------------------------------------------------------------------------


def test_good_limits_are_accepted():
    limits = clean_limits(GOOD)

    assert limits.max_data_classification_internal == "confidential"
    assert limits.max_data_classification_external == "public"
    # Lists come back in the order of the choices, whatever order they were given in.
    assert limits.allowed_sourcing == ("enterprise_saas", "api_model")
    assert limits.allowed_providers == (
        ProviderRule("Azure OpenAI", regions=("eu",), required_terms=("zero_retention", "dpa_signed")),
        ProviderRule("GitHub"),
    )
    assert limits.max_autonomy == 2
    assert limits.forbidden_tool_permissions == ("financial_transactions",)
    assert limits.forbidden_domains == ("credit_scoring", "law_enforcement")
    assert limits.max_eu_tier == "limited"
    assert limits.max_inherent_score == 12
    assert limits.required_controls == {
        "high": ("C-11", "C-15"),
        "limited": ("C-01",),
        "not_applicable": ("C-09",),
    }
    assert limits.exception_max_days == 90
    assert limits.review_by == date(2026, 12, 31)


def test_nothing_given_means_the_defaults():
    assert clean_limits({}) == Limits()


def test_blank_values_mean_the_defaults():
    blank = {name: "" for name in Limits.__dataclass_fields__}

    assert clean_limits(blank) == Limits()


def test_form_data_whole_numbers_as_text_are_accepted():
    assert clean_limits({"max_autonomy": "3", "max_inherent_score": " 20"}).max_autonomy == 3


def test_a_date_object_is_accepted_for_review_by():
    assert clean_limits({"review_by": date(2027, 1, 31)}).review_by == date(2027, 1, 31)


def test_content_round_trips_through_limits():
    limits = clean_limits(GOOD)
    content = limits_to_content(limits)

    assert limits_from_content(content) == limits
    assert limits_to_content(limits_from_content(content)) == content


def test_content_is_plain_data():
    content = limits_to_content(clean_limits(GOOD))

    # What was given, as JSON values; only the required terms move, into the order of the choices.
    assert content == {
        **GOOD,
        "allowed_providers": [
            {"name": "Azure OpenAI", "regions": ["eu"], "required_terms": ["zero_retention", "dpa_signed"]},
            {"name": "GitHub", "regions": [], "required_terms": []},
        ],
    }


def test_content_lists_providers_by_name_whatever_order_they_were_given_in():
    raw = {**GOOD, "allowed_providers": list(reversed(GOOD["allowed_providers"]))}

    assert limits_to_content(clean_limits(raw)) == limits_to_content(clean_limits(GOOD))


# --- rejecting, naming the field ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_data_classification_internal", "secret"),
        ("max_data_classification_external", "top_secret"),
        ("allowed_sourcing", ["rented"]),
        ("allowed_sourcing", "api_model"),  # not a list
        ("allowed_sourcing", [1]),
        ("forbidden_tool_permissions", ["fly"]),
        ("forbidden_domains", ["none"]),  # "none of these" cannot be forbidden
        ("forbidden_domains", ["astrology"]),
        ("max_eu_tier", "prohibited"),  # never approvable
        ("max_eu_tier", "extreme"),
        ("max_autonomy", 5),
        ("max_autonomy", -1),
        ("max_autonomy", "two"),
        ("max_autonomy", 2.5),
        ("max_autonomy", True),
        ("max_inherent_score", 0),
        ("max_inherent_score", 26),
        ("exception_max_days", 0),
        ("exception_max_days", 731),
        ("review_by", "2026-13-01"),
        ("review_by", "next spring"),
        ("review_by", 20261231),
        ("required_controls", {"prohibited": ["C-17"]}),  # unknown tier: prohibited never has controls
        ("required_controls", {"severe": ["C-01"]}),
        ("required_controls", {"high": ["C-99"]}),
        ("required_controls", ["C-01"]),  # not per tier
        ("allowed_providers", [{"regions": ["eu"]}]),  # no name
        ("allowed_providers", [{"name": "   "}]),
        ("allowed_providers", ["GitHub"]),  # not a provider
        ("allowed_providers", "GitHub"),  # not a list
        ("allowed_providers", [{"name": "GitHub", "regions": ["mars"]}]),
        ("allowed_providers", [{"name": "GitHub", "required_terms": ["pinky_promise"]}]),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(field, value):
    errors = errors_for({**GOOD, field: value})

    assert list(errors) == [field]
    assert errors[field] and all(isinstance(message, str) and message for message in errors[field])


@pytest.mark.parametrize(("field", "low", "high"), [("max_autonomy", 0, 4), ("max_inherent_score", 1, 25)])
def test_the_range_ends_are_accepted(field, low, high):
    assert getattr(clean_limits({field: low}), field) == low
    assert getattr(clean_limits({field: high}), field) == high


def test_exception_days_range_ends_are_accepted():
    assert clean_limits({"exception_max_days": 1}).exception_max_days == 1
    assert clean_limits({"exception_max_days": 730}).exception_max_days == 730


def test_an_unknown_limit_is_refused_by_its_name():
    errors = errors_for({**GOOD, "max_colour": "blue"})

    assert errors == {"max_colour": ["Unknown limit."]}


def test_a_provider_without_a_name_says_which_provider():
    errors = errors_for({"allowed_providers": [{"name": "GitHub"}, {"name": ""}]})

    assert errors == {"allowed_providers": ["Provider 2: a name is required."]}


def test_every_bad_field_is_reported_at_once():
    errors = errors_for(
        {"max_autonomy": 9, "max_eu_tier": "prohibited", "review_by": "soon", "required_controls": {"x": []}}
    )

    assert set(errors) == {"max_autonomy", "max_eu_tier", "review_by", "required_controls"}


def test_the_message_names_the_allowed_values():
    errors = errors_for({"max_eu_tier": "prohibited"})

    assert "minimal, limited, high" in errors["max_eu_tier"][0]


# --- the content hash ---------------------------------------------------------------------------------------------


def test_the_hash_is_sha256_hex_and_stable():
    content = limits_to_content(clean_limits(GOOD))
    digest = content_hash(content)

    assert len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)
    assert content_hash(limits_to_content(clean_limits(GOOD))) == digest
    assert content_hash(dict(reversed(list(content.items())))) == digest  # key order does not matter


def test_the_hash_does_not_depend_on_the_order_values_were_given_in():
    shuffled = {
        **GOOD,
        "allowed_sourcing": ["api_model", "enterprise_saas"],
        "forbidden_domains": ["law_enforcement", "credit_scoring"],
        "allowed_providers": list(reversed(GOOD["allowed_providers"])),
        "required_controls": {"not_applicable": ["C-09"], "limited": ["C-01"], "high": ["C-15", "C-11"]},
    }

    assert content_hash(limits_to_content(clean_limits(shuffled))) == content_hash(
        limits_to_content(clean_limits(GOOD))
    )


HASH_CHANGES: list[tuple[str, Any]] = [
    ("max_data_classification_internal", "restricted"),
    ("max_data_classification_external", "internal"),
    ("allowed_sourcing", ["api_model"]),
    ("allowed_providers", [{"name": "GitHub"}]),
    ("allowed_providers", [*GOOD["allowed_providers"][:1], {"name": "GitHub", "regions": ["eu"]}]),
    (
        "allowed_providers",
        [*GOOD["allowed_providers"][:1], {"name": "GitHub", "required_terms": ["dpa_signed"]}],
    ),
    ("allowed_providers", [*GOOD["allowed_providers"][:1], {"name": "GitHub Enterprise"}]),
    ("max_autonomy", 3),
    ("forbidden_tool_permissions", []),
    ("forbidden_domains", ["credit_scoring"]),
    ("max_eu_tier", "high"),
    ("max_inherent_score", 13),
    ("required_controls", {"high": ["C-11"], "limited": ["C-01"], "not_applicable": ["C-09"]}),
    ("required_controls", {"high": ["C-11", "C-15"], "limited": ["C-01"], "minimal": ["C-09"]}),
    ("exception_max_days", 91),
    ("review_by", "2027-01-01"),
    ("review_by", None),
]


@pytest.mark.parametrize(("field", "value"), HASH_CHANGES)
def test_the_hash_changes_when_any_limit_changes(field, value):
    before = content_hash(limits_to_content(clean_limits(GOOD)))

    after = content_hash(limits_to_content(clean_limits({**GOOD, field: value})))

    assert after != before


def test_every_limit_is_changed_by_the_hash_test():
    assert {field for field, _ in HASH_CHANGES} == set(Limits.__dataclass_fields__)
