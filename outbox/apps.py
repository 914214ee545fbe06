from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = "Background work outbox"

    def ready(self) -> None:
        # config may not import this app; /healthz shows how much work waits here through its hook.
        from config.health import register_health_report
        from outbox.services import outbox_backlog

        register_health_report("outbox", outbox_backlog)
