"""GenAI use cases, their revisions, the intake forms and the assessment engine."""
