"""
Celery application for running iepark's background jobs on worker machines.

Used when ``IEPARK_TASK_RUNNER=celery``: app servers enqueue a job id on the
broker (``CELERY_BROKER_URL``, Redis or RabbitMQ) and any worker started with
``celery -A iepark worker`` runs it through ``iepark.core.tasks.run_job``.
The job's progress and result live in the database, as with every runner.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iepark.settings")

app = Celery("iepark")
app.conf.update(
    broker_url=os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"),
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
)


@app.task(name="iepark.run_job")
def run_job_celery(job_id: int) -> None:
    """Run one iepark job on this worker."""
    from iepark.core.tasks import run_job

    run_job(job_id)
