"""The review queue's tabs each say how many use cases they hold, with one bounded COUNT each."""

import re

import pytest

from approvals.services import decision_record

pytestmark = pytest.mark.django_db


def tab_counts(html: str) -> dict[str, int]:
    return {
        key: int(count)
        for key, count in re.findall(r'id="queue-filter-([a-z_]+)".*?queue-filter-count">(\d+)<', html)
    }


def test_each_tab_shows_its_count(client, make_use_case, boundary, cio, ciso):
    first = make_use_case(title="First", submit=True)
    make_use_case(title="Second", submit=True)
    decision_record(actor=cio, use_case=first, decision="approve")
    client.force_login(cio)
    counts = tab_counts(client.get("/decisions/").content.decode())
    assert counts == {"me": 1, "other": 2, "open": 2, "overdue": 0, "re_review": 0}
    client.force_login(ciso)
    fragment = client.get("/decisions/?filter=open", HTTP_HX_REQUEST="true").content.decode()
    assert tab_counts(fragment) == {"me": 2, "other": 1, "open": 2, "overdue": 0, "re_review": 0}


def test_the_counts_cost_the_same_queries_however_many_wait(
    client, make_use_case, boundary, cio, django_assert_max_num_queries
):
    client.force_login(cio)
    make_use_case(title="One", submit=True)
    with django_assert_max_num_queries(11) as few:
        client.get("/decisions/")
    for number in range(6):
        make_use_case(title=f"More {number}", submit=True)
    with django_assert_max_num_queries(11) as many:
        html = client.get("/decisions/").content.decode()
    assert len(few.captured_queries) == len(many.captured_queries)
    assert tab_counts(html)["open"] == 7
    assert tab_counts(html)["overdue"] == 0
