"""The dual-approval workflow: decisions, exceptions, conditions, re-review and the shared review queue."""
