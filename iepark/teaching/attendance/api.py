"""REST endpoints of attendance (registered by ``iepark.urls``)."""


def register(router) -> None:
    """Register this app's viewsets on the API router."""
