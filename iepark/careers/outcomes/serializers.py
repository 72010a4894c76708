"""API serializers of this area: they validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park, Student

from ..choices import ContractType, LeaveReason, PayBand, RecordSource
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from . import selectors


def _user(field: serializers.Field):
    request = field.context.get("request")
    return getattr(request, "user", None)


class EmployerField(serializers.PrimaryKeyRelatedField):
    """A zone enterprise the requesting user may name as an employer (others are "does not exist")."""

    def get_queryset(self):
        return selectors.employer_choices(user=_user(self))


class EmployableStudentField(serializers.PrimaryKeyRelatedField):
    """A graduate the requesting user may open a record for (HR: also its applicants)."""

    def get_queryset(self):
        return selectors.employable_students(user=_user(self))


class GraduateFields(serializers.Serializer):
    """Read-only facts about the graduate a row is about."""

    student_name = serializers.CharField(source="student.person.name", read_only=True)
    student_number = serializers.CharField(source="student.student_number", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    college_name = serializers.CharField(source="student.college.name", read_only=True)
    cohort_year = serializers.IntegerField(source="student.cohort_year", read_only=True)


class EmploymentRecordSerializer(GraduateFields, serializers.ModelSerializer):
    student = EmployableStudentField(queryset=Student.objects.all())
    employer = EmployerField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    employer_label = serializers.CharField(read_only=True)
    in_zone = serializers.BooleanField(read_only=True)

    class Meta:
        model = EmploymentRecord
        fields = [
            "id",
            "student",
            "student_name",
            "student_number",
            "college",
            "college_name",
            "cohort_year",
            "employer",
            "employer_name",
            "employer_label",
            "in_zone",
            "post",
            "start_date",
            "contract_type",
            "pay_band",
            "social_insurance_start",
            "end_date",
            "leave_reason",
            "via_order_class",
            "source",
            "offer",
            "last_confirmed",
        ]
        read_only_fields = ["source", "offer", "last_confirmed"]
        # The services run the model's validation (constraints included) with the policy's checks.
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple) and hasattr(self.instance, "pk"):
            self.fields["student"].read_only = True


class FollowOnSerializer(serializers.Serializer):
    employer = EmployerField(queryset=Organisation.objects.all())
    post = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    contract_type = serializers.ChoiceField(choices=ContractType.choices, required=False, allow_blank=True)
    pay_band = serializers.ChoiceField(choices=PayBand.choices, required=False, allow_blank=True)
    social_insurance_start = serializers.DateField(required=False, allow_null=True)


class RecordEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    leave_reason = serializers.ChoiceField(choices=LeaveReason.choices)
    follow_on = FollowOnSerializer(
        required=False,
        allow_null=True,
        help_text=_("After a transfer within the zone: the record at the new zone employer, opened in the same step."),
    )


class RecordEndResultSerializer(serializers.Serializer):
    ended = EmploymentRecordSerializer()
    follow_on = EmploymentRecordSerializer(allow_null=True)


# The sources a claim may be posted with (an enterprise's claims come from its headcount confirmation).
CLAIM_SOURCES = [
    (RecordSource.COLLEGE_SURVEY, RecordSource.COLLEGE_SURVEY.label),
    (RecordSource.STUDENT, RecordSource.STUDENT.label),
]


class EmploymentClaimSerializer(GraduateFields, serializers.ModelSerializer):
    student = ScopedRelatedField(queryset=Student.objects.all())
    employer = EmployerField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    source = serializers.ChoiceField(
        choices=CLAIM_SOURCES,
        required=False,
        help_text=_("The student's own report or the college's survey (by default: which the requester makes)."),
    )
    as_of = serializers.DateField(required=False)

    class Meta:
        model = EmploymentClaim
        fields = [
            "id",
            "student",
            "student_name",
            "student_number",
            "college",
            "college_name",
            "cohort_year",
            "source",
            "as_of",
            "employed",
            "employer",
            "employer_name",
            "end_date",
            "leave_reason",
            "note",
            "status",
            "record",
            "settled_by",
            "settlement_note",
            "created_at",
        ]
        read_only_fields = ["end_date", "leave_reason", "status", "record", "settled_by", "settlement_note"]
        validators: list = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["source"] = instance.source  # enterprise claims too, though only two sources may be posted
        return data


class ClaimApplySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    post = serializers.CharField(max_length=200, required=False, allow_blank=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    leave_reason = serializers.ChoiceField(choices=LeaveReason.choices, required=False, allow_blank=True)


class ClaimDismissSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300)


class HeadcountLineSerializer(serializers.Serializer):
    record = serializers.IntegerField(help_text=_("Id of a current employment record of the enterprise."))
    employed = serializers.BooleanField(default=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    leave_reason = serializers.ChoiceField(choices=LeaveReason.choices, required=False, allow_blank=True)


class HeadcountConfirmationSerializer(serializers.ModelSerializer):
    enterprise = ScopedRelatedField(queryset=Organisation.objects.all())
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"], help_text=_("YYYY-MM (or its first day)."))
    lines = HeadcountLineSerializer(many=True, write_only=True, help_text=_("One line per current graduate employee."))

    class Meta:
        model = HeadcountConfirmation
        fields = ["id", "enterprise", "enterprise_name", "month", "confirmed", "left", "created_at", "lines"]
        read_only_fields = ["confirmed", "left", "created_at"]
        validators: list = []


class HeadcountClaimLineSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.person.name", read_only=True)

    class Meta:
        model = EmploymentClaim
        fields = ["id", "record", "student", "student_name", "as_of", "employed", "end_date", "leave_reason"]
        read_only_fields = fields


class HeadcountConfirmationDetailSerializer(HeadcountConfirmationSerializer):
    claims = serializers.SerializerMethodField()

    class Meta(HeadcountConfirmationSerializer.Meta):
        fields = [*HeadcountConfirmationSerializer.Meta.fields, "claims"]

    def get_claims(self, obj) -> list[dict]:
        rows = selectors.headcount_claims(user=_user(self), confirmation=obj)
        return HeadcountClaimLineSerializer(rows, many=True).data


class RosterQuerySerializer(serializers.Serializer):
    enterprise = ScopedRelatedField(queryset=Organisation.objects.all())
    month = serializers.DateField(input_formats=["%Y-%m", "%Y-%m-%d"])


class GraduateDestinationSerializer(GraduateFields, serializers.ModelSerializer):
    student = ScopedRelatedField(queryset=Student.objects.all())
    employer = EmployerField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = GraduateDestination
        fields = [
            "id",
            "student",
            "student_name",
            "student_number",
            "college",
            "college_name",
            "cohort_year",
            "category",
            "category_display",
            "as_of",
            "employer",
            "detail",
            "source",
            "created_at",
        ]
        read_only_fields = ["source", "created_at"]
        validators: list = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and hasattr(self.instance, "pk"):
            self.fields["student"].read_only = True


class PlacementQuerySerializer(serializers.Serializer):
    graduation_year = serializers.IntegerField(min_value=1990, max_value=2200)
    as_of = serializers.DateField(required=False)
    park = ScopedRelatedField(queryset=Park.objects.all(), required=False)


class PlacementCollegeSerializer(serializers.Serializer):
    college_id = serializers.IntegerField()
    college = serializers.CharField()
    graduates = serializers.IntegerField()
    placed = serializers.IntegerField()
    not_placed = serializers.IntegerField()
    without_destination = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    categories = serializers.DictField(child=serializers.IntegerField())


class PlacementSerializer(serializers.Serializer):
    graduation_year = serializers.IntegerField()
    cohort_year = serializers.IntegerField()
    as_of = serializers.DateField()
    graduates = serializers.IntegerField()
    placed = serializers.IntegerField()
    not_placed = serializers.IntegerField()
    without_destination = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    categories = serializers.DictField(child=serializers.IntegerField())
    colleges = PlacementCollegeSerializer(many=True)


class SuggestionQuerySerializer(serializers.Serializer):
    student = ScopedRelatedField(queryset=Student.objects.all())
    as_of = serializers.DateField(required=False)
