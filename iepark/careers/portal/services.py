"""
Writes of the portal area: the "living in the park" sections of the public careers portal.

Park administrators and the operating company's staff keep them; every write
checks the policy, validates and records its audit event in one transaction.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from iepark.careers.models import LivingSection
from iepark.core import policy
from iepark.core.audit import audited_create, audited_delete, audited_update
from iepark.core.models import Park
from iepark.core.policy import Action

LIVING_SECTION_FIELDS = ["order", "icon", "title", "title_en", "body", "body_en"]
# A Bootstrap Icons name ("house", "cup-hot", "bus-front"): shown as ``bi bi-<icon>`` on the portal.
ICON_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _only(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in names}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Trim the texts and check the icon name (the model only limits its length)."""
    data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    if "icon" in data:
        if not data["icon"]:
            data["icon"] = "house"
        elif not ICON_NAME.match(data["icon"]):
            raise ValidationError(
                {"icon": _("Give a Bootstrap icon name in lower case letters, digits and hyphens, e.g. “cup-hot”.")},
                code="bad_icon",
            )
    return data


def living_section_create(*, actor: Any, park: Park, **fields: Any) -> LivingSection:
    """Add a section to ``park``'s "living in the park" page."""
    section = LivingSection(park=park, **_clean(_only(fields, LIVING_SECTION_FIELDS)))
    if not policy.can_add(actor, section):
        raise PermissionDenied
    return audited_create(actor=actor, instance=section)


def living_section_update(*, actor: Any, section: LivingSection, data: dict[str, Any]) -> LivingSection:
    """Change a section's order, icon or texts (its park stays)."""
    policy.require(actor, Action.CHANGE, section)
    return audited_update(actor=actor, instance=section, data=_clean(_only(data, LIVING_SECTION_FIELDS)))


def living_section_delete(*, actor: Any, section: LivingSection) -> None:
    policy.require(actor, Action.DELETE, section)
    audited_delete(actor=actor, instance=section)
