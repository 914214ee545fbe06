"""python manage.py ruleset_upgrade: after a deployment, start re-assessing the portfolio under this code's ruleset
(the beat does the same every five minutes; both are idempotent)."""

from django.core.management.base import BaseCommand

from intake.assessment import RULESET_VERSION
from intake.services import ruleset_upgrade_start


class Command(BaseCommand):
    help = "Start the upgrade to this code's ruleset if live use cases were assessed under another one."

    def handle(self, *args, **options) -> None:
        upgrade = ruleset_upgrade_start()
        if upgrade is None:
            self.stdout.write(
                f"Every live use case is assessed under ruleset {RULESET_VERSION}: nothing to do."
            )
        else:
            self.stdout.write(
                f"Ruleset {upgrade.version}: {upgrade.get_state_display()} ({upgrade.total} live use cases)."
            )
