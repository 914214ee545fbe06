"""The board paper: key messages and asks on page one, trends as of each cut-off, top risks with owners, the risk
appetite, and a layout that reads (labels not codes, a heat map whose labels keep their contrast)."""

import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from audit.events import label_of as audit_label
from audit.events import minor_codes
from config.quarters import Quarter
from intake.vocabulary import Band
from reporting import charts
from reporting.pack import (
    board_asks,
    key_messages,
    pack_context,
    rank_top_risks,
    trend_arrow,
    trend_series,
    trends,
)
from reporting.rendering import pack_html, render_pack
from reporting.selectors import statuses_at, statuses_at_each
from tests.reporting.conftest import CURRENT
from tests.reporting.pack_context import sample_context

SVG = "{http://www.w3.org/2000/svg}"


def _summary(**counts):
    return {"rag": "amber", "rag_reasons": ["2 live use cases outside the risk boundary."], **counts}


def _facts(**overrides):
    facts = {
        "summary": _summary(overdue_re_reviews=0, prohibited_blocked=0),
        "breaches": [{"ref": "GAI-1", "title": "Agent"}, {"ref": "GAI-2", "title": "Bot"}],
        "exceptions": [
            {"ref": "GAI-2", "title": "Bot", "expires_on": date(2027, 2, 10), "days_left": 41},
            {"ref": "GAI-1", "title": "Agent", "expires_on": date(2027, 1, 15), "days_left": 15},
        ],
        "trends": trend_series(
            [
                {
                    "quarter": "2026-Q3",
                    "live": 8,
                    "high_risk": 1,
                    "prohibited": 0,
                    "exceptions": 1,
                    "overdue_re_reviews": 0,
                    "median_days": 6.0,
                },
                {
                    "quarter": "2026-Q4",
                    "live": 11,
                    "high_risk": 2,
                    "prohibited": 0,
                    "exceptions": 2,
                    "overdue_re_reviews": 0,
                    "median_days": 4.5,
                },
            ]
        ),
        "appetite": {"changed": False},
        "decisions": {"count": 4, "median_days": 4.5},
        "open_conditions": [],
    }
    facts.update(overrides)
    return facts


# --- page one: pure rules ------------------------------------------------------------------------------------------


def test_key_messages_say_how_many_breach_and_when_their_exceptions_expire():
    messages = key_messages(_facts())

    assert 3 <= len(messages) <= 5
    assert messages[0] == {
        "text": "Overall status is Amber: 2 live use cases outside the risk boundary.",
        "section": "summary",
    }
    assert {
        "text": "2 live use cases exceed the risk boundary; both hold exceptions, the first expiring on 15 Jan 2027.",
        "section": "exposure",
    } in messages
    assert {
        "text": "The portfolio holds 11 live use cases (up 3 on last quarter), of which 2 are high-risk under "
        "the EU AI Act.",
        "section": "trends",
    } in messages


def test_key_messages_count_breaches_without_an_exception():
    facts = _facts(
        breaches=[*_facts()["breaches"], {"ref": "GAI-3", "title": "Pay"}],
        exceptions=_facts()["exceptions"][1:],
    )

    assert key_messages(facts)[1]["text"] == (
        "3 live use cases exceed the risk boundary; 1 holds an exception, expiring on 15 Jan 2027; 2 have none."
    )


def test_key_messages_with_nothing_outside_the_boundary_say_so_and_stay_at_least_three():
    messages = key_messages(_facts(breaches=[], exceptions=[], decisions={"count": 0}))

    assert {"text": "No live use case exceeds the risk boundary.", "section": "exposure"} in messages
    assert len(messages) >= 3


def test_key_messages_name_a_new_boundary_and_overdue_re_reviews_and_keep_to_five():
    facts = _facts(
        summary=_summary(overdue_re_reviews=2, prohibited_blocked=1),
        appetite={
            "changed": True,
            "first": False,
            "version": 3,
            "diff": [{}, {}],
            "signatures": [{"name": "Claire Ito"}, {"name": "Marc Dubois"}],
        },
    )

    messages = key_messages(facts)

    assert len(messages) == 5
    texts = [m["text"] for m in messages]
    assert (
        "The risk boundary moved to version 3 this quarter (2 limits changed), signed by Claire Ito and Marc Dubois."
        in texts
    )
    assert any(t.startswith("2 approved use cases are overdue for re-review") for t in texts)


