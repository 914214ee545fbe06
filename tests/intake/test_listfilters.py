"""The requests list's filters read from a query string: pure, no database."""

from urllib.parse import parse_qsl

import pytest
from django.http import QueryDict

from intake.listfilters import RequestFilters, filters_query, parse_filters


def parse(query: str) -> RequestFilters:
    return parse_filters(QueryDict(query))


def test_no_parameters_is_no_filter():
    filters = parse("")

    assert filters == RequestFilters() and not filters.active and filters.errors == ()


def test_each_filter_is_read_from_its_parameter():
    filters = parse(
        "status=approved&status=re_review_due&tier=high&band=critical&verdict=exceeds"
        "&likelihood=4&impact=5&score=20&overdue=yes&exception=standing"
    )

    assert filters.status == ("approved", "re_review_due")
    assert filters.tier == ("high",) and filters.band == ("critical",) and filters.verdict == ("exceeds",)
    assert (filters.likelihood, filters.impact, filters.score) == (4, 5, 20)
    assert filters.overdue is True and filters.exception == "standing"
    assert filters.errors == ()


def test_an_unknown_value_is_ignored_with_a_message_naming_the_filter():
    filters = parse("band=purple&band=high&status=lost")

    assert filters.band == ("high",) and filters.status == ()
    assert len(filters.errors) == 2
    assert filters.errors[0].startswith("Status:") and "lost" in filters.errors[0]
    assert filters.errors[1].startswith("Band:") and "purple" in filters.errors[1]


@pytest.mark.parametrize("value", ["0", "6", "²", "4.5", "-1", "9" * 30, "four"])
def test_a_likelihood_outside_one_to_five_is_ignored_with_a_message(value):
    filters = parse(f"likelihood={value}")

    assert filters.likelihood is None
    assert filters.errors and filters.errors[0].startswith("Likelihood:")


def test_a_filter_of_one_value_given_two_is_ignored():
    filters = parse("impact=2&impact=3&overdue=yes&overdue=no")

    assert filters.impact is None and filters.overdue is False
    assert [e.split(":")[0] for e in filters.errors] == ["Impact", "Overdue"]


def test_empty_values_and_repeats_are_no_error():
    filters = parse("band=&status=approved&status=approved&score=")

    assert filters.status == ("approved",) and filters.band == () and filters.errors == ()


def test_chips_name_each_value_in_words_and_link_to_the_list_without_it():
    filters = parse("band=critical&status=approved&overdue=yes")

    chips = filters.chips()

    assert [chip["text"] for chip in chips] == [
        "Status: Approved",
        "Band: Critical",
        "Overdue: Waiting longer than 5 working days",
    ]
    assert parse_qsl(chips[1]["without"]) == [("status", "approved"), ("overdue", "yes")]


def test_the_query_string_round_trips():
    filters = parse("exception=expired&likelihood=3&impact=2&verdict=exceeds&verdict=prohibited")

    assert parse(filters.query()) == filters


def test_links_are_built_from_keywords_and_refuse_an_unknown_filter():
    assert filters_query(status={"approved", "submitted"}, band="high", overdue=True) == (
        "status=approved&status=submitted&band=high&overdue=yes"
    )
    with pytest.raises(ValueError, match="colour"):
        filters_query(colour="red")


@pytest.mark.parametrize(("name", "low", "high"), [("likelihood", 1, 5), ("impact", 1, 5), ("score", 1, 25)])
def test_each_range_holds_its_ends_and_nothing_past_them(name, low, high):
    for inside in (low, high):
        assert getattr(parse(f"{name}={inside}"), name) == inside
    for outside in (low - 1, high + 1):
        assert getattr(parse(f"{name}={outside}"), name) is None


def test_every_chip_names_its_filter_and_value_in_words():
    filters = parse(
        "status=approved&tier=high&band=critical&verdict=exceeds&likelihood=4&impact=5&score=20"
        "&overdue=yes&exception=expired"
    )
    texts = [chip["text"] for chip in filters.chips()]
    assert texts == [
        "Status: Approved",
        "EU AI Act tier: High risk",
        "Band: Critical",
        "Boundary verdict: Exceeds the risk boundary",
        "Likelihood: 4",
        "Impact: 5",
        "Score: 20",
        "Overdue: Waiting longer than 5 working days",
        "Exception: Exception expired",
    ]
    assert parse("exception=standing").chips()[0]["text"] == "Exception: With an exception"
