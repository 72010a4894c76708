"""API serializers of the core models. They validate shape; services validate the domain."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .. import policy
from ..models import AuditEvent, Job, Major, Membership, Organisation, Park, Person, Student, Teacher
from ..validators import mask_national_id, mask_phone, validate_national_id, validate_phone


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A foreign key accepting only rows the requesting user may see (others are "does not exist")."""

    def get_queryset(self):
        qs = super().get_queryset()
        request = self.context.get("request")
        return policy.restrict(qs, getattr(request, "user", None))


def _pii_visible(serializer: serializers.Serializer, person: Person, row: Any) -> bool:
    visible = getattr(row, "pii_visible", None)
    if visible is None:
        request = serializer.context.get("request")
        visible = policy.can_see_personal_data(getattr(request, "user", None), person)
    return bool(visible)


class ParkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Park
        fields = ["id", "code", "name", "name_en", "region"]


class OrganisationSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "park",
            "kind",
            "kind_display",
            "name",
            "name_en",
            "uscc",
            "industry",
            "address",
            "phone",
            "website",
            "is_active",
        ]
        # Services run the model's validation; skip DRF's duplicate unique checks on partial data.
        validators: list = []


class PersonFieldsMixin(serializers.Serializer):
    """Personal fields with ID number and phone masked for readers who do not need them."""

    def _person(self, row: Any) -> Person:
        return row if isinstance(row, Person) else row.person

    def to_representation(self, instance):
        data = super().to_representation(instance)
        person = self._person(instance)
        if not _pii_visible(self, person, instance):
            if data.get("national_id"):
                data["national_id"] = mask_national_id(data["national_id"])
            if data.get("phone"):
                data["phone"] = mask_phone(data["phone"])
        return data


class PersonSerializer(PersonFieldsMixin, serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    username = serializers.CharField(source="user.username", read_only=True, default="")
    # The first membership, given when the person is registered (required for all but park administrators).
    organisation = ScopedRelatedField(queryset=Organisation.objects.all(), write_only=True, required=False)
    role = serializers.ChoiceField(choices=Membership._meta.get_field("role").choices, write_only=True, required=False)

    class Meta:
        model = Person
        fields = [
            "id",
            "park",
            "name",
            "name_en",
            "gender",
            "birth_date",
            "national_id",
            "phone",
            "email",
            "language",
            "username",
            "organisation",
            "role",
        ]
        read_only_fields = ["birth_date"]
        validators: list = []
        extra_kwargs = {"national_id": {"validators": [validate_national_id]}}


class MembershipSerializer(serializers.ModelSerializer):
    person = ScopedRelatedField(queryset=Person.objects.all())
    organisation = ScopedRelatedField(queryset=Organisation.objects.all())
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "role",
            "role_display",
            "title",
            "start_date",
            "end_date",
        ]
        validators: list = []


class MajorSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())

    class Meta:
        model = Major
        fields = ["id", "park", "code", "name", "name_en"]
        validators: list = []


class PersonInlineFields(serializers.Serializer):
    """The person's fields written together with a student or teacher record."""

    name = serializers.CharField(source="person.name", max_length=100)
    name_en = serializers.CharField(source="person.name_en", max_length=100, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        source="person.gender", choices=Person._meta.get_field("gender").choices, required=False, allow_blank=True
    )
    national_id = serializers.CharField(
        source="person.national_id",
        max_length=18,
        required=False,
        allow_blank=True,
        allow_null=True,
        validators=[validate_national_id],
    )
    phone = serializers.CharField(
        source="person.phone", max_length=20, required=False, allow_blank=True, validators=[validate_phone]
    )
    email = serializers.EmailField(source="person.email", required=False, allow_blank=True)
    birth_date = serializers.DateField(source="person.birth_date", read_only=True)
    person_id = serializers.IntegerField(source="person.id", read_only=True)


class StudentSerializer(PersonFieldsMixin, PersonInlineFields, serializers.ModelSerializer):
    college = ScopedRelatedField(queryset=Organisation.objects.all())
    major = ScopedRelatedField(queryset=Major.objects.all())
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    college_name = serializers.CharField(source="college.name", read_only=True)
    major_name = serializers.CharField(source="major.name", read_only=True)

    class Meta:
        model = Student
        fields = [
            "id",
            "person_id",
            "name",
            "name_en",
            "gender",
            "national_id",
            "phone",
            "email",
            "birth_date",
            "college",
            "college_name",
            "major",
            "major_name",
            "student_number",
            "cohort_year",
            "status",
            "status_display",
        ]
        validators: list = []


class TeacherSerializer(PersonFieldsMixin, PersonInlineFields, serializers.ModelSerializer):
    organisation = ScopedRelatedField(queryset=Organisation.objects.all())
    major = ScopedRelatedField(queryset=Major.objects.all(), required=False, allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Teacher
        fields = [
            "id",
            "person_id",
            "name",
            "name_en",
            "gender",
            "national_id",
            "phone",
            "email",
            "birth_date",
            "organisation",
            "organisation_name",
            "staff_number",
            "professional_title",
            "major",
        ]
        validators: list = []


class AuditEventSerializer(serializers.ModelSerializer):
    action_display = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "timestamp",
            "actor",
            "actor_label",
            "action",
            "action_display",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "park",
            "organisation_id",
            "prev_hash",
            "hash",
        ]
        read_only_fields = fields


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "total",
            "percent",
            "message",
            "result",
            "cancel_requested",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"))
    password = serializers.CharField(label=_("password"), style={"input_type": "password"}, trim_whitespace=False)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
