"""Contact meetings and major issues (see docs/consultation.md)."""
