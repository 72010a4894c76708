"""Policy rules of venues (registered on import by the app config)."""
