"""Background tasks of teaching, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.tasks import JobContext, task


@task("teaching.tick", label=gettext_lazy("Teaching: reminders of agreements ending soon"))
def teaching_tick(ctx: JobContext) -> dict[str, Any]:
    """Remind the parties of agreements ending within their reminder period (``params["park"]`` narrows)."""
    from iepark.core.models import Park

    from .services import agreements_remind

    park_id = ctx.params.get("park")
    park = Park.objects.filter(pk=park_id).first() if park_id else None
    ctx.progress(0, 1, "")
    reminded = agreements_remind(park=park)
    ctx.progress(1, 1, f"{len(reminded)} reminders sent")
    return {"reminded": [a.pk for a in reminded]}


def _timetable_cancelled(job, actor) -> None:
    from .services import timetable_cancelled_before_start

    timetable_cancelled_before_start(actor=actor, run_id=(job.params or {}).get("run"))


@task("teaching.timetable", label=gettext_lazy("Teaching: timetabling run"), on_cancel=_timetable_cancelled)
def teaching_timetable(ctx: JobContext) -> dict[str, Any]:
    """Timetable the run ``params["run"]`` with the engine and store its entries as a draft."""
    from .services import timetable_run_job

    return timetable_run_job(ctx)
