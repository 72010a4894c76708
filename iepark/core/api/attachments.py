"""
Attachments in the API: ``/api/v1/attachments/`` (list, read, download, delete) and
``AttachmentsActionMixin``, which gives a viewset ``GET``/``POST`` ``…/{id}/attachments/``.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from .. import attachments, policy
from ..models import Attachment
from ..policy import Action
from .base import ReadOnlyScopedViewSet


class AttachmentSerializer(serializers.ModelSerializer):
    parent_type = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "parent_type", "object_id", "name", "kind", "mime", "size", "caption", "created_at", "url"]
        read_only_fields = fields

    def get_parent_type(self, obj: Attachment) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"

    def get_url(self, obj: Attachment) -> str:
        path = reverse("attachment_download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class AttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, help_text=_("Photos (JPEG, PNG, WebP) or PDF documents.")
    )
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)


def _upload_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"files": [str(m) for m in exc.messages]})


class AttachmentsActionMixin:
    """Adds ``…/{id}/attachments/`` to a scoped viewset: list (whoever sees the object) and upload."""

    def may_attach(self, request, obj) -> bool:
        """Whether the requesting user may attach files to ``obj`` (default: whoever may change it)."""
        return policy.can(request.user, Action.CHANGE, obj)

    @extend_schema(methods=["GET"], request=None, responses=AttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        obj = get_object_or_404(self.get_queryset(), pk=pk)  # 404 outside the VIEW scope
        if request.method == "GET":
            rows = policy.restrict(attachments.attachments_of(obj).select_related("content_type"), request.user)
            return Response(AttachmentSerializer(rows, many=True, context={"request": request}).data)
        if not self.may_attach(request, obj):
            raise PermissionDenied
        upload = AttachmentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            rows = attachments.attach_files(
                actor=request.user,
                parent=obj,
                files=upload.validated_data["files"],
                caption=upload.validated_data.get("caption", ""),
            )
        except DjangoValidationError as exc:
            raise _upload_error(exc) from None
        data = AttachmentSerializer(rows, many=True, context={"request": request}).data
        return Response(data, status=status.HTTP_201_CREATED)


class AttachmentFilterSet(django_filters.FilterSet):
    parent_type = django_filters.CharFilter(method="filter_parent_type", label=_("parent type (app.model)"))

    class Meta:
        model = Attachment
        fields = ["object_id", "kind"]

    def filter_parent_type(self, queryset, name, value):
        app_label, _dot, model = value.partition(".")
        return queryset.filter(content_type__app_label=app_label, content_type__model=model)


def attachment_list(*, user):
    return policy.restrict(Attachment.objects.select_related("content_type"), user)


class AttachmentViewSet(mixins.DestroyModelMixin, ReadOnlyScopedViewSet):
    serializer_class = AttachmentSerializer
    selector = staticmethod(attachment_list)
    filterset_class = AttachmentFilterSet
    ordering_fields = ["created_at", "name", "size"]

    def perform_destroy(self, instance: Attachment) -> None:
        if not policy.can(self.request.user, Action.DELETE, instance):
            raise PermissionDenied
        attachments.attachment_delete(actor=self.request.user, attachment=instance)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime, filename=attachment.name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
