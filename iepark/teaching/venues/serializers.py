"""API serializers of venue booking: they validate shape; the services validate the domain."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation
from iepark.teaching.choices import RoomKind
from iepark.teaching.models import Room

from .choices import BookingStatus
from .models import VenueBooking


def choice(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values are listed inline in the OpenAPI schema (no named enum component)."""
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    schema = {"type": "string", "allOf": [{"enum": values}]}
    field_class = extend_schema_field(schema)(type("InlineChoiceField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, **kwargs)


class BookableOrganisationField(serializers.PrimaryKeyRelatedField):
    """The organisations the requesting user may book for (others are "does not exist")."""

    def get_queryset(self):
        from .selectors import bookable_organisations

        request = self.context.get("request")
        return bookable_organisations(user=getattr(request, "user", None))


class VenueBookingSerializer(serializers.ModelSerializer):
    room = ScopedRelatedField(queryset=Room.objects.all())
    organisation = BookableOrganisationField(queryset=Organisation.objects.all(), required=False)
    status = choice(BookingStatus.choices, read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    reference = serializers.CharField(read_only=True)
    room_label = serializers.CharField(source="room.__str__", read_only=True)
    organisation_label = serializers.CharField(source="organisation.__str__", read_only=True)
    requester_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()

    class Meta:
        model = VenueBooking
        fields = [
            "id",
            "reference",
            "park",
            "room",
            "room_label",
            "organisation",
            "organisation_label",
            "date",
            "start_time",
            "end_time",
            "purpose",
            "attendees",
            "status",
            "status_display",
            "requester",
            "requester_name",
            "decided_by",
            "decided_by_name",
            "decided_at",
            "decision_note",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = [
            "park",
            "status",
            "requester",
            "decided_by",
            "decided_at",
            "decision_note",
            "cancelled_at",
            "cancel_reason",
            "created_at",
        ]
        validators: list = []

    def get_requester_name(self, obj) -> str:
        return str(obj.requester) if obj.requester_id else ""

    def get_decided_by_name(self, obj) -> str:
        return str(obj.decided_by) if obj.decided_by_id else ""


class VenueNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class VenueReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=False)


class VenueCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class VenueFreeRoomsQuerySerializer(serializers.Serializer):
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    room_kind = choice(RoomKind.choices, required=False, allow_blank=True)
    min_capacity = serializers.IntegerField(required=False, min_value=1)
    features = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)

    def validate(self, attrs):
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": _("The booking must end after it starts.")})
        return attrs


class VenueFreeRoomSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="room.pk")
    label = serializers.CharField(source="room.__str__")
    building = serializers.CharField(source="room.building")
    number = serializers.CharField(source="room.number")
    room_kind = serializers.CharField(source="room.room_kind")
    capacity = serializers.IntegerField(source="room.capacity")
    owner = serializers.IntegerField(source="room.owner_id")
    features = serializers.SerializerMethodField()
    pending_requests = serializers.IntegerField(source="pending")

    def get_features(self, obj) -> list[int]:
        return [f.pk for f in obj.room.features.all()]
