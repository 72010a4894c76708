"""Background tasks of security and fire safety, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.tasks import JobContext, task


@task("safety.tick", label=gettext_lazy("Inspection rounds of the day"))
def safety_tick(ctx: JobContext) -> dict[str, Any]:
    """Create the inspection rounds that schedules owe up to today (``params["park"]`` narrows to one park)."""
    from iepark.core.models import Park

    from .services import rounds_generate

    park_id = ctx.params.get("park")
    park = Park.objects.filter(pk=park_id).first() if park_id else None
    ctx.progress(0, 1, "")
    rounds = rounds_generate(actor=None, park=park)
    ctx.progress(1, 1, f"{len(rounds)} rounds created")
    return {"created": [r.pk for r in rounds]}
