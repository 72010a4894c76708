"""The unread-notification count of the navbar's bell (one query, only when a page renders it)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import SimpleLazyObject

from ..notifications import unread_count


def notifications(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
