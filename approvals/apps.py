from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        from approvals import events  # noqa: F401  (registers its audit event types before any page reads them)
        from approvals.panels import change_requests, decisions_panel
        from approvals.services import cycle_end_on_withdrawal
        from intake.hooks import register_change_requests, register_detail_panel, register_transition_listener

        # intake may not import this app; its use-case page asks through its hook for the decisions panel.
        register_detail_panel(decisions_panel)
        register_change_requests(change_requests)
        register_transition_listener(cycle_end_on_withdrawal)

        # accounts may not import this app either; the home page asks through its hook for these sections.
        from accounts.home import ASIDE, MAIN, register_home_section
        from approvals.home import decisions_section, expiring_section, requester_section

        register_home_section(decisions_section, order=10, place=MAIN)
        register_home_section(requester_section, order=20, place=MAIN)
        register_home_section(expiring_section, order=30, place=ASIDE)
