"""Approver roles under dual control.

An administrator asks for a CIO or CISO grant; it takes effect only when a sitting CIO or CISO other than the
grantee and the requester confirms it; revoking takes effect at once; every step is audited and e-mailed. The first
CIO and CISO come from a one-time management command. And an administrator alone, through every door they have,
cannot make anyone CIO or CISO.
"""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import RoleGrantRequest, User
from accounts.roles import APPROVER_ROLES, Role, roles_of
from accounts.services import role_grant_request, user_set_roles
from approvals.services import decision_record
from audit.models import AuditEvent
from config.errors import NotAllowed
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fresh(user: User) -> User:
    """The person as the next request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


def decide(actor: User, use_case):
    return decision_record(actor=fresh(actor), use_case=use_case, decision="approve")


def grant_url(grant: RoleGrantRequest, verdict: str) -> str:
    return f"/people/role-requests/{grant.pk}/{verdict}/"


def browser_as(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def holders(role: str) -> set[str]:
    return set(User.objects.filter(groups__name=role).values_list("username", flat=True))


def mail_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


@pytest.fixture
def nina(db):
    return UserFactory(username="nina", email="nina@example.com")


# ---------------------------------------------------------------------------------------------------- the two steps


def test_a_cio_grant_takes_effect_only_when_a_sitting_ciso_confirms_it(
    admin_user, ciso, nina, make_use_case, django_capture_on_commit_callbacks
):
    use_case = make_use_case(submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        asked = browser_as(admin_user).post(
            "/people/nina/grant/", {"role": Role.CIO, "note": "New CIO from May"}
        )
    assert asked.status_code == 302
    grant = RoleGrantRequest.objects.get()
    assert grant.state == RoleGrantRequest.State.PENDING and grant.requested_by == admin_user

    # Asked, not granted: no role, and no decision on a use case.
    assert roles_of(fresh(nina)) == frozenset() and "nina" not in holders(Role.CIO)
    with pytest.raises(NotAllowed):
        decide(nina, use_case)

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = browser_as(ciso).post(grant_url(grant, "confirm"), follow=True)
    assert "confirmed: it is in effect now" in confirmed.content.decode()

    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.CONFIRMED and grant.decided_by == ciso
    assert roles_of(fresh(nina)) == {Role.CIO}
    assert decide(nina, use_case).slot == "cio"


def test_each_step_is_audited_and_emailed(admin_user, cio, ciso, nina, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO, note="Deputy CISO")
    # The sitting executives are asked to confirm; the grantee is told it was asked.
    assert [m.subject for m in mail_to(cio.email)] == ["Confirm or decline: CISO role for " + str(nina)]
    assert [m.subject for m in mail_to(ciso.email)] == ["Confirm or decline: CISO role for " + str(nina)]
    assert [m.subject for m in mail_to(nina.email)] == ["You have been proposed for the CISO role"]
    requested = AuditEvent.objects.get(action="accounts.role_grant_requested")
    assert requested.actor == admin_user and requested.payload["role"] == "ciso"
    assert requested.payload["note"] == "Deputy CISO" and requested.object_id == str(nina.pk)

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(cio).post(grant_url(grant, "confirm"))

    confirmed = AuditEvent.objects.get(action="accounts.role_grant_confirmed")
    granted = AuditEvent.objects.get(action="accounts.role_granted", object_id=str(nina.pk))
    assert confirmed.actor == cio and granted.actor == cio and granted.payload == {"role": "ciso"}
    assert confirmed.sequence < granted.sequence
    decided = [m for m in mail.outbox if m.subject == f"CISO role for {nina}: confirmed"]
    assert len(decided) == 1 and set(decided[0].to) >= {nina.email, admin_user.email, ciso.email}
    assert any("Added: CISO." in m.body for m in mail_to(nina.email))


def test_revoking_an_approver_role_takes_effect_at_once_audited_and_emailed(
    admin_user, cio, ciso, make_use_case, django_capture_on_commit_callbacks
):
    use_case = make_use_case(submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser_as(admin_user).post(f"/people/{cio.username}/revoke/cio/")

    assert response.status_code == 302
    assert roles_of(fresh(cio)) == frozenset() and cio.username not in holders(Role.CIO)
    with pytest.raises(NotAllowed):
        decide(cio, use_case)
    event = AuditEvent.objects.get(action="accounts.role_revoked", object_id=str(cio.pk))
    assert event.actor == admin_user and event.payload == {"role": "cio"}
    assert any("Removed: CIO." in m.body for m in mail_to(cio.email))


def test_neither_executive_can_remove_the_other_alone(cio, ciso):
    from accounts.services import user_revoke_role

    for actor, target, role in ((cio, ciso, Role.CISO), (ciso, cio, Role.CIO)):
        with pytest.raises(NotAllowed):
            user_revoke_role(actor=fresh(actor), user=target, role=role)
        assert target.username in holders(role)


def test_a_deactivated_administrators_pending_requests_are_cancelled(admin_user, cio, nina):
    from accounts.services import user_deactivate

    other_admin = UserFactory(username="other_admin", is_staff=True)
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
    user_deactivate(actor=other_admin, user=admin_user, reason="left the company")
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.CANCELLED
    response = browser_as(cio).post(grant_url(grant, "confirm"))
    assert response.status_code == 302 and nina.username not in holders(Role.CISO)


# ---------------------------------------------------------------------------------------------------- who may confirm


def test_the_grantee_cannot_confirm_their_own_grant(admin_user, ciso, make_use_case):
    grant = role_grant_request(
        actor=admin_user, user=ciso, role=Role.CIO
    )  # a sitting CISO, asked to be CIO too

    response = browser_as(ciso).post(grant_url(grant, "confirm"), follow=True)

    assert "Nobody confirms a role for themselves" in response.content.decode()
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING and roles_of(fresh(ciso)) == {Role.CISO}


def test_the_person_who_asked_cannot_confirm_even_if_they_later_sit_as_an_approver(admin_user, ciso, nina):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    # The administrator who asked stops being one and is given the CISO role (set-up: no actor).
    User.objects.filter(pk=admin_user.pk).update(is_staff=False, is_superuser=False)
    user_set_roles(actor=None, user=fresh(admin_user), roles=[Role.CISO])

    response = browser_as(fresh(admin_user)).post(grant_url(grant, "confirm"), follow=True)

    assert "You asked for this grant" in response.content.decode()
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING and roles_of(fresh(nina)) == frozenset()


def test_an_administrator_cannot_confirm(admin_user, ciso, nina):
    other_admin = UserFactory(username="other_admin", is_staff=True)
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    for who in (admin_user, other_admin):
        browser_as(who).post(grant_url(grant, "confirm"))
        browser_as(who).post(grant_url(grant, "decline"))
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING and roles_of(fresh(nina)) == frozenset()


def test_an_administrator_recorded_in_an_approver_group_still_holds_no_approval_power(
    admin_user, ciso, nina, make_use_case
):
    """Should a raw database change ever put an administrator in the CIO group, being administrator still wins."""
    admin_user.groups.add(Group.objects.get(name=Role.CIO))
    grant = role_grant_request(
        actor=UserFactory(username="other_admin", is_staff=True), user=nina, role=Role.CISO
    )

    browser_as(admin_user).post(grant_url(grant, "confirm"))

    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING
    assert roles_of(fresh(admin_user)) == frozenset()
    with pytest.raises(NotAllowed):
        decide(admin_user, make_use_case(submit=True))


def test_people_without_an_approver_role_cannot_reach_the_confirmation(
    admin_user, requester, secretary, nina
):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    for who in (requester, secretary, nina):
        assert browser_as(who).post(grant_url(grant, "confirm")).status_code == 403
        assert browser_as(who).get("/people/role-requests/").status_code == 403
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING


def test_a_deactivated_approver_cannot_confirm(admin_user, cio, nina):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
    their_browser = browser_as(cio)
    User.objects.filter(pk=cio.pk).update(is_active=False)
    their_browser.post(grant_url(grant, "confirm"))
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING


# ---------------------------------------------------------------------------------------------------- decline, cancel, expiry


def test_a_sitting_approver_declines_and_the_role_is_not_granted(
    admin_user, cio, nina, django_capture_on_commit_callbacks
):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(cio).post(grant_url(grant, "decline"), {"note": "Not agreed with the board"})

    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.DECLINED and grant.decided_by == cio
    assert grant.decision_note == "Not agreed with the board" and roles_of(fresh(nina)) == frozenset()
    event = AuditEvent.objects.get(action="accounts.role_grant_declined")
    assert event.actor == cio and event.payload["note"] == "Not agreed with the board"
    assert [m.subject for m in mail_to(nina.email)] == [f"CISO role for {nina}: declined"]
    # A declined request cannot be confirmed afterwards.
    UserFactory(username="second_cio", roles=[Role.CIO])
    browser_as(User.objects.get(username="second_cio")).post(grant_url(grant, "confirm"))
    assert roles_of(fresh(nina)) == frozenset()


def test_the_administrator_cancels_a_request_audited_and_emailed(
    admin_user, cio, nina, django_capture_on_commit_callbacks
):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(admin_user).post(grant_url(grant, "cancel"))

    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.CANCELLED
    assert AuditEvent.objects.get(action="accounts.role_grant_cancelled").actor == admin_user
    # The executives who were asked to confirm, and the person proposed, learn it is off.
    cancelled = [m for m in mail.outbox if m.subject == f"CIO role for {nina}: cancelled"]
    assert len(cancelled) == 1 and {nina.email, cio.email} <= set(cancelled[0].to)

    browser_as(cio).post(grant_url(grant, "confirm"))
    assert roles_of(fresh(nina)) == frozenset()


def test_an_approver_cannot_cancel_a_request(admin_user, cio, nina):
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
    browser_as(cio).post(grant_url(grant, "cancel"))
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.PENDING


def test_an_expired_request_cannot_be_confirmed(settings, admin_user, cio, nina):
    settings.ROLE_GRANT_REQUEST_DAYS = 2
    with time_machine.travel(T0, tick=False) as clock:
        grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
        assert grant.expires_at == T0 + timedelta(days=2)

        clock.move_to(T0 + timedelta(days=2))
        response = browser_as(cio).post(grant_url(grant, "confirm"), follow=True)

    assert "has expired" in response.content.decode()
    grant.refresh_from_db()
    assert grant.state == RoleGrantRequest.State.CANCELLED and grant.decision_note == "expired"
    assert roles_of(fresh(nina)) == frozenset()


def test_a_request_can_be_confirmed_until_it_expires(settings, admin_user, cio, nina):
    settings.ROLE_GRANT_REQUEST_DAYS = 2
    with time_machine.travel(T0, tick=False) as clock:
        grant = role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
        clock.move_to(T0 + timedelta(days=2, seconds=-1))
        browser_as(cio).post(grant_url(grant, "confirm"))
    assert roles_of(fresh(nina)) == {Role.CISO}


def test_an_administrator_cannot_be_asked_for_or_ask_for_themselves(admin_user, cio):
    other_admin = UserFactory(username="other_admin", is_staff=True)
    client = browser_as(admin_user)
    assert client.post("/people/other_admin/grant/", {"role": Role.CIO}).status_code == 400
    assert client.post(f"/people/{admin_user.username}/grant/", {"role": Role.CIO}).status_code == 403
    assert not RoleGrantRequest.objects.exists()
    assert roles_of(fresh(other_admin)) == frozenset()


# ---------------------------------------------------------------------------------------------------- first installation


def test_the_first_cio_and_ciso_are_set_together_once_audited(django_capture_on_commit_callbacks):
    first_cio, first_ciso = UserFactory(username="claire"), UserFactory(username="sam")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("set_first_approvers", "--cio", "claire", "--ciso", "sam", stdout=None)

    assert holders(Role.CIO) == {"claire"} and holders(Role.CISO) == {"sam"}
    event = AuditEvent.objects.get(action="accounts.approvers_bootstrapped")
    assert event.payload["cio"] == "claire" and event.payload["ciso"] == "sam" and event.actor is None
    assert any("Added: CIO." in m.body for m in mail_to(first_cio.email))
    assert any("Added: CISO." in m.body for m in mail_to(first_ciso.email))

    UserFactory(username="mallory"), UserFactory(username="trent")
    with pytest.raises(CommandError, match="already in place"):
        call_command("set_first_approvers", "--cio", "mallory", "--ciso", "trent")
    assert holders(Role.CIO) == {"claire"} and holders(Role.CISO) == {"sam"}
    assert AuditEvent.objects.filter(action="accounts.approvers_bootstrapped").count() == 1


def test_the_first_approvers_must_be_two_people(db):
    UserFactory(username="claire")
    with pytest.raises(CommandError, match="two different people"):
        call_command("set_first_approvers", "--cio", "claire", "--ciso", "claire")
    assert not holders(Role.CIO) and not holders(Role.CISO)


@pytest.mark.parametrize("role", sorted(APPROVER_ROLES))
def test_the_first_approvers_command_refuses_once_anyone_holds_an_approver_role(role):
    UserFactory(username="sitting", roles=[role])
    UserFactory(username="claire"), UserFactory(username="sam")
    with pytest.raises(CommandError, match="already in place"):
        call_command("set_first_approvers", "--cio", "claire", "--ciso", "sam")
    assert holders(Role.CIO) | holders(Role.CISO) == {"sitting"}


def test_the_first_approvers_cannot_be_administrators_deactivated_or_unknown(admin_user):
    UserFactory(username="sam")
    UserFactory(username="gone", is_active=False)
    for cio_name in (admin_user.username, "gone"):
        with pytest.raises(CommandError):
            call_command("set_first_approvers", "--cio", cio_name, "--ciso", "sam")
    with pytest.raises(CommandError, match="No account named"):
        call_command("set_first_approvers", "--cio", "nobody", "--ciso", "sam")
    assert not holders(Role.CIO) and not holders(Role.CISO)


# ---------------------------------------------------------------------------------------------------- the insider


def _admin_change(person: User, **fields) -> dict:
    return {
        "username": person.username,
        "display_name": person.display_name,
        "email": person.email,
        "is_active": "on",
        **fields,
    }


def test_an_administrator_alone_cannot_make_anyone_cio_or_ciso_through_any_door(
    client, admin_user, cio, ciso, make_use_case, django_capture_on_commit_callbacks
):
    """The insider: a superuser with every page, form and URL they can reach, and no sitting executive's help."""
    use_case = make_use_case(submit=True)
    puppet = UserFactory(username="puppet", email="puppet@example.com")
    cio_group, ciso_group = Group.objects.get(name=Role.CIO), Group.objects.get(name=Role.CISO)
    client.force_login(admin_user)
    approver_groups = [cio_group.pk, ciso_group.pk]
    crafted = {"roles": [Role.CIO, Role.CISO], "groups": approver_groups, "is_superuser": "on"}

    # The Django admin's add form, with every tick box that could carry power.
    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newcio",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            **crafted,
        },
    )
    client.post(
        "/admin/accounts/user/add/",
        {
            "username": "newcio2",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "groups": approver_groups,
            "user_permissions": [],
            "is_superuser": "on",
        },
    )
    # The change form, on the puppet and on the administrator's own account.
    client.post(f"/admin/accounts/user/{puppet.pk}/change/", _admin_change(puppet, **crafted))
    client.post(f"/admin/accounts/user/{puppet.pk}/change/", _admin_change(puppet, groups=approver_groups))
    client.post(
        f"/admin/accounts/user/{admin_user.pk}/change/",
        _admin_change(admin_user, groups=approver_groups, is_staff="on", is_superuser="on"),
    )
    # The groups themselves.
    assert client.get(f"/admin/auth/group/{cio_group.pk}/change/").status_code == 404
    client.post("/admin/auth/group/add/", {"name": "cio-2", "permissions": []})

    # The People pages.
    client.post("/people/new/", {"username": "newcio3", "email": "n3@example.com", "roles": [Role.CIO]})
    client.post("/people/puppet/access/", {"roles": [Role.CIO, Role.CISO]})
    client.post(f"/people/{admin_user.username}/grant/", {"role": Role.CIO})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/people/puppet/grant/", {"role": Role.CIO, "note": "trust me"})
        client.post("/people/puppet/grant/", {"role": Role.CISO})
    grants = list(RoleGrantRequest.objects.all())
    assert len(grants) == 2  # asked, as an administrator may …

    # … and then the confirmation URL, every verdict, on every request.
    for grant in grants:
        for verdict in ("confirm", "decline"):
            client.post(grant_url(grant, verdict))

    for username in ("puppet", "newcio", "newcio2", "newcio3", admin_user.username):
        person = User.objects.filter(username=username).first()
        if person is not None:
            assert not roles_of(fresh(person)) & APPROVER_ROLES, username
            assert not person.groups.filter(name__in=APPROVER_ROLES).exists(), username
            assert username == admin_user.username or not person.is_superuser, username
    # The services behind those pages refuse the administrator too, whatever a form lets through.
    for roles in ([Role.CIO], [Role.CISO], [Role.CIO, Role.CISO]):
        with pytest.raises(NotAllowed):
            user_set_roles(actor=admin_user, user=fresh(puppet), roles=roles)

    assert holders(Role.CIO) == {cio.username} and holders(Role.CISO) == {ciso.username}
    assert {g.state for g in RoleGrantRequest.objects.all()} == {RoleGrantRequest.State.PENDING}
    with pytest.raises(NotAllowed):
        decide(puppet, use_case)
    # Nobody but the sitting executives was ever granted an approver role.
    assert not AuditEvent.objects.filter(
        action="accounts.role_granted", payload__role__in=["cio", "ciso"]
    ).exclude(object_id__in=[str(cio.pk), str(ciso.pk)])


