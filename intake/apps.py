from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Use-case intake"

    def ready(self) -> None:
        from intake import events  # noqa: F401  (registers its audit event types before any page reads them)
