"""Maintenance work orders (see docs)."""
