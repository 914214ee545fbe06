from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Board reporting"

    def ready(self) -> None:
        from accounts.home import MAIN, register_home_section
        from reporting import events  # noqa: F401  (registers its audit event types before any page reads them)
        from reporting.home import board_packs_section

        # The home page (accounts, below this app) asks through its hook for the board secretary's section.
        register_home_section(board_packs_section, order=30, place=MAIN)
