"""Pages of bulk import and export (included from ``iepark.core.urls``)."""

from django.urls import path, re_path

from . import io_views
from .io.exporters import ExportFormat, ExportKind
from .io.importers import ImportKind

IMPORT_KINDS = "|".join(ImportKind.values)
EXPORT_KINDS = "|".join(ExportKind.values)
EXPORT_FORMATS = "|".join(ExportFormat.values)

urlpatterns = [
    path("imports/jobs/<int:pk>/", io_views.import_result_page, name="import_result"),
    re_path(
        rf"^imports/templates/(?P<kind>{IMPORT_KINDS})\.xlsx$",
        io_views.import_template_download,
        name="import_template",
    ),
    re_path(rf"^imports/(?P<kind>{IMPORT_KINDS})/$", io_views.import_start_page, name="import_start"),
    re_path(rf"^exports/(?P<kind>{EXPORT_KINDS})\.(?P<fmt>{EXPORT_FORMATS})$", io_views.export_download, name="export"),
]
