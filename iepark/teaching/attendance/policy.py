"""Policy rules of attendance (registered on import by the app config)."""
