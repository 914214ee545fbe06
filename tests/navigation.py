"""The main navigation each role is expected to see, in order: one list for the tests that pin it (the menu as built,
and as a browser shows it)."""

REQUESTER_NAV = ("Home", "My requests", "Risk boundary")
EXECUTIVE_NAV = (  # the CIO's and the CISO's
    "Home",
    "Review queue",
    "Dashboard",
    "Use cases",
    "Risk boundary",
    "Board packs",
    "AI inventory",
    "Audit trail",
)
SECRETARY_NAV = ("Home", "Risk boundary", "Board packs")
ADMIN_NAV = ("Home", "Risk boundary", "People")
