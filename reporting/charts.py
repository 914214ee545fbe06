"""Charts as self-contained inline SVG: pure functions of plain data, shared by the board pack and the dashboard.

Bar charts are drawn by pygal and then made safe to inline under the site's content security policy: pygal's script,
tooltip layer and comments are removed, inline ``style`` attributes become presentation attributes, and the one
``<style>`` element left can carry the page's CSP nonce (:func:`with_nonce`). The 5×5 heat map is a grid rather than a
chart type pygal has, so it is drawn here directly. Every piece of text placed in an SVG is escaped, so callers may mark
the result safe.
"""

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from html import escape

import pygal
from pygal.style import Style

from intake.vocabulary import Band, band_for

NAVY = "#14284b"
BLUE = "#2f5fa7"
PREVIOUS = "#aab6c8"
GRID = "#e3e8ef"
INK = "#1f2937"
MUTED = "#5b6472"
FONT = "Inter, 'Helvetica Neue', Arial, sans-serif"

# Inherent-score bands (likelihood × impact): the cut-offs are the assessment engine's (intake.vocabulary.band_for).
# Occupied cells take the band's full colour, empty ones a paler tint; every label drawn on either keeps a WCAG AA
# contrast ratio of at least 4.5:1 against it (tests/reporting/test_board_paper.py computes them).
BAND_COLOURS = {
    Band.LOW: "#9fd3b2",
    Band.MEDIUM: "#f5d36b",
    Band.HIGH: "#f0a868",
    Band.CRITICAL: "#e4837c",
}
BAND_COLOURS_EMPTY = {
    Band.LOW: "#e3f2e8",
    Band.MEDIUM: "#fcf1cc",
    Band.HIGH: "#fbe3cc",
    Band.CRITICAL: "#f8dcd9",
}
CELL_LABEL = INK
CELL_LABEL_EMPTY = "#3d4451"


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _text(value: object) -> str:
    return escape(str(value), quote=True)


SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

BAR_STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle=GRID,
    opacity="1",
    opacity_hover="1",
    transition="none",
    colors=(BLUE, PREVIOUS),
    font_family=FONT,
    label_font_family=FONT,
    major_label_font_family=FONT,
    value_font_family=FONT,
    value_label_font_family=FONT,
    legend_font_family=FONT,
    title_font_family=FONT,
    tooltip_font_family=FONT,
    no_data_font_family=FONT,
    label_font_size=11,
    major_label_font_size=11,
    value_font_size=11,
    legend_font_size=10.5,
    title_font_size=12,
    no_data_font_size=12,
)
# Inline ``style`` declarations pygal writes (per-value colours) that may become presentation attributes.
PRESENTATION = {"fill", "stroke", "opacity", "fill-opacity", "stroke-opacity", "stroke-width"}


# Characters XML 1.0 does not allow (control characters, surrogates, non-characters): dropped from chart text.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LABEL_CHARS = 22


def _label(value: object, max_chars: int = LABEL_CHARS) -> str:
    """A label fit for the chart: valid XML text on one line, shortened with an ellipsis (the tables keep it whole)."""
    text = " ".join(XML_INVALID.sub("", str(value)).split())
    return text if len(text) <= max_chars else text[: max_chars - 1].rstrip() + "…"


