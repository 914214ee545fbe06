from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        # intake may not import this app; its use-case page asks through its hook for the decisions panel.
        from approvals.panels import decisions_panel
        from approvals.services import cycle_end_on_withdrawal
        from intake.hooks import register_detail_panel, register_transition_listener

        register_detail_panel(decisions_panel)
        register_transition_listener(cycle_end_on_withdrawal)
