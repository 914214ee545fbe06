"""Who may sign a risk boundary, and why not: the one answer the sign page shows and the signing service enforces."""

from types import SimpleNamespace

import pytest

from accounts.roles import Role
from config.errors import InvalidTransition, NotAllowed
from riskboundaries import policies
from riskboundaries.workflow import BoundaryState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _boundary(state=BoundaryState.DRAFT, version=3):
    labels = dict(BoundaryState.choices)
    return SimpleNamespace(state=state, version=version, get_state_display=lambda: labels[state])


def _signature(signer, role):
    return SimpleNamespace(signer_id=signer.pk, role=role)


@pytest.fixture
def cio():
    return UserFactory(username="p_cio", roles=[Role.CIO])


@pytest.fixture
def ciso():
    return UserFactory(username="p_ciso", roles=[Role.CISO])


def test_a_sitting_approver_may_sign_an_open_boundary(cio):
    assert policies.signing_refusal(cio, _boundary(), valid=[], active_version=2) is None
    assert policies.signing_refusal(cio, _boundary(), valid=[], active_version=None, role=Role.CIO) is None
    awaiting = _boundary(BoundaryState.AWAITING_SIGNATURES)
    assert policies.signing_refusal(cio, awaiting, valid=[], active_version=None) is None


@pytest.mark.parametrize("state", [BoundaryState.ACTIVE, BoundaryState.SUPERSEDED])
def test_an_active_or_superseded_boundary_can_no_longer_be_signed(cio, state):
    refusal = policies.signing_refusal(cio, _boundary(state), valid=[], active_version=None)
    assert refusal.error is InvalidTransition
    assert (
        refusal.reason == f"v3 is {dict(BoundaryState.choices)[state].lower()}; it can no longer be signed."
    )


def test_an_older_draft_cannot_replace_the_boundary_in_force(cio):
    refusal = policies.signing_refusal(cio, _boundary(version=3), valid=[], active_version=4)
    assert refusal.error is InvalidTransition and refusal.reason.startswith("v4 is already in force")
    assert policies.signing_refusal(cio, _boundary(version=3), valid=[], active_version=3) is None


def test_one_person_signs_once_even_holding_both_roles(cio):
    both = UserFactory(username="p_both", roles=[Role.CIO, Role.CISO])
    refusal = policies.signing_refusal(
        both, _boundary(), valid=[_signature(both, Role.CIO)], active_version=None, role=Role.CISO
    )
    assert refusal.error is NotAllowed
    assert refusal.reason.startswith("You signed v3 as CIO.")


def test_a_role_that_has_signed_cannot_sign_again(cio, ciso):
    other_cio = UserFactory(username="p_cio2", roles=[Role.CIO])
    valid = [_signature(other_cio, Role.CIO)]
    refusal = policies.signing_refusal(cio, _boundary(), valid=valid, active_version=None, role=Role.CIO)
    assert refusal.error is InvalidTransition and refusal.reason == "v3 already has a valid CIO signature."
    refusal = policies.signing_refusal(cio, _boundary(), valid=valid, active_version=None)
    assert refusal.reason == "The role you hold has already signed this version."
    assert policies.signing_refusal(ciso, _boundary(), valid=valid, active_version=None) is None


def test_a_refusal_raises_the_error_it_names(cio):
    refusal = policies.signing_refusal(cio, _boundary(BoundaryState.ACTIVE), valid=[], active_version=None)
    with pytest.raises(InvalidTransition, match="can no longer be signed"):
        refusal.raise_it()
