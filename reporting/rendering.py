"""Board-pack rendering: a plain context dict -> HTML (Django template) -> PDF bytes (WeasyPrint); no database access."""

import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe

from approvals.rules import Outcome
from intake.vocabulary import Band, Verdict, band_for
from reporting import charts, pdf_engine
from reporting.pdf_engine import PDF_VARIANT, ResourceRefused, cyclic_gc_paused, local_static_path  # noqa: F401

logger = logging.getLogger(__name__)

TEMPLATE = "reporting/pack.html"
STYLESHEET = "reporting/pack.css"

PORTFOLIO_SECTIONS = [
    ("by_status", "By status", "Status"),
    ("by_tier", "By EU AI Act tier", "Tier"),
    ("by_band", "By inherent-risk band", "Band"),
    ("by_team", "By requesting team", "Team"),
    ("by_provider", "By model provider", "Provider"),
]
BAND_BAR_COLOURS = {
    "Low": "#4c9a6a",
    "Medium": "#d4a72c",
    "High": "#e07b39",
    "Critical": "#b42318",
}
# The template's indentation between one tag and the next line's: text nodes WeasyPrint would parse, style and lay out
# for nothing (0.4 s of a 97-page pack). Whitespace within a line (between inline elements) is kept.
BETWEEN_LINES_OF_TAGS = re.compile(r">[ \t]*\n\s*<")
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}


def static_roots() -> list[Path]:
    """The folders a render may read from: STATIC_ROOT (collected) first, then the project's static dirs."""
    roots = []
    if getattr(settings, "STATIC_ROOT", None):
        roots.append(Path(settings.STATIC_ROOT))
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        roots.append(Path(entry[1] if isinstance(entry, tuple | list) else entry))
    return [root.resolve() for root in roots]


def static_base() -> Path:
    """The static folder that holds the pack's stylesheet; relative URLs in the template resolve against it."""
    for root in static_roots():
        if (root / STYLESHEET).is_file():
            return root
    raise FileNotFoundError(f"{STYLESHEET} is in none of the static folders")


def url_fetcher():
    """A WeasyPrint URL fetcher restricted to the static folders."""
    return pdf_engine.url_fetcher(static_roots())


def _delta(count: int, previous: int | None) -> dict:
    if previous is None:
        return {"text": "new", "direction": "none"}
    change = count - previous
    if change > 0:
        return {"text": f"+{change}", "direction": "up"}
    if change < 0:
        return {"text": f"−{-change}", "direction": "down"}
    return {"text": "±0", "direction": "flat"}


def portfolio_sections(
    portfolio: dict, *, link_for: Callable[[str, dict], str | None] | None = None
) -> list[dict]:
    """Each portfolio breakdown with its deltas and bar chart: the pack and the web dashboard show the same.

    ``link_for(section key, row)`` gives a row the address of the use cases behind it (its ``url``), which its bar
    links to: the dashboard passes it; the pack, on paper, does not."""
    sections = []
    for key, title, label in PORTFOLIO_SECTIONS:
        rows = [dict(row) for row in portfolio.get(key, [])]
        for row in rows:
            row["delta"] = _delta(int(row["count"]), row.get("previous"))
            if link_for is not None:
                row["url"] = link_for(key, row)
        total = sum(int(row["count"]) for row in rows)
        previous_known = [row.get("previous") for row in rows if row.get("previous") is not None]
        previous_total = sum(previous_known) if previous_known else None
        chart = charts.bar_chart(
            rows,
            title=f"Portfolio {title[0].lower()}{title[1:]}",  # "Portfolio by EU AI Act tier": its alt text
            colours=BAND_BAR_COLOURS if key == "by_band" else None,
        )
        sections.append(
            {
                "key": key,
                "title": title,
                "label": label,
                "rows": rows,
                "total": total,
                "total_delta": _delta(total, previous_total) if previous_total is not None else None,
                "previous_total": previous_total,
                "chart": mark_safe(chart),  # noqa: S308 - charts escape every text they draw
            }
        )
    return sections