def test_asks_put_expiring_exceptions_to_the_board_and_link_each_to_its_section():
    asks = board_asks(_facts())

    assert [a["section"] for a in asks["decisions"]] == ["exposure", "exposure"]
    assert asks["decisions"][0]["text"].startswith(
        "Decide whether to accept GAI-1 Agent outside the risk boundary"
    )
    assert "15 Jan 2027" in asks["decisions"][0]["text"]
    assert {"text": "Note the top risks and their owners.", "section": "top-risks"} in asks["notes"]


def test_a_breach_without_an_exception_asks_the_board_to_confirm_its_appetite():
    asks = board_asks(_facts(exceptions=[]))

    assert asks["decisions"] == [
        {
            "text": "Confirm the risk appetite: 2 live use cases lie outside the boundary without an exception.",
            "section": "appetite",
        }
    ]


def test_trend_arrows_say_in_words_whether_a_change_is_good_or_bad():
    assert trend_arrow(5, 3, rise_is_bad=True) == {
        "arrow": "▲",
        "direction": "up",
        "words": "up 2 on last quarter",
        "tone": "bad",
        "change": 2,
    }
    assert trend_arrow(2.5, 4, rise_is_bad=True)["tone"] == "good"
    assert trend_arrow(2.5, 4, rise_is_bad=True)["words"] == "down 1.5 on last quarter"
    assert trend_arrow(7, 7, rise_is_bad=False)["words"] == "unchanged on last quarter"
    assert trend_arrow(None, 4, rise_is_bad=True)["direction"] == "none"


def test_top_risks_rank_by_score_then_exposure_and_exceptions_between_five_and_ten():
    candidates = [{"ref": f"GAI-{n:02d}", "score": n} for n in range(1, 9)]
    candidates.append({"ref": "GAI-X", "score": 6, "exceeds": True})  # 6 + 8
    candidates.append({"ref": "GAI-Y", "score": 6, "exception_expires_on": date(2027, 1, 1)})  # 6 + 4

    ranked = [c["ref"] for c in rank_top_risks(candidates)]

    # Only two matter on their own (outside the boundary, on an exception): topped up to five by score.
    assert ranked == ["GAI-X", "GAI-Y", "GAI-08", "GAI-07", "GAI-06"]
    many = [{"ref": f"GAI-{n:02d}", "score": 20} for n in range(15)]
    assert len(rank_top_risks(many)) == 10


# --- the heat map and the small charts -----------------------------------------------------------------------------


@pytest.mark.parametrize("band", list(Band))
def test_heatmap_labels_keep_a_wcag_aa_contrast_on_their_cell(band):
    assert charts.contrast_ratio(charts.CELL_LABEL, charts.BAND_COLOURS[band]) >= 4.5
    assert charts.contrast_ratio(charts.CELL_LABEL_EMPTY, charts.BAND_COLOURS_EMPTY[band]) >= 4.5


