"""The queue API's compiled page says exactly what the ORM queryset and the serializer say, for every person and
filter, compiled once per shape."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from accounts.roles import Role
from approvals import selectors
from approvals.apis import QueueItemSerializer
from approvals.services import decision_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/review-queue/"
FILTERS = [
    {},
    {"waiting_on": "me"},
    {"waiting_on": "cio"},
    {"waiting_on": "ciso"},
    {"overdue": "true"},
    {"re_review": "true"},
    {"all_open": "true"},
]


def expected(user, query: dict) -> list[dict]:
    """The queue as it was served before it was compiled: the queryset, queue_rows and the serializer."""
    use_cases = selectors.review_queue_for(
        user,
        waiting_on=query.get("waiting_on"),
        overdue=query.get("overdue") == "true",
        re_review=query.get("re_review") == "true",
        all_open=query.get("all_open") == "true",
    )
    return QueueItemSerializer(selectors.queue_rows(user, list(use_cases)), many=True).data


def served(client, query: dict) -> list[dict]:
    items, response = [], client.get(QUEUE, {**query, "page_size": 2}).json()
    while True:
        items += response["results"]
        if not response["next"]:
            return items
        cursor = parse_qs(urlsplit(response["next"]).query)["cursor"][0]
        response = client.get(QUEUE, {**query, "page_size": 2, "cursor": cursor}).json()


@pytest.fixture
def portfolio(make_use_case, boundary, cio, ciso, requester):
    with time_machine.travel(timezone.now() - timedelta(days=12)):
        old = make_use_case(title="Old", submit=True)
    decided_by_cio = make_use_case(title="Decided by the CIO", submit=True)
    decided_by_ciso = make_use_case(title="Decided by the CISO", submit=True)
    decision_record(actor=cio, use_case=decided_by_cio, decision="approve")
    decision_record(actor=ciso, use_case=decided_by_ciso, decision="approve")
    for i in range(3):
        make_use_case(title=f"Waiting {i}", submit=True)
    make_use_case(title="A draft")
    return old


def test_every_person_and_filter_is_served_as_the_queryset_and_serializer_serve_it(
    portfolio, api_as, cio, ciso, requester, secretary
):
    second_cio = UserFactory(username="cio_two", roles=[Role.CIO])
    selectors.QUEUE_STATEMENTS.clear()
    for person in (cio, second_cio, ciso, requester, secretary):
        client = api_as(person)
        for query in FILTERS:
            assert served(client, query) == expected(person, query), (person.username, query)
    assert served(api_as(cio), {})  # not an empty comparison
    assert [row["ref"] for row in served(api_as(cio), {"overdue": "true"})] == [portfolio.reference]


def test_people_of_the_same_shape_share_one_compiled_statement(portfolio, api_as, cio):
    second_cio = UserFactory(username="cio_two", roles=[Role.CIO])
    selectors.QUEUE_STATEMENTS.clear()
    before = selectors.QUEUE_STATEMENTS.compiled
    first = api_as(cio).get(QUEUE).json()["results"]
    api_as(second_cio).get(QUEUE)
    again = api_as(cio).get(QUEUE).json()["results"]
    assert selectors.QUEUE_STATEMENTS.compiled - before == 1
    assert first == again and first == expected(cio, {})


def test_a_person_who_loses_a_role_gets_another_shape_at_once(portfolio, api_as, cio):
    from django.contrib.auth.models import Group

    assert api_as(cio).get(QUEUE).json()["results"]
    cio.groups.remove(Group.objects.get(name=Role.CIO))
    cio.refresh_from_db()
    assert api_as(cio).get(QUEUE).json()["results"] == []


def test_a_rewritten_cursor_is_404_not_500(portfolio, api_as, cio):
    import base64

    cursor = base64.b64encode(b"p=abc").decode()
    assert api_as(cio).get(QUEUE, {"cursor": cursor}).status_code == 404
