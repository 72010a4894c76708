"""
REST endpoints of venues (registered by ``iepark.urls``): thin over the selectors (reads) and the
services (writes); each decision is an ``@action``.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.base import ScopedViewSet

from . import selectors, services
from . import serializers as s
from .filtersets import VenueBookingFilterSet

NO_DELETE = ["get", "post", "patch", "put", "head", "options"]


class VenueBookingViewSet(ScopedViewSet):
    """
    Venue bookings. ``POST`` requests a room at a time (anybody in the park; approved at once when
    the requester approves that room); ``PATCH`` changes a pending request (its requester or an
    approver); ``approve`` and ``reject`` (with a reason) are the approvers'; ``cancel`` is the
    requester's, or an approver's for an approved booking (with a reason). ``free-rooms`` lists the
    bookable rooms free at a time. Who sees which booking: see docs/venues.md.
    """

    serializer_class = s.VenueBookingSerializer
    selector = staticmethod(selectors.booking_list)
    filterset_class = VenueBookingFilterSet
    ordering_fields = ["date", "start_time", "status", "created_at", "id"]
    http_method_names = NO_DELETE

    def create_object(self, data):
        booking = services.booking_request(actor=self.request.user, **data)
        return self.get_queryset().get(pk=booking.pk)

    def update_object(self, instance, data):
        services.booking_update(actor=self.request.user, booking=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def _step(self, request, body_class, run):
        booking = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])  # 404 outside the VIEW scope
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        run(booking, body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=booking.pk)).data)

    @extend_schema(request=s.VenueNoteSerializer, responses=s.VenueBookingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a pending request (an approver of the room), if its time is still free."""
        return self._step(
            request,
            s.VenueNoteSerializer,
            lambda b, d: services.booking_approve(actor=request.user, booking=b, note=d.get("note", "")),
        )

    @extend_schema(request=s.VenueReasonSerializer, responses=s.VenueBookingSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a pending request with a reason (an approver of the room)."""
        return self._step(
            request,
            s.VenueReasonSerializer,
            lambda b, d: services.booking_reject(actor=request.user, booking=b, reason=d["reason"]),
        )

    @extend_schema(request=s.VenueCancelSerializer, responses=s.VenueBookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel: the requester (pending or approved), or an approver (approved, with a reason)."""
        return self._step(
            request,
            s.VenueCancelSerializer,
            lambda b, d: services.booking_cancel(actor=request.user, booking=b, reason=d.get("reason", "")),
        )

    @extend_schema(parameters=[s.VenueFreeRoomsQuerySerializer], responses=s.VenueFreeRoomSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="free-rooms", filterset_class=None, pagination_class=None)
    def free_rooms(self, request):
        """The bookable rooms the user sees that are free on ``date`` from ``start_time`` to ``end_time``."""
        data = request.query_params.copy()
        params = s.VenueFreeRoomsQuerySerializer(
            data={**{k: data.get(k) for k in data if k != "features"}, "features": data.getlist("features")}
        )
        params.is_valid(raise_exception=True)
        d = params.validated_data
        rows = selectors.free_rooms(
            user=request.user,
            day=d["date"],
            start=d["start_time"],
            end=d["end_time"],
            room_kind=d.get("room_kind") or "",
            min_capacity=d.get("min_capacity"),
            features=d.get("features") or [],
        )
        return Response(s.VenueFreeRoomSerializer(rows, many=True).data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("venue-bookings", VenueBookingViewSet, basename="venuebooking")
