"""The board pack's small charts in templates: plain figures in, inline SVG out (reporting.charts draws them)."""

from django import template
from django.utils.safestring import mark_safe

from reporting import charts

register = template.Library()


@register.filter
def sparkline(series: dict) -> str:
    """``{{ series|sparkline }}`` for one trend series ({"title", "quarters", "values"}) of the pack's context."""
    svg = charts.sparkline(
        series.get("values") or [],
        labels=[_short_quarter(q) for q in series.get("quarters") or []],
        title=f"{series.get('title', '')} by quarter",
    )
    return mark_safe(svg)  # noqa: S308 - charts escape every text they draw


def _short_quarter(quarter: str) -> str:
    """ "2026-Q3" as "Q3 26", short enough for a small chart's axis."""
    year, _, number = str(quarter).partition("-")
    return f"{number} {year[-2:]}" if number else str(quarter)
