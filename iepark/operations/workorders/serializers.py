"""API serializers of work orders: they validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Park, Person
from iepark.operations.models import DormRoom

from .choices import FaultCategory, PlaceKind, RecurrenceUnit, TimelineKind, Urgency, WorkOrderSource, WorkOrderStatus
from .models import MaintenancePlan, ServiceLevel, WorkOrder, WorkOrderEvent


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """
    A choice field whose values are listed inline in the OpenAPI schema (not as a named enum component).

    Named enum components are named after the field ("status", "category", "kind") and would collide
    with other apps' fields of the same name, which needs settings overrides; the values wrapped in
    ``allOf`` stay with the field and collide with nothing.
    """
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    schema = {"type": "string", "allOf": [{"enum": values}]}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class WorkOrderEventSerializer(serializers.ModelSerializer):
    kind = choice(TimelineKind.choices, read_only=True)
    from_status = choice(WorkOrderStatus.choices, read_only=True, allow_blank=True)
    to_status = choice(WorkOrderStatus.choices, read_only=True, allow_blank=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = WorkOrderEvent
        fields = ["id", "kind", "kind_display", "at", "actor_label", "from_status", "to_status", "note"]
        read_only_fields = fields


class WorkOrderSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    room = ScopedRelatedField(queryset=DormRoom.objects.all(), required=False, allow_null=True)
    place_kind = choice(PlaceKind.choices)
    category = choice(FaultCategory.choices)
    urgency = choice(Urgency.choices, required=False, default=Urgency.NORMAL)
    status = choice(WorkOrderStatus.choices, read_only=True)
    source = choice(WorkOrderSource.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    urgency_display = serializers.CharField(source="get_urgency_display", read_only=True)
    reporter_name = serializers.SerializerMethodField()
    assignee_name = serializers.SerializerMethodField()
    response_overdue = serializers.BooleanField(read_only=True, default=False)
    resolution_overdue = serializers.BooleanField(read_only=True, default=False)
    overdue = serializers.BooleanField(read_only=True, default=False)
    timeline = WorkOrderEventSerializer(source="events", many=True, read_only=True)

    class Meta:
        model = WorkOrder
        fields = [
            "id",
            "park",
            "reference",
            "source",
            "plan",
            "plan_due_date",
            "place_kind",
            "room",
            "location",
            "category",
            "category_display",
            "urgency",
            "urgency_display",
            "title",
            "description",
            "contact_phone",
            "reporter",
            "reporter_name",
            "assignee",
            "assignee_name",
            "status",
            "status_display",
            "reported_at",
            "assigned_at",
            "started_at",
            "resolved_at",
            "confirmed_at",
            "cancelled_at",
            "response_due",
            "resolution_due",
            "response_overdue",
            "resolution_overdue",
            "overdue",
            "resolution_note",
            "rating",
            "rating_comment",
            "rated_at",
            "reopen_count",
            "escalation_level",
            "escalated_at",
            "timeline",
        ]
        read_only_fields = [
            "reference",
            "source",
            "plan",
            "plan_due_date",
            "reporter",
            "assignee",
            "status",
            "reported_at",
            "assigned_at",
            "started_at",
            "resolved_at",
            "confirmed_at",
            "cancelled_at",
            "response_due",
            "resolution_due",
            "resolution_note",
            "rating",
            "rating_comment",
            "rated_at",
            "reopen_count",
            "escalation_level",
            "escalated_at",
        ]
        validators: list = []

    def get_reporter_name(self, obj) -> str:
        return str(obj.reporter) if obj.reporter_id else ""

    def get_assignee_name(self, obj) -> str:
        return str(obj.assignee) if obj.assignee_id else ""


class WorkOrderAssignSerializer(serializers.Serializer):
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), help_text=_("A member of the operator's staff of the order's park.")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WorkOrderNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class WorkOrderReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class WorkOrderRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WorkOrderConfirmSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class WorkOrderComplianceRowSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    total = serializers.IntegerField()
    response_measured = serializers.IntegerField()
    response_on_time = serializers.IntegerField()
    response_on_time_pct = serializers.FloatField(allow_null=True)
    resolution_measured = serializers.IntegerField()
    resolution_on_time = serializers.IntegerField()
    resolution_on_time_pct = serializers.FloatField(allow_null=True)
    median_response_hours = serializers.FloatField(allow_null=True)
    median_resolution_hours = serializers.FloatField(allow_null=True)
    rated = serializers.IntegerField()
    mean_rating = serializers.FloatField(allow_null=True)


class ServiceLevelSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    urgency = choice(Urgency.choices)

    class Meta:
        model = ServiceLevel
        fields = ["id", "park", "urgency", "response_hours", "resolution_hours"]
        validators: list = []


class MaintenancePlanSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    room = ScopedRelatedField(queryset=DormRoom.objects.all(), required=False, allow_null=True)
    default_assignee = ScopedRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    place_kind = choice(PlaceKind.choices)
    category = choice(FaultCategory.choices)
    urgency = choice(Urgency.choices, required=False, default=Urgency.NORMAL)
    unit = choice(RecurrenceUnit.choices, required=False, default=RecurrenceUnit.MONTH)
    orders_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = MaintenancePlan
        fields = [
            "id",
            "park",
            "title",
            "description",
            "place_kind",
            "room",
            "location",
            "category",
            "urgency",
            "every",
            "unit",
            "next_due",
            "default_assignee",
            "is_active",
            "orders_count",
        ]
        validators: list = []
