"""Background tasks of the careers app, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.tasks import JobContext, task


@task("careers.matching_round", label=gettext_lazy("Matching round run"))
def matching_round_run(ctx: JobContext) -> dict[str, Any]:
    """Compute a matching round's results (``params["round"]``): solve, verify, explain, store, report."""
    from .rounds.services import round_run_job

    return round_run_job(ctx)
