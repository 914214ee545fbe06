"""Who may bring, edit, submit and withdraw a use case: each refusal, through the policy and the service."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from config.errors import NotAllowed
from intake import policies, services
from intake.workflow import Status
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cio_in_team(db, team):
    """A member of the team who is not a requester (here a CIO): in the team, but brings no use cases."""
    return UserFactory(username="team_cio", roles=[Role.CIO], teams=[team])


@pytest.fixture
def teamless_requester(db):
    return UserFactory(username="teamless", roles=[Role.REQUESTER])


def test_a_requester_brings_use_cases_for_their_own_teams(requester, team):
    assert policies.can_create(requester) and policies.can_create(requester, team)
    policies.ensure_can_create(requester, team)  # no refusal
    assert services.use_case_create(actor=requester, team=team, title="Mine").submitter == requester


def test_a_team_member_who_is_not_a_requester_cannot_create(cio_in_team, team):
    assert not policies.can_create(cio_in_team) and not policies.can_create(cio_in_team, team)
    with pytest.raises(NotAllowed, match="Only requesters can bring a use case"):
        services.use_case_create(actor=cio_in_team, team=team, title="Not mine to bring")


def test_a_team_member_who_is_not_a_requester_is_refused_the_new_request_page(client, cio_in_team):
    client.force_login(cio_in_team)
    assert client.get("/requests/new/").status_code == 403


def test_a_requester_without_a_team_cannot_create(teamless_requester, team):
    assert not policies.can_create(teamless_requester)
    with pytest.raises(NotAllowed, match="not in a team yet"):
        services.use_case_create(actor=teamless_requester, team=team, title="x")


def test_a_requester_cannot_create_for_another_team(requester):
    elsewhere = TeamFactory(name="Finance")
    assert policies.can_create(requester) and not policies.can_create(requester, elsewhere)
    with pytest.raises(NotAllowed, match="only submit for a team you belong to") as excinfo:
        services.use_case_create(actor=requester, team=elsewhere, title="x")
    assert excinfo.value.errors == {"team": ["Not one of your teams."]}


def test_an_anonymous_visitor_is_nobodys_submitter(make_use_case):
    use_case = make_use_case()
    assert not policies.is_submitter(AnonymousUser(), use_case)
    assert policies.requester_actions(AnonymousUser(), use_case) == []


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (Status.DRAFT, ["edit", "submit", "withdraw"]),
        (Status.CHANGES_REQUESTED, ["edit", "resubmit", "withdraw"]),
        (Status.SUBMITTED, ["withdraw"]),
        (Status.RE_REVIEW_DUE, []),
        (Status.APPROVED, []),
        (Status.REJECTED, []),
        (Status.WITHDRAWN, []),
        (Status.RETIRED, []),
    ],
)
def test_the_submitter_may_act_by_state(make_use_case, requester, status, actions):
    use_case = make_use_case()
    use_case.status = status  # in memory only: the policy reads the state it is given
    assert policies.requester_actions(requester, use_case) == actions
    assert policies.can_edit(requester, use_case) == ("edit" in actions)
    assert policies.can_submit(requester, use_case) == ("edit" in actions)
    assert policies.can_withdraw(requester, use_case) == ("withdraw" in actions)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED])
def test_nobody_but_the_submitter_may_act_even_in_an_open_state(make_use_case, teammate, cio, status):
    use_case = make_use_case()
    use_case.status = status
    for person in (teammate, cio):
        assert not policies.is_submitter(person, use_case)
        assert not policies.can_edit(person, use_case) and not policies.can_withdraw(person, use_case)
        assert policies.requester_actions(person, use_case) == []


@pytest.mark.parametrize(
    ("doing", "call"),
    [
        (
            "edit",
            lambda actor, uc: services.use_case_update(actor=actor, use_case=uc, changes={"title": "x"}),
        ),
        ("submit", lambda actor, uc: services.use_case_submit(actor=actor, use_case=uc)),
        ("withdraw", lambda actor, uc: services.use_case_withdraw(actor=actor, use_case=uc)),
    ],
)
def test_a_teammate_is_refused_each_submitter_action_by_name(make_use_case, teammate, doing, call):
    use_case = make_use_case()
    with pytest.raises(
        NotAllowed, match=f"Only the person who submitted {use_case.reference} can {doing} it"
    ):
        call(teammate, use_case)
    use_case.refresh_from_db()
    assert use_case.status == Status.DRAFT and use_case.title == "Customer service assistant"
