"""Versioned risk boundaries, their dual signatures, the boundary check and what-if impact."""
