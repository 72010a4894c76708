"""REST endpoints of this area (registered by ``iepark.careers.api``)."""


def register(router) -> None:
    """Register this area's viewsets on the API router."""