def test_contrast_ratio_is_wcags():
    assert round(charts.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(charts.contrast_ratio("#777777", "#ffffff"), 2) == 4.48


def test_every_label_in_the_heatmap_contrasts_with_the_cell_it_sits_on():
    grid = [[0, 0, 1, 2, 3], [0, 1, 0, 0, 0], [4, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 1, 1]]
    root = ET.fromstring(charts.heatmap(grid))  # noqa: S314 - the chart's own output

    cells = [
        (float(r.get("x")), float(r.get("y")), float(r.get("width")), r.get("fill"))
        for r in root.iter(f"{SVG}rect")
    ]
    checked = 0
    for text in root.iter(f"{SVG}text"):
        x, y = float(text.get("x")), float(text.get("y"))
        for cx, cy, size, fill in cells:
            if cx <= x <= cx + size and cy <= y <= cy + size:
                assert charts.contrast_ratio(text.get("fill"), fill) >= 4.5, (text.text, fill)
                checked += 1
    assert checked == 25 * 2 + 10  # a score and a band in every cell, a count in the ten occupied ones
    assert {t.text for t in root.iter(f"{SVG}text")} >= {"Critical", "High", "Medium", "Low"}


def test_sparkline_is_inline_safe_svg_with_its_title_and_figures():
    svg = charts.sparkline([3, 5, None, 8], labels=["Q1 26", "Q2 26", "Q3 26", "Q4 26"], title="Live <cases>")
    root = ET.fromstring(svg)  # noqa: S314 - the chart's own output

    assert root.get("role") == "img" and root.get("aria-label") == "Live <cases>"
    assert not [e for e in root.iter() if e.get("style") is not None or e.tag == f"{SVG}script"]
    values = {t.text for t in root.iter(f"{SVG}text") if "value" in (t.get("class") or "").split()}
    assert values >= {"3", "5", "8"}


# --- the template, on the synthetic context ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return sample_context(40)


def test_page_one_links_each_message_and_ask_to_its_section(sample):
    html = pack_html(sample)
    page_one = html[html.index('id="summary"') : html.index('id="trends"')]

    for message in sample["key_messages"]:
        assert f'<a href="#{message["section"]}">{message["text"]}</a>' in page_one
    for ask in sample["asks"]["decisions"] + sample["asks"]["notes"]:
        assert f'href="#{ask["section"]}"' in page_one
    for section in {m["section"] for m in sample["key_messages"]} | {"top-risks"}:
        assert f'id="{section}"' in html


def test_the_cover_keeps_quarter_status_version_and_signatories_and_no_hashes(sample):
    context = {
        **sample,
        "content_hash": "c" * 64,
        "issue": {
            "issued": True,
            "interim": False,
            "statement": None,
            "signatures": [
                {"role": "CIO", "name": "Claire Ito", "signed_at": datetime(2027, 1, 5, 9, tzinfo=UTC)},
                {"role": "CISO", "name": "Marc Dubois", "signed_at": datetime(2027, 1, 6, 9, tzinfo=UTC)},
            ],
        },
    }
    html = pack_html(context)
    cover = html[html.index('class="cover"') : html.index('id="summary"')]

    assert "2026-Q4" in cover and "Version 1" in cover and "Red" in cover
    assert "Issued" in cover and "Draft — not issued" not in cover and "Interim" not in cover
    assert "Claire Ito</strong>, CIO, signed 5 Jan 2027" in cover
    assert sample["boundary"]["content_hash"] not in cover and sample["audit_head"]["hash"] not in cover
    methodology = html[html.index('id="methodology"') : html.index('id="register"')]
    assert "c" * 64 in methodology and sample["boundary"]["content_hash"] in methodology
    assert '<html lang="en-GB" class="">' in html


def test_a_draft_of_the_running_quarter_says_so_on_the_cover(sample):
    html = pack_html(
        {**sample, "issue": {"issued": False, "interim": True, "statement": None, "signatures": []}}
    )
    cover = html[html.index('class="cover"') : html.index('id="summary"')]

    assert "Draft — not issued" in cover and "Interim" in cover
    assert "Not yet signed by the CIO and the CISO." in cover
    assert '<html lang="en-GB" class="pack-draft">' in html


def test_the_register_shows_verdict_labels_not_codes(sample):
    context = {**sample, "register": [{**sample["register"][0], "verdict": "within_with_conditions"}]}

    html = pack_html(context)

    assert "within_with_conditions" not in html
    assert "within the risk boundary, with required controls" in html


def test_trends_top_risks_and_appetite_are_in_the_html(sample):
    html = pack_html(sample)

    assert html.count('class="chart chart-sparkline"') == 6
    for risk in sample["top_risks"]:
        assert risk["ref"] in html[html.index('id="top-risks"') : html.index('id="appetite"')]
    appetite = html[html.index('id="appetite"') : html.index('id="exposure"')]
    assert "version 2 to 3" in appetite and "3 bounded autonomous → 2 act with confirmation" in appetite
    assert "Added: Financial transactions." in appetite


def test_short_sections_flow_on_and_an_empty_one_is_a_line(sample):
    html = pack_html({**sample, "prohibited": []})
    section = html[html.index('id="prohibited"') : html.index('id="incidents"')]

    assert 'class="section flow"' in section
    assert section.count("<p") == 2  # the lede and the one line saying there were none


def test_the_incidents_section_counts_them_and_lists_the_serious_ones_with_their_duties(sample):
    html = pack_html(sample)
    section = html[html.index('id="incidents"') : html.index('id="follow-up"')]
    assert 'href="#incidents"' in html  # in the contents
    assert "2 of 3" in section and "reporting duties met in time" in section
    assert (
        "INC-00004" in section
        and "Inform the market surveillance authority (Art. 26(5)) by 4 Aug 2026" in section
    )
    assert ": overdue" in section and "No Regulation clock (not a high-risk system)" in section
    empty = pack_html(
        {**sample, "incidents": {"total": 0, "serious": 0, "deadlines": {}, "serious_list": []}}
    )
    assert "No serious incident was reported this quarter." in empty


# --- on the database: the demo organisation -----------------------------------------------------------------------


@pytest.mark.django_db
def test_statuses_at_each_cut_off_are_those_of_statuses_at(people):
    quarter = Quarter.parse(CURRENT)
    now = timezone.now()
    cutoffs = [quarter.previous().cutoff(now), now, quarter.previous().previous().cutoff(now)]

    assert statuses_at_each(cutoffs) == [statuses_at(c) for c in cutoffs]


@pytest.mark.django_db
def test_trend_figures_for_each_quarter_are_the_packs_as_of_its_cut_off(people):
    now = timezone.now()
    quarter = Quarter.parse(CURRENT)

    points = trends(quarter, now)["points"]

    assert [p["quarter"] for p in points][-2:] == [str(quarter.previous()), CURRENT]
    assert 4 <= len(points) <= 8
    for point in points:
        q = Quarter.parse(point["quarter"])
        context = pack_context(q, q.cutoff(now))
        assert point["cutoff"] == q.cutoff(now)
        assert point["live"] == sum(row["count"] for row in context["portfolio"]["by_tier"])
        assert point["high_risk"] == sum(
            r["count"] for r in context["regulatory"]["by_tier"] if r["label"] == "High risk"
        )
        assert point["prohibited"] == context["summary"]["prohibited_blocked"]
        assert point["exceptions"] == context["summary"]["exceptions_active"]
        assert point["overdue_re_reviews"] == context["summary"]["overdue_re_reviews"]
        assert point["median_days"] == context["decisions"]["median_days"]
    # The demo plays out over last quarter and this one: both have something to show.
    assert points[-2]["live"] and points[-1]["live"] > points[-2]["live"]


@pytest.mark.django_db
def test_trends_take_the_same_few_queries_whatever_the_number_of_quarters(
    people, django_assert_max_num_queries
):
    quarter, now = Quarter.parse(CURRENT), timezone.now()

    with django_assert_max_num_queries(6):
        trends(quarter, now, count=4)
    with django_assert_max_num_queries(6):
        trends(quarter, now, count=8)


@pytest.mark.django_db
def test_top_risks_carry_owners_conditions_and_this_quarters_changes(people):
    context = pack_context(Quarter.parse(CURRENT), timezone.now())
    risks = context["top_risks"]

    assert 5 <= len(risks) <= 10
    assert all(r["owner"] for r in risks)
    weights = [(r["score"] or 0) + 8 * r["exceeds"] + 4 * bool(r["exception_expires_on"]) for r in risks]
    assert weights == sorted(weights, reverse=True)
    minor = {audit_label(code) for code in minor_codes()}
    assert any(r["changes"] for r in risks)
    assert not any(
        change.startswith(f"{label} on ") for r in risks for change in r["changes"] for label in minor
    )
    by_ref = {}
    for condition in context["open_conditions"]:
        by_ref.setdefault(condition["ref"], []).append(condition["text"])
    for risk in risks:
        assert [c["text"] for c in risk["open_conditions"]] == by_ref.get(risk["ref"], [])


@pytest.mark.django_db
def test_the_appetite_shows_the_limits_changed_this_quarter_and_who_signed(people):
    from riskboundaries import services as boundary_services
    from riskboundaries.models import RiskBoundary

    pending = RiskBoundary.objects.get(version=2)
    boundary_services.boundary_sign(
        actor=people["cio"], boundary=pending, role="cio", seen_hash=pending.content_hash
    )

    appetite = pack_context(Quarter.parse(CURRENT), timezone.now())["appetite"]

    assert appetite["changed"] and (appetite["version_before"], appetite["version"]) == (1, 2)
    assert appetite["diff"] and all(row["label"] for row in appetite["diff"])
    assert sorted(s["role"] for s in appetite["signatures"]) == ["CIO", "CISO"]
    assert sum(row["count"] for row in appetite["exposure"]) > 0
    assert "within_with_conditions" not in str(appetite["exposure"])


@pytest.mark.django_db
def test_the_issue_is_a_draft_interim_for_the_running_quarter_and_passed_through_when_given(people):
    now = timezone.now()
    current = pack_context(Quarter.parse(CURRENT), now)
    previous = Quarter.parse(CURRENT).previous()
    issue = {"issued": True, "interim": False, "statement": None, "signatures": []}

    assert current["issue"] == {"issued": False, "interim": True, "statement": None, "signatures": []}
    assert pack_context(previous, previous.cutoff(now))["issue"]["interim"] is False
    assert pack_context(previous, previous.cutoff(now), issue=issue)["issue"] is issue


@pytest.mark.django_db
def test_the_demo_pack_pdf_reads_like_a_board_paper(people):
    pypdf = pytest.importorskip("pypdf", reason="pypdf reads the rendered PDF back")
    context = pack_context(Quarter.parse(CURRENT), timezone.now())

    pdf, pages, _html = render_pack(context)
    text = " ".join(
        "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages).split()
    )

    for message in context["key_messages"]:
        assert message["text"] in text
    for ask in context["asks"]["decisions"] + context["asks"]["notes"]:
        assert ask["text"] in text
    for point in context["trends"]["points"]:
        assert point["quarter"] in text
    figures = " ".join(
        str(value) if value is not None else "–" for value in context["trends"]["series"][0]["values"]
    )
    assert f"Live use cases {figures}" in text
    for risk in context["top_risks"]:
        assert f"{risk['ref']} {risk['title']}" in text
    assert "Draft — not issued" in text and "Interim" in text
    assert pages <= 13


def _expiring(n, *, day=None):
    return [
        {
            "ref": f"GAI-{i:02d}",
            "title": f"Case {i}",
            "expires_on": day or date(2027, 1, 1) + timedelta(days=i),
            "days_left": 10 + i,
        }
        for i in range(n)
    ]


def test_asks_name_up_to_three_expiring_exceptions_one_by_one():
    exceptions = _expiring(3)
    asks = board_asks(_facts(breaches=[{"ref": e["ref"]} for e in exceptions], exceptions=exceptions))

    assert [a["text"].split(" outside")[0] for a in asks["decisions"]] == [
        "Decide whether to accept GAI-00 Case 0",
        "Decide whether to accept GAI-01 Case 1",
        "Decide whether to accept GAI-02 Case 2",
    ]


def test_asks_put_more_than_three_expiring_exceptions_to_the_board_as_one_decision():
    exceptions = _expiring(40)
    facts = _facts(breaches=[{"ref": e["ref"]} for e in exceptions], exceptions=exceptions)

    assert board_asks(facts)["decisions"] == [
        {
            "text": "Decide whether to accept 40 live use cases outside the risk boundary beyond their exceptions, "
            "which expire between 1 Jan 2027 and 9 Feb 2027; each is listed under exposure.",
            "section": "exposure",
        }
    ]
    same_day = _expiring(4, day=date(2027, 3, 1))
    facts = _facts(breaches=[{"ref": e["ref"]} for e in same_day], exceptions=same_day)
    assert "which all expire on 1 Mar 2027;" in board_asks(facts)["decisions"][0]["text"]


def test_asks_leave_exceptions_beyond_ninety_days_and_those_not_breaching_to_the_exposure_section():
    exceptions = [
        {"ref": "GAI-1", "title": "Agent", "expires_on": date(2027, 6, 1), "days_left": 91},
        {"ref": "GAI-9", "title": "Back within", "expires_on": date(2027, 1, 2), "days_left": 2},
        {"ref": "GAI-2", "title": "Bot", "expires_on": date(2027, 3, 31), "days_left": 90},
    ]
    asks = board_asks(_facts(exceptions=exceptions))

    assert [a["text"].split(" outside")[0] for a in asks["decisions"]] == [
        "Decide whether to accept GAI-2 Bot"
    ]
