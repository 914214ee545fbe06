"""python manage.py seed_demo [--password P]: the idempotent demo organisation and portfolio.

It lives in the app that may depend on every other one; each app contributes its own part through its demo module.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from reporting.demo import seed_history


class Command(BaseCommand):
    help = "Create (or refresh) the demo users, teams, roles, boundaries, portfolio and last quarter's board pack."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=settings.DEMO_PASSWORD,
            help="Password for every demo user (default: the documented local-demo password).",
        )

    def handle(self, *args, password: str, **options) -> None:
        demo = seed_history(password=password)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these accounts:"))
        for person, created in demo.people:
            roles = ", ".join(str(r) for r in person.roles) or ("administrator" if person.is_admin else "-")
            teams = f" ({', '.join(person.teams)})" if person.teams else ""
            state = "created" if created else "refreshed"
            self.stdout.write(f"  {person.username:<11} {roles}{teams} [{state}]")
        self.stdout.write(f"Password for all of them: {password}")
        created = sum(1 for _, new in demo.use_cases if new)
        self.stdout.write(
            f"Demo portfolio: {len(demo.use_cases)} use cases ({created} created now), "
            f"{demo.decisions} new decisions."
        )
        pack = demo.pack
        pack.refresh_from_db()
        self.stdout.write(f"Board pack {pack.quarter} v{pack.version}: {pack.get_status_display().lower()}.")
        self.stdout.write(
            f"Risk boundary v{demo.active.version} is {demo.active.get_state_display().lower()}; "
            f"v{demo.pending.version} is {demo.pending.get_state_display().lower()}."
        )
