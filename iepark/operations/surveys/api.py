"""
REST endpoints of satisfaction surveys (registered by ``iepark.urls``): thin over selectors and services.

- ``surveys``: the owners' surveys (CRUD of drafts), ``open``, ``close``, ``results``, and
  ``satisfaction`` (mean rating per service area and month).
- ``survey-questions``: the questions of the owners' draft surveys.
- ``my-surveys``: the surveys the user is invited to, with their questions, and ``answer``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from iepark.core import policy
from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Major, Organisation, Park
from iepark.operations.models import DormBuilding, ServicePoint

from . import selectors, services
from .choices import ServiceArea
from .filtersets import QuestionFilterSet, SurveyFilterSet
from .models import Question, Survey


class SurveySerializer(serializers.ModelSerializer):
    owner = ScopedRelatedField(queryset=Organisation.objects.all())
    service_point = ScopedRelatedField(queryset=ServicePoint.objects.all(), required=False, allow_null=True)
    audience_college = ScopedRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    audience_major = ScopedRelatedField(queryset=Major.objects.all(), required=False, allow_null=True)
    audience_building = ScopedRelatedField(queryset=DormBuilding.objects.all(), required=False, allow_null=True)
    response_rate = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "park",
            "owner",
            "title",
            "introduction",
            "anonymous",
            "opens_on",
            "closes_on",
            "status",
            "area",
            "service_point",
            "audience",
            "audience_college",
            "audience_major",
            "audience_cohort_year",
            "audience_building",
            "invited_count",
            "answered_count",
            "response_rate",
        ]
        read_only_fields = ["park", "status", "invited_count", "answered_count"]
        validators: list = []


class SurveyViewSet(ScopedViewSet):
    """The surveys of the owners' organisations (park administrators read their park's); drafts change freely."""

    serializer_class = SurveySerializer
    selector = staticmethod(lambda user, **kw: selectors.results_survey_list(user=user))
    filterset_class = SurveyFilterSet
    ordering_fields = ["opens_on", "closes_on", "title", "id"]

    def create_object(self, data):
        return services.survey_create(actor=self.request.user, owner=data.pop("owner"), **data)

    def update_object(self, instance, data):
        data.pop("owner", None)  # a survey stays with its owner
        return services.survey_update(actor=self.request.user, survey=instance, data=data)

    def delete_object(self, instance):
        services.survey_delete(actor=self.request.user, survey=instance)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def open(self, request, pk=None):
        """Open a draft survey: freeze its questions and invite its audience."""
        survey = services.survey_open(actor=request.user, survey=self.get_object())
        return Response(self.get_serializer(survey).data)

    @extend_schema(request=None, responses=SurveySerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close an open survey."""
        survey = services.survey_close(actor=request.user, survey=self.get_object())
        return Response(self.get_serializer(survey).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """
        Return the response rate and per-question figures (``distribution`` of ratings 1–5, option counts, texts).

        An anonymous survey with fewer responses than the anonymity threshold gives counts only (``hidden``).
        Only a survey that is not anonymous lists its ``respondents``.
        """
        results = selectors.survey_results(user=request.user, survey=self.get_object())
        results.pop("survey")
        if results["respondents"] is not None:
            results["respondents"] = [
                {"person": row["person_id"], "name": str(row["person"]), "answered_on": row["answered_on"]}
                for row in results["respondents"]
            ]
        for q in results["questions"]:
            q["kind_label"] = str(q["kind_label"])
        return Response(results)

    @extend_schema(
        parameters=[
            OpenApiParameter("park", int, required=True),
            OpenApiParameter("area", str, enum=ServiceArea.values),
            OpenApiParameter("months", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def satisfaction(self, request):
        """Return the mean rating per service area and month (``[{area, label, month, count, mean}]``)."""
        park = (
            policy.restrict(Park.objects.all(), request.user).filter(pk=_int(request.query_params.get("park"))).first()
        )
        if park is None:
            raise NotFound
        area = request.query_params.get("area") or None
        if area is not None and area not in ServiceArea.values:
            raise serializers.ValidationError({"area": [_("Unknown service area.")]})
        months = _int(request.query_params.get("months", 12))
        if months is None or not 1 <= months <= 60:
            raise serializers.ValidationError({"months": [_("Give between 1 and 60 months.")]})
        return Response(selectors.satisfaction_series(request.user, park, area, months=months))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SurveyQuestionSerializer(serializers.ModelSerializer):
    survey = ScopedRelatedField(queryset=Survey.objects.all())
    options = serializers.ListField(child=serializers.CharField(max_length=200), required=False, max_length=20)

    class Meta:
        model = Question
        fields = ["id", "survey", "position", "text", "kind", "required", "options"]
        read_only_fields = ["position"]


class SurveyQuestionMoveSerializer(serializers.Serializer):
    offset = serializers.IntegerField(min_value=-100, max_value=100)


class QuestionViewSet(ScopedViewSet):
    """The questions of the owners' surveys; they change only while the survey is a draft."""

    serializer_class = SurveyQuestionSerializer
    selector = staticmethod(
        lambda user, **kw: selectors.question_list(user=user).filter(
            survey__in=selectors.results_survey_list(user=user).values("pk")
        )
    )
    filterset_class = QuestionFilterSet
    ordering_fields = ["position", "id"]

    def create_object(self, data):
        survey = data.pop("survey")
        if not policy.can(self.request.user, policy.Action.CHANGE, survey):
            raise PermissionDenied
        return services.question_create(actor=self.request.user, survey=survey, **data)

    def update_object(self, instance, data):
        data.pop("survey", None)  # a question stays in its survey
        return services.question_update(actor=self.request.user, question=instance, data=data)

    def delete_object(self, instance):
        services.question_delete(actor=self.request.user, question=instance)

    @extend_schema(request=SurveyQuestionMoveSerializer, responses=SurveyQuestionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the question ``offset`` places (negative: up)."""
        question = self.get_object()
        body = SurveyQuestionMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        question = services.question_move(actor=request.user, question=question, offset=body.validated_data["offset"])
        return Response(self.get_serializer(question).data)


class MySurveyQuestionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "position", "text", "kind", "required", "options"]


class MySurveySerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.__str__", read_only=True)
    questions = MySurveyQuestionSerializer(many=True, read_only=True)
    answered = serializers.BooleanField(source="i_answered", read_only=True)
    accepts_answers = serializers.SerializerMethodField()

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "introduction",
            "owner_name",
            "anonymous",
            "opens_on",
            "closes_on",
            "status",
            "answered",
            "accepts_answers",
            "questions",
        ]

    def get_accepts_answers(self, obj) -> bool:
        return obj.accepts_answers()


class SurveyAnswerSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_(
            "Question id → answer: a rating 1–5, an option's index (from 0) or text, a list of those for a "
            "multiple choice, or a text."
        ),
    )


class MySurveyViewSet(ReadOnlyScopedViewSet):
    """The surveys the user is invited to (open or closed), with their questions; ``answer`` once while open."""

    serializer_class = MySurveySerializer
    selector = staticmethod(lambda user, **kw: selectors.my_survey_list(user=user).prefetch_related("questions"))

    @extend_schema(request=SurveyAnswerSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the survey. Nothing comes back: an anonymous answer keeps no key to find it again."""
        survey = self.get_object()
        body = SurveyAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.survey_answer(actor=request.user, survey=survey, answers=body.validated_data["answers"])
        return Response(status=204)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("surveys", SurveyViewSet, basename="survey")
    router.register("survey-questions", QuestionViewSet, basename="surveyquestion")
    router.register("my-surveys", MySurveyViewSet, basename="mysurvey")
