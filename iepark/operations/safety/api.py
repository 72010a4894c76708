"""REST endpoints of security and fire safety (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park, Person
from iepark.operations.models import DormBuilding

from . import selectors, services
from .filtersets import (
    ChecklistItemFilterSet,
    EquipmentCheckFilterSet,
    FindingFilterSet,
    FireEquipmentFilterSet,
    InspectionRoundFilterSet,
    InspectionScheduleFilterSet,
    InspectionTemplateFilterSet,
    RectificationTaskFilterSet,
)
from .models import (
    ChecklistItem,
    EquipmentCheck,
    Finding,
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
    ReInspection,
    RoundAnswer,
)


class OwnerField(ScopedRelatedField):
    """An owner organisation: one of the parks the user runs inspections in (or one they may see)."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.owner_candidates(user=getattr(request, "user", None))


class VisibleObjectMixin:
    """Actions open to readers who may not change the row (an owner reporting a task done)."""

    def visible_object(self):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first() if str(self.kwargs["pk"]).isdigit() else None
        if obj is None:
            raise Http404
        return obj


# --- templates and checklists ------------------------------------------------------------------------


class ChecklistItemInlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChecklistItem
        fields = ["id", "position", "text", "guidance", "is_active"]
        read_only_fields = ["id", "position", "is_active"]


class InspectionTemplateSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    items = ChecklistItemInlineSerializer(many=True, required=False, help_text=_("The checklist, in order."))
    items_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = InspectionTemplate
        fields = ["id", "park", "name", "area_kind", "kind", "description", "is_active", "items", "items_count"]
        validators: list = []


