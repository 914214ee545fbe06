"""System check (tag "database", so only `check --database default` runs it): in production the application must
not connect as a role that can rewrite the audit trail."""

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import connections

from audit.database import connection_role_problems

_HINT = (
    "Connect with DATABASE_URL as the application role; run migrations as the owner role "
    "(MIGRATION_DATABASE_URL), then `manage.py grant_app_role <role>` as the owner. See README, Production topology."
)


@register(Tags.database)
def check_audit_database_role(app_configs=None, databases=None, **kwargs) -> list[CheckMessage]:
    if not settings.AUDIT_DATABASE_ROLE_CHECK or not databases or "default" not in databases:
        return []
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return [Error("Production keeps the audit trail in PostgreSQL.", hint=_HINT, id="audit.E004")]
    return [
        (Warning if code.startswith("audit.W") else Error)(message, hint=_HINT, id=code)
        for code, message in connection_role_problems(connection)
    ]
