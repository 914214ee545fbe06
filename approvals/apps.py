from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        from approvals import events  # noqa: F401  (registers its audit event types before any page reads them)
        from approvals.panels import decisions_panel
        from approvals.services import cycle_end_on_withdrawal
        from intake.hooks import register_detail_panel, register_transition_listener

        # intake may not import this app; its use-case page asks through its hook for the decisions panel.
        register_detail_panel(decisions_panel)
        register_transition_listener(cycle_end_on_withdrawal)
