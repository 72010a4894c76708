"""API serializers of contact meetings and major issues: they validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park, Person

from .choices import ActionStatus, EntryKind, IssueCategory, IssueStatus, MeetingKind, MeetingStatus, Severity
from .models import ActionItem, AgendaItem, Decision, Issue, IssueEntry, Meeting, MeetingParticipant, SeverityDeadline


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values are listed inline in the OpenAPI schema (no named enum to collide)."""
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    schema = {"type": "string", "allOf": [{"enum": values}]}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class MeetingParticipantSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = MeetingParticipant
        fields = ["person", "person_name", "organisation", "organisation_name", "attended"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    kind = choice(MeetingKind.choices, required=False, default=MeetingKind.REGULAR)
    status = choice(MeetingStatus.choices, read_only=True)
    participants = MeetingParticipantSerializer(many=True, read_only=True)
    participant_ids = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        many=True,
        write_only=True,
        required=False,
        help_text=_("People invited (staff of the park's organisations)."),
    )
    participant_count = serializers.IntegerField(read_only=True, default=0)
    open_actions = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "park",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "status",
            "minutes",
            "minutes_recorded_at",
            "cancel_reason",
            "participants",
            "participant_ids",
            "participant_count",
            "open_actions",
        ]
        read_only_fields = ["status", "minutes", "minutes_recorded_at", "cancel_reason"]
        validators: list = []


class MeetingMinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField(max_length=50000)
    attended = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True)


class ConsultationReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConsultationNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all())
    issue = ScopedRelatedField(queryset=Issue.objects.all(), required=False, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "position", "title", "notes", "issue", "escalated"]
        read_only_fields = ["escalated"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}, "position": {"required": False}}


class DecisionSerializer(serializers.ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all())
    agenda_item = ScopedRelatedField(queryset=AgendaItem.objects.all(), required=False, allow_null=True)
    settles_issue = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text=_("Also record it as the decision of the item's issue."),
    )

    class Meta:
        model = Decision
        fields = ["id", "meeting", "agenda_item", "text", "settles_issue", "created_at"]
        read_only_fields = ["created_at"]


class ActionItemSerializer(serializers.ModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all())
    decision = ScopedRelatedField(queryset=Decision.objects.all(), required=False, allow_null=True)
    owner_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    owner_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    status = choice(ActionStatus.choices, required=False, default=ActionStatus.OPEN)
    owner_organisation_name = serializers.CharField(source="owner_organisation.name", read_only=True)
    owner_person_name = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "owner_organisation",
            "owner_organisation_name",
            "owner_person",
            "owner_person_name",
            "due_date",
            "status",
            "done_at",
            "note",
            "overdue",
        ]
        read_only_fields = ["done_at"]

    def get_owner_person_name(self, obj) -> str:
        return str(obj.owner_person) if obj.owner_person_id else ""


class ActionItemStatusSerializer(serializers.Serializer):
    status = choice(ActionStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


class IssueEntrySerializer(serializers.ModelSerializer):
    kind = choice(EntryKind.choices, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    organisation_name = serializers.SerializerMethodField()

    class Meta:
        model = IssueEntry
        fields = ["id", "kind", "kind_display", "at", "author_label", "organisation", "organisation_name", "text"]
        read_only_fields = fields

    def get_organisation_name(self, obj) -> str:
        return str(obj.organisation) if obj.organisation_id else ""


class IssueSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    category = choice(IssueCategory.choices)
    severity = choice(Severity.choices)
    status = choice(IssueStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    raising_organisation = ScopedRelatedField(queryset=Organisation.objects.all(), required=False)
    affected_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    ack_overdue = serializers.BooleanField(read_only=True, default=False)
    resolve_overdue = serializers.BooleanField(read_only=True, default=False)
    overdue = serializers.BooleanField(read_only=True, default=False)
    thread = IssueEntrySerializer(source="entries", many=True, read_only=True)

    class Meta:
        model = Issue
        fields = [
            "id",
            "park",
            "reference",
            "title",
            "description",
            "category",
            "severity",
            "status",
            "status_display",
            "raising_organisation",
            "raised_by",
            "affected_organisations",
            "raised_at",
            "acknowledge_due",
            "resolve_due",
            "acknowledged_at",
            "ack_overdue",
            "resolve_overdue",
            "overdue",
            "decided_at",
            "decision",
            "decision_meeting",
            "closed_at",
            "reopen_count",
            "escalated_at",
            "escalated_to",
            "escalation_note",
            "source_label",
            "source_url",
            "thread",
        ]
        read_only_fields = [
            "reference",
            "raised_by",
            "raised_at",
            "acknowledge_due",
            "resolve_due",
            "acknowledged_at",
            "decided_at",
            "decision",
            "decision_meeting",
            "closed_at",
            "reopen_count",
            "escalated_at",
            "escalated_to",
            "escalation_note",
            "source_label",
            "source_url",
        ]
        validators: list = []


class IssueCommentSerializer(serializers.Serializer):
    kind = choice(
        [(EntryKind.COMMENT, EntryKind.COMMENT.label), (EntryKind.PROPOSAL, EntryKind.PROPOSAL.label)],
        required=False,
        default=EntryKind.COMMENT,
    )
    text = serializers.CharField(max_length=8000)


class IssueDecideSerializer(serializers.Serializer):
    decision = serializers.CharField(max_length=8000)
    meeting = ScopedRelatedField(queryset=Meeting.objects.all(), required=False, allow_null=True)


class SeverityDeadlineSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    severity = choice(Severity.choices)

    class Meta:
        model = SeverityDeadline
        fields = ["id", "park", "severity", "acknowledge_hours", "resolve_hours"]
        validators: list = []
