"""Board-pack rendering: escaped HTML, a paged PDF with outline and metadata, a fetcher that stays local, SVG charts."""

import copy
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings

from reporting import charts
from reporting.rendering import (
    ResourceRefused,
    local_static_path,
    pack_html,
    render_pack,
    static_roots,
    url_fetcher,
)
from tests.reporting.pack_context import sample_context

SCRIPT_TITLE = "<script>alert('pwned')</script> & more"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def hostile_context():
    context = sample_context(40)
    context["register"][0]["title"] = SCRIPT_TITLE
    context["portfolio"]["by_team"][0]["label"] = "<b>Team</b>"
    return context


@pytest.fixture(scope="module")
def rendered(hostile_context):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the rendered PDF back")
    pdf, pages, html = render_pack(hostile_context)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {"pdf": pdf, "pages": pages, "html": html, "reader": reader}


def parse_svg(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the charts' own output, not untrusted input


def pdf_text(reader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_user_text_is_escaped_in_the_html(hostile_context):
    html = pack_html(hostile_context)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; &amp; more" in html
    assert "<b>Team</b>" not in html


def test_user_text_shows_as_text_in_the_pdf(rendered):
    text = pdf_text(rendered["reader"])

    assert "<script>alert('pwned')</script>" in text


def test_pdf_is_a_paged_document_with_its_page_count(rendered):
    assert rendered["pdf"].startswith(b"%PDF-")
    assert rendered["pages"] > 1
    assert len(rendered["reader"].pages) == rendered["pages"]


def test_pdf_has_an_outline_of_the_sections(rendered):
    titles = [item.title for item in rendered["reader"].outline if not isinstance(item, list)]

    assert "Executive summary" in titles
    assert "Appendix: register of use cases" in titles


def test_pdf_metadata_comes_from_the_html_head(rendered):
    metadata = rendered["reader"].metadata

    assert metadata.title == "Board pack 2026-Q4: generative AI use cases and risk"
    assert "CIO" in metadata.author
    assert "2026-Q4" in metadata.subject


def test_pdf_shows_the_cover_summary_and_page_numbers(rendered):
    text = pdf_text(rendered["reader"])

    assert "2026-Q4" in text
    assert "Executive summary" in text
    assert f"Page 2 of {rendered['pages']}" in text


def test_register_lists_every_use_case(rendered, hostile_context):
    text = pdf_text(rendered["reader"])

    missing = [row["ref"] for row in hostile_context["register"] if row["ref"] not in text]
    assert missing == []


def test_register_of_a_large_portfolio_lists_every_use_case_in_the_html():
    context = sample_context(400)

    html = pack_html(context)

    assert all(f'<p class="uc-head">{row["ref"]}  ' in html for row in context["register"])


def test_fetcher_refuses_the_network():
    fetcher = url_fetcher()

    for url in ("http://example.com/x.css", "https://example.com/font.woff2", "ftp://example.com/a"):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_fetcher_refuses_files_outside_the_static_folders(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    fetcher = url_fetcher()

    with pytest.raises(ResourceRefused):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ResourceRefused):
        fetcher.fetch((Path(settings.BASE_DIR) / "manage.py").as_uri())
    with pytest.raises(ResourceRefused):
        fetcher.fetch((static_roots()[0] / ".." / "manage.py").as_uri())


def test_fetcher_serves_static_files():
    css = static_roots()[0] / "reporting" / "pack.css"

    response = url_fetcher().fetch(css.as_uri())

    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()


def test_static_path_is_resolved_before_it_is_checked(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "outside.css").write_text("x")

    with pytest.raises(ResourceRefused):
        local_static_path(f"{root.as_uri()}/../outside.css", [root])


def test_bar_chart_is_valid_svg_with_escaped_labels():
    svg = charts.bar_chart(
        [
            {"label": "<script>x</script>", "count": 3, "previous": 1},
            {"label": "R&D", "count": 0, "previous": None},
        ],
        title="Teams & <things>",
    )

    root = parse_svg(svg)
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert root.tag == f"{SVG}svg"
    assert "<script>x</script>" in texts
    assert "R&D" in texts
    assert "<script>" not in svg


def test_bar_chart_of_nothing_is_still_valid_svg():
    assert parse_svg(charts.bar_chart([], title="Empty")).tag == f"{SVG}svg"


STATUS_ROWS = [
    {"label": "Approved", "count": 36, "previous": 34},
    {"label": "Submitted", "count": 25, "previous": 24},
    {"label": "Draft", "count": 7, "previous": None},
]


def test_bar_chart_inlines_under_a_strict_csp():
    svg = charts.bar_chart(STATUS_ROWS, title="By status", colours={"Approved": "#4c9a6a"})
    root = parse_svg(svg)
    elements = list(root.iter())

    assert not [e for e in elements if e.tag == f"{SVG}script"], "pygal's script is removed"
    assert not [e for e in elements if e.get("style") is not None], "no inline style attribute is left"
    assert [e.get("id") for e in elements if e.get("id")] == [root.get("id")], (
        "ids inside would repeat on a page"
    )
    assert "<!--" not in svg
    assert not [e for e in elements if {"tooltip", "tooltip-overlay"} & set((e.get("class") or "").split())]
    assert len([e for e in elements if e.tag == f"{SVG}style"]) == 1
    # The stylesheet is scoped to the chart's own id.
    assert f"#{root.get('id')} " in next(e for e in elements if e.tag == f"{SVG}style").text
    assert root.get("role") == "img" and root.get("aria-label") == "By status"
    assert root[0].tag == f"{SVG}title" and root[0].text == "By status"


def test_bar_chart_is_the_same_svg_for_the_same_data_and_differs_otherwise():
    first = charts.bar_chart(STATUS_ROWS, title="By status")

    assert charts.bar_chart(STATUS_ROWS, title="By status") == first
    other = charts.bar_chart([{**STATUS_ROWS[0], "count": 37}, *STATUS_ROWS[1:]], title="By status")
    assert parse_svg(other).get("id") != parse_svg(first).get("id")


def test_bar_chart_lists_rows_top_down_with_their_figures_and_the_previous_quarter():
    root = parse_svg(charts.bar_chart(STATUS_ROWS, title="By status"))
    texts = list(root.iter(f"{SVG}text"))

    labels = {t.text: float(t.get("y")) for t in texts if t.text in ("Approved", "Submitted", "Draft")}
    assert labels["Approved"] < labels["Submitted"] < labels["Draft"]
    values = sorted(t.text for t in texts if "value" in (t.get("class") or "").split())
    assert values == sorted(["36", "25", "7", "34", "24"])  # Draft has no previous figure
    assert {"This quarter", "Previous quarter"} <= {t.text for t in texts}


def test_bar_chart_without_the_previous_quarter_has_one_bar_per_row_and_no_legend():
    root = parse_svg(charts.bar_chart(STATUS_ROWS, title="By tier", show_previous=False))
    texts = [t.text for t in root.iter(f"{SVG}text")]

    assert "Previous quarter" not in texts and "This quarter" not in texts
    assert len([r for r in root.iter(f"{SVG}rect") if "rect" in (r.get("class") or "").split()]) == 3


def test_bar_chart_colours_a_row_by_its_label():
    root = parse_svg(charts.bar_chart(STATUS_ROWS[:1], title="By band", colours={"Approved": "#b42318"}))

    # pygal puts a value's own colour on the bar's group; the bar inherits it.
    bars = [g for g in root.iter(f"{SVG}g") if (g.get("class") or "").split() == ["bar"]]
    # The previous quarter's bar keeps the series colour.
    assert sorted(str(bar.get("fill")) for bar in bars) == ["#b42318", "None"]


def test_with_nonce_marks_the_one_style_element():
    svg = charts.bar_chart(STATUS_ROWS, title="By status")
    marked = charts.with_nonce(svg, 'abc"def')

    assert marked.count('<style nonce="abc&quot;def"') == 1
    assert parse_svg(marked).find(f"{SVG}defs/{SVG}style").get("nonce") == 'abc"def'


def test_heatmap_is_valid_svg_with_a_cell_per_likelihood_and_impact():
    grid = [[0, 0, 1, 2, 3], [0, 1, 0, 0, 0], [4, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]]

    root = parse_svg(charts.heatmap(grid))

    assert len(list(root.iter(f"{SVG}rect"))) == 25
    counts = [element.text for element in root.iter(f"{SVG}text") if element.get("font-size") == "20"]
    assert sorted(counts) == sorted(str(n) for row in grid for n in row if n)


def test_heatmap_needs_five_by_five():
    with pytest.raises(ValueError):
        charts.heatmap([[1, 2, 3]])


def test_open_conditions_not_yet_due_are_summed_up_by_condition():
    from datetime import date

    from reporting.rendering import condition_groups

    conditions = [
        {"text": "C-03 Human approval", "due_on": date(2027, 3, 1), "overdue": False},
        {"text": "C-03  Human approval", "due_on": date(2027, 2, 1), "overdue": False},
        {"text": "C-03 Human approval", "due_on": None, "overdue": False},
        {"text": "Retrain the agents", "due_on": date(2027, 1, 5), "overdue": False},
        {"text": "C-03 Human approval", "due_on": date(2026, 1, 1), "overdue": True},
    ]

    assert condition_groups(conditions) == [
        {"text": "C-03 Human approval", "count": 3, "next_due": date(2027, 2, 1), "undated": 1},
        {"text": "Retrain the agents", "count": 1, "next_due": date(2027, 1, 5), "undated": 0},
    ]


def test_overdue_conditions_are_listed_one_by_one_and_the_rest_summed_up(hostile_context):
    html = pack_html(hostile_context)
    section = html[html.index('id="follow-up"') : html.index('id="methodology"')]
    overdue = [c for c in hostile_context["open_conditions"] if c["overdue"]]
    not_due = [c for c in hostile_context["open_conditions"] if not c["overdue"]]
    assert overdue and not_due, "the sample needs both kinds of condition"

    for item in overdue:
        assert item["ref"] in section
    assert "Not yet due" in section
    for ref in {c["ref"] for c in not_due} - {c["ref"] for c in overdue}:
        assert ref not in section  # summed up by condition, not listed


def test_bar_chart_survives_control_characters_and_long_labels():
    long = "Provider " + "x" * 120
    root = parse_svg(
        charts.bar_chart([{"label": "Open\x08AI", "count": 2}, {"label": long, "count": 1}], title="T")
    )

    labels = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.startswith(("Open", "Provider"))]
    assert "OpenAI" in labels  # the control character is dropped
    assert max(len(label) for label in labels) <= 22 and any(label.endswith("…") for label in labels)
    # The plot keeps its room: every bar starts inside the chart, not over the labels.
    bars = [r for r in root.iter(f"{SVG}rect") if "rect" in (r.get("class") or "").split()]
    assert bars and all(float(bar.get("x")) >= 0 for bar in bars)


def test_bar_chart_keeps_only_its_own_title():
    root = parse_svg(charts.bar_chart(STATUS_ROWS, title="By status"))
    assert [t.text for t in root.iter(f"{SVG}title")] == ["By status"]


def test_the_cyclic_garbage_collector_is_paused_for_a_render_and_back_after_it():
    import gc

    from reporting.rendering import cyclic_gc_paused

    assert gc.isenabled()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cyclic_gc_paused():
        raise RuntimeError("a render that fails")
    assert gc.isenabled()  # on again after a failure too
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()  # left as it was found: off
    finally:
        gc.enable()


def test_render_pdf_lays_out_and_writes_with_the_collector_paused(monkeypatch):
    import gc

    import weasyprint
    from weasyprint.document import Document

    from reporting import rendering

    seen = []
    render, write_pdf = weasyprint.HTML.render, Document.write_pdf

    def spy_render(self, *args, **kwargs):
        seen.append(("layout", gc.isenabled()))
        return render(self, *args, **kwargs)

    def spy_write(self, *args, **kwargs):
        seen.append(("write", gc.isenabled()))
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", spy_render)
    monkeypatch.setattr(Document, "write_pdf", spy_write)
    rendering.render_pdf("<html lang='en'><body><p>x</p></body></html>")

    assert seen == [("layout", False), ("write", False)] and gc.isenabled()


def test_the_register_marks_in_its_margin_the_use_cases_outside_the_boundary():
    context = sample_context(60)
    outside = [row["ref"] for row in context["register"] if row["outside"]]

    html = pack_html(context)

    marked = re.findall(r'<div class="uc uc-outside">\s*<p class="uc-head">(\S+)  ', html)
    assert outside and marked == outside


def test_the_registers_second_line_reads_as_the_template_wrote_it():
    from datetime import date

    from reporting.rendering import register_lines

    full = {
        "ref": "GAI-2026-0007",
        "title": "Claims triage",
        "outside": True,
        "status": "Approved",
        "team": "Claims",
        "tier": "High-risk",
        "score": 12,
        "band": "High",
        "verdict": "exceeds",
        "verdict_label": "Exceeds the boundary",
        "provider": "Azure OpenAI",
        "submitted_on": date(2026, 9, 3),
        "approved_on": date(2026, 9, 14),
        "re_review_on": date(2027, 3, 1),
    }
    bare = {
        **full,
        "team": "",
        "tier": "",
        "score": None,
        "band": "—",
        "verdict": "",
        "verdict_label": "",
        "provider": "",
        "submitted_on": None,
        "approved_on": None,
        "re_review_on": None,
        "outside": False,
    }

    first, second = register_lines([full, bare])

    assert first["head"] == "GAI-2026-0007  Claims triage" and first["mark"] == "outside"
    assert second["mark"] == ""

    assert first["meta"] == (
        "Approved · Claims · High-risk · 12 High · exceeds the risk boundary · Azure OpenAI · submitted 3 Sep 2026"
        " · approved 14 Sep 2026 · next review 1 Mar 2027"
    )
    assert second["meta"] == (
        "Approved · no team · no tier · – — · not checked against a boundary · no provider · submitted –"
    )


def test_decisions_read_as_outcome_day_and_wait_and_mark_the_rejected_and_sent_back():
    from datetime import date

    from reporting.rendering import decision_entries

    def row(outcome, days, re_review=False):
        return {
            "ref": "GAI-1",
            "title": "Bot",
            "re_review": re_review,
            "outcome": outcome,
            "decided_on": date(2026, 7, 1),
            "days": days,
        }

    approved, rejected, sent_back, one_day = decision_entries(
        [
            row("Approved", 3.9),
            row("Rejected", 12.0, re_review=True),
            row("Changes requested", 0.5),
            row("Approved", 1.0),
        ]
    )

    assert approved == {
        "head": "GAI-1  Bot",
        "meta": "Approved · decided 1 Jul 2026 · 3.9 days to decision",
        "mark": "",
    }
    assert rejected["head"] == "GAI-1  Bot (re-review)"
    assert rejected["meta"] == "Rejected · decided 1 Jul 2026 · 12 days to decision"
    assert (rejected["mark"], sent_back["mark"]) == ("alert", "warn")
    assert one_day["meta"].endswith("· 1 day to decision")


def test_exposure_and_follow_up_entries_say_what_each_column_said():
    from datetime import date

    from reporting.rendering import (
        breach_entries,
        exception_entries,
        overdue_condition_entries,
        re_review_entries,
    )

    breach, bare_breach = breach_entries(
        [
            {"ref": "GAI-1", "title": "Bot", "clauses": ["Allowed providers", "Highest inherent risk score"]},
            {"ref": "GAI-2", "title": "Agent", "clauses": []},
        ]
    )
    assert breach["meta"] == "exceeds: Allowed providers; Highest inherent risk score"
    assert bare_breach == {"head": "GAI-2  Agent", "meta": "", "mark": ""}

    soon, last_soon, later = exception_entries(
        [
            {"ref": "GAI-1", "title": "Bot", "expires_on": date(2026, 10, 2), "days_left": 1},
            {"ref": "GAI-2", "title": "Bot", "expires_on": date(2026, 10, 31), "days_left": 30},
            {"ref": "GAI-3", "title": "Bot", "expires_on": date(2026, 11, 1), "days_left": 31},
        ]
    )
    assert soon["meta"] == "expires on 2 Oct 2026 · 1 day left"
    assert [soon["mark"], last_soon["mark"], later["mark"]] == ["alert", "alert", ""]

    named, unnamed = overdue_condition_entries(
        [
            {"ref": "GAI-4", "text": "Red-team it", "owner": "Security", "due_on": date(2026, 9, 1)},
            {"ref": "GAI-5", "text": "Sign the DPIA", "owner": "", "due_on": date(2026, 8, 1)},
        ]
    )
    assert named == {"head": "GAI-4  Red-team it", "meta": "owner Security · due on 1 Sep 2026", "mark": ""}
    assert unnamed["meta"] == "owner not named · due on 1 Aug 2026"

    dated, undated = re_review_entries(
        [
            {"ref": "GAI-6", "title": "Bot", "due_since": date(2026, 9, 30)},
            {"ref": "GAI-7", "title": "Bot", "due_since": None},
        ]
    )
    assert (dated["meta"], undated["meta"]) == ("due since 30 Sep 2026", "due since –")


def test_the_long_lists_are_entries_not_table_rows_and_escape_user_text(hostile_context):
    context = copy.deepcopy(hostile_context)
    context["decisions"]["rows"][0]["title"] = SCRIPT_TITLE
    context["exposure"]["breaches"][0]["clauses"] = [SCRIPT_TITLE]
    html = pack_html(context)

    for start, end in (('id="exposure"', 'id="portfolio"'), ('id="decisions"', 'id="regulatory"')):
        section = html[html.index(start) : html.index(end)]
        assert "<tr>" not in section
        assert section.count('<p class="uc-head">') > 0
    follow_up = html[html.index('id="follow-up"') : html.index('id="methodology"')]
    before_groups = follow_up[: follow_up.index("Not yet due")]
    assert "<tr>" not in before_groups
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt; &amp; more") == 3  # register too
    decisions = context["decisions"]["rows"]
    rejected = [row["ref"] for row in decisions if row["outcome"] == "Rejected"]
    marked = re.findall(
        r'<div class="uc uc-alert"><p class="uc-head">(\S+)  ', html[html.index('id="decisions"') :]
    )
    assert rejected and marked[: len(rejected)] == rejected