def bar_chart(
    rows: Sequence[Mapping],
    *,
    title: str,
    width: int = 360,
    bar_height: int = 10,
    colours: Mapping[str, str] | None = None,
    show_previous: bool = True,
) -> str:
    """A horizontal bar chart of ``rows`` ({"label", "count", "previous"?}), top to bottom in the order given.

    With previous-quarter figures each row has two bars, this quarter's above the previous one's, and a legend says
    which is which. ``colours`` maps a label to its own colour for this quarter's bar (RAG-like series such as bands).
    """
    rows = list(rows)
    has_previous = show_previous and any(row.get("previous") is not None for row in rows)
    per_row = bar_height * (2 if has_previous else 1) + 10
    scale_max = max(
        [1, *(int(row["count"]) for row in rows), *(int(row.get("previous") or 0) for row in rows)]
    )
    chart = pygal.HorizontalBar(
        js=[],
        disable_xml_declaration=True,
        explicit_size=True,
        width=width,
        height=max(len(rows), 1) * per_row + (30 if has_previous else 8),
        style=BAR_STYLE,
        range=(0, scale_max * 1.08),
        margin=2,
        margin_right=22,
        spacing=8,
        show_legend=has_previous,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        legend_box_size=9,
        truncate_legend=-1,
        show_x_labels=False,
        show_x_guides=False,
        show_y_guides=False,
        print_values=True,
        print_values_position="top",
        no_data_text="No use cases",
    )
    ordered = list(reversed(rows))  # pygal draws the first label at the bottom
    chart.x_labels = [_label(row["label"]) for row in ordered]
    chart.add(
        "This quarter",
        [
            {
                "value": int(row["count"]),
                **({"color": colours[str(row["label"])]} if colours and str(row["label"]) in colours else {}),
                **_bar_link(row),
            }
            for row in ordered
        ],
    )
    if has_previous:
        chart.add(
            "Previous quarter",
            [None if row.get("previous") is None else int(row["previous"]) for row in ordered],
        )
    fingerprint = json.dumps([title, rows, dict(colours or {}), has_previous], default=str, sort_keys=True)
    return _inline_safe(chart.render(is_unicode=True), title=_label(title, 200), fingerprint=fingerprint)


def _use_cases(count: int) -> str:
    return "No use cases" if count == 0 else f"{count} use case{'' if count == 1 else 's'}"


def _bar_link(row: Mapping) -> dict:
    """pygal's link on a bar, when the row carries a ``url``: named by its count and label for screen readers."""
    if not row.get("url"):
        return {}
    name = f"{_use_cases(int(row['count']))}: {_label(row['label'], 200)}"
    return {"xlink": {"href": str(row["url"]), "aria-label": name}}


def _inline_safe(svg: str, *, title: str, fingerprint: str, values_at_bar_end: bool = True) -> str:
    """pygal's SVG with nothing a strict CSP would refuse except one ``<style>`` (see :func:`with_nonce`).

    Its script, tooltip layer, tooltip texts, its own titles ("Pygal", guide values) and comments go (the parser
    drops comments); ids inside it go too, as several charts share a page.
    """
    root = ET.fromstring(svg)  # noqa: S314 - pygal's own output, every text in it escaped by pygal
    drop = []
    for parent in root.iter():
        for child in parent:
            classes = (child.get("class") or "").split()
            if (
                child.tag in (f"{{{SVG_NS}}}script", f"{{{SVG_NS}}}desc", f"{{{SVG_NS}}}title")
                or "tooltip-overlay" in classes
            ):
                drop.append((parent, child))
    for parent, child in drop:
        parent.remove(child)
    linked = False
    for element in root.iter():
        if element is not root:
            element.attrib.pop("id", None)
        if element.tag == f"{{{SVG_NS}}}a":
            # A bar's link (see _bar_link): a plain SVG 2 href, opened in the same tab.
            linked = True
            element.set("href", element.attrib.pop(f"{{{XLINK_NS}}}href", ""))
            element.attrib.pop("target", None)
        declarations = element.attrib.pop("style", None)
        if declarations:
            for declaration in declarations.split(";"):
                name, _, value = declaration.partition(":")
                if name.strip() in PRESENTATION and value.strip():
                    element.set(name.strip(), value.strip())
        if (
            values_at_bar_end
            and "value" in (element.get("class") or "").split()
            and element.get("text-anchor") == "middle"
        ):
            # pygal centres the figure on the end of its bar, where long figures overlap it; start it there instead.
            element.set("text-anchor", "start")
    # A stable id (the CSS is scoped to it) so the same data always gives the same SVG.
    old_id = root.get("id", "")
    new_id = "chart-" + hashlib.sha256(fingerprint.encode()).hexdigest()[:12]
    root.set("id", new_id)
    for style in root.iter(f"{{{SVG_NS}}}style"):
        style.text = (style.text or "").replace(f"#{old_id}", f"#{new_id}")
    root.set("class", "chart chart-bar")
    # A chart whose bars are links is a group of links (role img would hide them from screen readers).
    root.set("role", "group" if linked else "img")
    root.set("aria-label", title)
    heading = ET.Element(f"{{{SVG_NS}}}title")
    heading.text = title
    root.insert(0, heading)
    # Plain tags under an explicit default namespace: the output must not depend on prefixes that other code has
    # registered with ElementTree (ElementTree's own default_namespace option refuses unqualified attributes).
    for element in root.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    root.set("xmlns", SVG_NS)
    return ET.tostring(root, encoding="unicode")


