"""Matching rounds in the platform, over ``engines.matching``."""
