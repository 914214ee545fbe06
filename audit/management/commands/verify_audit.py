"""python manage.py verify_audit: check the whole audit chain against the latest checkpoint and name the first broken
link. The run is recorded like the worker's, so the audit page shows it."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_verification_run


class Command(BaseCommand):
    help = (
        "Verify the keyed hash chain of every audit event and compare it with the latest checkpoint; exits non-zero "
        "and names the first broken link."
    )

    def handle(self, *args, **options) -> None:
        run = audit_verification_run(kind="full")
        checkpoint = f" It matches checkpoint {run.checkpoint_name}." if run.checkpoint_name else ""
        if not run.ok:
            where = f"at event #{run.broken_at}" if run.broken_at else "(see reason)"
            raise CommandError(
                f"Audit chain BROKEN {where}: {run.reason}. {run.checked} event(s) before it verified."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit chain intact: {run.checked} event(s) verified.{checkpoint}")
        )
