"""Security and fire safety (see docs)."""
