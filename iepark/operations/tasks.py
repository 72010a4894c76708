"""Background tasks of park operations, registered with ``iepark.core.tasks`` on import."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from iepark.core.tasks import JobContext, task


@task("operations.allocation", label=gettext_lazy("Dormitory allocation"))
def dormitory_allocation(ctx: JobContext) -> dict[str, Any]:
    """Allocate the students of an allocation run (``params["run"]``) to free beds and write the assignments."""
    from .services import allocation_run_job

    return allocation_run_job(ctx)
