"""API serializers of attendance: they validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Student
from iepark.operations.workorders.serializers import choice

from .choices import AttendanceStatus, LeaveStatus
from .models import AttendanceRecord, AttendanceSession, LeaveRequest


class AttendanceRecordSerializer(serializers.ModelSerializer):
    status = choice(AttendanceStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    student_name = serializers.CharField(source="student.person.name", read_only=True)
    cohort_name = serializers.CharField(source="cohort.name", read_only=True)
    date = serializers.DateField(source="session.date", read_only=True)
    course = serializers.IntegerField(source="session.course_id", read_only=True)
    course_code = serializers.CharField(source="session.course.code", read_only=True)

    class Meta:
        model = AttendanceRecord
        fields = [
            "id",
            "session",
            "date",
            "course",
            "course_code",
            "student",
            "student_number",
            "student_name",
            "cohort",
            "cohort_name",
            "status",
            "status_display",
            "note",
            "leave",
            "updated_at",
        ]
        read_only_fields = fields


class AttendanceSessionRecordSerializer(serializers.ModelSerializer):
    status = choice(AttendanceStatus.choices, read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    student_name = serializers.CharField(source="student.person.name", read_only=True)

    class Meta:
        model = AttendanceRecord
        fields = ["id", "student", "student_number", "student_name", "cohort", "status", "note", "leave"]
        read_only_fields = fields


class AttendanceSessionSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    room = serializers.CharField(source="entry.room", read_only=True)
    present_count = serializers.IntegerField(read_only=True, default=0)
    late_count = serializers.IntegerField(read_only=True, default=0)
    absent_count = serializers.IntegerField(read_only=True, default=0)
    excused_count = serializers.IntegerField(read_only=True, default=0)
    records = AttendanceSessionRecordSerializer(many=True, read_only=True)

    class Meta:
        model = AttendanceSession
        fields = [
            "id",
            "entry",
            "course",
            "course_code",
            "room",
            "date",
            "period",
            "start_time",
            "end_time",
            "taken_by",
            "taken_at",
            "updated_at",
            "present_count",
            "late_count",
            "absent_count",
            "excused_count",
            "records",
        ]
        read_only_fields = fields


class AttendanceMarkSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    # Any text: the service names a status that is not one of the four.
    status = serializers.CharField(max_length=20, help_text=_("present, late, absent or excused"))
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AttendanceTakeSerializer(serializers.Serializer):
    entry = serializers.IntegerField(help_text=_("The lecture (timetable entry) of the published timetable."))
    date = serializers.DateField()
    records = AttendanceMarkSerializer(many=True, required=False, default=list)


class AttendanceRosterQuerySerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    date = serializers.DateField()


class AttendanceRosterLineSerializer(serializers.Serializer):
    student = serializers.IntegerField(source="student.pk")
    student_number = serializers.CharField(source="student.student_number")
    student_name = serializers.CharField(source="student.person.name")
    cohort = serializers.IntegerField(source="cohort.pk")
    status = serializers.CharField()
    note = serializers.CharField()
    leave = serializers.IntegerField(source="leave.pk", allow_null=True, default=None)
    recorded = serializers.SerializerMethodField()

    def get_recorded(self, line) -> bool:
        return line.record is not None


class LeaveRequestSerializer(serializers.ModelSerializer):
    student = ScopedRelatedField(queryset=Student.objects.all(), required=False)
    status = choice(LeaveStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    student_name = serializers.CharField(source="student.person.name", read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "student",
            "student_number",
            "student_name",
            "start_date",
            "start_period",
            "end_date",
            "end_period",
            "reason",
            "status",
            "status_display",
            "decided_by",
            "decided_at",
            "decision_note",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["decided_by", "decided_at", "decision_note", "created_by", "created_at"]

    def validate(self, attrs):
        # The model's constraints are the service's to check, with its messages (``end_date`` before ``start_date``).
        return attrs


class LeaveDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
