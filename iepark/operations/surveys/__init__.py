"""Satisfaction surveys (see docs)."""
