"""The fixed lists the assessment reports against: OWASP and NIST risk names, the control catalogue (tiers, roles,
bands and impact dimensions are words of intake.vocabulary)."""

from intake.vocabulary import EuRole, ImpactDimension, Tier

TIERS = tuple(Tier.values)
ROLES = tuple(EuRole.values)

# OWASP Top 10 for LLM Applications 2025.
OWASP_LLM = {
    "LLM01": "Prompt Injection",
    "LLM02": "Sensitive Information Disclosure",
    "LLM03": "Supply Chain",
    "LLM04": "Data and Model Poisoning",
    "LLM05": "Improper Output Handling",
    "LLM06": "Excessive Agency",
    "LLM07": "System Prompt Leakage",
    "LLM08": "Vector and Embedding Weaknesses",
    "LLM09": "Misinformation",
    "LLM10": "Unbounded Consumption",
}

# OWASP Top 10 for Agentic Applications (2026 edition, ASI01–ASI10).
OWASP_AGENTIC = {
    "ASI01": "Agent Goal Hijack",
    "ASI02": "Tool Misuse and Exploitation",
    "ASI03": "Identity and Privilege Abuse",
    "ASI04": "Agentic Supply Chain Vulnerabilities",
    "ASI05": "Unexpected Code Execution",
    "ASI06": "Memory and Context Poisoning",
    "ASI07": "Insecure Inter-Agent Communication",
    "ASI08": "Cascading Failures",
    "ASI09": "Human-Agent Trust Exploitation",
    "ASI10": "Rogue Agents",
}

# NIST AI 600-1 (Generative AI Profile), section 2: the twelve risks, with their subsection.
NIST_RISKS = {
    "NIST-CBRN": ("CBRN Information or Capabilities", "§2.1"),
    "NIST-CONFABULATION": ("Confabulation", "§2.2"),
    "NIST-DANGEROUS_CONTENT": ("Dangerous, Violent, or Hateful Content", "§2.3"),
    "NIST-DATA_PRIVACY": ("Data Privacy", "§2.4"),
    "NIST-ENVIRONMENTAL": ("Environmental Impacts", "§2.5"),
    "NIST-HARMFUL_BIAS": ("Harmful Bias and Homogenization", "§2.6"),
    "NIST-HUMAN_AI_CONFIG": ("Human-AI Configuration", "§2.7"),
    "NIST-INFO_INTEGRITY": ("Information Integrity", "§2.8"),
    "NIST-INFO_SECURITY": ("Information Security", "§2.9"),
    "NIST-IP": ("Intellectual Property", "§2.10"),
    "NIST-OBSCENE": ("Obscene, Degrading, and/or Abusive Content", "§2.11"),
    "NIST-VALUE_CHAIN": ("Value Chain and Component Integration", "§2.12"),
}

RISK_NAMES: dict[str, str] = {
    **OWASP_LLM,
    **OWASP_AGENTIC,
    **{risk_id: name for risk_id, (name, _) in NIST_RISKS.items()},
}

CONTROLS = {
    "C-01": "Tell people they are dealing with AI",
    "C-02": "Mark and label AI-generated content",
    "C-03": "Human approval before the system acts",
    "C-04": "Least-privilege tools and credentials",
    "C-05": "Input and output filtering and validation",
    "C-06": "Red-team before launch",
    "C-07": "Groundedness and accuracy evaluation",
    "C-08": "Keep logs for at least 6 months",
    "C-09": "Vendor due diligence and contract terms",
    "C-10": "Data protection impact assessment (DPIA)",
    "C-11": "Fundamental rights impact assessment (FRIA)",
    "C-12": "Bias testing before launch and in use",
    "C-13": "Kill switch and incident playbook",
    "C-14": "Inform workers and their representatives",
    "C-15": "Named people assigned to human oversight",
    "C-16": "Registration in the EU database",
    "C-17": "Conformity and legal review",
    "C-18": "AI literacy training for the people involved",
    "C-19": "Notice and explanation to people affected by decisions",
    "C-20": "Rate limits, quotas and spend caps",
    "C-21": "Permission-aware retrieval",
    "C-22": "Sandboxed code execution",
    "C-23": "Memory isolation, review and expiry",
    "C-24": "Provenance checks on training and retrieval data",
}

IMPACT_DIMENSIONS = tuple(ImpactDimension.values)
