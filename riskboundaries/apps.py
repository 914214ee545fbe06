from django.apps import AppConfig


class RiskBoundariesConfig(AppConfig):
    name = "riskboundaries"
    verbose_name = "Risk boundaries"
