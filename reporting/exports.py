"""The register as CSV and XLSX. Pure: rows in, bytes (or a file) out. Cells that a spreadsheet would run as a formula are
neutralised (a leading ' is added to text starting with = + - @ or a tab/carriage return)."""

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, BinaryIO

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


def write_register_csv(rows: Iterable[Mapping[str, Any]], out: BinaryIO) -> int:
    """Write the register as CSV to ``out`` as the rows come (nothing held in memory); returns how many rows."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    text.write("\ufeff")  # the BOM lets spreadsheet tools read UTF-8
    writer = csv.writer(text)
    writer.writerow([label for _, label in COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in COLUMNS])
        count += 1
    text.flush()
    text.detach()  # leave ``out`` open for the caller
    return count


def write_register_xlsx(rows: Iterable[Mapping[str, Any]], out: BinaryIO) -> int:
    """Write the register as XLSX to ``out``; openpyxl's write-only mode keeps the rows on disk, not in memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Register")
    sheet.append([label for _, label in COLUMNS])
    count = 0
    for row in rows:
        # Strings are written as text cells; neutralising them too keeps a copy-paste into another sheet safe.
        sheet.append([_cell(row.get(key)) for key, _ in COLUMNS])
        count += 1
    workbook.save(out)
    return count


WRITERS = {"csv": write_register_csv, "xlsx": write_register_xlsx}


def register_filename(kind: str, on: date) -> str:
    """The name a register downloads under: the day it was taken, and its format."""
    return f"genai-register-{on.isoformat()}.{kind}"


def register_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    write_register_csv(rows, buffer)
    return buffer.getvalue()


def register_xlsx(rows: Iterable[Mapping[str, Any]]) -> bytes:
    buffer = io.BytesIO()
    write_register_xlsx(rows, buffer)
    return buffer.getvalue()
