"""``{% attachment_list obj %}``: an object's photos as thumbnails and its PDFs as links, for those who may see them."""

from __future__ import annotations

from typing import Any

from django import template

from .. import policy
from ..attachments import attachments_of

register = template.Library()


@register.inclusion_tag("core/includes/attachments.html", takes_context=True)
def attachment_list(context: template.Context, obj: Any, return_url: str = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    rows = list(policy.restrict(attachments_of(obj), user)) if user is not None else []
    deletable = (
        set(policy.restrict(attachments_of(obj), user, policy.Action.DELETE).values_list("pk", flat=True))
        if rows
        else set()
    )
    return {
        "images": [a for a in rows if a.kind == "image"],
        "documents": [a for a in rows if a.kind != "image"],
        "deletable": deletable,
        "return_url": return_url or (request.get_full_path() if request is not None else ""),
        "csrf_token": context.get("csrf_token"),
    }