class InspectionTemplateViewSet(ScopedViewSet):
    """Checklists per kind of area; POST may give the checklist ``items`` in order (edit them at checklist-items)."""

    serializer_class = InspectionTemplateSerializer
    selector = staticmethod(lambda user, **kw: selectors.template_list(user=user, **kw).prefetch_related("items"))
    filterset_class = InspectionTemplateFilterSet
    ordering_fields = ["name", "id"]

    def create_object(self, data):
        template = services.template_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=template.pk)

    def update_object(self, instance, data):
        data.pop("park", None)
        data.pop("items", None)
        services.template_update(actor=self.request.user, template=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.template_delete(actor=self.request.user, template=instance)


class ChecklistItemSerializer(serializers.ModelSerializer):
    template = ScopedRelatedField(queryset=InspectionTemplate.objects.all())
    position = serializers.IntegerField(min_value=1, max_value=1000, required=False)

    class Meta:
        model = ChecklistItem
        fields = ["id", "template", "position", "text", "guidance", "is_active"]
        validators: list = []


class MoveSerializer(serializers.Serializer):
    offset = serializers.ChoiceField(choices=[(-1, "up"), (1, "down")])


class ChecklistItemViewSet(ScopedViewSet):
    """Items of the templates' checklists; ``move`` shifts one up or down."""

    serializer_class = ChecklistItemSerializer
    selector = staticmethod(selectors.checklist_item_list)
    filterset_class = ChecklistItemFilterSet
    ordering_fields = ["position", "id"]

    def create_object(self, data):
        return services.checklist_item_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("template", None)
        return services.checklist_item_update(actor=self.request.user, item=instance, data=data)

    def delete_object(self, instance):
        services.checklist_item_delete(actor=self.request.user, item=instance)

    @extend_schema(request=MoveSerializer, responses=ChecklistItemSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the item up (``offset`` -1) or down (+1) its checklist."""
        item = self.get_object()
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        item = services.checklist_item_move(actor=request.user, item=item, offset=int(body.validated_data["offset"]))
        return Response(self.get_serializer(item).data)


# --- schedules -----------------------------------------------------------------------------------------


class InspectionScheduleSerializer(serializers.ModelSerializer):
    template = ScopedRelatedField(queryset=InspectionTemplate.objects.all())
    building = ScopedRelatedField(queryset=DormBuilding.objects.all(), required=False, allow_null=True)
    owner = OwnerField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    inspector = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)

    class Meta:
        model = InspectionSchedule
        fields = [
            "id",
            "template",
            "place",
            "building",
            "owner",
            "every",
            "unit",
            "next_date",
            "inspector",
            "is_active",
        ]
        validators: list = []


class GenerateSerializer(serializers.Serializer):
    park = ScopedRelatedField(queryset=Park.objects.all(), required=False, allow_null=True)


class InspectionScheduleViewSet(ScopedViewSet):
    """Recurring rounds; ``generate`` creates the rounds due today now (the daily command does it too)."""

    serializer_class = InspectionScheduleSerializer
    selector = staticmethod(selectors.schedule_list)
    filterset_class = InspectionScheduleFilterSet
    ordering_fields = ["next_date", "place", "id"]

    def create_object(self, data):
        return services.schedule_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("template", None)
        return services.schedule_update(actor=self.request.user, schedule=instance, data=data)

    def delete_object(self, instance):
        services.schedule_delete(actor=self.request.user, schedule=instance)

    @extend_schema(request=GenerateSerializer, responses={200: OpenApiResponse(description="Ids of the new rounds")})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Create the rounds the user's schedules owe up to today (idempotent)."""
        body = GenerateSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        from iepark.core import policy

        if not policy.may_add_any(request.user, InspectionRound):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        rounds = services.rounds_generate(actor=request.user, park=body.validated_data.get("park"))
        return Response({"created": [r.pk for r in rounds]})


# --- rounds -------------------------------------------------------------------------------------------------


class RoundAnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoundAnswer
        fields = ["id", "item", "result", "note", "answered_at"]


class InspectionRoundSerializer(serializers.ModelSerializer):
    template = ScopedRelatedField(queryset=InspectionTemplate.objects.all())
    building = ScopedRelatedField(queryset=DormBuilding.objects.all(), required=False, allow_null=True)
    owner = OwnerField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    inspector = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    answers = RoundAnswerSerializer(many=True, read_only=True)
    findings_count = serializers.IntegerField(read_only=True, default=None)
    is_due = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = InspectionRound
        fields = [
            "id",
            "template",
            "schedule",
            "place",
            "building",
            "owner",
            "scheduled_date",
            "inspector",
            "status",
            "started_at",
            "completed_at",
            "note",
            "answers",
            "findings_count",
            "is_due",
        ]
        read_only_fields = ["schedule", "status", "started_at", "completed_at"]
        validators: list = []


class AnswerSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1)
    result = serializers.ChoiceField(choices=RoundAnswer._meta.get_field("result").choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class InspectionRoundViewSet(ScopedViewSet):
    """Rounds: ``start``, ``answer`` each checklist item, add findings (at findings), then ``complete``."""

    serializer_class = InspectionRoundSerializer
    selector = staticmethod(lambda user, **kw: selectors.round_list(user=user, **kw).prefetch_related("answers"))
    filterset_class = InspectionRoundFilterSet
    ordering_fields = ["scheduled_date", "id"]

    def create_object(self, data):
        inspection = services.round_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=inspection.pk)

    def update_object(self, instance, data):
        data.pop("template", None)
        services.round_update(actor=self.request.user, inspection=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.round_delete(actor=self.request.user, inspection=instance)

    def _reloaded(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=InspectionRoundSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Start the round now."""
        inspection = self.get_object()
        services.round_start(actor=request.user, inspection=inspection)
        return self._reloaded(inspection.pk)

    @extend_schema(request=AnswerSerializer, responses=InspectionRoundSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer one checklist item: ok, finding or not_applicable (again to change the answer)."""
        inspection = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.round_answer(actor=request.user, inspection=inspection, **body.validated_data)
        return self._reloaded(inspection.pk)

    @extend_schema(request=CompleteSerializer, responses=InspectionRoundSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Complete the round (every item answered, each "finding" answer with its finding)."""
        inspection = self.get_object()
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.round_complete(actor=request.user, inspection=inspection, note=body.validated_data.get("note"))
        return self._reloaded(inspection.pk)


# --- findings and rectification ----------------------------------------------------------------------------


class TaskSummarySerializer(serializers.ModelSerializer):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = RectificationTask
        fields = ["id", "owner", "owner_name", "owner_person", "deadline", "status"]


class FindingSerializer(serializers.ModelSerializer):
    round = ScopedRelatedField(queryset=InspectionRound.objects.all())
    item = serializers.IntegerField(source="item_id", required=False, allow_null=True, min_value=1)
    owner = OwnerField(
        queryset=Organisation.objects.all(),
        required=False,
        allow_null=True,
        write_only=True,
        help_text=_("Who must rectify; the round's area owner (else the operating company) by default."),
    )
    owner_person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True, write_only=True)
    deadline = serializers.DateField(
        required=False, allow_null=True, write_only=True, help_text=_("By default from the severity.")
    )
    task = TaskSummarySerializer(read_only=True)
    is_open = serializers.BooleanField(read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = Finding
        fields = [
            "id",
            "round",
            "item",
            "description",
            "severity",
            "place",
            "found_on",
            "owner",
            "owner_person",
            "deadline",
            "task",
            "is_open",
            "is_overdue",
            "created_at",
        ]
        extra_kwargs = {"found_on": {"required": False}}
        validators: list = []


class RaisedIssueSerializer(serializers.Serializer):
    issue = serializers.IntegerField(help_text=_("The major issue's id (/api/v1/major-issues/{id}/)."))
    number = serializers.CharField()
    url = serializers.CharField()


class FindingViewSet(AttachmentsActionMixin, ScopedViewSet):
    """Findings of rounds; POST records one with its rectification task (owner, deadline); photos at ``attachments``."""

    serializer_class = FindingSerializer
    selector = staticmethod(selectors.finding_list)
    filterset_class = FindingFilterSet
    ordering_fields = ["found_on", "severity", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create_object(self, data):
        inspection = data.pop("round")
        item = data.pop("item_id", None)
        finding = services.finding_create(actor=self.request.user, inspection=inspection, item=item, **data)
        return self.get_queryset().get(pk=finding.pk)

    def update_object(self, instance, data):
        services.finding_update(actor=self.request.user, finding=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    @extend_schema(request=None, responses={201: RaisedIssueSerializer})
    @action(detail=True, methods=["post"], url_path="raise-issue")
    def raise_issue(self, request, pk=None):
        """Raise this (high or critical) finding as a major issue of the park, once."""
        finding = self.get_object()  # 404 outside the view scope, 403 without change rights
        issue = services.finding_raise_issue(actor=request.user, finding=finding)  # errors: 400 by the handler
        url = reverse("issue_detail", args=[issue.pk])
        data = RaisedIssueSerializer({"issue": issue.pk, "number": str(issue), "url": url}).data
        return Response(data, status=status.HTTP_201_CREATED)


class ReInspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReInspection
        fields = ["id", "inspected_on", "inspector", "passed", "note", "new_deadline"]


class FindingSummarySerializer(serializers.ModelSerializer):
    place_of_round = serializers.CharField(source="round.place", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "round", "description", "severity", "place", "place_of_round", "found_on"]


class RectificationTaskSerializer(serializers.ModelSerializer):
    owner = OwnerField(queryset=Organisation.objects.all())
    owner_person = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    finding = FindingSummarySerializer(read_only=True)
    reinspections = ReInspectionSerializer(many=True, read_only=True)
    is_overdue = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = RectificationTask
        fields = [
            "id",
            "finding",
            "owner",
            "owner_person",
            "deadline",
            "status",
            "reported_on",
            "report_note",
            "closed_on",
            "is_overdue",
            "reinspections",
        ]
        read_only_fields = ["status", "reported_on", "report_note", "closed_on"]
        validators: list = []


class ReportDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000, help_text=_("What was done."))
    reported_on = serializers.DateField(required=False)


class ReInspectSerializer(serializers.Serializer):
    passed = serializers.BooleanField()
    inspected_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    new_deadline = serializers.DateField(required=False, allow_null=True)


class RectificationTaskViewSet(VisibleObjectMixin, ScopedViewSet):
    """
    Rectification tasks (one per finding, created with it). The owner's administrators ``report-done``;
    inspectors ``reinspect``: passed closes the task, failed reopens it with ``new_deadline``.
    """

    serializer_class = RectificationTaskSerializer
    selector = staticmethod(lambda user, **kw: selectors.task_list(user=user, **kw).prefetch_related("reinspections"))
    filterset_class = RectificationTaskFilterSet
    ordering_fields = ["deadline", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create(self, request, *args, **kwargs):
        from rest_framework.exceptions import MethodNotAllowed

        raise MethodNotAllowed("POST", detail=_("Tasks are created with their finding (POST a finding)."))

    def update_object(self, instance, data):
        services.task_update(actor=self.request.user, task=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    @extend_schema(request=ReportDoneSerializer, responses=RectificationTaskSerializer)
    @action(detail=True, methods=["post"], url_path="report-done")
    def report_done(self, request, pk=None):
        """The owner reports the rectification done (with what was done)."""
        task = self.visible_object()
        body = ReportDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_report_done(actor=request.user, task=task, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=ReInspectSerializer, responses=RectificationTaskSerializer)
    @action(detail=True, methods=["post"])
    def reinspect(self, request, pk=None):
        """Re-inspect: ``passed`` closes the task; failed needs ``new_deadline`` and reopens it."""
        task = self.get_object()
        body = ReInspectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.task_reinspect(actor=request.user, task=task, **body.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


# --- fire equipment ------------------------------------------------------------------------------------------


class FireEquipmentSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    building = ScopedRelatedField(queryset=DormBuilding.objects.all(), required=False, allow_null=True)
    check_interval_days = serializers.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        allow_null=True,
        help_text=_("Empty: the usual interval of the kind."),
    )
    is_due = serializers.BooleanField(read_only=True, default=None)
    is_overdue = serializers.BooleanField(read_only=True, default=None)
    is_expired = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = FireEquipment
        fields = [
            "id",
            "park",
            "kind",
            "code",
            "description",
            "location",
            "building",
            "installed_on",
            "last_checked_on",
            "next_check_due",
            "check_interval_days",
            "expiry_date",
            "status",
            "note",
            "is_due",
            "is_overdue",
            "is_expired",
        ]
        validators: list = []


class FireEquipmentViewSet(ScopedViewSet):
    """The fire equipment register: filter ``due_within``, ``overdue``, ``expired``; ``export`` as Excel."""

    serializer_class = FireEquipmentSerializer
    selector = staticmethod(selectors.equipment_list)
    filterset_class = FireEquipmentFilterSet
    ordering_fields = ["code", "next_check_due", "expiry_date", "id"]

    def create_object(self, data):
        equipment = services.equipment_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=equipment.pk)

    def update_object(self, instance, data):
        data.pop("park", None)
        services.equipment_update(actor=self.request.user, equipment=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.equipment_delete(actor=self.request.user, equipment=instance)

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY}
    )
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The register (with the list's filters) as an Excel workbook."""
        from .exports import equipment_workbook_response

        return equipment_workbook_response(self.filter_queryset(self.get_queryset()))


class EquipmentCheckSerializer(serializers.ModelSerializer):
    equipment = ScopedRelatedField(queryset=FireEquipment.objects.all())
    inspector = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    next_check_due = serializers.DateField(
        required=False, allow_null=True, write_only=True, help_text=_("By default after the item's interval.")
    )
    checked_on = serializers.DateField(required=False)

    class Meta:
        model = EquipmentCheck
        fields = ["id", "equipment", "checked_on", "inspector", "result", "note", "next_check_due", "created_at"]
        validators: list = []


class EquipmentCheckViewSet(ScopedViewSet):
    """Checks of fire equipment: POST records one (it moves the item's last and next check dates)."""

    serializer_class = EquipmentCheckSerializer
    selector = staticmethod(selectors.equipment_check_list)
    filterset_class = EquipmentCheckFilterSet
    ordering_fields = ["checked_on", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.equipment_check(actor=self.request.user, **data)


def register(router) -> None:
    """Register this app's viewsets on the API router."""
    router.register("safety-templates", InspectionTemplateViewSet, basename="inspectiontemplate")
    router.register("safety-checklist-items", ChecklistItemViewSet, basename="checklistitem")
    router.register("safety-schedules", InspectionScheduleViewSet, basename="inspectionschedule")
    router.register("safety-rounds", InspectionRoundViewSet, basename="inspectionround")
    router.register("safety-findings", FindingViewSet, basename="finding")
    router.register("safety-rectifications", RectificationTaskViewSet, basename="rectificationtask")
    router.register("fire-equipment", FireEquipmentViewSet, basename="fireequipment")
    router.register("fire-equipment-checks", EquipmentCheckViewSet, basename="equipmentcheck")
