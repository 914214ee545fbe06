"""Charts as self-contained inline SVG strings: pure functions of plain data, shared by the board pack and the dashboard.

Every piece of text placed in the SVG is escaped here, so callers may mark the result safe.
"""

from collections.abc import Mapping, Sequence
from html import escape

NAVY = "#14284b"
BLUE = "#2f5fa7"
PREVIOUS = "#aab6c8"
GRID = "#e3e8ef"
INK = "#1f2937"
MUTED = "#5b6472"
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"

# Inherent-score bands (likelihood × impact), the same cut-offs as the assessment engine.
BAND_COLOURS = {
    "low": "#d8eedf",
    "medium": "#fbeec1",
    "high": "#f8d2ad",
    "critical": "#f2b8b5",
}
BAND_COLOURS_EMPTY = {
    "low": "#f1f8f3",
    "medium": "#fdf8e8",
    "high": "#fdf0e4",
    "critical": "#fbe9e8",
}


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _fit(label: str, max_chars: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= max_chars else label[: max_chars - 1].rstrip() + "…"


def band_for_score(score: int) -> str:
    if score >= 20:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def bar_chart(
    rows: Sequence[Mapping],
    *,
    title: str,
    width: int = 360,
    label_width: int = 118,
    row_height: int = 27,
    colour: str = BLUE,
    colours: Mapping[str, str] | None = None,
    show_previous: bool = True,
) -> str:
    """A horizontal bar chart of ``rows`` ({"label", "count", "previous"?}), one bar per row.

    The previous quarter's figure, when given, is drawn as a thin marker across the bar so growth reads at a glance.
    ``colours`` maps a label to its own bar colour (RAG-like series such as bands).
    """
    rows = list(rows)
    value_width = 30
    plot_width = width - label_width - value_width
    top = 0
    height = top + max(len(rows), 1) * row_height + 6
    has_previous = show_previous and any(row.get("previous") is not None for row in rows)
    scale_max = max([1, *(int(row["count"]) for row in rows)])
    if has_previous:
        scale_max = max([scale_max, *(int(row["previous"] or 0) for row in rows)])

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bar" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_text(title)}" '
        f'font-family="{_text(FONT)}" font-size="11">',
        f"<title>{_text(title)}</title>",
        f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" y2="{height - 4}" stroke="{GRID}" />',
    ]
    if not rows:
        parts.append(f'<text x="{label_width + 8}" y="{top + 15}" fill="{MUTED}">No use cases</text>')
    for index, row in enumerate(rows):
        y = top + index * row_height
        count = int(row["count"])
        bar = round(plot_width * count / scale_max, 1)
        fill = (colours or {}).get(str(row["label"]), colour)
        label = _fit(row["label"], max(8, label_width // 6))
        parts.append(
            f'<text x="{label_width - 8}" y="{y + row_height / 2 + 4}" text-anchor="end" fill="{INK}">'
            f"{_text(label)}</text>"
        )
        if bar:
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{bar}" height="{row_height - 8}" rx="2" fill="{fill}" />'
            )
        previous = row.get("previous")
        if has_previous and previous is not None:
            px = round(label_width + plot_width * int(previous) / scale_max, 1)
            parts.append(
                f'<line x1="{px}" y1="{y + 1}" x2="{px}" y2="{y + row_height - 1}" stroke="{NAVY}" '
                f'stroke-width="2" stroke-dasharray="2 1.5" />'
            )
        end = bar
        if has_previous and previous is not None:
            end = max(bar, plot_width * int(previous) / scale_max)
        parts.append(
            f'<text x="{round(label_width + end + 6, 1)}" y="{y + row_height / 2 + 4}" fill="{INK}" '
            f'font-weight="600">{count}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    grid: Sequence[Sequence[int]], *, title: str = "Inherent risk: likelihood × impact", cell: int = 64
) -> str:
    """A 5×5 heat map: rows are likelihood 5..1 from top to bottom, columns impact 1..5; each cell shows its count.

    Cells are tinted by the band of likelihood × impact; empty cells are paler so the occupied ones stand out.
    """
    if len(grid) != 5 or any(len(row) != 5 for row in grid):
        raise ValueError("heat map needs 5 rows of 5 counts")
    left, top, bottom = 58, 8, 46
    width = left + 5 * cell + 8
    height = top + 5 * cell + bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_text(title)}" '
        f'font-family="{_text(FONT)}" font-size="11">',
        f"<title>{_text(title)}</title>",
    ]
    for r, row in enumerate(grid):
        likelihood = 5 - r
        y = top + r * cell
        parts.append(
            f'<text x="{left - 10}" y="{y + cell / 2 + 4}" text-anchor="end" fill="{MUTED}">{likelihood}</text>'
        )
        for c, count in enumerate(row):
            impact = c + 1
            x = left + c * cell
            band = band_for_score(likelihood * impact)
            count = int(count)
            fill = BAND_COLOURS[band] if count else BAND_COLOURS_EMPTY[band]
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="3" fill="{fill}" />'
            )
            parts.append(
                f'<text x="{x + 6}" y="{y + 14}" fill="{MUTED}" font-size="8.5">{likelihood * impact}</text>'
            )
            if count:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 8}" text-anchor="middle" fill="{INK}" '
                    f'font-size="20" font-weight="700">{count}</text>'
                )
    for c in range(5):
        parts.append(
            f'<text x="{left + c * cell + cell / 2}" y="{top + 5 * cell + 16}" text-anchor="middle" '
            f'fill="{MUTED}">{c + 1}</text>'
        )
    parts.append(
        f'<text x="{left + 5 * cell / 2}" y="{top + 5 * cell + 36}" text-anchor="middle" fill="{INK}" '
        f'font-weight="600">Impact (1 minor – 5 severe)</text>'
    )
    parts.append(
        f'<text x="14" y="{top + 5 * cell / 2}" text-anchor="middle" fill="{INK}" font-weight="600" '
        f'transform="rotate(-90 14 {top + 5 * cell / 2})">Likelihood (1 rare – 5 almost certain)</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