def condition_groups(conditions: list[dict]) -> list[dict]:
    """Open conditions not yet overdue, one line per condition text: how many are open, and the next due date.

    Overdue conditions are listed one by one; the rest (a boundary's required control repeats on every approval) are
    summed up, so the section stays readable for a large portfolio.
    """
    groups: dict[str, dict] = {}
    for item in conditions:
        if item.get("overdue"):
            continue
        text = " ".join(str(item["text"]).split())
        group = groups.setdefault(text, {"text": text, "count": 0, "next_due": None, "undated": 0})
        group["count"] += 1
        if item.get("due_on") is None:
            group["undated"] += 1
        elif group["next_due"] is None or item["due_on"] < group["next_due"]:
            group["next_due"] = item["due_on"]
    return sorted(groups.values(), key=lambda g: (-g["count"], g["next_due"] or date.max, g["text"]))


def _key_dates(regulatory: dict, period_end: date | None) -> list[dict]:
    items = []
    for item in regulatory.get("key_dates", []):
        when = item["date"]
        if isinstance(when, str):
            when = date.fromisoformat(when)
        items.append({**item, "date": when, "in_force": bool(period_end and when <= period_end)})
    return sorted(items, key=lambda item: item["date"])


def _verdict_words(value: str) -> str:
    try:
        return Verdict(value).label
    except ValueError:
        return ""


MONTHS = {number: str(name).title() for number, name in MONTHS_3.items()}
# A rule in the margin of an entry (pack.css): red for what the board should look at first, amber for what is on
# its way there. The words of the entry say the same; the rule lets the eye find them down a long list.
ALERT, WARN = "alert", "warn"
OUTCOME_MARKS = {Outcome.REJECTED.label: ALERT, Outcome.CHANGES_REQUESTED.label: WARN}
SOON_DAYS = 30  # an exception expiring within this many days is marked


def _day(value: date | None, missing: str = "–") -> str:
    """A date as the pack writes it (1 Jul 2026), as the template's ``date:"j M Y"`` would."""
    return f"{value.day} {MONTHS[value.month]} {value.year}" if value else missing


def _days(value: float | int | None, what: str) -> str:
    if value is None:
        return ""
    return f"{value:g} day{'' if value == 1 else 's'} {what}"


def _entry(ref: str, text: str, meta: list[str], mark: str = "") -> dict:
    """One entry of a long list: its reference and text on the first line, its facts on the second.

    The long lists (register, decisions, exposure, follow-up) are laid out as two lines of text per entry rather
    than as table rows: WeasyPrint lays a table cell out as a block of its own, so a five-cell row cost it three
    times as long as an entry (bench/README.md), and these lists are most of a large pack's pages."""
    return {"head": f"{ref}  {text}", "meta": " · ".join(part for part in meta if part), "mark": mark}


def register_lines(register: list[dict]) -> list[dict]:
    """The register's rows with their second line written out (``meta``): one string per row instead of a dozen
    template lookups and three date filters, for the appendix that has a row per use case."""
    lines = []
    for row in register:
        parts = [
            row["status"],
            row["team"] or "no team",
            row["tier"] or "no tier",
            f"{'–' if row['score'] is None else row['score']} {row['band']}",
            _verdict_words(row["verdict"]).lower() if row["verdict"] else "not checked against a boundary",
            row["provider"] or "no provider",
            f"submitted {_day(row['submitted_on'])}",
        ]
        if row["approved_on"]:
            parts.append(f"approved {_day(row['approved_on'])}")
        if row["re_review_on"]:
            parts.append(f"next review {_day(row['re_review_on'])}")
        lines.append({**row, **_entry(row["ref"], row["title"], parts, "outside" if row["outside"] else "")})
    return lines


def decision_entries(rows: list[dict]) -> list[dict]:
    """Each decision of the quarter: the use case, then its outcome, when, and how long it waited for it."""
    return [
        _entry(
            row["ref"],
            f"{row['title']} (re-review)" if row["re_review"] else row["title"],
            [row["outcome"], f"decided {_day(row['decided_on'])}", _days(row["days"], "to decision")],
            OUTCOME_MARKS.get(row["outcome"], ""),
        )
        for row in rows
    ]


def breach_entries(breaches: list[dict]) -> list[dict]:
    return [
        _entry(
            item["ref"], item["title"], ["exceeds: " + "; ".join(item["clauses"])] if item["clauses"] else []
        )
        for item in breaches
    ]


