"""Background tasks of the careers app, registered with ``iepark.core.tasks`` on import."""
