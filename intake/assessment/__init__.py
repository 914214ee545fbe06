"""The assessment engine: EU AI Act, OWASP and NIST rules over intake answers; pure Python, no database."""

from intake.assessment.engine import Assessment, assess
from intake.assessment.rules import RULESET_VERSION

__all__ = ["RULESET_VERSION", "Assessment", "assess"]
