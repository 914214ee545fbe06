"""Board-pack rendering: a plain context dict -> HTML (Django template) -> PDF bytes (WeasyPrint); no database access."""

import gc
import logging
import mimetypes
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from intake.vocabulary import Band, band_for
from reporting import charts

logger = logging.getLogger(__name__)

TEMPLATE = "reporting/pack.html"
STYLESHEET = "reporting/pack.css"
# PDF/A-3 level A: archival (fonts embedded, sRGB, XMP metadata) and accessible, which level A requires to be tagged:
# a structure tree in reading order (headings, paragraphs, lists, tables with their header cells, figures with the
# alternative text of an SVG's <title> or an image's alt), the language of <html lang> as the catalog's /Lang.
PDF_VARIANT = "pdf/a-3a"

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
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red"}


class ResourceRefused(ValueError):
    """A render asked for something outside the static files: the network, or a file elsewhere on disk."""


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


def _make_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves only local files under the static folders; refuses every other URL, so a render never reaches out."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("file",), allow_redirects=False)
            self.roots = roots

        def fetch(self, url, headers=None):
            path = local_static_path(url, self.roots)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticFilesFetcher


def local_static_path(url: str, roots: list[Path]) -> Path:
    """The file a ``file:`` URL names, if it lies inside one of ``roots``; ResourceRefused otherwise."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise ResourceRefused(f"refused (only local static files are served): {url[:200]}")
    path = Path(url2pathname(unquote(parts.path))).resolve()
    if not any(path.is_relative_to(root) for root in roots) or not path.is_file():
        raise ResourceRefused(f"refused (not a static file): {url[:200]}")
    return path


def url_fetcher():
    """A WeasyPrint URL fetcher restricted to the static folders."""
    return _make_fetcher()(static_roots())


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


def pack_html(context: dict) -> str:
    """The pack as one HTML document (user text autoescaped), ready for :func:`render_pdf`."""
    summary = context.get("summary") or {}
    heat = context.get("heatmap") or [[0] * 5 for _ in range(5)]
    overdue_conditions = [item for item in context.get("open_conditions") or [] if item.get("overdue")]
    template_context = {
        **context,
        "rag_label": RAG_LABELS.get(summary.get("rag", ""), "Not rated"),
        "portfolio_sections": portfolio_sections(context.get("portfolio") or {}),
        "heatmap_svg": mark_safe(charts.heatmap(heat)),  # noqa: S308 - charts escape every text they draw
        "key_dates": _key_dates(context.get("regulatory") or {}, context.get("period_end")),
        "overdue_conditions": len(overdue_conditions),
        "overdue_condition_items": overdue_conditions,
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
    return render_to_string(TEMPLATE, template_context)


def _cached_page_references(pdf) -> tuple[bytes, ...]:
    """pydyf's ``PDF.page_references``, built once per page count instead of at every call.

    pydyf 0.13 rebuilds the tuple of every page's reference each time it is read, and a tagged PDF reads it once per
    structure element (each paragraph, cell and link names its page): quadratic in pages, 0.5 s of a 97-page pack's
    render and growing with the square of its size. Pages are only ever appended (``add_page``), so the number of
    entries in ``Kids`` tells whether the cached tuple is still whole."""
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references_cache")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references_cache"] = cached
    return cached[1]


_pydyf_page_references = None  # pydyf's own property, kept to check the cached one against it


def _install_page_reference_cache() -> None:
    global _pydyf_page_references
    import pydyf

    if getattr(pydyf.PDF.page_references, "fget", None) is not _cached_page_references:
        _pydyf_page_references = pydyf.PDF.page_references
        pydyf.PDF.page_references = property(_cached_page_references)


def render_pdf(html: str, *, variant: str = PDF_VARIANT) -> tuple[bytes, int]:
    """(PDF bytes, page count) for ``html``, a tagged PDF/A; stylesheets and fonts come only from the static folders.

    ``variant`` is another WeasyPrint PDF variant (the benchmark compares the untagged ``pdf/a-3u``); the tags
    follow the variant (``pdf/a-3a`` and ``pdf/ua-1`` are tagged)."""
    # Imported here so that forked worker processes load WeasyPrint (and its C libraries) themselves.
    from weasyprint import HTML

    _install_page_reference_cache()
    base = static_base()
    with cyclic_gc_paused():
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=url_fetcher()).render()
        pdf, pages = document.write_pdf(pdf_variant=variant), len(document.pages)
        del document  # its layout, before the collector runs again
    return pdf, pages


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for the render, on again after it.

    A render allocates millions of boxes and styles that reference counting frees without it; the collector's full
    passes over that heap were a fifth of a 1,000-use-case pack's render (a quarter of a second render in the same
    process). One full collection at the end frees the render's cycles at once, so that a second render in the same
    worker does not start on top of them (bench/README.md). The collector is the process's: a worker renders one pack
    at a time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()  # the render's cycles now, not during the next render


def render_pack(context: dict) -> tuple[bytes, int, str]:
    """(PDF bytes, page count, HTML) of the board pack for ``context``."""
    html = pack_html(context)
    pdf, pages = render_pdf(html)
    return pdf, pages, html
