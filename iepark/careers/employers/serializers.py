"""API serializers of employer profiles, demand plans and postings. They validate shape; services the domain."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Major, Organisation

from ..choices import VettingStatus
from ..models import DemandLine, DemandPlan, EmployerProfile, Posting

VETTING_FIELDS = ["vetting_status", "vetting_status_display", "rejection_reason", "vetted_at"]


class EmployerProfileSerializer(serializers.ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all())
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    vetting_status_display = serializers.CharField(source="get_vetting_status_display", read_only=True)

    class Meta:
        model = EmployerProfile
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "summary",
            "summary_en",
            "employees",
            "benefits",
            "benefits_en",
            "housing",
            "housing_en",
            "commute",
            "contact_email",
            *VETTING_FIELDS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["vetting_status", "rejection_reason", "vetted_at"]
        validators: list = []


class DemandLineSerializer(serializers.ModelSerializer):
    plan = ScopedRelatedField(queryset=DemandPlan.objects.all())
    major = ScopedRelatedField(queryset=Major.objects.all())
    major_name = serializers.CharField(source="major.name", read_only=True)
    shift_pattern_display = serializers.CharField(source="get_shift_pattern_display", read_only=True)

    class Meta:
        model = DemandLine
        fields = [
            "id",
            "plan",
            "year",
            "post",
            "major",
            "major_name",
            "certificates",
            "skills",
            "headcount",
            "pay_min",
            "pay_max",
            "shift_pattern",
            "shift_pattern_display",
            "location",
            "housing_provided",
        ]
        validators: list = []


class PlanLineSerializer(DemandLineSerializer):
    """A line shown inside its plan (read-only there; lines are written at ``/demand-lines/``)."""

    class Meta(DemandLineSerializer.Meta):
        fields = [f for f in DemandLineSerializer.Meta.fields if f != "plan"]
        read_only_fields = fields


class DemandPlanSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Organisation.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    year_to = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Leave out: the plan covers its horizon from the first year.")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    line_count = serializers.IntegerField(read_only=True)
    headcount_total = serializers.IntegerField(read_only=True)
    lines = PlanLineSerializer(many=True, read_only=True)

    class Meta:
        model = DemandPlan
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "title",
            "horizon",
            "year_from",
            "year_to",
            "notes",
            "status",
            "status_display",
            "submitted_at",
            "line_count",
            "headcount_total",
            "lines",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "submitted_at"]
        validators: list = []


class PostingSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Organisation.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    majors = ScopedRelatedField(queryset=Major.objects.all(), many=True, required=False)
    demand_line = ScopedRelatedField(queryset=DemandLine.objects.all(), required=False, allow_null=True)
    vetting_status_display = serializers.CharField(source="get_vetting_status_display", read_only=True)
    employer_approved = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Posting
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "kind",
            "kind_display",
            "title",
            "title_en",
            "description",
            "description_en",
            "majors",
            "certificates",
            "skills",
            "headcount",
            "pay_min",
            "pay_max",
            "shift_pattern",
            "location",
            "housing_provided",
            "start_date",
            "closes_on",
            "demand_line",
            "is_public",
            *VETTING_FIELDS,
            "employer_approved",
            "is_open",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["vetting_status", "rejection_reason", "vetted_at"]
        validators: list = []

    def get_employer_approved(self, posting: Posting) -> bool:
        try:
            return posting.enterprise.employer_profile.vetting_status == VettingStatus.APPROVED
        except ObjectDoesNotExist:
            return False

    def get_is_open(self, posting: Posting) -> bool:
        return posting.is_open() and self.get_employer_approved(posting)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Why: the enterprise sees it (required).")
    )


class ZoneDemandRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    major_id = serializers.IntegerField()
    major = serializers.CharField()
    headcount = serializers.IntegerField()


class ZoneDemandEnterpriseRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    enterprise_id = serializers.IntegerField()
    enterprise = serializers.CharField()
    headcount = serializers.IntegerField()


class ZoneDemandSerializer(serializers.Serializer):
    rows = ZoneDemandRowSerializer(many=True)
    by_enterprise = ZoneDemandEnterpriseRowSerializer(many=True)
