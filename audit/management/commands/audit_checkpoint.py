"""python manage.py audit_checkpoint: copy the chain's head outside the database now (beat does it daily)."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import AuditCheckpointRefused, audit_checkpoint_write


class Command(BaseCommand):
    help = "Write a checkpoint of the audit chain's head to the checkpoint storage and e-mail it to the CIO and CISO."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reason", default="manual", help="Recorded in the checkpoint (default: manual)."
        )

    def handle(self, *args, reason: str, **options) -> None:
        try:
            checkpoint = audit_checkpoint_write(reason=reason)
        except AuditCheckpointRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint of event #{checkpoint['sequence']} written as {checkpoint['name']}."
            )
        )
