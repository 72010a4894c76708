"""
The ``import`` background job, and the services that start it and keep its uploaded file.

``import_start`` checks the permission and the file, records the job and its
``ImportUpload`` (audited) and queues the job; the job runs
``importers.run_import`` with the job's progress and cancellation, then
deletes the stored file whatever the outcome (the job's ``result`` keeps what
was learned from it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..audit import audited_create, audited_delete
from ..models import ImportUpload, Job, Park
from ..tasks import JobCancelled, JobContext, job_start, task
from . import importers

IMPORT_JOB_KIND = "import"


def _owned_by(upload: ImportUpload, park_id: int | None) -> ImportUpload:
    # The audit trail files the upload under the job's park (the model has no park of its own).
    upload.audit_owner = lambda: (park_id, None)  # type: ignore[attr-defined]
    return upload


def import_upload_create(*, actor: Any, job: Job, filename: str, content: bytes) -> ImportUpload:
    """Store the file of an import job and record it in the audit trail."""
    upload = ImportUpload(job=job, filename=filename[-255:], content=content)
    return audited_create(actor=actor, instance=_owned_by(upload, job.park_id))


def import_upload_delete(*, job: Job) -> None:
    """Delete the stored file of an import job, if still there (recorded as a deletion by the system)."""
    upload = ImportUpload.objects.filter(job=job).defer("content").first()
    if upload is not None:
        audited_delete(actor=None, instance=_owned_by(upload, job.park_id))


def import_uploads_purge() -> None:
    """Delete the files of import jobs that finished without running (cancelled while queued)."""
    for upload in ImportUpload.objects.filter(job__finished_at__isnull=False).select_related("job").defer("content"):
        audited_delete(actor=None, instance=_owned_by(upload, upload.job.park_id))


def import_start(*, actor: Any, kind: str, park: Park, filename: str, content: bytes, dry_run: bool) -> Job:
    """Check that ``actor`` may import ``kind`` into ``park`` and that the file is readable, then queue the job."""
    importer = importers.importer_class(kind)
    if not importer.may_import(actor, park):
        raise PermissionDenied
    try:
        importers.check_upload(filename, content)
    except importers.ImportFileError as exc:
        raise ValidationError({"file": [exc.message]}, code="import_file") from None
    params = {
        "kind": kind,
        "dry_run": bool(dry_run),
        "filename": filename[-255:],
        "language": translation.get_language() or settings.LANGUAGE_CODE,
    }
    with transaction.atomic():
        import_uploads_purge()
        job = job_start(actor=actor, kind=IMPORT_JOB_KIND, park=park, params=params)
        import_upload_create(actor=actor, job=job, filename=filename, content=content)
    return job


@task(IMPORT_JOB_KIND, label=gettext_lazy("Bulk import"))
def import_job(ctx: JobContext) -> dict[str, Any]:
    """Run an import: validate every row, then write all rows or none; report each row's errors."""
    job = ctx.job
    params = job.params
    try:
        with translation.override(params.get("language") or settings.LANGUAGE_CODE):
            upload = ImportUpload.objects.filter(job=job).first()
            if upload is None or job.created_by is None or job.park is None:
                raise RuntimeError(_("The file or the owner of this import is no longer stored."))
            try:
                result = importers.run_import(
                    user=job.created_by,
                    park=job.park,
                    kind=params["kind"],
                    filename=upload.filename,
                    content=bytes(upload.content),
                    dry_run=bool(params.get("dry_run")),
                    progress=ctx.progress,
                    check_cancelled=ctx.check_cancelled,
                )
            except JobCancelled:
                job.message = _("Cancelled; nothing was written.")
                job.result = {
                    "kind": params["kind"],
                    "dry_run": bool(params.get("dry_run")),
                    "cancelled": True,
                    "ok": False,
                    "created": 0,
                    "errors": [],
                }
                raise
            job.message = result.summary()
            return result.as_dict()
    finally:
        import_upload_delete(job=job)
