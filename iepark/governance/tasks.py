"""Background tasks of governance, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.tasks import JobContext, task


@task("governance.assessment", label=gettext_lazy("Subsidy assessment"))
def subsidy_assessment(ctx: JobContext) -> dict[str, Any]:
    """Compute the lines of an assessment run (``params["run"]``)."""
    from .services import assessment_run_job

    return assessment_run_job(ctx)
