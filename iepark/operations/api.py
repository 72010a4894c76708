"""REST endpoints of park operations (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.base import ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park, Student
from iepark.core.validators import validate_phone

from . import selectors, services
from .choices import Weekday
from .filtersets import (
    AllocationRunFilterSet,
    BedAssignmentFilterSet,
    DormBuildingFilterSet,
    DormRoomFilterSet,
    ServiceNoticeFilterSet,
    ServicePointFilterSet,
)
from .models import AllocationRun, Bed, BedAssignment, DormBuilding, DormRoom, ServiceNotice, ServicePoint

# --- service points -----------------------------------------------------------------------------


class OpeningPeriodSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    opens = serializers.TimeField(format="%H:%M")
    closes = serializers.TimeField(format="%H:%M", help_text=_("Earlier than (or equal to) opens: the next day."))


class ServicePointSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    operator = ScopedRelatedField(queryset=Organisation.objects.all(), required=False, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[validate_phone])
    periods = OpeningPeriodSerializer(many=True, required=False)
    open_now = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "park",
            "kind",
            "kind_display",
            "name",
            "name_en",
            "place",
            "place_en",
            "hours_note",
            "hours_note_en",
            "phone",
            "operator",
            "is_active",
            "periods",
            "open_now",
        ]
        validators: list = []


class ServicePointViewSet(ScopedViewSet):
    """The park's service points with their weekly opening periods; ``open_now`` is computed in Beijing time."""

    serializer_class = ServicePointSerializer
    selector = staticmethod(selectors.service_point_list)
    filterset_class = ServicePointFilterSet
    ordering_fields = ["name", "kind", "id"]

    def create_object(self, data):
        return self._reload(services.service_point_create(actor=self.request.user, **data))

    def update_object(self, instance, data):
        data.pop("park", None)  # a point stays in its park
        periods = data.pop("periods", None)
        point = services.service_point_update(
            actor=self.request.user, service_point=instance, data=data, periods=periods
        )
        return self._reload(point)

    def delete_object(self, instance):
        services.service_point_delete(actor=self.request.user, service_point=instance)

    def _reload(self, point: ServicePoint) -> ServicePoint:
        """Return the point as the selector gives it (fresh periods, ``open_now``)."""
        return self.get_queryset().get(pk=point.pk)


class ServiceNoticeSerializer(serializers.ModelSerializer):
    service_point = ScopedRelatedField(queryset=ServicePoint.objects.all())
    service_point_name = serializers.CharField(source="service_point.name", read_only=True)

    class Meta:
        model = ServiceNotice
        fields = [
            "id",
            "service_point",
            "service_point_name",
            "title",
            "title_en",
            "body",
            "body_en",
            "valid_from",
            "valid_to",
            "closes_point",
        ]
        validators: list = []


class ServiceNoticeViewSet(ScopedViewSet):
    """Notices of service points ("closed for maintenance on Saturday"); ``current=true`` for those valid today."""

    serializer_class = ServiceNoticeSerializer
    selector = staticmethod(selectors.service_notice_list)
    filterset_class = ServiceNoticeFilterSet
    ordering_fields = ["valid_from", "valid_to", "id"]

    def create_object(self, data):
        return services.service_notice_create(actor=self.request.user, **data)

    def update_object(self, instance, data):
        data.pop("service_point", None)  # a notice stays on its service point
        return services.service_notice_update(actor=self.request.user, notice=instance, data=data)

    def delete_object(self, instance):
        services.service_notice_delete(actor=self.request.user, notice=instance)


# --- dormitories ---------------------------------------------------------------------------------


class DormBuildingSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    beds_total = serializers.IntegerField(read_only=True, default=None)
    beds_taken = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = DormBuilding
        fields = ["id", "park", "name", "name_en", "gender_policy", "beds_total", "beds_taken"]
        validators: list = []


class DormBuildingViewSet(ScopedViewSet):
    """Dormitory buildings with their occupancy (``beds_total``, ``beds_taken``)."""

    serializer_class = DormBuildingSerializer
    selector = staticmethod(selectors.dorm_building_list)
    filterset_class = DormBuildingFilterSet
    ordering_fields = ["name", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create_object(self, data):
        building = services.dorm_building_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=building.pk)

    def update_object(self, instance, data):
        data.pop("park", None)  # a building stays in its park
        services.dorm_building_update(actor=self.request.user, building=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)


class BedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "label"]


class DormRoomSerializer(serializers.ModelSerializer):
    building = ScopedRelatedField(queryset=DormBuilding.objects.all())
    beds = BedSerializer(many=True, read_only=True)
    beds_taken = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = DormRoom
        fields = [
            "id",
            "building",
            "floor",
            "number",
            "gender",
            "beds_count",
            "accessible",
            "facilities",
            "monthly_fee",
            "beds",
            "beds_taken",
        ]
        validators: list = []


class DormRoomViewSet(ScopedViewSet):
    """Rooms with their beds (created with the room); only accessibility, facilities and fee change later."""

    serializer_class = DormRoomSerializer
    selector = staticmethod(lambda user, **kw: selectors.dorm_room_list(user=user, **kw).prefetch_related("beds"))
    filterset_class = DormRoomFilterSet
    ordering_fields = ["number", "floor", "id"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def create_object(self, data):
        room = services.dorm_room_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=room.pk)

    def update_object(self, instance, data):
        services.dorm_room_update(actor=self.request.user, room=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)


class BedAssignmentSerializer(serializers.ModelSerializer):
    bed = ScopedRelatedField(queryset=Bed.objects.all())
    student = ScopedRelatedField(queryset=Student.objects.all())
    room = serializers.IntegerField(source="bed.room_id", read_only=True)
    needs_accessible = serializers.BooleanField(write_only=True, required=False, default=False)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = BedAssignment
        fields = [
            "id",
            "bed",
            "room",
            "student",
            "start_date",
            "end_date",
            "is_current",
            "inspection_note",
            "allocated_by_run",
            "needs_accessible",
        ]
        read_only_fields = ["end_date", "inspection_note", "allocated_by_run"]
        validators: list = []


class CheckOutSerializer(serializers.Serializer):
    end_date = serializers.DateField(required=False)
    inspection_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BedAssignmentViewSet(ScopedViewSet):
    """Students' stays in beds: POST checks a student in, ``check_out`` ends a stay (no edits, no deletes)."""

    serializer_class = BedAssignmentSerializer
    selector = staticmethod(selectors.bed_assignment_list)
    filterset_class = BedAssignmentFilterSet
    ordering_fields = ["start_date", "end_date", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.bed_assign(actor=self.request.user, **data)

    @extend_schema(request=CheckOutSerializer, responses=BedAssignmentSerializer)
    @action(detail=True, methods=["post"], url_path="check-out")
    def check_out(self, request, pk=None):
        """Check the student out (today by default) with the room inspection's note."""
        assignment = self.get_object()
        body = CheckOutSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assignment = services.bed_check_out(actor=request.user, assignment=assignment, **body.validated_data)
        return Response(self.get_serializer(assignment).data)


class AllocationRunSerializer(serializers.ModelSerializer):
    park = ScopedRelatedField(queryset=Park.objects.all())
    students = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=50000)
    weights = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False, default=0)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "park",
            "seed",
            "weights",
            "students",
            "status",
            "job",
            "created_by",
            "created_at",
            "finished_at",
            "placed",
            "unplaced",
            "summary",
        ]
        read_only_fields = ["status", "job", "created_by", "created_at", "finished_at", "placed", "unplaced", "summary"]


class AllocationRunViewSet(ScopedViewSet):
    """Allocation runs: POST starts one in the background (follow ``job`` at ``/api/v1/jobs/{id}/``)."""

    serializer_class = AllocationRunSerializer
    selector = staticmethod(selectors.allocation_run_list)
    filterset_class = AllocationRunFilterSet
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.allocation_start(actor=self.request.user, **data)


def register(router) -> None:
    """Register the operations viewsets on the API router."""
    router.register("service-points", ServicePointViewSet, basename="servicepoint")
    router.register("service-notices", ServiceNoticeViewSet, basename="servicenotice")
    router.register("dorm-buildings", DormBuildingViewSet, basename="dormbuilding")
    router.register("dorm-rooms", DormRoomViewSet, basename="dormroom")
    router.register("bed-assignments", BedAssignmentViewSet, basename="bedassignment")
    router.register("allocation-runs", AllocationRunViewSet, basename="allocationrun")
