"""The decision rules as a table (pure, no database)."""

from datetime import date, timedelta

import pytest

from approvals.rules import (
    MAX_CONDITIONS,
    ConditionInput,
    Decision,
    Outcome,
    add_months,
    decision_errors,
    decision_options,
    latest_exception_on,
    outcome,
    re_review_on,
)

TODAY = date(2026, 11, 26)
D = Decision


def errors(decision, *, rationale="Because.", conditions=(), expires=None, verdict="within", max_days=90):
    return decision_errors(
        decision=decision,
        rationale=rationale,
        conditions=list(conditions),
        exception_expires_on=expires,
        verdict=verdict,
        today=TODAY,
        exception_max_days=max_days,
    )


@pytest.mark.parametrize(
    ("cio", "ciso", "expected"),
    [
        (None, None, Outcome.WAITING),
        (D.APPROVE, None, Outcome.WAITING),
        (None, D.APPROVE_WITH_CONDITIONS, Outcome.WAITING),
        (D.APPROVE, D.APPROVE, Outcome.APPROVED),
        (D.APPROVE_WITH_CONDITIONS, D.APPROVE, Outcome.APPROVED),
        (D.APPROVE_WITH_EXCEPTION, D.APPROVE_WITH_EXCEPTION, Outcome.APPROVED),
        (D.REJECT, None, Outcome.REJECTED),
        (None, D.REJECT, Outcome.REJECTED),
        (D.APPROVE, D.REJECT, Outcome.REJECTED),
        (D.REQUEST_CHANGES, None, Outcome.CHANGES_REQUESTED),
        (D.APPROVE, D.REQUEST_CHANGES, Outcome.CHANGES_REQUESTED),
        (D.REQUEST_CHANGES, D.REJECT, Outcome.REJECTED),
    ],
)
def test_what_two_slots_add_up_to(cio, ciso, expected):
    assert outcome({"cio": cio, "ciso": ciso}) == expected


@pytest.mark.parametrize(
    "decision", [D.APPROVE_WITH_CONDITIONS, D.APPROVE_WITH_EXCEPTION, D.REQUEST_CHANGES, D.REJECT]
)
def test_a_rationale_is_required_for_all_but_a_plain_approve(decision):
    assert "rationale" in errors(decision, rationale="  ", verdict="exceeds", expires=date(2027, 1, 1))


def test_a_plain_approve_needs_no_rationale():
    assert errors(D.APPROVE, rationale="") == {}


def test_conditions_are_required_for_an_approval_with_conditions_and_must_be_described():
    assert "conditions" in errors(D.APPROVE_WITH_CONDITIONS)
    assert "conditions.0.text" in errors(D.APPROVE_WITH_CONDITIONS, conditions=[ConditionInput(" ")])
    assert "conditions.0.due_on" in errors(
        D.APPROVE_WITH_CONDITIONS, conditions=[ConditionInput("x", due_on=date(2026, 1, 1))]
    )
    assert errors(D.APPROVE_WITH_CONDITIONS, conditions=[ConditionInput("Red-team before launch")]) == {}


@pytest.mark.parametrize("decision", [D.APPROVE, D.APPROVE_WITH_CONDITIONS, D.APPROVE_WITH_EXCEPTION])
def test_a_prohibited_use_case_can_never_be_approved(decision):
    assert "decision" in errors(
        decision, verdict="prohibited", conditions=[ConditionInput("x")], expires=date(2027, 1, 1)
    )


@pytest.mark.parametrize("decision", [D.APPROVE, D.APPROVE_WITH_CONDITIONS])
def test_exceeding_the_boundary_needs_an_exception_to_approve(decision):
    assert "decision" in errors(decision, verdict="exceeds", conditions=[ConditionInput("x")])


def test_an_exception_needs_an_expiry_within_the_boundary_maximum():
    assert "exception_expires_on" in errors(D.APPROVE_WITH_EXCEPTION, verdict="exceeds")
    assert "exception_expires_on" in errors(D.APPROVE_WITH_EXCEPTION, verdict="exceeds", expires=TODAY)
    assert "exception_expires_on" in errors(
        D.APPROVE_WITH_EXCEPTION, verdict="exceeds", expires=date(2027, 2, 25)
    )
    assert (
        errors(D.APPROVE_WITH_EXCEPTION, verdict="exceeds", expires=date(2027, 2, 24)) == {}
    )  # exactly 90 days


def test_an_exception_is_only_for_a_use_case_that_exceeds():
    assert "decision" in errors(D.APPROVE_WITH_EXCEPTION, verdict="within", expires=date(2027, 1, 1))
    assert "exception_expires_on" in errors(D.APPROVE, expires=date(2027, 1, 1))


