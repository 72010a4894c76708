"""REST endpoints of the core app: thin over selectors (reads) and services (writes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from .. import policy, selectors, services
from ..filtersets import (
    AuditEventFilterSet,
    MajorFilterSet,
    MembershipFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    StudentFilterSet,
    TeacherFilterSet,
)
from . import serializers as s
from .attachments import AttachmentViewSet
from .base import ReadOnlyScopedViewSet, ScopedViewSet


class ParkViewSet(ScopedViewSet):
    serializer_class = s.ParkSerializer
    selector = staticmethod(selectors.park_list)
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create_object(self, data):
        # Parks are created by the installation's superusers (the policy refuses everyone else).
        return services.park_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.park_update(actor=self.request.user, park=instance, data=data)


class OrganisationViewSet(ScopedViewSet):
    serializer_class = s.OrganisationSerializer
    selector = staticmethod(selectors.organisation_list)
    filterset_class = OrganisationFilterSet

    def create_object(self, data):
        return services.organisation_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.organisation_update(actor=self.request.user, organisation=instance, data=data)

    def delete_object(self, instance):
        services.organisation_delete(actor=self.request.user, organisation=instance)


class PersonViewSet(ScopedViewSet):
    serializer_class = s.PersonSerializer
    selector = staticmethod(selectors.person_list)
    filterset_class = PersonFilterSet

    def create_object(self, data):
        organisation, role = data.pop("organisation", None), data.pop("role", None)
        if (organisation is None) != (role is None):
            from django.core.exceptions import ValidationError

            raise ValidationError({"role": _("Give both the organisation and the role, or neither.")})
        membership = {"organisation": organisation, "role": role} if organisation else None
        return services.person_create(actor=self.request.user, membership=membership, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        data.pop("organisation", None)
        data.pop("role", None)
        return services.person_update(actor=self.request.user, person=instance, data=data)

    def delete_object(self, instance):
        services.person_delete(actor=self.request.user, person=instance)

    @extend_schema(request=None, responses=dict)
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """Return everything held about the person (the person themself, or who may change them)."""
        return Response(services.person_export(actor=request.user, person=self.get_object()))

    @extend_schema(request=None, responses=s.PersonSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase the person's identifying data (park administrators)."""
        person = services.person_erase(actor=request.user, person=self.get_object())
        return Response(self.get_serializer(person).data)


class MembershipViewSet(ScopedViewSet):
    serializer_class = s.MembershipSerializer
    selector = staticmethod(selectors.membership_list)
    filterset_class = MembershipFilterSet

    def create_object(self, data):
        return services.membership_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.membership_update(actor=self.request.user, membership=instance, data=data)

    def delete_object(self, instance):
        services.membership_delete(actor=self.request.user, membership=instance)


class MajorViewSet(ScopedViewSet):
    serializer_class = s.MajorSerializer
    selector = staticmethod(selectors.major_list)
    filterset_class = MajorFilterSet

    def create_object(self, data):
        return services.major_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        return services.major_update(actor=self.request.user, major=instance, data=data)

    def delete_object(self, instance):
        services.major_delete(actor=self.request.user, major=instance)


def _split_person(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    data = dict(data)
    return data, data.pop("person", {})


class StudentViewSet(ScopedViewSet):
    serializer_class = s.StudentSerializer
    selector = staticmethod(selectors.student_list)
    filterset_class = StudentFilterSet

    def create_object(self, data):
        fields, person_fields = _split_person(data)
        return services.student_create(actor=self.request.user, person_fields=person_fields, **fields)

    def update_object(self, instance, data):
        fields, person_fields = _split_person(data)
        return services.student_update(
            actor=self.request.user, student=instance, data=fields, person_data=person_fields
        )

    def delete_object(self, instance):
        services.student_delete(actor=self.request.user, student=instance)


class TeacherViewSet(ScopedViewSet):
    serializer_class = s.TeacherSerializer
    selector = staticmethod(selectors.teacher_list)
    filterset_class = TeacherFilterSet

    def create_object(self, data):
        fields, person_fields = _split_person(data)
        return services.teacher_create(actor=self.request.user, person_fields=person_fields, **fields)

    def update_object(self, instance, data):
        fields, person_fields = _split_person(data)
        return services.teacher_update(
            actor=self.request.user, teacher=instance, data=fields, person_data=person_fields
        )

    def delete_object(self, instance):
        services.teacher_delete(actor=self.request.user, teacher=instance)


class AuditEventViewSet(ReadOnlyScopedViewSet):
    serializer_class = s.AuditEventSerializer
    selector = staticmethod(selectors.audit_event_list)
    filterset_class = AuditEventFilterSet
    ordering_fields = ["id", "timestamp"]


class JobViewSet(ReadOnlyScopedViewSet):
    serializer_class = s.JobSerializer
    selector = staticmethod(selectors.job_list)
    filterset_fields = ["kind", "status"]

    @extend_schema(request=None, responses=s.JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        from ..tasks import job_cancel

        job = self.get_object()
        job = job_cancel(actor=request.user, job=job)
        return Response(self.get_serializer(job).data)


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenView(APIView):
    """Exchange a username and password for an API token (``Authorization: Token <token>``)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [TokenThrottle]

    @extend_schema(request=s.TokenRequestSerializer, responses=s.TokenResponseSerializer)
    def post(self, request):
        serializer = s.TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            return Response(
                {"non_field_errors": [_("Unable to log in with the given username and password.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """Return the requesting user with their person and active memberships."""

    @extend_schema(responses=dict)
    def get(self, request):
        actor = policy.actor_for(request.user)
        return Response(
            {
                "username": request.user.get_username(),
                "person": actor.person_id,
                "park": actor.person_park_id,
                "memberships": [
                    {"role": g.role, "organisation": g.organisation_id, "organisation_kind": g.organisation_kind}
                    for g in actor.grants
                ],
            }
        )


def healthz(request):
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable", "detail": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def register(router) -> None:
    router.register("parks", ParkViewSet, basename="park")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    router.register("people", PersonViewSet, basename="person")
    router.register("memberships", MembershipViewSet, basename="membership")
    router.register("majors", MajorViewSet, basename="major")
    router.register("students", StudentViewSet, basename="student")
    router.register("teachers", TeacherViewSet, basename="teacher")
    router.register("audit-events", AuditEventViewSet, basename="auditevent")
    router.register("jobs", JobViewSet, basename="job")
    router.register("attachments", AttachmentViewSet, basename="attachment")
