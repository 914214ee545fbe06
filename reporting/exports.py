"""The register as CSV and XLSX. Pure: rows in, bytes out. Cells that a spreadsheet would run as a formula are
neutralised (a leading ' is added to text starting with = + - @ or a tab/carriage return)."""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

COLUMNS = (
    ("ref", "Reference"),
    ("title", "Title"),
    ("team", "Team"),
    ("status", "Status"),
    ("tier", "EU AI Act tier"),
    ("band", "Risk band"),
    ("score", "Inherent score"),
    ("verdict", "Boundary verdict"),
    ("provider", "Provider"),
    ("submitted_on", "Submitted"),
    ("approved_on", "Approved"),
    ("re_review_on", "Re-review by"),
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would treat as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def register_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet tools read UTF-8


def register_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append([label for _, label in COLUMNS])
    for row in rows:
        # Strings are written as text cells; neutralising them too keeps a copy-paste into another sheet safe.
        sheet.append([_cell(row.get(key)) for key, _ in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
