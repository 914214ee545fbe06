"""python manage.py seed_demo [--password P]: the idempotent demo organisation and portfolio.

It lives in the app that may depend on every other one; each app contributes its own part through its demo module.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.demo import seed_people
from approvals.demo import seed_decisions
from intake.demo import seed_portfolio
from reporting.demo import seed_board_pack
from riskboundaries.demo import seed_active_boundary, seed_pending_boundary


class Command(BaseCommand):
    help = "Create (or refresh) the demo users, teams and roles. Safe to run repeatedly."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password",
            default=settings.DEMO_PASSWORD,
            help="Password for every demo user (default: the documented local-demo password).",
        )

    def handle(self, *args, password: str, **options) -> None:
        results = seed_people(password=password)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with any of these accounts:"))
        for person, created in results:
            roles = ", ".join(str(r) for r in person.roles) or ("administrator" if person.is_admin else "-")
            teams = f" ({', '.join(person.teams)})" if person.teams else ""
            state = "created" if created else "refreshed"
            self.stdout.write(f"  {person.username:<11} {roles}{teams} [{state}]")
        self.stdout.write(f"Password for all of them: {password}")
        active = seed_active_boundary()
        portfolio = seed_portfolio()
        decisions = seed_decisions()
        pending = seed_pending_boundary()
        created = sum(1 for _, new in portfolio if new)
        self.stdout.write(
            f"Demo portfolio: {len(portfolio)} use cases ({created} created now), {decisions} new decisions."
        )
        pack = seed_board_pack()
        pack.refresh_from_db()
        self.stdout.write(f"Board pack {pack.quarter} v{pack.version}: {pack.get_status_display().lower()}.")
        self.stdout.write(
            f"Risk boundary v{active.version} is {active.get_state_display().lower()}; "
            f"v{pending.version} is {pending.get_state_display().lower()}."
        )
