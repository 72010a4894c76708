"""Background tasks of maintenance work orders, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.models import Park
from iepark.core.tasks import JobContext, task


@task("workorders.tick", label=gettext_lazy("Work orders: escalation and preventive plans"))
def workorders_tick(ctx: JobContext) -> dict[str, Any]:
    """Escalate overdue orders and create due preventive orders of ``params["park"]`` (all parks without it)."""
    from .services import tick

    park_id = ctx.params.get("park")
    park = Park.objects.get(pk=park_id) if park_id else None
    ctx.progress(0, 1, "")
    result = tick(actor=ctx.job.created_by, park=park)
    ctx.progress(1, 1, f"{result['escalated']} escalated, {result['created']} preventive orders created")
    return result
