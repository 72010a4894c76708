"""
The one pattern for API endpoints: a viewset over a selector, writing through services.

Reads come from the model's selector (scoped by the policy); a row outside the
user's scope is 404. Writes check the CHANGE/DELETE scope (403 when the row is
visible but not writable) and call the model's service, which validates,
audits and commits atomically.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from rest_framework import mixins, viewsets
from rest_framework.exceptions import PermissionDenied

from .. import policy
from ..policy import Action


class ScopedViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Base of every model endpoint. Subclasses set ``selector`` and the three service hooks."""

    selector: ClassVar[Any]
    ordering_fields: ClassVar[list[str] | str] = "__all__"

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(user=self.request.user)

    def get_object(self):
        obj = super().get_object()  # 404 outside the VIEW scope
        if self.request.method not in ("GET", "HEAD", "OPTIONS"):
            action = Action.DELETE if self.request.method == "DELETE" else Action.CHANGE
            if not policy.can(self.request.user, action, obj):
                raise PermissionDenied
        return obj

    def perform_create(self, serializer):
        serializer.instance = self.create_object(serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = self.update_object(serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance):
        self.delete_object(instance)

    def create_object(self, data: dict[str, Any]):  # pragma: no cover - overridden
        raise NotImplementedError

    def update_object(self, instance, data: dict[str, Any]):  # pragma: no cover - overridden
        raise NotImplementedError

    def delete_object(self, instance) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ReadOnlyScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Base of read-only endpoints (audit events, jobs)."""

    selector: ClassVar[Any]

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(user=self.request.user)
