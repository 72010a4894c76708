"""REST endpoints of bulk import (a background job) and export; thin over ``iepark.core.io``."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ..io import exporters, importers
from ..io.tasks import import_start
from .serializers import JobSerializer


class ImportRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=importers.ImportKind.choices, label=_("kind"))
    file = serializers.FileField(label=_("file"), help_text=_("An Excel workbook (.xlsx) or a CSV file."))
    dry_run = serializers.BooleanField(
        default=False, label=_("dry run"), help_text=_("Only check the rows and report errors; write nothing.")
    )
    park = serializers.IntegerField(
        required=False, allow_null=True, label=_("park"), help_text=_("Needed only by users of several parks.")
    )


class CanImport(permissions.BasePermission):
    """Allow users who may import some kind of data (the kind and the park are checked by the service)."""

    def has_permission(self, request, view) -> bool:
        return importers.may_import(request.user)


class CanExport(permissions.BasePermission):
    """Allow members of an organisation (the rows exported are scoped by the policy)."""

    def has_permission(self, request, view) -> bool:
        return exporters.may_export(request.user)


class AnyContentNegotiation(BaseContentNegotiation):
    """Let file downloads ignore the client's Accept header: the response is a file, not a rendered object."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ImportView(APIView):
    """Upload a file to import; the import runs as a background job polled at ``/api/v1/jobs/<id>/``."""

    permission_classes = [permissions.IsAuthenticated, CanImport]
    parser_classes = [MultiPartParser]

    @extend_schema(request=ImportRequestSerializer, responses={202: JobSerializer}, operation_id="imports_create")
    def post(self, request):
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        upload = data["file"]
        try:
            importers.check_size(upload.size)
        except importers.ImportFileError as exc:
            raise ValidationError({"file": [exc.message]}) from None
        park = importers.import_park(user=request.user, park_id=data.get("park"))
        job = import_start(
            actor=request.user,
            kind=data["kind"],
            park=park,
            filename=upload.name,
            content=upload.read(),
            dry_run=data["dry_run"],
        )
        job.refresh_from_db()  # a synchronous runner may have finished it already
        return Response(
            JobSerializer(job).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": reverse("job-detail", args=[job.pk])},
        )


XLSX_RESPONSE = {(200, exporters.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY)}


class ImportTemplateView(APIView):
    """Download the .xlsx template of an import: the header row and one example row."""

    permission_classes = [permissions.IsAuthenticated]
    content_negotiation_class = AnyContentNegotiation

    @extend_schema(
        parameters=[OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=importers.ImportKind.values)],
        responses=XLSX_RESPONSE,
        operation_id="imports_template",
    )
    def get(self, request, kind: str):
        if kind not in importers.IMPORTERS:
            raise Http404
        if not importers.may_import(request.user, kind):
            raise PermissionDenied
        return importers.template_response(kind)


class ExportView(APIView):
    """Download the list of ``kind`` the user may see, filtered as the list endpoint is, as .xlsx or CSV."""

    permission_classes = [permissions.IsAuthenticated, CanExport]
    content_negotiation_class = AnyContentNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=exporters.ExportKind.values),
            OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=exporters.ExportFormat.values),
            OpenApiParameter(
                "q", str, description=_("Free-text search; the other filters of the list endpoint apply too.")
            ),
        ],
        responses={
            (200, exporters.XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
        },
        operation_id="exports_retrieve",
    )
    def get(self, request, kind: str, fmt: str):
        if kind not in exporters.EXPORTS or fmt not in exporters.ExportFormat.values:
            raise Http404
        return exporters.export_response(user=request.user, kind=kind, fmt=fmt, params=request.query_params)
