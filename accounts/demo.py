"""The demo organisation: who works here and in which roles. Used by `seed_demo` (and extended by later apps)."""

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from accounts.services import team_get_or_create, user_create, user_set_roles, user_set_teams


@dataclass(frozen=True)
class DemoPerson:
    username: str
    display_name: str
    job_title: str
    roles: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    is_admin: bool = False


DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("requester1", "Riya Shah", "Customer service lead", (Role.REQUESTER,), ("Customer Service",)),
    DemoPerson("requester2", "Tom Becker", "HR business partner", (Role.REQUESTER,), ("People & HR",)),
    DemoPerson("cio", "Claire Ito", "Chief Information Officer", (Role.CIO,)),
    DemoPerson("ciso", "Samuel Okafor", "Chief Information Security Officer", (Role.CISO,)),
    DemoPerson("secretary", "Beatrice Lund", "Board secretary", (Role.BOARD_SECRETARY,)),
    DemoPerson("admin", "Ada Admin", "IT administrator", is_admin=True),
)


def seed_people(*, password: str) -> list[tuple[DemoPerson, bool]]:
    """Create or refresh the demo people (idempotent). Returns each person and whether it was created now."""
    results = []
    with transaction.atomic():
        for person in DEMO_PEOPLE:
            user = User.objects.filter(username=person.username).first()
            created = user is None
            if created:
                user = user_create(
                    actor=None,
                    username=person.username,
                    password=password,
                    email=f"{person.username}@example.com",
                    display_name=person.display_name,
                    job_title=person.job_title,
                    is_staff=person.is_admin,
                    is_superuser=person.is_admin,
                )
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
            teams = [team_get_or_create(actor=None, name=name) for name in person.teams]
            user_set_roles(actor=None, user=user, roles=person.roles)
            user_set_teams(actor=None, user=user, teams=teams)
            results.append((person, created))
    return results
