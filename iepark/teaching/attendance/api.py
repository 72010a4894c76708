"""
REST endpoints of attendance (registered by ``iepark.urls``): thin over the selectors (reads) and the
services (writes). Attendance is taken or corrected with ``POST attendance-sessions/take/``; leave
requests are decided with the ``approve``, ``reject`` and ``withdraw`` actions.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet

from . import selectors, services
from . import serializers as s
from .filtersets import AttendanceRecordFilterSet, AttendanceSessionFilterSet, LeaveRequestFilterSet


def _sessions_with_records(user, **kwargs):
    # Only the records the user may see: a college's staff read a shared session's records of their own students.
    records = Prefetch(
        "records",
        queryset=selectors.record_list(user=user)
        .select_related("student__person")
        .order_by("student__student_number", "pk"),
    )
    return selectors.session_list(user=user, **kwargs).prefetch_related(records)


def _taught_entry(request, entry_id):
    entry = selectors.taught_entries(user=request.user).filter(pk=entry_id).first()
    if entry is None:
        raise drf_serializers.ValidationError(
            {"entry": [_("This is not a lecture of your courses in a published timetable.")]}
        )
    return entry


class AttendanceSessionViewSet(ReadOnlyScopedViewSet):
    """
    Attendance sessions (a lecture on a date) with their records. The course's teachers see theirs and
    take or correct attendance with ``take``; ``roster`` shows a lecture's roster with the presets.
    """

    serializer_class = s.AttendanceSessionSerializer
    selector = staticmethod(_sessions_with_records)
    filterset_class = AttendanceSessionFilterSet
    ordering_fields = ["date", "period", "id"]

    @extend_schema(request=s.AttendanceTakeSerializer, responses=s.AttendanceSessionSerializer)
    @action(detail=False, methods=["post"], filterset_class=None)
    def take(self, request):
        """Take (or correct) the attendance of a lecture on a date, in one step; unnamed students get the preset."""
        body = s.AttendanceTakeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = _taught_entry(request, data["entry"])
        session = services.attendance_take(actor=request.user, entry=entry, date=data["date"], marks=data["records"])
        return Response(self.get_serializer(self.get_queryset().get(pk=session.pk)).data)

    @extend_schema(
        parameters=[s.AttendanceRosterQuerySerializer], responses=s.AttendanceRosterLineSerializer(many=True)
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def roster(self, request):
        """The roster of a lecture on a date: recorded statuses, else the presets (excused under approved leave)."""
        params = s.AttendanceRosterQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        entry = _taught_entry(request, params.validated_data["entry"])
        date = params.validated_data["date"]
        services.check_slot(entry, date)
        session = selectors.session_list(user=request.user).filter(entry=entry, date=date).first()
        return Response(s.AttendanceRosterLineSerializer(selectors.roster(entry, date, session), many=True).data)


class AttendanceRecordViewSet(ReadOnlyScopedViewSet):
    """Attendance records (read-only): teachers their courses', managers their college's students', students their own."""

    serializer_class = s.AttendanceRecordSerializer
    selector = staticmethod(selectors.record_list)
    filterset_class = AttendanceRecordFilterSet
    ordering_fields = ["session__date", "status", "id"]


class LeaveRequestViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Leave requests. ``POST`` asks for leave (a student for themself; a college's student manager or
    administrator for a student of the college); ``approve`` / ``reject`` (with a note) by the student's
    college; ``withdraw`` by the student while pending. Never changed or deleted otherwise.
    """

    serializer_class = s.LeaveRequestSerializer
    selector = staticmethod(selectors.leave_list)
    filterset_class = LeaveRequestFilterSet
    ordering_fields = ["start_date", "created_at", "status", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def may_attach(self, request, obj) -> bool:
        return services.may_withdraw(request.user, obj) or services.may_decide(request.user, obj)

    def create_object(self, data):
        data = dict(data)
        student = data.pop("student", None)
        if student is None:
            student = (
                selectors.students_for_leave(user=self.request.user).filter(person__user=self.request.user).first()
            )
            if student is None:
                raise drf_serializers.ValidationError({"student": [_("Say which student the leave is for.")]})
        leave = services.leave_request_create(actor=self.request.user, student=student, **data)
        return self.get_queryset().get(pk=leave.pk)

    def _step(self, request, run):
        leave = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])  # 404 outside the VIEW scope
        body = s.LeaveDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run(leave, body.validated_data.get("note", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=leave.pk)).data)

    @extend_schema(request=s.LeaveDecisionSerializer, responses=s.LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve (the student's college): the lectures the leave covers become excused."""
        return self._step(
            request, lambda leave, note: services.leave_approve(actor=request.user, leave=leave, note=note)
        )

    @extend_schema(request=s.LeaveDecisionSerializer, responses=s.LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject with a note saying why (required)."""
        return self._step(
            request, lambda leave, note: services.leave_reject(actor=request.user, leave=leave, note=note)
        )

    @extend_schema(request=None, responses=s.LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The student withdraws their pending request."""
        return self._step(request, lambda leave, note: services.leave_withdraw(actor=request.user, leave=leave))


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("attendance-sessions", AttendanceSessionViewSet, basename="attendancesession")
    router.register("attendance-records", AttendanceRecordViewSet, basename="attendancerecord")
    router.register("leave-requests", LeaveRequestViewSet, basename="leaverequest")