def exception_entries(exceptions: list[dict]) -> list[dict]:
    return [
        _entry(
            item["ref"],
            item["title"],
            [f"expires on {_day(item['expires_on'])}", _days(item["days_left"], "left")],
            ALERT if item["days_left"] <= SOON_DAYS else "",
        )
        for item in exceptions
    ]


def overdue_condition_entries(conditions: list[dict]) -> list[dict]:
    return [
        _entry(
            item["ref"],
            item["text"],
            [f"owner {item['owner'] or 'not named'}", f"due on {_day(item['due_on'])}"],
        )
        for item in conditions
    ]


def re_review_entries(items: list[dict]) -> list[dict]:
    return [_entry(item["ref"], item["title"], [f"due since {_day(item['due_since'])}"]) for item in items]


def pack_html(context: dict) -> str:
    """The pack as one HTML document (user text autoescaped), ready for :func:`render_pdf`."""
    summary = context.get("summary") or {}
    heat = context.get("heatmap") or [[0] * 5 for _ in range(5)]
    overdue_conditions = [item for item in context.get("open_conditions") or [] if item.get("overdue")]
    template_context = {
        **context,
        "register": register_lines(context.get("register") or []),
        "rag_label": RAG_LABELS.get(summary.get("rag", ""), "Not rated"),
        "portfolio_sections": portfolio_sections(context.get("portfolio") or {}),
        "heatmap_svg": mark_safe(charts.heatmap(heat)),  # noqa: S308 - charts escape every text they draw
        "key_dates": _key_dates(context.get("regulatory") or {}, context.get("period_end")),
        "overdue_conditions": len(overdue_conditions),
        "overdue_condition_items": overdue_condition_entries(overdue_conditions),
        "decision_entries": decision_entries((context.get("decisions") or {}).get("rows") or []),
        "breach_entries": breach_entries((context.get("exposure") or {}).get("breaches") or []),
        "exception_entries": exception_entries((context.get("exposure") or {}).get("exceptions") or []),
        "re_review_entries": re_review_entries(context.get("overdue_re_reviews") or []),
        "condition_groups": condition_groups(context.get("open_conditions") or []),
        "heatmap_total": sum(sum(row) for row in heat),
        "heatmap_high_or_critical": sum(
            count
            for r, row in enumerate(heat)
            for c, count in enumerate(row)
            if band_for((5 - r) * (c + 1)) in (Band.HIGH, Band.CRITICAL)
        ),
        "regulatory_chart": mark_safe(  # noqa: S308 - charts escape every text they draw
            charts.bar_chart(
                (context.get("regulatory") or {}).get("by_tier", []),
                title="Use cases by EU AI Act tier",
                show_previous=False,
            )
        ),
    }
    return BETWEEN_LINES_OF_TAGS.sub("><", render_to_string(TEMPLATE, template_context))


def render_pdf(html: str, *, variant: str = PDF_VARIANT) -> tuple[bytes, int]:
    """(PDF bytes, page count) for ``html`` rendered in this process (the benchmark's "WeasyPrint alone", tests);
    the worker renders packs in a process of its own (:func:`render_process`)."""
    return pdf_engine.render_pdf(
        html, base_url=static_base().as_uri() + "/", roots=static_roots(), variant=variant
    )


def render_process() -> pdf_engine.RenderProcess:
    """A render process, started now: it loads WeasyPrint while the caller gathers the pack's data."""
    return pdf_engine.RenderProcess(cwd=Path(settings.BASE_DIR))


def render_pack(context: dict, *, process: pdf_engine.RenderProcess | None = None) -> tuple[bytes, int, str]:
    """(PDF bytes, page count, HTML) of the board pack for ``context``, rendered in ``process`` (or a new one)."""
    html = pack_html(context)
    with process or render_process() as renderer:
        pdf, pages = renderer.render(html, base_url=static_base().as_uri() + "/", roots=static_roots())
    if renderer.warnings.strip():
        logger.warning("The board pack rendered with warnings: %s", renderer.warnings.strip()[-2000:])
    return pdf, pages, html
