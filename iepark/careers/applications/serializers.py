"""API serializers of this area. They validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Student

from ..choices import OfferStatus
from ..models import Application, Interview, Notification, Offer, Posting, StudentProfile


class StudentProfileSerializer(serializers.ModelSerializer):
    student = ScopedRelatedField(
        queryset=Student.objects.all(),
        required=False,
        help_text=_("The student (a student creating their own profile may leave it out)."),
    )
    student_name = serializers.CharField(source="student.person.name", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    college_name = serializers.CharField(source="student.college.name", read_only=True)
    major_name = serializers.CharField(source="student.major.name", read_only=True)

    class Meta:
        model = StudentProfile
        fields = [
            "id",
            "student",
            "student_name",
            "college",
            "college_name",
            "major_name",
            "certificates",
            "skills",
            "cv",
            "preferred_posts",
            "preferred_places",
            "earliest_start",
            "open_to_offers",
            "updated_at",
        ]
        validators: list = []


class ApplicationSerializer(serializers.ModelSerializer):
    posting = ScopedRelatedField(queryset=Posting.objects.all())
    student = ScopedRelatedField(
        queryset=Student.objects.all(),
        required=False,
        help_text=_("Left out: the requesting student."),
    )
    posting_title = serializers.CharField(source="posting.display_title", read_only=True)
    enterprise = serializers.IntegerField(source="posting.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="posting.enterprise.name", read_only=True)
    student_name = serializers.CharField(source="student.person.name", read_only=True)
    college_name = serializers.CharField(source="student.college.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "posting",
            "posting_title",
            "enterprise",
            "enterprise_name",
            "student",
            "student_name",
            "college_name",
            "status",
            "status_display",
            "status_reason",
            "cover_letter",
            "matching_round",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "status_reason", "matching_round", "created_at", "updated_at"]
        validators: list = []


class ApplicationMoveSerializer(serializers.Serializer):
    # Plain text rather than a second enum of the application statuses (the service checks the step).
    status = serializers.CharField(
        max_length=20, help_text=_("The next status: screened or interview (or rejected, with a reason).")
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class InterviewSerializer(serializers.ModelSerializer):
    application = ScopedRelatedField(queryset=Application.objects.all())
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    posting_title = serializers.CharField(source="application.posting.display_title", read_only=True)
    student_name = serializers.CharField(source="application.student.person.name", read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "application",
            "posting_title",
            "student_name",
            "starts_at",
            "duration_minutes",
            "location",
            "status",
            "status_display",
            "created_at",
        ]
        read_only_fields = ["status", "created_at"]


class InterviewSlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    duration_minutes = serializers.IntegerField(min_value=5, max_value=480, default=30)
    location = serializers.CharField(max_length=300)


class InterviewProposeSerializer(serializers.Serializer):
    application = ScopedRelatedField(queryset=Application.objects.all())
    slots = InterviewSlotSerializer(many=True, allow_empty=False)


class OfferSerializer(serializers.ModelSerializer):
    application = ScopedRelatedField(queryset=Application.objects.all())
    post = serializers.CharField(max_length=200, required=False, allow_blank=True)
    effective_status = serializers.CharField(
        read_only=True,
        help_text=_(
            "The status as it stands today (one of the status values): a pending offer past its deadline is expired."
        ),
    )
    posting_title = serializers.CharField(source="application.posting.display_title", read_only=True)
    enterprise_name = serializers.CharField(source="application.posting.enterprise.name", read_only=True)
    student_name = serializers.CharField(source="application.student.person.name", read_only=True)
    employment_record = serializers.SerializerMethodField(help_text=_("The employment record of an accepted offer."))

    class Meta:
        model = Offer
        fields = [
            "id",
            "application",
            "posting_title",
            "enterprise_name",
            "student_name",
            "post",
            "monthly_pay",
            "contract_type",
            "start_date",
            "deadline",
            "terms",
            "status",
            "effective_status",
            "answered_at",
            "employment_record",
            "created_at",
        ]
        read_only_fields = ["status", "answered_at", "created_at"]
        validators: list = []

    def get_employment_record(self, obj: Offer) -> int | None:
        record = getattr(obj, "employment_record", None) if obj.status == OfferStatus.ACCEPTED else None
        return record.pk if record is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if getattr(instance, "effective_status", None) is None:
            from .services import offer_status

            data["effective_status"] = offer_status(instance)
        return data


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "kind_display", "text", "params", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None
