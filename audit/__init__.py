"""Append-only, hash-chained audit events and their verification."""
