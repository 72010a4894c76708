"""Placement, retention (Kaplan–Meier, competing risks), turnover and supply against demand."""
