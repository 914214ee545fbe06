from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Live oversight"

    def ready(self) -> None:
        from intake.hooks import register_detail_panel, register_notice
        from oversight import events  # noqa: F401  (registers its audit event types before any page reads them)
        from oversight.panels import incidents_panel, suspension_notice

        # intake may not import this app; its use-case page asks through its hooks for the incidents panel and for
        # the notice at the top that it is suspended.
        register_detail_panel(incidents_panel)
        register_notice(suspension_notice)

        # accounts may not import this app either; the home page asks through its hook for this section.
        from accounts.home import ASIDE, MAIN, register_home_section
        from oversight.attestation_home import attestations_section
        from oversight.home import incidents_section

        register_home_section(incidents_section, order=5, place=MAIN)
        register_home_section(attestations_section, order=25, place=ASIDE)

        # approvals asks before a condition is marked met: one the risk boundary requires needs evidence.
        from approvals.hooks import register_condition_met_check
        from oversight.services import condition_evidence_refusal

        register_condition_met_check(condition_evidence_refusal)

        # The intake form offers the inventory's providers and models; a request submitted naming a provider the
        # inventory does not know proposes it to the CIO and the CISO.
        from intake.hooks import register_suggestions, register_transition_listener
        from oversight.inventory import inventory_suggestions, propose_on_submission

        register_suggestions(inventory_suggestions)
        register_transition_listener(propose_on_submission)