def test_unknown_decisions_are_named():
    assert "decision" in errors("maybe")


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("critical", date(2027, 5, 26)),
        ("high", date(2027, 5, 26)),
        ("medium", date(2027, 11, 26)),
        ("low", date(2028, 11, 26)),
    ],
)
def test_re_review_date_by_band(band, expected):
    assert re_review_on(band, TODAY) == expected


def test_an_exception_expiring_first_brings_the_re_review_forward():
    assert re_review_on("low", TODAY, exception_expires_on=date(2027, 1, 31)) == date(2027, 1, 31)


def test_months_are_clamped_to_the_end_of_the_month():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


def test_a_re_review_confirms_or_rejects_but_does_not_ask_for_changes():
    base = {
        "rationale": "x",
        "conditions": [],
        "exception_expires_on": None,
        "verdict": "within",
        "today": TODAY,
    }
    assert "decision" in decision_errors(
        decision=D.REQUEST_CHANGES, exception_max_days=90, in_re_review=True, **base
    )
    assert decision_errors(decision=D.REJECT, exception_max_days=90, in_re_review=True, **base) == {}


def test_at_most_twenty_conditions_per_decision():
    assert MAX_CONDITIONS == 20
    twenty = [ConditionInput(f"Condition {i}") for i in range(20)]
    assert errors(D.APPROVE_WITH_CONDITIONS, conditions=twenty) == {}
    too_many = errors(D.APPROVE_WITH_CONDITIONS, conditions=[*twenty, ConditionInput("One more")])
    assert list(too_many) == ["conditions"] and "At most 20" in too_many["conditions"][0]


@pytest.mark.parametrize(
    ("rationale", "condition", "field"),
    [
        ("Fine\x08.", ConditionInput("Notice"), "rationale"),
        ("Fine.", ConditionInput("Notice\x1b[31m"), "conditions.0.text"),
        ("Fine.", ConditionInput("Notice", owner="Web\x85team"), "conditions.0.owner"),
    ],
)
def test_control_characters_in_typed_text_are_refused_naming_the_field(rationale, condition, field):
    found = errors(D.APPROVE_WITH_CONDITIONS, rationale=rationale, conditions=[condition])
    assert list(found) == [field] and "control characters" in found[field][0]


def test_tabs_and_line_breaks_are_typed_text_like_any_other():
    condition = ConditionInput("Notice\tfirst", owner="Web team")
    assert errors(D.APPROVE_WITH_CONDITIONS, rationale="Two lines\r\nare fine.", conditions=[condition]) == {}


@pytest.mark.parametrize(
    ("rationale", "condition", "field"),
    [
        ("x" * 4001, ConditionInput("Notice"), "rationale"),
        ("Fine.", ConditionInput("n" * 501), "conditions.0.text"),
        ("Fine.", ConditionInput("Notice", owner="o" * 151), "conditions.0.owner"),
    ],
)
def test_typed_text_longer_than_it_may_be_is_refused_naming_the_field(rationale, condition, field):
    found = errors(D.APPROVE_WITH_CONDITIONS, rationale=rationale, conditions=[condition])
    assert list(found) == [field] and "At most" in found[field][0]


def test_typed_text_at_its_longest_is_accepted():
    condition = ConditionInput("n" * 500, owner="o" * 150)
    assert errors(D.APPROVE_WITH_CONDITIONS, rationale="x" * 4000, conditions=[condition]) == {}


def test_a_problem_with_one_condition_names_it_by_its_position_counting_from_one():
    good, blank = ConditionInput("Log every answer"), ConditionInput("  ")
    assert errors(D.APPROVE_WITH_CONDITIONS, conditions=[good, blank])["conditions.1.text"] == [
        "Condition 2 needs a description."
    ]
    bad = ConditionInput("x\x07", owner="y\x07")
    found = errors(D.APPROVE_WITH_CONDITIONS, conditions=[good, bad])
    assert found["conditions.1.text"][0].startswith("Condition 2: ")
    assert found["conditions.1.owner"][0].startswith("Owner of condition 2: ")
    long_one = ConditionInput("x" * 501, owner="y" * 151)
    found = errors(D.APPROVE_WITH_CONDITIONS, conditions=[long_one])
    assert found["conditions.0.text"][0].startswith("Condition 1: ")
    assert found["conditions.0.owner"][0].startswith("Owner of condition 1: ")


def test_a_condition_may_fall_due_today_but_not_in_the_past():
    assert errors(D.APPROVE_WITH_CONDITIONS, conditions=[ConditionInput("Log", due_on=TODAY)]) == {}
    past = errors(
        D.APPROVE_WITH_CONDITIONS,
        conditions=[ConditionInput("x"), ConditionInput("Log", due_on=date(2026, 11, 25))],
    )
    assert past == {"conditions.1.due_on": ["Condition 2 is due in the past."]}


