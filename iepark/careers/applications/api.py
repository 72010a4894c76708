"""
REST endpoints of this area (registered by ``iepark.careers.api``): thin over the
selectors (reads) and the services (writes); each workflow step is an ``@action``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet

from ..choices import InterviewStatus
from . import selectors, services
from . import serializers as s
from .filtersets import (
    ApplicationFilterSet,
    InterviewFilterSet,
    NotificationFilterSet,
    OfferFilterSet,
    StudentProfileFilterSet,
)
from .ics import interview_ics

READ_AND_CREATE = ["get", "post", "head", "options"]


class StudentProfileViewSet(ScopedViewSet):
    """Students' career profiles: a student writes their own; their college's student editors may too."""

    serializer_class = s.StudentProfileSerializer
    selector = staticmethod(selectors.student_profile_list)
    filterset_class = StudentProfileFilterSet
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create_object(self, data):
        data = dict(data)
        student = data.pop("student", None) or services.own_student(self.request.user)
        if student is None:
            raise ValidationError({"student": _("Choose the student.")})
        return services.student_profile_create(actor=self.request.user, student=student, **data)

    def update_object(self, instance, data):
        data = dict(data)
        data.pop("student", None)
        return services.student_profile_update(actor=self.request.user, profile=instance, data=data)


class ApplicationViewSet(ScopedViewSet):
    """
    Applications. ``POST`` applies to a posting (the requesting student); the enterprise's HR
    moves (``move``) or turns down (``reject``) an application; its student withdraws it.
    """

    serializer_class = s.ApplicationSerializer
    selector = staticmethod(selectors.application_list)
    filterset_class = ApplicationFilterSet
    http_method_names = READ_AND_CREATE

    def create_object(self, data):
        return services.application_create(
            actor=self.request.user,
            posting=data["posting"],
            student=data.get("student"),
            cover_letter=data.get("cover_letter", ""),
        )

    def _step(self, request, serializer_class, run):
        payload = serializer_class(data=request.data)
        payload.is_valid(raise_exception=True)
        application = run(self.get_object(), payload.validated_data)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=s.ApplicationMoveSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the application one pipeline step (the enterprise's HR)."""
        return self._step(
            request,
            s.ApplicationMoveSerializer,
            lambda app, data: services.application_move(
                actor=request.user, application=app, status=data["status"], reason=data.get("reason", "")
            ),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Turn the application down with a reason (the enterprise's HR)."""
        return self._step(
            request,
            s.ReasonSerializer,
            lambda app, data: services.application_reject(
                actor=request.user, application=app, reason=data.get("reason", "")
            ),
        )

    @extend_schema(request=s.ReasonSerializer, responses=s.ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the application (its student, while it is open)."""
        return self._step(
            request,
            s.ReasonSerializer,
            lambda app, data: services.application_withdraw(
                actor=request.user, application=app, reason=data.get("reason", "")
            ),
        )


class InterviewViewSet(ScopedViewSet):
    """
    Interview times. ``POST`` proposes one time (``propose`` several) for an application
    (the enterprise's HR); its student ``choose``s one; HR may ``cancel``; ``ics`` downloads
    a chosen time as an iCalendar file.
    """

    serializer_class = s.InterviewSerializer
    selector = staticmethod(selectors.interview_list)
    filterset_class = InterviewFilterSet
    http_method_names = READ_AND_CREATE

    def create_object(self, data):
        application = data["application"]
        slot = {k: data.get(k) for k in ("starts_at", "duration_minutes", "location")}
        return services.interview_propose(actor=self.request.user, application=application, slots=[slot])[0]

    @extend_schema(request=s.InterviewProposeSerializer, responses=s.InterviewSerializer(many=True))
    @action(detail=False, methods=["post"])
    def propose(self, request):
        """Propose several times at once for one application."""
        payload = s.InterviewProposeSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        interviews = services.interview_propose(
            actor=request.user, application=payload.validated_data["application"], slots=payload.validated_data["slots"]
        )
        return Response(self.get_serializer(interviews, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.InterviewSerializer)
    @action(detail=True, methods=["post"])
    def choose(self, request, pk=None):
        """Choose this time (the application's student); the other proposed times become "not chosen"."""
        interview = services.interview_choose(actor=request.user, interview=self.get_object())
        return Response(self.get_serializer(interview).data)

    @extend_schema(request=None, responses=s.InterviewSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel this time (the enterprise's HR)."""
        interview = services.interview_cancel(actor=request.user, interview=self.get_object())
        return Response(self.get_serializer(interview).data)

    @extend_schema(request=None, responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def ics(self, request, pk=None):
        """Download the chosen time as an iCalendar (RFC 5545) file."""
        interview = self.get_object()
        if interview.status != InterviewStatus.CHOSEN:
            raise ValidationError({"status": _("Only a chosen interview time can be added to a calendar.")})
        response = HttpResponse(interview_ics(interview), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
        return response


class OfferViewSet(ScopedViewSet):
    """
    Offers. ``POST`` makes an offer on an application (the enterprise's HR); its student
    ``accept``s (creating the employment record) or ``decline``s it by the deadline.
    """

    serializer_class = s.OfferSerializer
    selector = staticmethod(selectors.offer_list)
    filterset_class = OfferFilterSet
    http_method_names = READ_AND_CREATE

    def create_object(self, data):
        data = dict(data)
        application = data.pop("application")
        offer = services.offer_make(actor=self.request.user, application=application, **data)
        return self.get_queryset().get(pk=offer.pk)

    @extend_schema(request=None, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the offer (its student, by the deadline)."""
        offer = services.offer_accept(actor=request.user, offer=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)

    @extend_schema(request=s.ReasonSerializer, responses=s.OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the offer (its student, by the deadline)."""
        payload = s.ReasonSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        offer = services.offer_decline(
            actor=request.user, offer=self.get_object(), reason=payload.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=offer.pk)).data)


class NotificationViewSet(ReadOnlyScopedViewSet):
    """The requesting user's notifications, unread first."""

    serializer_class = s.NotificationSerializer
    selector = staticmethod(selectors.notification_list)
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at", "read_at"]

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def mark_read(self, request, pk=None):
        notification = services.notification_mark_read(actor=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: OpenApiResponse(description="{'marked': n}")})
    @action(detail=False, methods=["post"])
    def mark_all_read(self, request):
        return Response({"marked": services.notification_mark_all_read(actor=request.user)})


def register(router) -> None:
    """Register this area's viewsets on the API router."""
    router.register("career-profiles", StudentProfileViewSet, basename="studentprofile")
    router.register("applications", ApplicationViewSet, basename="application")
    router.register("interviews", InterviewViewSet, basename="interview")
    router.register("offers", OfferViewSet, basename="offer")
    router.register("notifications", NotificationViewSet, basename="notification")
