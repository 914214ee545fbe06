from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Board reporting"

    def ready(self) -> None:
        from reporting import events  # noqa: F401  (registers its audit event types before any page reads them)