def test_an_administrator_cannot_take_over_a_sitting_executive_through_allauths_records(
    client, admin_user, cio
):
    """A second e-mail address on the CIO's account would receive the CIO's reset link; a single sign-on identity
    would sign in as the CIO. Neither can be added, changed or verified in the Django admin."""
    client.force_login(admin_user)
    mailbox = "admin-mailbox@example.net"

    added = client.post(
        "/admin/account/emailaddress/add/",
        {"user": cio.pk, "email": mailbox, "verified": "on", "primary": "on"},
    )
    assert added.status_code == 403
    for url in (
        "/admin/socialaccount/socialaccount/add/",
        "/admin/socialaccount/socialapp/add/",
        "/admin/mfa/authenticator/add/",
    ):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/socialaccount/socialtoken/").status_code == 404

    # And the reset journey for that mailbox finds no account to send a link for.
    anonymous = Client()
    mail.outbox.clear()
    anonymous.post("/accounts/password/reset/", {"email": mailbox})
    assert not any(re.search(r"/accounts/password/reset/key/", m.body) for m in mail.outbox)
    assert cio.check_password("correct-horse-battery-staple")


def test_an_existing_address_of_an_executive_cannot_be_verified_or_changed_in_the_admin(
    client, admin_user, cio
):
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.create(user=cio, email=cio.email, verified=False, primary=True)
    client.force_login(admin_user)

    changed = client.post(
        f"/admin/account/emailaddress/{address.pk}/change/",
        {"user": cio.pk, "email": "admin-mailbox@example.net", "verified": "on", "primary": "on"},
    )
    verified = client.post(
        "/admin/account/emailaddress/", {"action": "make_verified", "_selected_action": [address.pk]}
    )

    address.refresh_from_db()
    assert changed.status_code == 403 and verified.status_code in (200, 302, 403)
    assert address.email == cio.email and address.verified is False
    # The record may still be read.
    assert client.get(f"/admin/account/emailaddress/{address.pk}/change/").status_code == 200


