"""The careers cards of the home page: what each role has waiting for it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from iepark.core.choices import Role
from iepark.core.policy import Actor
from iepark.core.views import register_home_card

from .applications import selectors as applications
from .choices import OPEN_APPLICATION_STATUSES
from .employers import selectors as employers
from .policy import VETTER_ROLES


def _students(actor: Actor) -> bool:
    return Role.STUDENT in actor.roles


def _hr(actor: Actor) -> bool:
    return Role.ENTERPRISE_HR in actor.roles


def _vetters(actor: Actor) -> bool:
    return bool(actor.roles & VETTER_ROLES)


def _open_applications(*, user: Any):
    return applications.application_list(user=user).filter(status__in=OPEN_APPLICATION_STATUSES)


def _awaiting_vetting(*, user: Any):
    return employers.vetting_queue_postings(user=user)


register_home_card(_("Open postings"), "briefcase", "posting_browse", _students, employers.open_posting_list)
register_home_card(_("Open applications"), "person-lines-fill", "application_list", _hr, _open_applications)
register_home_card(_("Postings awaiting vetting"), "patch-question", "vetting_queue", _vetters, _awaiting_vetting)