def with_nonce(svg: str, nonce: str) -> str:
    """``svg`` with the CSP ``nonce`` on its ``<style>`` element, for inlining in a page served under the policy."""
    return svg.replace("<style", f'<style nonce="{_text(nonce)}"', 1)


def heatmap(
    grid: Sequence[Sequence[int]],
    *,
    title: str = "Inherent risk: likelihood × impact",
    cell: int = 64,
    link_for: Callable[[int, int], str | None] | None = None,
) -> str:
    """A 5×5 heat map: rows are likelihood 5..1 from top to bottom, columns impact 1..5; each cell shows its count.

    Cells are tinted by the band of likelihood × impact and name it; empty cells are paler so the occupied ones stand
    out. With
    ``link_for(likelihood, impact)`` each occupied cell is a link to the use cases it counts, named for screen readers.
    """
    if len(grid) != 5 or any(len(row) != 5 for row in grid):
        raise ValueError("heat map needs 5 rows of 5 counts")
    left, top, bottom = 58, 8, 46
    width = left + 5 * cell + 8
    height = top + 5 * cell + bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-heatmap" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{"group" if link_for else "img"}" aria-label="{_text(title)}" '
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
            band = band_for(likelihood * impact)
            count = int(count)
            fill = BAND_COLOURS[band] if count else BAND_COLOURS_EMPTY[band]
            url = link_for(likelihood, impact) if link_for and count else None
            if url:
                name = f"{_use_cases(count)}: likelihood {likelihood}, impact {impact}"
                parts.append(f'<a href="{_text(url)}" class="heatmap-cell" aria-label="{_text(name)}">')
            parts.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" rx="3" fill="{fill}" />'
            )
            label = CELL_LABEL if count else CELL_LABEL_EMPTY
            if count:
                parts.append(
                    f'<text x="{x + cell / 2}" y="{y + cell / 2 + 8}" text-anchor="middle" fill="{label}" '
                    f'font-size="20" font-weight="700">{count}</text>'
                )
            if url:
                # The link holds only the count its name starts with; the cell's score is drawn over it, not in it.
                parts.append("</a>")
            through = ' pointer-events="none"' if url else ""
            parts.append(
                f'<text x="{x + 6}" y="{y + 14}" fill="{label}" font-size="8.5"{through}>{likelihood * impact}</text>'
            )
            parts.append(
                f'<text x="{x + cell - 5}" y="{y + cell - 7}" text-anchor="end" fill="{label}" font-size="7.5"'
                f"{through}>{_text(band.label)}</text>"
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


def sparkline(
    values: Sequence[float | None],
    *,
    labels: Sequence[str],
    title: str,
    width: int = 220,
    height: int = 70,
) -> str:
    """A small line chart of one figure over the quarters (``labels``), its values printed on the points.

    Drawn by pygal and made safe to inline like :func:`bar_chart`; a missing value (None) leaves a gap."""
    chart = pygal.Line(
        js=[],
        disable_xml_declaration=True,
        explicit_size=True,
        width=width,
        height=height,
        style=BAR_STYLE,
        margin=4,
        margin_top=14,
        margin_left=10,
        margin_right=12,
        spacing=4,
        show_legend=False,
        show_x_labels=False,  # the quarters are named in the table of figures beside the charts
        show_y_labels=False,
        show_y_guides=False,
        show_x_guides=False,
        show_dots=True,
        dots_size=2.5,
        stroke_style={"width": 2},
        print_values=True,
        print_values_position="top",
        include_x_axis=True,
        allow_interruptions=True,
        no_data_text="No data",
    )
    chart.x_labels = [_label(label, 8) for label in labels]
    numbers = [None if value is None else float(value) for value in values]
    peak = max([1.0, *(n for n in numbers if n is not None)])
    chart.range = (0, peak * 1.25)
    chart.add(_label(title, 200), numbers, formatter=lambda v: f"{v:g}")
    fingerprint = json.dumps(["sparkline", title, list(labels), numbers, width, height], sort_keys=True)
    svg = _inline_safe(
        chart.render(is_unicode=True),
        title=_label(title, 200),
        fingerprint=fingerprint,
        values_at_bar_end=False,
    )
    return svg.replace('class="chart chart-bar"', 'class="chart chart-sparkline"', 1)
