"""Every number on the dashboard leads to the list of use cases it counts, and that list holds as many."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from intake import views as intake_views
from reporting import charts, links
from reporting.pack import RAG_REASON_KINDS, _rag_with_kinds
from reporting.rendering import pack_html, portfolio_sections
from tests.reporting.pack_context import sample_context

SVG = "{http://www.w3.org/2000/svg}"


class Links(HTMLParser):
    """Each <a> to the requests list: its address, accessible name and text."""

    def __init__(self):
        super().__init__()
        self.found, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/requests/?"):
            self._open = {"href": attrs["href"], "name": attrs.get("aria-label") or "", "text": ""}
            self.found.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def links_to_lists(html: str) -> list[dict]:
    parser = Links()
    parser.feed(html)
    return parser.found


def figure_of(link: dict) -> int | None:
    """The number a link stands for: the count its accessible name starts with, else its text."""
    text = link["text"].strip()
    match = re.match(r"(\d+|No) ", link["name"] or text)
    if match is None and text.isdigit():
        return int(text)
    if match is None:
        return None
    return 0 if match.group(1) == "No" else int(match.group(1))


def rows_listed(client, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    html = response.content.decode()
    assert "is not one of the choices" not in html and "is not a whole number" not in html, href
    return len(set(re.findall(r'href="/requests/(GAI-[0-9-]+)/"', html)))


@pytest.mark.django_db
def test_every_linked_number_on_the_dashboard_matches_the_list_it_opens(client, people, monkeypatch):
    monkeypatch.setattr(intake_views, "PAGE_SIZE", 500)
    client.force_login(people["cio"])
    html = client.get("/board-packs/dashboard/").content.decode()

    found = links_to_lists(html)

    kinds = {
        "figure": [a for a in found if "see them" in a["name"]],
        "heat map": [a for a in found if "likelihood" in a["name"]],
        "status bar": [a for a in found if "status=" in a["href"] and ": " in a["name"]],
        "band": [a for a in found if "band=" in a["href"]],
        "tier": [a for a in found if "tier=" in a["href"] and "see them" not in a["name"]],
    }
    assert len(kinds["figure"]) == 7
    assert all(kinds.values()), {k: len(v) for k, v in kinds.items()}
    checked = 0
    for link in found:
        figure = figure_of(link)
        if figure is None:  # a status reason that names no number ("Exceptions expire within 30 days.")
            assert rows_listed(client, link["href"]) >= 1, link
            continue
        assert rows_listed(client, link["href"]) == figure, link
        checked += 1
    assert checked >= 20


@pytest.mark.django_db
def test_the_red_status_reasons_link_to_their_lists(client, people):
    client.force_login(people["cio"])
    html = client.get("/board-packs/dashboard/").content.decode()
    start = html.index('aria-labelledby="summary-heading"')
    reasons = html[start : html.index("</ul>", start)]

    assert 'href="/requests/?status=re_review_due">' in reasons  # the demo has overdue re-reviews: red


def test_the_heat_map_links_occupied_cells_with_an_accessible_name():
    grid = [[0, 0, 0, 0, 3], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]

    root = ET.fromstring(charts.heatmap(grid, link_for=lambda lk, im: f"/x?l={lk}&i={im}"))  # noqa: S314

    anchors = list(root.iter(f"{SVG}a"))
    assert [(a.get("href"), a.get("aria-label")) for a in anchors] == [
        ("/x?l=5&i=5", "3 use cases: likelihood 5, impact 5"),
        ("/x?l=1&i=1", "1 use case: likelihood 1, impact 1"),
    ]
    assert root.get("role") == "group"
    assert ET.fromstring(charts.heatmap(grid)).get("role") == "img"  # noqa: S314 - the pack's has no links
    assert "<a " not in charts.heatmap(grid)


def test_bars_link_when_their_row_carries_an_address_and_the_svg_stays_inline_safe():
    rows = [{"label": "Approved", "count": 4, "previous": 2, "url": "/requests/?status=approved"}]

    svg = charts.bar_chart(rows, title="By status")
    root = ET.fromstring(svg)  # noqa: S314

    anchors = list(root.iter(f"{SVG}a"))
    assert len(anchors) == 1
    assert anchors[0].get("href") == "/requests/?status=approved"
    assert anchors[0].get("aria-label") == "4 use cases: Approved"
    assert anchors[0].get("target") is None and "xlink:href" not in svg
    assert not [e for e in root.iter() if e.get("style") is not None]
    assert root.get("role") == "group"


def test_the_board_pack_charts_carry_no_links():
    context = sample_context(30)

    assert "<a " not in "".join(s["chart"] for s in portfolio_sections(context["portfolio"]))
    assert "/requests/?" not in pack_html(context)
    linked = portfolio_sections(context["portfolio"], link_for=links.portfolio_link)
    assert any("/requests/?" in s["chart"] for s in linked)


def test_portfolio_links_read_labels_back_to_values_and_skip_what_has_no_list():
    assert links.portfolio_link("by_band", {"label": "Critical", "count": 2}) == (
        "/requests/?status=approved&status=changes_requested&status=re_review_due&status=submitted&band=critical"
    )
    assert links.portfolio_link("by_status", {"label": "Re-review due", "count": 1}) == (
        "/requests/?status=re_review_due"
    )
    assert links.portfolio_link("by_tier", {"label": "Not assessed yet", "count": 3}) is None
    assert links.portfolio_link("by_team", {"label": "Finance", "count": 3}) is None
    assert links.portfolio_link("by_band", {"label": "High", "count": 0}) is None


def test_each_status_reason_says_what_it_is_about():
    counts = {"overdue_re_reviews": 2}
    exceptions = [{"days_left": -1}]
    rag, reasons = _rag_with_kinds(counts, [{}], exceptions, [{"overdue": True}])

    assert rag == "red"
    assert [kind for kind, _ in reasons] == [
        "overdue_re_reviews",
        "exception_expired",
        "breaches",
        "exceptions_expiring",
        "conditions_overdue",
    ]
    assert {kind for kind, _ in reasons} <= set(RAG_REASON_KINDS)
    assert links.rag_reason_link("overdue_re_reviews") == "/requests/?status=re_review_due"
    assert links.rag_reason_link("conditions_overdue") is None
