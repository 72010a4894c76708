"""The one task interface on its real runners: inline, threads, and Celery workers on Redis."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.db import connection
from django.test import override_settings

from iepark.core import tasks
from iepark.core.choices import JobStatus
from iepark.core.models import Job


def _wait(job: Job, seconds: float = 20.0) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} still {job.status} after {seconds} s")


def test_sync_runner_runs_after_commit_and_records_progress(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.job_start(actor=world.park_admin, kind="selftest", park=world.park, params={"steps": 4})
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED  # nothing runs before commit
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress, job.total, job.percent) == (4, 4, 100)
    assert job.result == {"steps": 4}
    assert job.started_at and job.finished_at


def test_a_failing_job_records_its_error(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = tasks.job_start(actor=world.park_admin, kind="selftest", params={"steps": 2, "fail": True})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "selftest asked to fail" in job.message


def test_cancelling_a_queued_job_means_it_never_runs(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = tasks.job_start(actor=world.park_admin, kind="selftest", params={"steps": 2})
    tasks.job_cancel(actor=world.park_admin, job=job)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.started_at is None


def test_only_the_owner_or_a_park_admin_may_cancel(world):
    from django.core.exceptions import PermissionDenied

    job = Job.objects.create(kind="selftest", park=world.park, created_by=world.users["student_a"])
    with pytest.raises(PermissionDenied):
        tasks.job_cancel(actor=world.users["student_b"], job=job)


def test_unknown_task_kinds_are_refused(world):
    with pytest.raises(LookupError):
        tasks.job_start(actor=world.park_admin, kind="no-such-kind")


@pytest.mark.django_db(transaction=True)
def test_thread_runner_runs_in_the_background_and_stops_on_cancel():
    from iepark.testing import build_world

    world = build_world()
    with override_settings(IEPARK_TASK_RUNNER="thread"):
        job = tasks.job_start(actor=world.park_admin, kind="selftest", params={"steps": 3000, "delay": 0.01})
    deadline = time.monotonic() + 30  # generous: the machine may be busy with other tests
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.progress > 0 or job.is_finished:
            break
        time.sleep(0.02)
    assert job.status == JobStatus.RUNNING, (job.status, job.message)
    _cancel_beside_a_writing_thread(world, job)
    job = _wait(job, 60)
    assert job.status == JobStatus.CANCELLED, (job.status, job.message)
    assert 0 < job.progress < 3000


def _cancel_beside_a_writing_thread(world, job):
    """
    Cancel ``job`` while its thread writes progress.

    The test database on SQLite is in memory with a shared cache, where a write that meets the
    other connection's open write fails at once ("database table is locked") instead of waiting
    as a file database does with its busy timeout; so the cancel is tried again on that error.
    """
    from django.db import OperationalError, connection

    for attempt in range(20):
        try:
            return tasks.job_cancel(actor=world.park_admin, job=job)
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc) or attempt == 19:
                raise
            time.sleep(0.05)
    return None


def test_cancel_through_the_api(world, api, django_capture_on_commit_callbacks):
    job = Job.objects.create(kind="selftest", park=world.park, created_by=world.users["student_a"])
    assert api(world.users["student_b"]).post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
    response = api(world.users["student_a"]).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == JobStatus.CANCELLED


def _redis_available() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_celery_worker_on_redis_runs_a_job():
    """Start a real Celery worker against the local Redis and the test database; it runs the job."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database it can open: PostgreSQL")
    if not _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379")
    from iepark.testing import build_world

    world = build_world()
    db = connection.settings_dict
    queue = f"iepark-test-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
        IEPARK_ALLOW_DEV_SECRET="1",
        DJANGO_SETTINGS_MODULE="iepark.settings",
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "iepark",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        from iepark.celery import app

        app.conf.broker_url = env["CELERY_BROKER_URL"]
        app.conf.task_default_queue = queue
        with override_settings(IEPARK_TASK_RUNNER="celery"):
            job = tasks.job_start(actor=world.park_admin, kind="selftest", params={"steps": 3})
        job = _wait(job, 60)
        assert job.status == JobStatus.SUCCEEDED, job.message
        assert job.result == {"steps": 3}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
