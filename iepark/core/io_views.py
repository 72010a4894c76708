"""Pages of bulk import and export: thin over ``iepark.core.io``, the twins of ``api/io_views.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors
from .io import exporters, importers
from .io.tasks import IMPORT_JOB_KIND, import_start
from .models import Job, Park
from .views import job_context


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file (UTF-8 or GB18030), with the template's column titles."),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: only check the rows and report errors, write nothing"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    park = forms.ModelChoiceField(
        queryset=Park.objects.none(), label=_("Park"), widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args: Any, parks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks
        if len(parks[:2]) < 2:
            del self.fields["park"]  # the user's only park is implied

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _columns(importer: type[importers.Importer]) -> list[dict[str, Any]]:
    """Describe the columns of an import for its page."""
    rows = []
    for column in importer.columns:
        values = ", ".join(str(label) for _code, label in column.choices.choices) if column.choices else ""
        rows.append(
            {
                "title": column.title(),
                "field": column.field,
                "label": column.label,
                "required": column.required,
                "values": values,
                "help": column.help,
            }
        )
    return rows


def job_url(job: Job) -> str:
    """Return the page following an import job: its result page (progress, then summary and errors)."""
    return reverse("import_result", args=[job.pk])


@login_required
@require_http_methods(["GET", "POST"])
def import_start_page(request, kind: str):
    """Show the upload form of an import and start the import job."""
    importer = importers.IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    if not importers.may_import(request.user, kind):
        raise PermissionDenied
    parks = selectors.park_list(user=request.user)
    status = 200
    if request.method != "POST":
        form = ImportForm(parks=parks)
    else:
        form = ImportForm(request.POST, request.FILES, parks=parks)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                importers.check_size(upload.size)
                park = form.cleaned_data.get("park") or importers.import_park(user=request.user)
                job = import_start(
                    actor=request.user,
                    kind=kind,
                    park=park,
                    filename=upload.name,
                    content=upload.read(),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except importers.ImportFileError as exc:
                form.add_error("file", exc.message)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect(job_url(job))
        status = 400
    context = {
        "form": form,
        "kind": kind,
        "kind_label": importers.ImportKind(kind).label,
        "columns": _columns(importer),
        # Not every kind of import has an export (rooms, courses, enrolments have none).
        "may_export": kind in exporters.EXPORTS and exporters.may_export(request.user),
    }
    return render(request, "core/io/import_start.html", context, status=status)


@login_required
@require_GET
def import_result_page(request, pk: int):
    """Show an import job: its progress while it runs, then its errors or its summary (polled by htmx)."""
    job = get_object_or_404(selectors.job_list(user=request.user).filter(kind=IMPORT_JOB_KIND), pk=pk)
    kind = job.params.get("kind", "")
    context = {
        **job_context(request.user, job),
        "kind": kind if kind in importers.IMPORTERS else "",
        "kind_label": importers.ImportKind(kind).label if kind in importers.IMPORTERS else "",
    }
    template = "core/includes/job_progress.html" if getattr(request, "htmx", False) else "core/io/import_result.html"
    return render(request, template, context)


@login_required
@require_GET
def import_template_download(request, kind: str):
    """Download the .xlsx template of an import."""
    if kind not in importers.IMPORTERS:
        raise Http404
    if not importers.may_import(request.user, kind):
        raise PermissionDenied
    return importers.template_response(kind)


@login_required
@require_GET
def export_download(request, kind: str, fmt: str):
    """Download the list of ``kind`` the user may see, filtered by the list page's query string."""
    if kind not in exporters.EXPORTS or fmt not in exporters.ExportFormat.values:
        raise Http404
    if not exporters.may_export(request.user):
        raise PermissionDenied
    try:
        return exporters.export_response(user=request.user, kind=kind, fmt=fmt, params=request.GET)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
