"""API routes of bulk import and export (included under ``api/v1/``)."""

from django.urls import path, re_path

from ..io.exporters import ExportFormat, ExportKind
from ..io.importers import ImportKind
from . import io_views

IMPORT_KINDS = "|".join(ImportKind.values)
EXPORT_KINDS = "|".join(ExportKind.values)
EXPORT_FORMATS = "|".join(ExportFormat.values)

urlpatterns = [
    path("imports/", io_views.ImportView.as_view(), name="api-import"),
    re_path(
        rf"^imports/templates/(?P<kind>{IMPORT_KINDS})\.xlsx$",
        io_views.ImportTemplateView.as_view(),
        name="api-import-template",
    ),
    re_path(
        rf"^exports/(?P<kind>{EXPORT_KINDS})\.(?P<fmt>{EXPORT_FORMATS})$",
        io_views.ExportView.as_view(),
        name="api-export",
    ),
]
