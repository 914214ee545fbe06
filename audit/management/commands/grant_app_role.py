"""python manage.py grant_app_role ROLE: as the owner role, after migrate, give the application role what it needs and
nothing that rewrites history (see audit/database.py). Idempotent; compose and CI run it after every migrate."""

import os

from django.core.management.base import BaseCommand, CommandError

from audit.database import RoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "Grant the application's database role DML on ordinary tables, only SELECT and INSERT on append-only ones "
        "(the audit chain), no TRUNCATE, ALTER or trigger changes. Run as the owner role after migrate."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", help="The application role (the user in the application's DATABASE_URL).")
        parser.add_argument(
            "--create",
            action="store_true",
            help="Create the role when missing (LOGIN), or reset an existing one's password and attributes.",
        )
        parser.add_argument(
            "--password-env",
            default="APP_DB_PASSWORD",
            help="The environment variable holding the role's password for --create (default APP_DB_PASSWORD); "
            "never given on the command line.",
        )

    def handle(self, *args, role: str, create: bool, password_env: str, **options) -> None:
        try:
            summary = app_role_grant(
                role, create=create, password=os.environ.get(password_env, "") if create else ""
            )
        except RoleError as exc:
            raise CommandError(str(exc)) from exc
        created = " (created)" if summary.created else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.role}{created}: read-write on {len(summary.read_write)} table(s), insert-only on "
                f"{', '.join(summary.append_only) or 'none'}, read-only on {', '.join(summary.read_only) or 'none'}, "
                f"{summary.sequences} sequence(s); tables stay owned by {summary.owner}."
            )
        )
