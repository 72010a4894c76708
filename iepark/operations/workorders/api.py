"""
REST endpoints of maintenance work orders (registered by ``iepark.urls``): thin over
the selectors (reads) and the services (writes); each workflow step is an ``@action``.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ScopedViewSet

from . import selectors, services
from . import serializers as s
from .filtersets import MaintenancePlanFilterSet, ServiceLevelFilterSet, WorkOrderFilterSet
from .models import WorkOrderEvent

NO_DELETE = ["get", "post", "patch", "put", "head", "options"]


def _orders_with_timeline(user, **kwargs):
    events = Prefetch("events", queryset=WorkOrderEvent.objects.order_by("at", "pk"))
    return selectors.work_order_list(user=user, **kwargs).prefetch_related(events)


class WorkOrderViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Work orders. ``POST`` reports a fault (anybody in the park); the desk (operator staff, park
    administrators) corrects it with ``PATCH`` and runs it with ``assign``, ``start``, ``resolve`` and
    ``cancel``; the reporter ``confirm``s or ``reopen``s the fix and ``rate``s the service.
    ``overdue`` flags are live. Filters: status, category, urgency, overdue, escalated, assignee...
    """

    serializer_class = s.WorkOrderSerializer
    selector = staticmethod(_orders_with_timeline)
    filterset_class = WorkOrderFilterSet
    ordering_fields = ["reported_at", "response_due", "resolution_due", "urgency", "status", "id"]
    http_method_names = NO_DELETE

    def may_attach(self, request, obj) -> bool:
        """The desk, or the order's reporter (photos of the fault)."""
        return services.may_add_photos(request.user, obj)

    def create_object(self, data):
        order = services.work_order_report(actor=self.request.user, **data)
        return self.get_queryset().get(pk=order.pk)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)  # an order stays in its park
        services.work_order_update(actor=self.request.user, order=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def _step(self, request, body_class, run):
        order = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])  # 404 outside the VIEW scope
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(order, body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=s.WorkOrderAssignSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Dispatch (or hand over) the order to a member of the operator's staff (the desk)."""
        return self._step(
            request,
            s.WorkOrderAssignSerializer,
            lambda o, d: services.work_order_assign(
                actor=request.user, order=o, assignee=d["assignee"], note=d.get("note", "")
            ),
        )

    @extend_schema(request=s.WorkOrderNoteSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Record that the work started (the response)."""
        return self._step(
            request, s.WorkOrderNoteSerializer, lambda o, d: services.work_order_start(actor=request.user, order=o, **d)
        )

    @extend_schema(request=s.WorkOrderNoteSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Record the fix with a note of what was done (required)."""
        return self._step(
            request,
            s.WorkOrderNoteSerializer,
            lambda o, d: services.work_order_resolve(actor=request.user, order=o, note=d.get("note", "")),
        )

    @extend_schema(request=s.WorkOrderReasonSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an open order with a reason (the desk; the reporter while it is new)."""
        return self._step(
            request,
            s.WorkOrderReasonSerializer,
            lambda o, d: services.work_order_cancel(actor=request.user, order=o, reason=d["reason"]),
        )

    @extend_schema(request=s.WorkOrderConfirmSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The reporter confirms the fix, optionally with a rating (1-5) and a comment."""
        return self._step(
            request,
            s.WorkOrderConfirmSerializer,
            lambda o, d: services.work_order_confirm(
                actor=request.user, order=o, rating=d.get("rating"), comment=d.get("comment", "")
            ),
        )

    @extend_schema(request=s.WorkOrderReasonSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The reporter says the fault is not fixed, with a reason."""
        return self._step(
            request,
            s.WorkOrderReasonSerializer,
            lambda o, d: services.work_order_reopen(actor=request.user, order=o, reason=d["reason"]),
        )

    @extend_schema(request=s.WorkOrderRateSerializer, responses=s.WorkOrderSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The reporter rates the service (1-5, once) after the fix."""
        return self._step(
            request,
            s.WorkOrderRateSerializer,
            lambda o, d: services.work_order_rate(
                actor=request.user, order=o, rating=d["rating"], comment=d.get("comment", "")
            ),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("park", OpenApiTypes.INT, required=False),
            OpenApiParameter("since", OpenApiTypes.DATE, required=False),
            OpenApiParameter("until", OpenApiTypes.DATE, required=False),
        ],
        responses=s.WorkOrderComplianceRowSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def compliance(self, request):
        """Deadline compliance per category of the orders reported in the period (visible to the user)."""
        params = WorkOrderComplianceParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        rows = selectors.compliance(request.user, data.get("park"), since=data.get("since"), until=data.get("until"))
        return Response(s.WorkOrderComplianceRowSerializer(rows, many=True).data)


class WorkOrderComplianceParams(drf_serializers.Serializer):
    park = drf_serializers.IntegerField(required=False, min_value=1)
    since = drf_serializers.DateField(required=False)
    until = drf_serializers.DateField(required=False)

    def validate(self, attrs):
        from django.utils.translation import gettext as _

        if attrs.get("since") and attrs.get("until") and attrs["until"] < attrs["since"]:
            raise drf_serializers.ValidationError({"until": _("The end of the period cannot be before its start.")})
        return attrs


class ServiceLevelViewSet(ScopedViewSet):
    """A park's response and resolution times per urgency (defaults apply to urgencies without a row)."""

    serializer_class = s.ServiceLevelSerializer
    selector = staticmethod(selectors.service_level_list)
    filterset_class = ServiceLevelFilterSet
    ordering_fields = ["urgency", "id"]

    def create_object(self, data):
        return services.service_level_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)
        data.pop("urgency", None)
        return services.service_level_update(actor=self.request.user, level=instance, data=data)

    def delete_object(self, instance):
        services.service_level_delete(actor=self.request.user, level=instance)


class MaintenancePlanViewSet(ScopedViewSet):
    """Preventive maintenance plans: each creates a work order every time it falls due (daily run)."""

    serializer_class = s.MaintenancePlanSerializer
    selector = staticmethod(selectors.maintenance_plan_list)
    filterset_class = MaintenancePlanFilterSet
    ordering_fields = ["next_due", "title", "id"]

    def create_object(self, data):
        plan = services.maintenance_plan_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=plan.pk)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("park", None)
        services.maintenance_plan_update(actor=self.request.user, plan=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.maintenance_plan_delete(actor=self.request.user, plan=instance)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("work-orders", WorkOrderViewSet, basename="workorder")
    router.register("work-order-service-levels", ServiceLevelViewSet, basename="workorderservicelevel")
    router.register("maintenance-plans", MaintenancePlanViewSet, basename="maintenanceplan")
