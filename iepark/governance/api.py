"""REST endpoints of governance (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ReadOnlyScopedViewSet, ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Park

from . import exports, selectors, services
from .choices import Adjustment
from .explain import line_explanation, warning_text
from .filtersets import (
    AssessmentLineFilterSet,
    AssessmentRunFilterSet,
    ObjectionFilterSet,
    PolicyDocumentFilterSet,
    ProgrammeVersionFilterSet,
    SubsidyProgrammeFilterSet,
    SubsidyRuleFilterSet,
)
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)

# --- policy documents --------------------------------------------------------------------------------


class PolicyDocumentSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())

    class Meta:
        model = PolicyDocument
        fields = [
            "id",
            "park",
            "title",
            "title_en",
            "issuing_body",
            "document_number",
            "effective_from",
            "effective_to",
            "summary",
            "body",
            "visibility",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list = []


class PolicyDocumentViewSet(AttachmentsActionMixin, ScopedViewSet):
    """The committee's policy documents; ``visibility=public`` ones also appear on the public portal."""

    serializer_class = PolicyDocumentSerializer
    selector = staticmethod(selectors.policy_document_list)
    filterset_class = PolicyDocumentFilterSet
    ordering_fields = ["effective_from", "title", "id"]

    def create_object(self, data):
        return services.policy_document_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        return services.policy_document_update(actor=self.request.user, document=instance, data=data)

    def delete_object(self, instance):
        services.policy_document_delete(actor=self.request.user, document=instance)


# --- programmes, versions, rules --------------------------------------------------------------------


class SubsidyProgrammeSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    policy = ScopedRelatedField(queryset=PolicyDocument.objects.all(), required=False, allow_null=True)

    class Meta:
        model = SubsidyProgramme
        fields = ["id", "park", "name", "name_en", "description", "policy", "amounts_are_examples", "updated_at"]
        read_only_fields = ["updated_at"]
        validators: list = []


class SubsidyProgrammeViewSet(ScopedViewSet):
    """Subsidy programmes; their rules live in dated versions (``/programme-versions/``)."""

    serializer_class = SubsidyProgrammeSerializer
    selector = staticmethod(selectors.programme_list)
    filterset_class = SubsidyProgrammeFilterSet
    ordering_fields = ["name", "id"]

    def create_object(self, data):
        return services.programme_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("park", None)
        return services.programme_update(actor=self.request.user, programme=instance, data=data)

    def delete_object(self, instance):
        services.programme_delete(actor=self.request.user, programme=instance)


class ProgrammeVersionSerializer(serializers.ModelSerializer):
    programme = ScopedRelatedField(queryset=SubsidyProgramme.objects.all())
    copy_from = ScopedRelatedField(
        queryset=ProgrammeVersion.objects.all(),
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("Copy the rules of this version of the same programme."),
    )

    class Meta:
        model = ProgrammeVersion
        fields = [
            "id",
            "programme",
            "number",
            "effective_from",
            "effective_to",
            "cap_per_payee_per_year",
            "note",
            "frozen",
            "copy_from",
        ]
        read_only_fields = ["number", "frozen"]
        validators: list = []


class ProgrammeVersionViewSet(ScopedViewSet):
    """Dated versions of a programme's rules; a version used by an approved run is frozen (only its end may change)."""

    serializer_class = ProgrammeVersionSerializer
    selector = staticmethod(selectors.version_list)
    filterset_class = ProgrammeVersionFilterSet
    ordering_fields = ["number", "effective_from", "id"]

    def create_object(self, data):
        return services.version_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("programme", None)
        data.pop("copy_from", None)
        return services.version_update(actor=self.request.user, version=instance, data=data)

    def delete_object(self, instance):
        services.version_delete(actor=self.request.user, version=instance)


class SubsidyRuleSerializer(serializers.ModelSerializer):
    version = ScopedRelatedField(queryset=ProgrammeVersion.objects.all())
    params = serializers.DictField(
        help_text=_("The parameters of the rule's kind (see docs/governance.md); checked per kind."), required=False
    )

    class Meta:
        model = SubsidyRule
        fields = ["id", "version", "kind", "name", "payee", "params", "evidence_note", "position"]
        validators: list = []


