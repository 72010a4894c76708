"""Employer profiles, demand plans and postings, and the park's vetting of them."""
