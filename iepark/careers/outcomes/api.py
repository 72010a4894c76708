"""
REST endpoints of this area (registered by ``iepark.careers.api``): thin over the selectors and services.

- ``/api/v1/employment-records/`` (+ ``POST {id}/end/``)
- ``/api/v1/employment-claims/`` (+ ``GET to-settle/``, ``POST {id}/apply/``, ``POST {id}/dismiss/``)
- ``/api/v1/headcount-confirmations/`` (create with one line per current employee; read; ``GET roster/``)
- ``/api/v1/graduate-destinations/`` (+ ``GET placement/``, ``GET suggestion/``)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core import policy
from iepark.core.api.base import ScopedViewSet

from ..models import HeadcountConfirmation
from . import selectors, services
from . import serializers as s
from .filtersets import (
    EmploymentClaimFilterSet,
    EmploymentRecordFilterSet,
    GraduateDestinationFilterSet,
    HeadcountConfirmationFilterSet,
)


class EmploymentRecordViewSet(ScopedViewSet):
    """Graduates' employment spells: the settled record the retention figures read."""

    serializer_class = s.EmploymentRecordSerializer
    selector = staticmethod(selectors.employment_record_list)
    filterset_class = EmploymentRecordFilterSet

    def create_object(self, data):
        return services.employment_record_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("student", None)
        return services.employment_record_update(actor=self.request.user, record=instance, data=data)

    def delete_object(self, instance):
        services.employment_record_delete(actor=self.request.user, record=instance)

    @extend_schema(request=s.RecordEndSerializer, responses=s.RecordEndResultSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a current spell; with "transferred", ``follow_on`` opens the record at the new zone employer."""
        record = self.get_object()
        payload = s.RecordEndSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        ended, follow_on = services.employment_record_end(
            actor=request.user,
            record=record,
            end_date=data["end_date"],
            leave_reason=data["leave_reason"],
            follow_on=data.get("follow_on"),
        )
        context = self.get_serializer_context()
        return Response(
            {
                "ended": s.EmploymentRecordSerializer(ended, context=context).data,
                "follow_on": s.EmploymentRecordSerializer(follow_on, context=context).data if follow_on else None,
            }
        )


class EmploymentClaimViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """
    What each source says about a graduate's employment on a date.

    Posting one records the student's own report or the college's survey; it is
    compared with the records at once (``status``: agrees or conflict).
    Enterprises' claims come from their headcount confirmations.
    """

    serializer_class = s.EmploymentClaimSerializer
    filterset_class = EmploymentClaimFilterSet
    ordering_fields = "__all__"

    def get_queryset(self):
        if self.action == "to_settle":
            return selectors.conflicts_to_settle(user=self.request.user)
        return selectors.employment_claim_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.employment_claim_create(
            actor=self.request.user, student=data.pop("student"), source=data.pop("source", ""), **data
        )

    def _settleable(self):
        claim = self.get_object()
        if not policy.can(self.request.user, policy.Action.CHANGE, claim):
            raise PermissionDenied
        return claim

    @action(detail=False, methods=["get"], url_path="to-settle")
    def to_settle(self, request):
        """The disagreements the requester may settle."""
        return self.list(request)

    @extend_schema(request=s.ClaimApplySerializer, responses=s.EmploymentClaimSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Settle a conflict by correcting the records as the claim says."""
        claim = self._settleable()
        payload = s.ClaimApplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        claim = services.claim_apply(actor=request.user, claim=claim, **payload.validated_data)
        return Response(self.get_serializer(claim).data)

    @extend_schema(request=s.ClaimDismissSerializer, responses=s.EmploymentClaimSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Settle a conflict by dismissing the claim, with a note saying why."""
        claim = self._settleable()
        payload = s.ClaimDismissSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        claim = services.claim_dismiss(actor=request.user, claim=claim, note=payload.validated_data["note"])
        return Response(self.get_serializer(claim).data)


class HeadcountConfirmationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """An enterprise's monthly confirmation of its graduate employees: created once per month, then read-only."""

    serializer_class = s.HeadcountConfirmationSerializer
    filterset_class = HeadcountConfirmationFilterSet
    ordering_fields = ["month", "created_at", "confirmed", "left"]

    def get_queryset(self):
        return selectors.headcount_confirmation_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.HeadcountConfirmationDetailSerializer
        return super().get_serializer_class()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.headcount_confirm(
            actor=self.request.user, enterprise=data["enterprise"], month=data["month"], lines=data["lines"]
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("enterprise", int, required=True),
            OpenApiParameter("month", str, required=True, description="YYYY-MM"),
        ],
        responses=s.EmploymentRecordSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def roster(self, request):
        """The records an enterprise's HR confirms for a month (its graduates current on the month's day)."""
        query = s.RosterQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        enterprise, month = query.validated_data["enterprise"], query.validated_data["month"]
        if not policy.can_add(request.user, HeadcountConfirmation(enterprise=enterprise, month=month)):
            raise PermissionDenied
        rows = selectors.headcount_roster(enterprise=enterprise, month=month)
        return Response(s.EmploymentRecordSerializer(rows, many=True, context=self.get_serializer_context()).data)


class GraduateDestinationViewSet(ScopedViewSet):
    """Graduates' destinations (毕业去向) as of a date; the latest on or before a date counts."""

    serializer_class = s.GraduateDestinationSerializer
    selector = staticmethod(selectors.destination_list)
    filterset_class = GraduateDestinationFilterSet

    def create_object(self, data):
        return services.destination_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("student", None)
        return services.destination_update(actor=self.request.user, destination=instance, data=data)

    def delete_object(self, instance):
        services.destination_delete(actor=self.request.user, destination=instance)

    @extend_schema(parameters=[s.PlacementQuerySerializer], responses=s.PlacementSerializer)
    @action(detail=False, methods=["get"])
    def placement(self, request):
        """The placement of a graduating class as of a date, per category and per college, with the rate."""
        query = s.PlacementQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        summary = selectors.placement(
            request.user, data["graduation_year"], data.get("as_of") or timezone.localdate(), park=data.get("park")
        )
        return Response(s.PlacementSerializer(summary).data)

    @extend_schema(parameters=[s.SuggestionQuerySerializer], responses=dict)
    @action(detail=False, methods=["get"])
    def suggestion(self, request):
        """The destination the graduate's current zone employment suggests (empty when none)."""
        query = s.SuggestionQuerySerializer(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        found = selectors.destination_suggestion(
            user=request.user, student=data["student"], as_of=data.get("as_of") or timezone.localdate()
        )
        if not found:
            return Response({})
        return Response(
            {
                "category": found["category"],
                "employer": found["employer"].pk,
                "detail": found["detail"],
                "record": found["record"].pk,
            }
        )


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("employment-records", EmploymentRecordViewSet, basename="employmentrecord")
    router.register("employment-claims", EmploymentClaimViewSet, basename="employmentclaim")
    router.register("headcount-confirmations", HeadcountConfirmationViewSet, basename="headcountconfirmation")
    router.register("graduate-destinations", GraduateDestinationViewSet, basename="graduatedestination")
