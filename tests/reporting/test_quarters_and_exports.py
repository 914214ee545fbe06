"""Quarters and the register exports: pure, no database."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from config.errors import DomainError
from config.quarters import Quarter
from reporting.exports import neutralise, register_csv, register_xlsx


def test_a_quarter_has_bounds_neighbours_and_a_cutoff():
    q = Quarter.parse("2026-Q4")
    assert (q.start, q.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (str(q.next()), str(q.previous()), str(Quarter.parse("2026-Q1").previous())) == (
        "2027-Q1",
        "2026-Q3",
        "2025-Q4",
    )
    running = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert q.cutoff(running) == running  # the running quarter: now
    assert Quarter.parse("2026-Q3").cutoff(running) == datetime(
        2026, 10, 1, tzinfo=UTC
    )  # a past quarter: its end


@pytest.mark.parametrize("bad", ["2026Q4", "2026-Q5", "Q4-2026", "", "1999-Q1"])
def test_bad_quarters_name_the_field(bad):
    with pytest.raises(DomainError) as excinfo:
        Quarter.parse(bad)
    assert "quarter" in excinfo.value.errors


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_neutralised(value):
    assert neutralise(value) == "'" + value


def test_plain_values_pass_unchanged():
    assert neutralise("Chatbot") == "Chatbot" and neutralise(12) == 12


ROWS = [
    {
        "ref": "GAI-2026-0001",
        "title": "=cmd|' /C calc'!A0",
        "team": "Ops",
        "score": 9,
        "submitted_on": date(2026, 11, 1),
    }
]


def test_the_csv_register_is_safe_and_readable():
    text = register_csv(ROWS).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Reference" and rows[1][1].startswith("'=") and rows[1][9] == "2026-11-01"


def test_the_xlsx_register_is_safe():
    sheet = load_workbook(io.BytesIO(register_xlsx(ROWS))).active
    assert (
        sheet["A1"].value == "Reference"
        and sheet["B2"].value.startswith("'=")
        and sheet["B2"].data_type == "s"
    )


def test_the_rag_status_says_why_in_plain_words():
    from reporting.pack import _rag

    summary = {"overdue_re_reviews": 1}
    conditions = [{"overdue": True}, {"overdue": True}, {"overdue": False}]
    rag, reasons = _rag(summary, breaches=[{}, {}], exceptions=[{"days_left": 12}], conditions=conditions)

    assert rag == "red"
    assert reasons == [
        "1 approved use case overdue for re-review.",
        "2 live use cases outside the risk boundary.",
        "Exceptions expire within 30 days.",
        "2 conditions past the due date.",
    ]
    assert _rag({"overdue_re_reviews": 0}, [], [], [])[0] == "green"
