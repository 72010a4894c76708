"""
The one task interface for background work.

``job_start`` records a ``Job`` and hands it to the configured runner after
the transaction commits. A task is a function registered with ``@task(kind)``
that receives a ``JobContext``: it reports progress with ``ctx.progress`` and
stops early when ``ctx.cancelled()`` says so. Runners:

- ``thread`` (default): a daemon thread in the web process; fine for one server.
- ``sync``: runs the job in the caller after commit (tests, management commands).
- ``celery``: the job id goes to a Celery broker (``CELERY_BROKER_URL``, Redis
  or RabbitMQ) and a worker (``celery -A iepark worker``) runs it; for several
  app servers and dedicated workers (see docs/deployment.md).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import policy
from .choices import JobStatus
from .models import Job, Park
from .policy import Action

logger = logging.getLogger(__name__)

TaskFunc = Callable[["JobContext"], dict[str, Any]]
_tasks: dict[str, TaskFunc] = {}
_labels: dict[str, Any] = {}
_cancel_hooks: dict[str, Callable[[Job, Any], None]] = {}


class JobCancelled(Exception):
    """Raised inside a task to stop it when cancellation was requested."""


def task(
    kind: str, label: Any = None, on_cancel: Callable[[Job, Any], None] | None = None
) -> Callable[[TaskFunc], TaskFunc]:
    """
    Register ``func`` as the task run for jobs of ``kind``, shown to people as ``label`` (translatable).

    ``on_cancel(job, actor)`` is called when a job of this kind is cancelled before it started
    (the task itself never runs then), so the records it would have finished can say so.
    """

    def register(func: TaskFunc) -> TaskFunc:
        _tasks[kind] = func
        _labels[kind] = label or kind
        if on_cancel is not None:
            _cancel_hooks[kind] = on_cancel
        return func

    return register


@dataclass
class JobContext:
    job: Job
    _last_write: float = 0.0

    @property
    def params(self) -> dict[str, Any]:
        return self.job.params

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress; writes at most a few times a second."""
        import time

        now = time.monotonic()
        self.job.progress = done
        if total is not None:
            self.job.total = total
        if message:
            self.job.message = message[:300]
        if now - self._last_write >= 0.3 or (total is not None and done >= total):
            Job.objects.filter(pk=self.job.pk).update(
                progress=self.job.progress, total=self.job.total, message=self.job.message
            )
            self._last_write = now

    def cancelled(self) -> bool:
        return Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists()

    def check_cancelled(self) -> None:
        if self.cancelled():
            raise JobCancelled


def kind_label(kind: str) -> Any:
    """Return the human name of a job kind (its registered label, else the kind itself)."""
    return _labels.get(kind, kind)


def job_start(*, actor: Any, kind: str, park: Park | None = None, params: dict[str, Any] | None = None) -> Job:
    """Record a job and queue it for the configured runner once the transaction commits."""
    if kind not in _tasks:
        raise LookupError(f"Unknown task kind {kind!r}")
    job = Job.objects.create(kind=kind, park=park, created_by=actor, params=params or {})
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def job_cancel(*, actor: Any, job: Job) -> Job:
    """Ask a queued or running job to stop; a queued one is cancelled at once."""
    if not policy.can(actor, Action.CHANGE, job):
        raise PermissionDenied
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)
    before_start = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if before_start and job.kind in _cancel_hooks:
        _cancel_hooks[job.kind](job, actor)
    return job


def run_job(job_id: int) -> None:
    """Run one job to its end, recording its outcome; safe to call from any runner."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # cancelled before it started, or another worker took it
    job = Job.objects.get(pk=job_id)
    ctx = JobContext(job=job)
    try:
        result = _tasks[job.kind](ctx)
    except JobCancelled:
        _finish(job, JobStatus.CANCELLED, job.message, job.result)
    except Exception as exc:  # noqa: BLE001 - the job records any failure for its owner
        logger.exception("Job %s failed", job_id)
        _finish(job, JobStatus.FAILED, str(exc)[:300], {"error": str(exc)})
    else:
        result = result or {}
        _finish(job, JobStatus.SUCCEEDED, ctx.job.message, result)


def _finish(job: Job, status: str, message: str, result: dict[str, Any]) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        message=message[:300],
        result=result,
        progress=job.progress,
        total=job.total,
        finished_at=timezone.now(),
    )


def _thread_main(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        # The thread's own connections die with it; close them rather than leak one per job.
        connections.close_all()


def _dispatch(job_id: int) -> None:
    runner = getattr(settings, "IEPARK_TASK_RUNNER", "thread")
    if runner == "sync":
        run_job(job_id)
    elif runner == "celery":
        from iepark.celery import run_job_celery

        run_job_celery.delay(job_id)
    else:
        threading.Thread(target=_thread_main, args=(job_id,), daemon=True, name=f"iepark-job-{job_id}").start()


@task("selftest", label=_("Runner self-test"))
def selftest(ctx: JobContext) -> dict[str, Any]:
    """Count to ``params["steps"]`` with progress: proves a runner (thread, worker) is alive end to end."""
    import time

    steps = int(ctx.params.get("steps", 5))
    delay = float(ctx.params.get("delay", 0.0))
    for i in range(steps):
        ctx.check_cancelled()
        if delay:
            time.sleep(delay)
        ctx.progress(i + 1, steps, f"step {i + 1} of {steps}")
    if ctx.params.get("fail"):
        raise RuntimeError("selftest asked to fail")
    return {"steps": steps}
