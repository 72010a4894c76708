"""Benchmarks: each prints its figures against a named reference (not tests; see docs/benchmarks.md)."""
