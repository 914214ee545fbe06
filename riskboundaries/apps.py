from django.apps import AppConfig


class RiskBoundariesConfig(AppConfig):
    name = "riskboundaries"
    verbose_name = "Risk boundaries"

    def ready(self) -> None:
        # intake may not import this app; it asks through its hook for the verdict against the active boundary.
        from intake.hooks import register_boundary_checker, register_check_facts
        from riskboundaries import events  # noqa: F401  (registers its audit event types before any page reads them)
        from riskboundaries.check import check_facts_of
        from riskboundaries.selectors import check_against_active

        register_boundary_checker(check_against_active)
        register_check_facts(check_facts_of)

        # The home page (accounts, below this app) asks through its hook for the prompt to sign.
        from accounts.home import ASIDE, register_home_section
        from riskboundaries.home import signature_prompt_section

        register_home_section(signature_prompt_section, order=10, place=ASIDE)
