"""The careers app's REST endpoints: each area registers its own viewsets."""

from .analytics import api as analytics_api
from .applications import api as applications_api
from .employers import api as employers_api
from .outcomes import api as outcomes_api
from .portal import api as portal_api
from .rounds import api as rounds_api


def register(router) -> None:
    for area in (employers_api, applications_api, rounds_api, outcomes_api, analytics_api, portal_api):
        area.register(router)