def test_while_a_grant_is_pending_the_administrator_cannot_change_the_grantees_email_or_password(
    client, admin_user, cio, nina
):
    """Otherwise: ask for Nina, point her account at the administrator's mailbox (or set her password), and once a
    sitting executive confirms "Nina", the administrator holds an approver's account."""
    role_grant_request(actor=admin_user, user=nina, role=Role.CISO)
    client.force_login(admin_user)

    client.post("/people/nina/", {"display_name": nina.display_name, "email": "admin-mailbox@example.net"})
    client.post(
        f"/admin/accounts/user/{nina.pk}/change/", _admin_change(nina, email="admin-mailbox@example.net")
    )
    password = client.post(
        f"/admin/accounts/user/{nina.pk}/password/",
        {"password1": "known-to-the-admin-1", "password2": "known-to-the-admin-1", "usable_password": "true"},
    )

    nina.refresh_from_db()
    assert nina.email == "nina@example.com"
    assert password.status_code == 403 and not nina.check_password("known-to-the-admin-1")


def test_the_executive_asked_to_confirm_sees_where_the_grantees_password_links_go(
    client, admin_user, cio, django_capture_on_commit_callbacks
):
    """An administrator can create an account with their own mailbox and ask for a role for it: the confirming
    executive must be able to see that the account is not the person's."""
    with django_capture_on_commit_callbacks(execute=True):
        browser_as(admin_user).post(
            "/people/new/",
            {
                "username": "newciso",
                "display_name": "Nadia New",
                "email": "admin-mailbox@example.net",
                "approver_role": "ciso",
            },
        )

    (asked,) = [m for m in mail_to(cio.email) if m.subject.startswith("Confirm or decline")]
    assert "admin-mailbox@example.net" in asked.body
    page = browser_as(cio).get("/people/role-requests/").content.decode()
    assert "Nadia New" in page and "admin-mailbox@example.net" in page


