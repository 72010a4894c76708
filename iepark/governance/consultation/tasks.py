"""Background task of contact meetings and major issues, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.models import Park
from iepark.core.tasks import JobContext, task


@task("consultation.tick", label=gettext_lazy("Consultation: reminders and escalation of overdue issues"))
def consultation_tick(ctx: JobContext) -> dict[str, Any]:
    """Send due reminders and escalate overdue issues of ``params["park"]`` (all parks without it)."""
    from .services import tick

    park_id = ctx.params.get("park")
    park = Park.objects.get(pk=park_id) if park_id else None
    ctx.progress(0, 1, "")
    result = tick(actor=ctx.job.created_by, park=park)
    ctx.progress(
        1,
        1,
        f"{result['meeting_reminders']} meeting reminders, {result['due_soon'] + result['overdue']} action "
        f"reminders, {result['escalated']} issues escalated",
    )
    return result
