"""Governance (see docs)."""
