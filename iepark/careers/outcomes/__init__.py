"""Employment records, the sources' claims, headcount confirmations and graduate destinations."""
