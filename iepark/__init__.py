"""iepark: the operating platform of an industry-education integration park."""
