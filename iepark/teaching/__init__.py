"""Teaching in the park: cooperation agreements, cohorts and order classes, terms, courses, rooms (see docs/teaching.md)."""
