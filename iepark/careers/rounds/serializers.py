"""API serializers of matching rounds. They validate shape; the services validate the domain."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iepark.core.api.serializers import JobSerializer, ScopedRelatedField
from iepark.core.models import Park

from ..models import MatchingRound, Posting, RoundMatch, RoundPosition, RoundStudentList
from . import selectors


class MatchingRoundSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = MatchingRound
        fields = [
            "id",
            "park",
            "name",
            "cohort_year",
            "deadline",
            "offer_deadline",
            "tie_breaking",
            "seed",
            "status",
            "status_display",
            "job",
            "computed_at",
            "published_at",
        ]
        read_only_fields = ["status", "job", "computed_at", "published_at"]
        validators: list = []


class RoundRunSerializer(serializers.Serializer):
    """The answer to starting a run: the round and its background job (poll ``/api/v1/jobs/{id}/``)."""

    round = MatchingRoundSerializer()
    job = JobSerializer(allow_null=True)


class RoundPositionSerializer(serializers.ModelSerializer):
    round = ScopedRelatedField(queryset=MatchingRound.objects.all())
    posting = ScopedRelatedField(queryset=Posting.objects.all())
    posting_title = serializers.CharField(source="posting.display_title", read_only=True)
    enterprise = serializers.IntegerField(source="posting.enterprise_id", read_only=True)
    enterprise_name = serializers.CharField(source="posting.enterprise.name", read_only=True)
    kind = serializers.CharField(source="posting.kind", read_only=True)
    ranked = serializers.SerializerMethodField()

    class Meta:
        model = RoundPosition
        fields = [
            "id",
            "round",
            "posting",
            "posting_title",
            "enterprise",
            "enterprise_name",
            "kind",
            "capacity",
            "ranked",
            "ranking_submitted_at",
        ]
        read_only_fields = ["ranking_submitted_at"]
        validators: list = []

    def get_ranked(self, obj: RoundPosition) -> bool:
        return obj.ranking_submitted_at is not None


class RoundPositionUpdateSerializer(RoundPositionSerializer):
    class Meta(RoundPositionSerializer.Meta):
        read_only_fields = ["round", "posting", "ranking_submitted_at"]


class RankingSerializer(serializers.Serializer):
    """
    An enterprise's ranking of a position's applicants, in one of two forms.

    ``ranking``: student ids best first, an inner list a group of tied students
    (``[12, [15, 18], 20]``); or ``ranks``: a rank number per student id, equal
    numbers tied (``{"12": 1, "15": 2, "18": 2, "20": 3}``). Students left out
    are not acceptable; an empty ranking makes every applicant acceptable, tied.
    """

    ranking = serializers.JSONField(required=False)
    ranks = serializers.DictField(child=serializers.IntegerField(min_value=1), required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("ranking" in attrs) == ("ranks" in attrs):
            raise serializers.ValidationError({"ranking": _("Give either “ranking” or “ranks”.")})
        return attrs


class ApplicantSerializer(serializers.Serializer):
    """A student who listed the position, as the enterprise ranking it sees them."""

    student = serializers.IntegerField(source="student.pk")
    name = serializers.CharField(source="student.person.name")
    name_en = serializers.CharField(source="student.person.name_en")
    student_number = serializers.CharField(source="student.student_number")
    college = serializers.CharField(source="student.college.name")
    major = serializers.CharField(source="student.major.name")
    certificates = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    eligible = serializers.BooleanField()

    def get_certificates(self, obj: selectors.Applicant) -> str:
        return obj.profile.certificates if obj.profile else ""

    def get_skills(self, obj: selectors.Applicant) -> str:
        return obj.profile.skills if obj.profile else ""


@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class PreferencesField(serializers.JSONField):
    """Round-position ids best first; checked by the service, which names every bad entry."""


class RoundStudentListSerializer(serializers.ModelSerializer):
    round = ScopedRelatedField(queryset=MatchingRound.objects.all())
    preferences = PreferencesField()
    student_name = serializers.CharField(source="student.person.name", read_only=True)

    class Meta:
        model = RoundStudentList
        fields = ["id", "round", "student", "student_name", "preferences", "submitted_at"]
        read_only_fields = ["student", "submitted_at"]
        validators: list = []


class RoundStudentListUpdateSerializer(RoundStudentListSerializer):
    class Meta(RoundStudentListSerializer.Meta):
        read_only_fields = ["round", "student", "submitted_at"]


class RoundMatchSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.person.name", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    major = serializers.IntegerField(source="student.major_id", read_only=True)
    posting = serializers.IntegerField(source="position.posting_id", read_only=True, allow_null=True, default=None)
    posting_title = serializers.CharField(
        source="position.posting.display_title", read_only=True, allow_null=True, default=None
    )
    enterprise = serializers.IntegerField(
        source="position.posting.enterprise_id", read_only=True, allow_null=True, default=None
    )
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = RoundMatch
        fields = [
            "id",
            "round",
            "student",
            "student_name",
            "college",
            "major",
            "position",
            "posting",
            "posting_title",
            "enterprise",
            "choice_rank",
            "explanation",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "object"}, "nullable": True})
    def get_explanation(self, obj: RoundMatch) -> list[dict[str, Any]] | None:
        """Return why not each higher choice (codes and ranks), for the student and the round's readers only."""
        request = self.context.get("request")
        if request is None or not selectors.sees_explanation(request.user, obj):
            return None
        return obj.explanation
