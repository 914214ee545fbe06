"""python manage.py set_first_approvers --cio USERNAME --ciso USERNAME: the first installation's CIO and CISO.

Both are set together, in one audited step, and only while nobody holds either role; after that, a grant of an approver
role is a request in the People pages that a sitting CIO or CISO confirms.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import approvers_bootstrap
from config.errors import DomainError


class Command(BaseCommand):
    help = "First installation only: give the first CIO and CISO their roles together (audited)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cio", required=True, help="username of the first CIO (an existing account)")
        parser.add_argument("--ciso", required=True, help="username of the first CISO (an existing account)")

    def handle(self, *args, **options) -> None:
        people = {}
        for role in ("cio", "ciso"):
            person = User.objects.filter(username=options[role]).first()
            if person is None:
                raise CommandError(
                    f"No account named {options[role]!r}: create it first (People, or createsuperuser)."
                )
            people[role] = person
        try:
            approvers_bootstrap(cio=people["cio"], ciso=people["ciso"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{people['cio'].username} is the CIO and {people['ciso'].username} the CISO.")
        )
