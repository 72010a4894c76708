"""Tests of employer profiles, demand plans, postings and their vetting."""
