"""The use-case list API reads the pages of people who see little from their grants (intake.selectors.
GrantedUseCases): the same rows as their visibility, page after page, forwards and back, in a flat number of
queries however large their team's portfolio."""

from urllib.parse import parse_qs, urlsplit

import pytest
from guardian.shortcuts import assign_perm

from accounts.roles import Role
from intake.selectors import GrantedUseCases, use_case_list_source, use_cases_visible_to
from tests.factories import TeamFactory, UserFactory
from tests.support import need_postgresql

pytestmark = pytest.mark.django_db

LIST = "/api/v1/use-cases/"


def cursor_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def pages(client, size: int = 2) -> list[list[str]]:
    served, response = [], client.get(LIST, {"page_size": size}).json()
    while True:
        served.append([row["ref"] for row in response["results"]])
        if not response["next"]:
            return served
        response = client.get(LIST, {"page_size": size, "cursor": cursor_of(response["next"])}).json()


@pytest.fixture
def portfolio(make_use_case, requester, teammate, other_team_requester, cio, ciso):
    need_postgresql()
    made = [make_use_case(title=f"Ours {i}", submit=i % 2 == 0) for i in range(5)]
    made += [make_use_case(actor=teammate, title=f"Teammate's {i}") for i in range(2)]
    made += [make_use_case(actor=other_team_requester, title=f"Theirs {i}", submit=True) for i in range(3)]
    return made


def test_every_person_sees_their_visibility_page_after_page(
    portfolio, api_as, requester, teammate, other_team_requester, secretary, cio
):
    outsider = UserFactory(username="outsider", roles=[Role.REQUESTER], teams=[TeamFactory(name="Legal")])
    assign_perm("intake.view_usecase", outsider, portfolio[1])  # one use case granted to them directly
    for person in (requester, teammate, other_team_requester, secretary, outsider, cio):
        expected = list(use_cases_visible_to(person).order_by("-id").values_list("reference", flat=True))
        served = pages(api_as(person))
        assert [ref for page in served for ref in page] == expected, person.username
        assert all(len(page) <= 2 for page in served)
    assert isinstance(use_case_list_source(requester), GrantedUseCases)
    assert not isinstance(use_case_list_source(cio), GrantedUseCases)  # approvers: probed row by row already
    assert [ref for page in pages(api_as(outsider)) for ref in page] == [portfolio[1].reference]


def test_a_previous_link_goes_back_to_the_same_page(portfolio, api_as, requester):
    client = api_as(requester)
    first = client.get(LIST, {"page_size": 3}).json()
    second = client.get(LIST, {"page_size": 3, "cursor": cursor_of(first["next"])}).json()
    back = client.get(LIST, {"page_size": 3, "cursor": cursor_of(second["previous"])}).json()
    assert [r["ref"] for r in back["results"]] == [r["ref"] for r in first["results"]]


def test_a_page_takes_the_same_queries_however_large_the_team(
    portfolio, api_as, requester, make_use_case, django_assert_max_num_queries
):
    client = api_as(requester)
    with django_assert_max_num_queries(3) as small:  # roles and groups, the ids from the grants, the page
        client.get(LIST, {"page_size": 5})
    for i in range(25):
        make_use_case(title=f"More {i}")
    with django_assert_max_num_queries(3) as large:
        assert len(client.get(LIST, {"page_size": 5}).json()["results"]) == 5
    assert len(small.captured_queries) == len(large.captured_queries)