class SubsidyRuleViewSet(ScopedViewSet):
    """The rules of programme versions: a kind, the payee and the kind's parameters (data, not code)."""

    serializer_class = SubsidyRuleSerializer
    selector = staticmethod(selectors.rule_list)
    filterset_class = SubsidyRuleFilterSet
    ordering_fields = ["position", "id"]

    def create_object(self, data):
        return services.rule_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("version", None)
        return services.rule_update(actor=self.request.user, rule=instance, data=data)

    def delete_object(self, instance):
        services.rule_delete(actor=self.request.user, rule=instance)


# --- runs ---------------------------------------------------------------------------------------------


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    rule = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    text = serializers.CharField()


class AssessmentRunSerializer(serializers.ModelSerializer):
    version = ScopedRelatedField(queryset=ProgrammeVersion.objects.all())
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "park",
            "version",
            "period_start",
            "period_end",
            "note",
            "series",
            "revision",
            "previous",
            "status",
            "fingerprint",
            "lines_digest",
            "inputs_summary",
            "warnings",
            "adjustments",
            "total",
            "line_count",
            "error",
            "job",
            "created_at",
            "reviewed_at",
            "approved_at",
            "paid_at",
            "payment_reference",
        ]
        read_only_fields = [f for f in fields if f not in ("version", "period_start", "period_end", "note")]
        validators: list = []

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, obj) -> list[dict]:
        return [{**w, "text": warning_text(w)} for w in obj.warnings]


class PaySerializer(serializers.Serializer):
    payment_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class VerifySerializer(serializers.Serializer):
    same_inputs = serializers.BooleanField()
    same_lines = serializers.BooleanField()
    fingerprint = serializers.CharField()
    lines_digest = serializers.CharField()


class CorrectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class AssessmentRunViewSet(ScopedViewSet):
    """
    Assessment runs (the committee's): POST starts one in the background (follow ``job``).

    Then ``review``, ``approve`` and ``pay``; ``verify`` recomputes and compares
    with the stored fingerprints; ``correct`` makes the next revision; ``export``
    is the Excel workbook. An approved run is immutable.
    """

    serializer_class = AssessmentRunSerializer
    selector = staticmethod(selectors.run_list)
    filterset_class = AssessmentRunFilterSet
    ordering_fields = ["period_end", "created_at", "id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def create_object(self, data):
        return services.assessment_start(actor=self.request.user, **data)

    def delete_object(self, instance):
        services.run_delete(actor=self.request.user, run=instance)

    def _respond(self, run):
        return Response(self.get_serializer(self.get_queryset().get(pk=run.pk)).data)

    @extend_schema(request=None, responses=AssessmentRunSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Mark a draft run as reviewed."""
        return self._respond(services.run_review(actor=request.user, run=self.get_object()))

    @extend_schema(request=None, responses=AssessmentRunSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a reviewed run (no open objections): it becomes immutable, its version frozen."""
        return self._respond(services.run_approve(actor=request.user, run=self.get_object()))

    @extend_schema(request=PaySerializer, responses=AssessmentRunSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record the payment of an approved run."""
        body = PaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.run_mark_paid(actor=request.user, run=self.get_object(), **body.validated_data)
        return self._respond(run)

    @extend_schema(request=None, responses=VerifySerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Recompute the run from the current data and compare (nothing changes)."""
        return Response(services.run_verify(actor=request.user, run=self.get_object()))

    @extend_schema(request=CorrectSerializer, responses={201: AssessmentRunSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        """Make the next revision of an open run, applying the accepted objections (computed in the background)."""
        body = CorrectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.run_correct(actor=request.user, run=self.get_object(), **body.validated_data)
        return Response(self.get_serializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}
    )
    @action(detail=True, methods=["get"])
    def export(self, request, pk=None):
        """The run as an Excel workbook (totals per payee and rule, every line with its evidence)."""
        run = self.get_object()
        return xlsx_response(run, selectors.line_list(user=request.user).filter(run=run))


def xlsx_response(run: AssessmentRun, lines) -> HttpResponse:
    response = HttpResponse(
        exports.run_workbook(run, lines),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="assessment-{run.pk}-r{run.revision}.xlsx"'
    return response


# --- lines and objections -----------------------------------------------------------------------------


class AssessmentLineSerializer(serializers.ModelSerializer):
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    rule_kind = serializers.CharField(source="rule.kind", read_only=True)
    graduate = serializers.CharField(source="student.person.name", read_only=True)
    college = serializers.IntegerField(source="student.college_id", read_only=True)
    run_status = serializers.CharField(source="run.status", read_only=True)
    period_start = serializers.DateField(source="run.period_start", read_only=True)
    period_end = serializers.DateField(source="run.period_end", read_only=True)
    explanation = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentLine
        fields = [
            "id",
            "run",
            "run_status",
            "period_start",
            "period_end",
            "key",
            "rule",
            "rule_name",
            "rule_kind",
            "student",
            "graduate",
            "college",
            "payee_organisation",
            "payee_person",
            "qualifying_date",
            "base_amount",
            "amount",
            "capped",
            "evidence",
            "adjustment",
            "explanation",
        ]
        read_only_fields = fields

    def get_explanation(self, obj) -> str:
        return line_explanation(obj)


class AssessmentLineViewSet(ReadOnlyScopedViewSet):
    """The lines of runs: the committee sees all; a college or enterprise the lines paid to it; a graduate theirs."""

    serializer_class = AssessmentLineSerializer
    selector = staticmethod(selectors.line_list)
    filterset_class = AssessmentLineFilterSet
    ordering_fields = ["qualifying_date", "amount", "id"]


class ObjectionSerializer(serializers.ModelSerializer):
    line = ScopedRelatedField(queryset=AssessmentLine.objects.all())

    class Meta:
        model = Objection
        fields = [
            "id",
            "line",
            "organisation",
            "reason",
            "proposed_amount",
            "status",
            "adjustment",
            "adjusted_amount",
            "response",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = [
            "organisation",
            "status",
            "adjustment",
            "adjusted_amount",
            "response",
            "resolved_at",
            "created_at",
        ]
        validators: list = []


class ResolveSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    response = serializers.CharField(max_length=2000)
    adjustment = serializers.ChoiceField(choices=Adjustment.choices, required=False, default=Adjustment.NONE)
    adjusted_amount = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True, min_value=0
    )


class ObjectionViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Objections to lines: the payee raises one (POST) on an open run, with evidence (``…/attachments/``);
    the committee decides it (``resolve``); the raiser may ``withdraw`` it while open.
    """

    serializer_class = ObjectionSerializer
    selector = staticmethod(selectors.objection_list)
    filterset_class = ObjectionFilterSet
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.objection_raise(actor=self.request.user, **data)

    def may_attach(self, request, obj) -> bool:
        from iepark.core import policy
        from iepark.core.policy import Action

        return obj.raised_by_id == request.user.pk and policy.can(request.user, Action.CHANGE, obj)

    @extend_schema(request=ResolveSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        """Accept (with what the correction does to the line) or reject an objection (the committee)."""
        objection = self.get_object()
        body = ResolveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.objection_resolve(actor=request.user, objection=objection, **body.validated_data)
        return Response(self.get_serializer(objection).data)

    @extend_schema(request=None, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an open objection (whoever raised it, or the committee)."""
        objection = services.objection_withdraw(actor=request.user, objection=self.get_object())
        return Response(self.get_serializer(objection).data)


def register(router) -> None:
    """Register the governance viewsets on the API router."""
    router.register("policy-documents", PolicyDocumentViewSet, basename="policydocument")
    router.register("subsidy-programmes", SubsidyProgrammeViewSet, basename="subsidyprogramme")
    router.register("programme-versions", ProgrammeVersionViewSet, basename="programmeversion")
    router.register("subsidy-rules", SubsidyRuleViewSet, basename="subsidyrule")
    router.register("assessment-runs", AssessmentRunViewSet, basename="assessmentrun")
    router.register("assessment-lines", AssessmentLineViewSet, basename="assessmentline")
    router.register("objections", ObjectionViewSet, basename="objection")
