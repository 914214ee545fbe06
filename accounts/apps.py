from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from accounts import events, receivers  # noqa: F401  (its audit event types; sign-in / sign-out auditing)
        from accounts.policies import can_read_audit_trail
        from accounts.selectors import approver_emails
        from audit.hooks import register_audit_readers

        # audit may not import this app; it asks through its hook who reads the trail and where to reach them.
        register_audit_readers(is_reader=can_read_audit_trail, addresses=approver_emails)

        from accounts.home import (
            ASIDE,
            grants_awaiting_section,
            recent_activity_section,
            register_home_section,
        )

        register_home_section(grants_awaiting_section, order=20, place=ASIDE)
        register_home_section(recent_activity_section, order=90, place=ASIDE)
