"""Careers: demand, postings, applications, matching rounds, employment outcomes and retention (issue 4)."""