def test_an_administrator_who_chose_the_grantees_password_cannot_sign_in_as_the_new_cio(
    client, admin_user, ciso, nina, make_use_case, django_capture_on_commit_callbacks
):
    """The administrator sets nina's password in the Django admin, then asks for the CIO role for her: once the CISO
    confirms, approval power does not rest on that password."""
    chosen = "chosen-by-the-admin-1"
    admin = browser_as(admin_user)
    response = admin.post(
        f"/admin/accounts/user/{nina.pk}/password/",
        {"password1": chosen, "password2": chosen, "usable_password": "true"},
    )
    assert response.status_code == 302 and fresh(nina).password_set_by_other
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    page = browser_as(ciso).get("/people/role-requests/").content.decode()
    assert "chosen by an administrator" in page

    with django_capture_on_commit_callbacks(execute=True):
        assert browser_as(ciso).post(grant_url(grant, "confirm")).status_code == 302

    nina = fresh(nina)
    assert Role.CIO in roles_of(nina) and not nina.has_usable_password() and not nina.password_set_by_other
    assert (
        Client().post("/accounts/login/", {"login": "nina", "password": chosen}).status_code == 200
    )  # refused
    assert any("Choose your own" in m.subject for m in mail_to(nina.email))
    assert AuditEvent.objects.filter(
        action="accounts.password_replaced_on_grant", object_id=str(nina.pk)
    ).exists()


def test_a_grantee_who_chose_their_own_password_keeps_it(admin_user, ciso, nina, password):
    nina.set_password(password)
    nina.save()
    grant = role_grant_request(actor=admin_user, user=nina, role=Role.CIO)
    browser_as(ciso).post(grant_url(grant, "confirm"))
    assert fresh(nina).check_password(password)


def test_setting_ones_own_password_clears_the_mark(admin_user, nina, password):
    admin = browser_as(admin_user)
    admin.post(
        f"/admin/accounts/user/{nina.pk}/password/",
        {
            "password1": "chosen-by-the-admin-1",
            "password2": "chosen-by-the-admin-1",
            "usable_password": "true",
        },
    )
    assert fresh(nina).password_set_by_other
    own = Client()
    assert (
        own.post("/accounts/login/", {"login": "nina", "password": "chosen-by-the-admin-1"}).status_code
        == 302
    )
    own.post(
        "/accounts/password/change/",
        {
            "oldpassword": "chosen-by-the-admin-1",
            "password1": "ninas-own-pass-99",
            "password2": "ninas-own-pass-99",
        },
    )
    assert not fresh(nina).password_set_by_other
