from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Use-case intake"

    def ready(self) -> None:
        from accounts.home import ASIDE, register_home_section
        from intake import events  # noqa: F401  (registers its audit event types before any page reads them)
        from intake.home import ruleset_prompt_section

        register_home_section(ruleset_prompt_section, order=5, place=ASIDE)
