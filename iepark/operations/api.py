"""REST endpoints of park operations (registered by ``iepark.urls``): thin over selectors and services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from iepark.core.api.attachments import AttachmentsActionMixin
from iepark.core.api.base import ScopedViewSet
from iepark.core.api.serializers import ScopedRelatedField
from iepark.core.models import Organisation, Park, Student
from iepark.core.validators import validate_phone

from . import selectors, services
from .choices import CheckoutCondition, Weekday
from .filtersets import (
    AllocationRunFilterSet,
    BedAssignmentFilterSet,
    BedFilterSet,
    DormBuildingFilterSet,
    DormRoomFilterSet,
    HousingWishFilterSet,
    RoomTransferFilterSet,
    ServiceNoticeFilterSet,
    ServicePointFilterSet,
)
from .models import (
    AllocationRun,
    Bed,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)

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
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def create_object(self, data):
        building = services.dorm_building_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=building.pk)

    def update_object(self, instance, data):
        data.pop("park", None)  # a building stays in its park
        services.dorm_building_update(actor=self.request.user, building=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        """Delete a building whose beds were never assigned (else 400: take its rooms out of service)."""
        services.dorm_building_delete(actor=self.request.user, building=instance)


class BedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bed
        fields = ["id", "label", "in_service"]


class DormBedSerializer(serializers.ModelSerializer):
    room = ScopedRelatedField(queryset=DormRoom.objects.all())
    label = serializers.CharField(max_length=10, required=False, allow_blank=True)
    occupied = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = Bed
        fields = ["id", "room", "label", "in_service", "occupied"]
        validators: list = []


class BedViewSet(ScopedViewSet):
    """
    Beds of the rooms: POST adds one (the next number when ``label`` is empty); PATCH relabels it or takes it
    out of service (not while occupied); DELETE removes a bed never assigned.
    """

    serializer_class = DormBedSerializer
    selector = staticmethod(selectors.bed_list)
    filterset_class = BedFilterSet
    ordering_fields = ["label", "id"]

    def create_object(self, data):
        bed = services.bed_add(actor=self.request.user, **data)
        return self.get_queryset().get(pk=bed.pk)

    def update_object(self, instance, data):
        data.pop("room", None)  # a bed stays in its room
        services.bed_update(actor=self.request.user, bed=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.bed_delete(actor=self.request.user, bed=instance)


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
            "in_service",
            "beds",
            "beds_taken",
        ]
        validators: list = []


class DormRoomViewSet(ScopedViewSet):
    """
    Rooms with their beds (created with the room). PATCH changes any attribute but the building: the gender
    only while nobody lives there, ``beds_count`` adds beds or removes free beds never assigned (never below
    the residents), ``in_service: false`` only while empty. DELETE only a room whose beds were never assigned.
    """

    serializer_class = DormRoomSerializer
    selector = staticmethod(lambda user, **kw: selectors.dorm_room_list(user=user, **kw).prefetch_related("beds"))
    filterset_class = DormRoomFilterSet
    ordering_fields = ["number", "floor", "id"]
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def create_object(self, data):
        room = services.dorm_room_create(actor=self.request.user, **data)
        return self.get_queryset().get(pk=room.pk)

    def update_object(self, instance, data):
        data.pop("building", None)  # a room stays in its building
        services.dorm_room_update(actor=self.request.user, room=instance, data=data)
        return self.get_queryset().get(pk=instance.pk)

    def delete_object(self, instance):
        services.dorm_room_delete(actor=self.request.user, room=instance)


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
            "checkout_condition",
            "damage_description",
            "allocated_by_run",
            "needs_accessible",
        ]
        read_only_fields = [
            "end_date",
            "inspection_note",
            "checkout_condition",
            "damage_description",
            "allocated_by_run",
        ]
        validators: list = []


class CheckOutSerializer(serializers.Serializer):
    end_date = serializers.DateField(required=False)
    checkout_condition = serializers.ChoiceField(
        choices=CheckoutCondition.choices, required=False, allow_blank=True, help_text=_("The room's condition.")
    )
    damage_description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text=_("Required when damage was found.")
    )
    inspection_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class BedAssignmentViewSet(AttachmentsActionMixin, ScopedViewSet):
    """
    Students' stays in beds: POST checks a student in, ``check_out`` ends a stay (no edits, no deletes);
    ``attachments`` holds the photos of the check-out inspection (uploaded by the keepers).
    """

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


# --- housing wishes and room transfers -------------------------------------------------------------


class HousingWishSerializer(serializers.ModelSerializer):
    student = ScopedRelatedField(queryset=Student.objects.all())
    roommate = serializers.IntegerField(source="roommate_id", read_only=True)
    roommate_name = serializers.CharField(source="roommate.person.name", read_only=True, default=None)
    roommate_student_number = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=32, help_text=_("With roommate_person_name.")
    )
    roommate_person_name = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_("The roommate's name, Chinese or English; both empty: no roommate request."),
    )
    mutual = serializers.BooleanField(read_only=True, default=None)

    class Meta:
        model = HousingWish
        fields = [
            "id",
            "student",
            "needs_accessible",
            "accessibility_note",
            "roommate",
            "roommate_name",
            "roommate_student_number",
            "roommate_person_name",
            "mutual",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators: list = []


class HousingWishViewSet(ScopedViewSet):
    """
    Students' housing wishes (one row per student), read by allocation runs: an accessibility need and a
    roommate named by student number and name. POST records (or replaces) a student's wishes; ``mutual``
    says whether the roommate asked for this student too.
    """

    serializer_class = HousingWishSerializer
    selector = staticmethod(selectors.housing_wish_list)
    filterset_class = HousingWishFilterSet
    ordering_fields = ["updated_at", "id"]

    def _write(self, student, data, instance=None):
        number = data.pop("roommate_student_number", None)
        name = data.pop("roommate_person_name", None)
        if number is None and name is None:
            roommate = instance.roommate if instance is not None else None
        elif (number or "").strip() or (name or "").strip():
            roommate = services.find_roommate(student=student, student_number=number or "", name=name or "")
        else:
            roommate = None
        fields = {
            "needs_accessible": data.get(
                "needs_accessible", instance.needs_accessible if instance is not None else False
            ),
            "accessibility_note": data.get(
                "accessibility_note", instance.accessibility_note if instance is not None else ""
            ),
        }
        wish = services.housing_wish_set(actor=self.request.user, student=student, roommate=roommate, **fields)
        return self.get_queryset().get(pk=wish.pk)

    def create_object(self, data):
        return self._write(data.pop("student"), data)

    def update_object(self, instance, data):
        data.pop("student", None)  # wishes stay the student's
        return self._write(instance.student, data, instance)

    def delete_object(self, instance):
        services.housing_wish_delete(actor=self.request.user, wish=instance)


class RoomTransferSerializer(serializers.ModelSerializer):
    student = ScopedRelatedField(queryset=Student.objects.all())
    preferred_building = ScopedRelatedField(queryset=DormBuilding.objects.all(), required=False, allow_null=True)
    preferred_room = ScopedRelatedField(queryset=DormRoom.objects.all(), required=False, allow_null=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    from_bed = serializers.CharField(source="assignment.bed", read_only=True)
    to_bed = serializers.CharField(source="new_assignment.bed", read_only=True, default=None)

    class Meta:
        model = RoomTransferRequest
        fields = [
            "id",
            "student",
            "reason",
            "preferred_building",
            "preferred_room",
            "status",
            "status_display",
            "assignment",
            "from_bed",
            "decided_by",
            "decided_at",
            "decision_note",
            "new_assignment",
            "to_bed",
            "done_at",
            "created_at",
        ]
        read_only_fields = [
            "status",
            "assignment",
            "decided_by",
            "decided_at",
            "decision_note",
            "new_assignment",
            "done_at",
            "created_at",
        ]
        validators: list = []


class TransferDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class TransferRejectSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text=_("Why the request is rejected."))


class TransferCarryOutSerializer(serializers.Serializer):
    bed = ScopedRelatedField(queryset=Bed.objects.all(), help_text=_("A free bed suiting the student."))
    move_date = serializers.DateField(required=False, help_text=_("Today by default."))


class RoomTransferViewSet(ScopedViewSet):
    """
    Room transfer requests: the student (or their college's staff) POSTs one; the student manager of the
    student's college ``approve``s or ``reject``s it (with a reason); operator staff ``carry-out`` an approved
    one to a free bed; the student may ``cancel`` it before then. No edits, no deletes.
    """

    serializer_class = RoomTransferSerializer
    selector = staticmethod(selectors.room_transfer_list)
    filterset_class = RoomTransferFilterSet
    ordering_fields = ["created_at", "id"]
    http_method_names = ["get", "post", "head", "options"]

    def create_object(self, data):
        return services.transfer_request(actor=self.request.user, **data)

    def _answer(self, transfer):
        return Response(self.get_serializer(self.get_queryset().get(pk=transfer.pk)).data)

    @extend_schema(request=TransferDecisionSerializer, responses=RoomTransferSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the request (the student manager or administrator of the student's college)."""
        transfer = self.get_object()
        body = TransferDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.transfer_decide(
                actor=request.user, transfer=transfer, approve=True, note=body.validated_data.get("note", "")
            )
        )

    @extend_schema(request=TransferRejectSerializer, responses=RoomTransferSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject the request, saying why (the student manager or administrator of the student's college)."""
        transfer = self.get_object()
        body = TransferDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(
            services.transfer_decide(
                actor=request.user, transfer=transfer, approve=False, note=body.validated_data.get("note", "")
            )
        )

    @extend_schema(request=None, responses=RoomTransferSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Withdraw the request before it is carried out (the student, or whoever asked for them)."""
        return self._answer(services.transfer_cancel(actor=request.user, transfer=self.get_object()))

    @extend_schema(request=TransferCarryOutSerializer, responses=RoomTransferSerializer)
    @action(detail=True, methods=["post"], url_path="carry-out")
    def carry_out(self, request, pk=None):
        """Move the student to ``bed`` (operator staff): the old stay ends and the new one starts the same day."""
        transfer = self.get_object()
        body = TransferCarryOutSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._answer(services.transfer_carry_out(actor=request.user, transfer=transfer, **body.validated_data))


def register(router) -> None:
    """Register the operations viewsets on the API router."""
    router.register("service-points", ServicePointViewSet, basename="servicepoint")
    router.register("service-notices", ServiceNoticeViewSet, basename="servicenotice")
    router.register("dorm-buildings", DormBuildingViewSet, basename="dormbuilding")
    router.register("dorm-rooms", DormRoomViewSet, basename="dormroom")
    router.register("dorm-beds", BedViewSet, basename="bed")
    router.register("bed-assignments", BedAssignmentViewSet, basename="bedassignment")
    router.register("housing-wishes", HousingWishViewSet, basename="housingwish")
    router.register("room-transfers", RoomTransferViewSet, basename="roomtransfer")
    router.register("allocation-runs", AllocationRunViewSet, basename="allocationrun")