def test_conditions_may_go_with_an_approval_with_an_exception():
    found = errors(
        D.APPROVE_WITH_EXCEPTION,
        conditions=[ConditionInput("Log every answer")],
        expires=date(2027, 1, 1),
        verdict="exceeds",
    )
    assert found == {}


def test_an_unknown_decision_is_the_only_problem_named():
    assert errors("maybe", rationale="", conditions=[ConditionInput("")]) == {
        "decision": ["“maybe” is not one of: " + ", ".join(Decision.values) + "."]
    }


def test_changes_may_be_requested_outside_a_re_review():
    assert errors(D.REQUEST_CHANGES) == {}


def test_an_unknown_band_is_re_reviewed_after_six_months():
    assert re_review_on("", TODAY) == date(2027, 5, 26)


def test_months_roll_over_into_the_next_year_and_clamp_to_thirty_days():
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 11, 30), 13) == date(2027, 12, 30)
    assert add_months(date(2027, 3, 31), 1) == date(2027, 4, 30)


def test_an_exception_beyond_the_boundary_maximum_says_until_when():
    found = errors(D.APPROVE_WITH_EXCEPTION, expires=date(2027, 6, 1), verdict="exceeds", max_days=30)
    assert found["exception_expires_on"] == [
        "The risk boundary allows exceptions of at most 30 days (until 26 Dec 2026)."
    ]


def allowed(options) -> set[str]:
    return {decision for decision, ok, _reason in options if ok}


def test_within_the_boundary_every_decision_but_an_exception_is_offered():
    options = decision_options("within")
    assert [decision for decision, _ok, _reason in options] == list(Decision.values)
    assert allowed(options) == set(Decision.values) - {D.APPROVE_WITH_EXCEPTION}
    reasons = {decision: reason for decision, _ok, reason in options}
    assert (
        reasons[D.APPROVE_WITH_EXCEPTION]
        == "An exception is only for a use case that exceeds the risk boundary."
    )
    assert reasons[D.APPROVE] == ""


def test_exceeding_the_boundary_only_an_exception_approves():
    options = decision_options("exceeds")
    assert allowed(options) == {D.APPROVE_WITH_EXCEPTION, D.REQUEST_CHANGES, D.REJECT}
    reasons = {decision: reason for decision, ok, reason in options if not ok}
    assert reasons == dict.fromkeys(
        (D.APPROVE, D.APPROVE_WITH_CONDITIONS),
        "It exceeds the risk boundary: it can only be approved with an exception.",
    )


def test_a_prohibited_use_case_offers_no_approval_of_any_kind():
    options = decision_options("prohibited")
    assert allowed(options) == {D.REQUEST_CHANGES, D.REJECT}
    for decision, ok, reason in options:
        if not ok:
            assert reason == "It involves a prohibited practice: it can never be approved.", decision


def test_a_re_review_offers_no_request_for_changes():
    assert allowed(decision_options("within", in_re_review=True)) == set(Decision.values) - {
        D.APPROVE_WITH_EXCEPTION,
        D.REQUEST_CHANGES,
    }
    assert D.REQUEST_CHANGES in allowed(decision_options("within", in_re_review=False))


@pytest.mark.parametrize("verdict", ["within", "within_with_conditions", "exceeds", "prohibited", "", None])
@pytest.mark.parametrize("in_re_review", [False, True])
def test_the_options_say_exactly_what_decision_errors_refuses(verdict, in_re_review):
    for decision, ok, reason in decision_options(verdict, in_re_review):
        refused = decision_errors(
            decision=decision,
            rationale="Because.",
            conditions=[ConditionInput("x")],
            exception_expires_on=TODAY + timedelta(days=10) if decision == D.APPROVE_WITH_EXCEPTION else None,
            verdict=verdict or "",
            today=TODAY,
            exception_max_days=90,
            in_re_review=in_re_review,
        ).get("decision", [])
        assert ok == (not refused) and reason == (refused[0] if refused else "")


def test_the_latest_exception_date_is_the_last_day_decision_errors_accepts():
    latest = latest_exception_on(TODAY, 90)
    assert latest == date(2027, 2, 24)
    assert "exception_expires_on" not in errors(D.APPROVE_WITH_EXCEPTION, verdict="exceeds", expires=latest)
    assert "exception_expires_on" in errors(
        D.APPROVE_WITH_EXCEPTION, verdict="exceeds", expires=latest + timedelta(days=1)
    )
    assert latest_exception_on(TODAY, None) is None


def test_the_outcome_reads_as_a_sentence_naming_each_decider():
    from approvals.rules import decisions_in_words

    assert decisions_in_words(
        [("cio", "Ana Ruiz", "approve_with_conditions"), ("ciso", "Li Wei", "reject")]
    ) == ("The CIO (Ana Ruiz) approved with conditions; the CISO (Li Wei) rejected.")
    assert decisions_in_words([]) == ""
