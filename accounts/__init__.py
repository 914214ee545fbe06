"""People: the custom user, teams, role groups and the helpers that say which roles a user holds."""
