"""
Pages of park operations, over the generic views: they read through selectors
and write through services, like the API (``api.py``).

Sections: service points (list, detail with the week's hours and current notices,
edit with the opening hours, delete, history) and their notices; dormitories
(buildings with occupancy, rooms with residents, assignments with check-in and
check-out, allocation runs, and a student's own room).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.choices import Role
from iepark.core.policy import Action, Actor
from iepark.core.views import job_context

from . import selectors, services, tables
from .choices import TransferStatus
from .filtersets import (
    AllocationRunFilterSet,
    BedAssignmentFilterSet,
    DormBuildingFilterSet,
    DormRoomFilterSet,
    HousingWishFilterSet,
    RoomTransferFilterSet,
    ServiceNoticeFilterSet,
    ServicePointFilterSet,
)
from .forms import (
    AllocationForm,
    BedAddForm,
    CheckInForm,
    CheckOutForm,
    DormBuildingForm,
    DormRoomForm,
    HousingWishForm,
    ServiceNoticeForm,
    ServicePointForm,
    TransferCarryOutForm,
    TransferDecisionForm,
    TransferRequestForm,
)
from .models import (
    AllocationRun,
    BedAssignment,
    DormBuilding,
    DormRoom,
    HousingWish,
    RoomTransferRequest,
    ServiceNotice,
    ServicePoint,
)
from .policy import (
    DORM_COLLEGE_ROLES,
    decides_transfers,
    is_own_student,
    keeps_dormitories,
    sees_dormitories,
)


def is_park_member(actor: Actor) -> bool:
    return bool(actor.grants)


def is_student(actor: Actor) -> bool:
    return actor.has_role(Role.STUDENT)


def sees_student_housing(actor: Actor) -> bool:
    """College administrators and student managers, and the dormitory keepers (wishes and transfers)."""
    return actor.is_superuser or bool(actor.orgs(DORM_COLLEGE_ROLES)) or keeps_dormitories(actor)


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [
        generic.MenuItem(gettext_lazy("Service points"), "servicepoint_list", "shop", is_park_member, ServicePoint),
        generic.MenuItem(gettext_lazy("Dormitories"), "dormbuilding_list", "building", sees_dormitories, DormBuilding),
        generic.MenuItem(
            gettext_lazy("Room transfers"), "roomtransferrequest_list", "arrow-left-right", sees_student_housing
        ),
        generic.MenuItem(gettext_lazy("Housing wishes"), "housingwish_list", "heart", sees_student_housing),
        generic.MenuItem(gettext_lazy("My room"), "my_room", "house-door", is_student),
    ],
    weight=35,
)


# --- service points -----------------------------------------------------------------------------


class ServicePointMixin:
    model = ServicePoint
    selector = staticmethod(selectors.service_point_list)


class ServicePointListView(ServicePointMixin, generic.ObjectListView):
    filterset_class = ServicePointFilterSet
    filter_fields = ("q", "kind", "open_now")
    table_class = tables.ServicePointTable


SERVICE_POINT_FIELDS = [
    core_tables.ChoiceColumn("kind", as_badge=False),
    core_tables.Column("name"),
    core_tables.Column("name_en"),
    core_tables.Column("place"),
    core_tables.Column("place_en"),
    core_tables.Column("phone"),
    core_tables.Column("operator"),
    core_tables.Column("hours_note"),
    core_tables.Column("hours_note_en"),
    core_tables.BooleanColumn("is_active"),
    core_tables.Column("park"),
    core_tables.DateTimeColumn("updated_at"),
]


class ServicePointDetailView(ServicePointMixin, generic.ObjectDetailView):
    detail_fields = SERVICE_POINT_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        now = timezone.now()
        notices = selectors.service_notice_list(user=user).filter(service_point=obj)
        today = timezone.localdate()
        context.update(
            {
                "week": selectors.week_hours(obj, closed_dates=selectors.closed_dates_around(obj, now), when=now),
                "current_notices": list(selectors.current_notices(notices=notices).order_by("valid_from", "pk")),
                "upcoming_notices": list(notices.filter(valid_from__gt=today).order_by("valid_from", "pk")[:5]),
                "can_add_notice": policy.can(user, Action.CHANGE, obj),
                "notice_create_url": reverse("servicenotice_create") + f"?service_point={obj.pk}",
                "notice_list_url": reverse("servicenotice_list") + f"?service_point={obj.pk}",
                "portal_url": reverse("portal_services", args=[obj.park.code]) if obj.is_active else None,
            }
        )
        return context


class ServicePointHistoryView(ServicePointMixin, generic.ObjectHistoryView):
    pass


class ServicePointEditView(ServicePointMixin, generic.ObjectEditView):
    form_class = ServicePointForm

    def create_object(self, form):
        return services.service_point_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        data = form.service_data()
        periods = data.pop("periods")
        return services.service_point_update(actor=self.request.user, service_point=obj, data=data, periods=periods)


class ServicePointDeleteView(ServicePointMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.service_point_delete(actor=self.request.user, service_point=obj)


# --- notices -----------------------------------------------------------------------------------------


class ServiceNoticeMixin:
    model = ServiceNotice
    selector = staticmethod(selectors.service_notice_list)


class ServiceNoticeListView(ServiceNoticeMixin, generic.ObjectListView):
    filterset_class = ServiceNoticeFilterSet
    filter_fields = ("q", "service_point", "current")
    table_class = tables.ServiceNoticeTable


class ServiceNoticeDetailView(ServiceNoticeMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("service_point"),
        core_tables.Column("title"),
        core_tables.Column("title_en"),
        core_tables.Column("body"),
        core_tables.Column("body_en"),
        core_tables.DateColumn("valid_from"),
        core_tables.DateColumn("valid_to"),
        core_tables.BooleanColumn("closes_point"),
        core_tables.DateTimeColumn("updated_at"),
    ]


class ServiceNoticeHistoryView(ServiceNoticeMixin, generic.ObjectHistoryView):
    pass


class ServiceNoticeEditView(ServiceNoticeMixin, generic.ObjectEditView):
    form_class = ServiceNoticeForm

    def get_initial(self):
        point = self.request.GET.get("service_point", "")
        initial = {"valid_from": timezone.localdate()}
        if point.isdigit():
            initial["service_point"] = point
        return initial

    def create_object(self, form):
        data = form.service_data()
        return services.service_notice_create(actor=self.request.user, service_point=data.pop("service_point"), **data)

    def update_object(self, obj, form):
        return services.service_notice_update(actor=self.request.user, notice=obj, data=form.service_data())

    def get_success_url(self, obj):
        return generic.safe_return_url(self.request, reverse("servicepoint_detail", args=[obj.service_point_id]))


class ServiceNoticeDeleteView(ServiceNoticeMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.service_notice_delete(actor=self.request.user, notice=obj)


# --- dormitories ---------------------------------------------------------------------------------


class DormBuildingMixin:
    model = DormBuilding
    selector = staticmethod(selectors.dorm_building_list)


class DormBuildingListView(DormBuildingMixin, generic.ObjectListView):
    filterset_class = DormBuildingFilterSet
    filter_fields = ("q", "gender_policy")
    table_class = tables.DormBuildingTable

    def extra_context(self):
        user = self.request.user
        return {
            "occupancy": selectors.occupancy(user=user),
            "may_keep": keeps_dormitories(policy.actor_for(user)) or policy.actor_for(user).is_superuser,
        }


class DormBuildingDetailView(DormBuildingMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("name"),
        core_tables.Column("name_en"),
        core_tables.ChoiceColumn("gender_policy", as_badge=False),
        core_tables.Column("park"),
        core_tables.Column("beds_total", label=gettext_lazy("Beds")),
        core_tables.Column("beds_taken", label=gettext_lazy("Taken")),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        rooms = list(selectors.dorm_room_list(user=user).filter(building=obj).order_by("floor", "number"))
        residents: dict[int, list] = {}
        for a in selectors.bed_assignment_list(user=user).filter(bed__room__building=obj, end_date__isnull=True):
            residents.setdefault(a.bed.room_id, []).append(a)
        for room in rooms:
            room.residents = sorted(residents.get(room.pk, []), key=lambda a: a.bed.label)
        context.update(
            {
                "rooms": rooms,
                "occupancy": selectors.occupancy(user=user, park=obj.park) if obj else [],
                "can_add_room": policy.can(user, Action.CHANGE, obj),
                "room_create_url": reverse("dormroom_create") + f"?building={obj.pk}",
            }
        )
        context["occupancy"] = [row for row in context["occupancy"] if row["building"].pk == obj.pk]
        return context


class DormBuildingHistoryView(DormBuildingMixin, generic.ObjectHistoryView):
    pass


class DormBuildingEditView(DormBuildingMixin, generic.ObjectEditView):
    form_class = DormBuildingForm

    def create_object(self, form):
        data = form.service_data()
        return services.dorm_building_create(actor=self.request.user, park=data.pop("park"), **data)

    def update_object(self, obj, form):
        return services.dorm_building_update(actor=self.request.user, building=obj, data=form.service_data())


class DormBuildingDeleteView(DormBuildingMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.dorm_building_delete(actor=self.request.user, building=obj)


class DormRoomMixin:
    model = DormRoom
    selector = staticmethod(selectors.dorm_room_list)


class DormRoomListView(DormRoomMixin, generic.ObjectListView):
    filterset_class = DormRoomFilterSet
    filter_fields = ("q", "building", "gender", "has_free_bed")
    table_class = tables.DormRoomTable


class DormRoomDetailView(DormRoomMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("building"),
        core_tables.Column("floor"),
        core_tables.Column("number"),
        core_tables.ChoiceColumn("gender", as_badge=False),
        core_tables.Column("beds_count"),
        core_tables.Column("beds_taken", label=gettext_lazy("Taken")),
        core_tables.BooleanColumn("accessible"),
        core_tables.Column("facilities"),
        core_tables.Column("monthly_fee"),
        core_tables.BooleanColumn("in_service"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        used = set(BedAssignment.objects.filter(bed__room=obj).values_list("bed_id", flat=True))
        current = {
            a.bed_id: a for a in selectors.bed_assignment_list(user=user).filter(bed__room=obj, end_date__isnull=True)
        }
        keeper = policy.can(user, Action.CHANGE, obj)
        beds = [(bed, current.get(bed.pk)) for bed in obj.beds.order_by("label", "pk")] if keeper else []
        context.update(
            {
                "beds": beds,
                "residents": list(current.values()),
                "is_keeper": keeper,
                "used_beds": used,
                "bed_add_form": BedAddForm() if keeper else None,
            }
        )
        return context


class DormRoomHistoryView(DormRoomMixin, generic.ObjectHistoryView):
    pass


class DormRoomEditView(DormRoomMixin, generic.ObjectEditView):
    form_class = DormRoomForm

    def get_initial(self):
        building = self.request.GET.get("building", "")
        return {"building": building} if building.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        return services.dorm_room_create(actor=self.request.user, building=data.pop("building"), **data)

    def update_object(self, obj, form):
        return services.dorm_room_update(actor=self.request.user, room=obj, data=form.service_data())


class DormRoomDeleteView(DormRoomMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.dorm_room_delete(actor=self.request.user, room=obj)


def _keeper_room(request, pk: int) -> DormRoom:
    room = get_object_or_404(selectors.dorm_room_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, room):
        raise PermissionDenied
    return room


@login_required
def dorm_bed_add(request, pk: int):
    """Add a bed to a room (POST from the room page)."""
    room = _keeper_room(request, pk)
    if request.method != "POST":
        return redirect("dormroom_detail", pk=room.pk)
    form = BedAddForm(request.POST)
    if form.is_valid():
        try:
            bed = services.bed_add(actor=request.user, room=room, label=form.cleaned_data["label"])
        except ValidationError as exc:
            messages.error(request, generic.error_text(exc))
        else:
            messages.success(request, _("Bed %(label)s added.") % {"label": bed.label})
    return redirect("dormroom_detail", pk=room.pk)


@login_required
def dorm_bed_action(request, pk: int):
    """Take a bed out of service, back into service, or delete it (POST ``action`` from the room page)."""
    bed = get_object_or_404(selectors.bed_list(user=request.user), pk=pk)
    if request.method != "POST":
        return redirect("dormroom_detail", pk=bed.room_id)
    what = request.POST.get("action")
    try:
        if what == "delete":
            services.bed_delete(actor=request.user, bed=bed)
            messages.success(request, _("Bed %(label)s removed.") % {"label": bed.label})
        elif what in ("disable", "enable"):
            services.bed_update(actor=request.user, bed=bed, data={"in_service": what == "enable"})
            messages.success(request, _("Bed %(label)s updated.") % {"label": bed.label})
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    return redirect("dormroom_detail", pk=bed.room_id)


class BedAssignmentMixin:
    model = BedAssignment
    selector = staticmethod(selectors.bed_assignment_list)


class BedAssignmentListView(BedAssignmentMixin, generic.ObjectListView):
    filterset_class = BedAssignmentFilterSet
    filter_fields = ("q", "current", "building")
    table_class = tables.BedAssignmentTable

    def extra_context(self):
        return {"check_in_url": reverse("dorm_check_in")}


class BedAssignmentDetailView(BedAssignmentMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("student"),
        core_tables.Column("bed"),
        core_tables.DateColumn("start_date"),
        core_tables.DateColumn("end_date"),
        core_tables.ChoiceColumn("checkout_condition"),
        core_tables.Column("damage_description"),
        core_tables.Column("inspection_note"),
        core_tables.Column("allocated_by_run"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["can_check_out"] = obj.is_current and policy.can(self.request.user, Action.CHANGE, obj)
        return context


class BedAssignmentHistoryView(BedAssignmentMixin, generic.ObjectHistoryView):
    pass


@login_required
def dorm_check_in(request):
    """Check a student in to a free bed (operator staff and park administrators)."""
    if not policy.may_add_any(request.user, BedAssignment):
        raise PermissionDenied
    initial = {"start_date": timezone.localdate()}
    if request.GET.get("bed", "").isdigit():
        initial["bed"] = request.GET["bed"]
    form = CheckInForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.bed_assign(
                actor=request.user,
                bed=data["bed"],
                student=data["student"],
                start_date=data["start_date"],
                needs_accessible=data["needs_accessible"],
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(
                request, _("%(student)s checked in to %(bed)s.") % {"student": data["student"], "bed": data["bed"]}
            )
            return redirect("dormroom_detail", pk=assignment.bed.room_id)
    return render(request, "operations/dorm_check_in.html", {"form": form, "title": _("Check in")})


@login_required
def dorm_check_out(request, pk: int):
    """End a current assignment with the room inspection's note."""
    assignment = get_object_or_404(selectors.bed_assignment_list(user=request.user), pk=pk)
    if not policy.can(request.user, Action.CHANGE, assignment):
        raise PermissionDenied
    form = CheckOutForm(request.POST or None, request.FILES or None, initial={"end_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.bed_check_out(actor=request.user, assignment=assignment, **form.cleaned_data)
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(student)s checked out.") % {"student": assignment.student})
            return redirect("dormroom_detail", pk=assignment.bed.room_id)
    return render(
        request, "operations/dorm_check_out.html", {"form": form, "assignment": assignment, "title": _("Check out")}
    )


def _own_student(request):
    """Return the signed-in user's student record (404 for others)."""
    from iepark.core.models import Student

    actor = policy.actor_for(request.user)
    if not actor.person_id:
        raise Http404
    student = Student.objects.select_related("person", "college").filter(person_id=actor.person_id).first()
    if student is None:
        raise Http404
    return student


def _wish_initial(wish: HousingWish | None) -> dict:
    if wish is None:
        return {}
    return {
        "needs_accessible": wish.needs_accessible,
        "accessibility_note": wish.accessibility_note,
        "roommate_student_number": wish.roommate.student_number if wish.roommate else "",
        "roommate_name": wish.roommate.person.name if wish.roommate else "",
    }


def _save_wish(request, form, student) -> bool:
    """Record the wishes of a valid ``form`` for ``student``; return whether it worked (errors on the form)."""
    data = form.cleaned_data
    try:
        roommate = None
        if data["roommate_student_number"].strip():
            roommate = services.find_roommate(
                student=student, student_number=data["roommate_student_number"], name=data["roommate_name"]
            )
        services.housing_wish_set(
            actor=request.user,
            student=student,
            needs_accessible=data["needs_accessible"],
            accessibility_note=data["accessibility_note"],
            roommate=roommate,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "roommate" in exc.error_dict:
            exc = ValidationError({"roommate_name": exc.error_dict["roommate"]})
        generic.apply_validation_error(form, exc)
        return False
    return True


def _park_buildings_for(student):
    """The buildings of the student's park with rooms of their gender (names any resident knows), for a preference."""
    return (
        DormBuilding.objects.filter(park_id=student.college.park_id, rooms__gender=student.person.gender or "-")
        .distinct()
        .order_by("name")
    )


@login_required
def my_room(request):
    """A student's current bed and room, their housing wishes, their transfer requests and their earlier stays."""
    student = _own_student(request)
    mine = selectors.bed_assignment_list(user=request.user).filter(student=student)
    current = mine.filter(end_date__isnull=True).first()
    wish = selectors.housing_wish_list(user=request.user).filter(student=student).first()
    transfers = list(selectors.room_transfer_list(user=request.user).filter(student=student).order_by("-created_at"))
    open_transfer = next((t for t in transfers if t.is_open), None)
    wish_form = HousingWishForm(
        request.POST if request.POST.get("form") == "wish" else None, initial=_wish_initial(wish)
    )
    transfer_form = TransferRequestForm(
        request.POST if request.POST.get("form") == "transfer" else None, buildings=_park_buildings_for(student)
    )
    if request.method == "POST" and request.POST.get("form") == "wish":
        if wish_form.is_valid() and _save_wish(request, wish_form, student):
            messages.success(request, _("Your housing wishes are saved."))
            return redirect("my_room")
    elif request.method == "POST" and request.POST.get("form") == "transfer":
        if transfer_form.is_valid():
            data = transfer_form.cleaned_data
            try:
                room = None
                if data["preferred_room_number"].strip():
                    rooms = DormRoom.objects.filter(
                        building__park_id=student.college.park_id, number=data["preferred_room_number"].strip()
                    )
                    if data["preferred_building"]:
                        rooms = rooms.filter(building=data["preferred_building"])
                    room = rooms.first()
                    if room is None:
                        raise ValidationError({"preferred_room_number": _("There is no room with this number.")})
                services.transfer_request(
                    actor=request.user,
                    student=student,
                    reason=data["reason"],
                    preferred_building=data["preferred_building"],
                    preferred_room=room,
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict") and "preferred_room" in exc.error_dict:
                    exc = ValidationError({"preferred_room_number": exc.error_dict["preferred_room"]})
                generic.apply_validation_error(transfer_form, exc)
            else:
                messages.success(request, _("Your transfer request is sent to your student manager."))
                return redirect("my_room")
    return render(
        request,
        "operations/my_room.html",
        {
            "student": student,
            "current": current,
            "past": mine.exclude(end_date__isnull=True).order_by("-start_date"),
            "wish": wish,
            "wish_form": wish_form,
            "transfers": transfers,
            "open_transfer": open_transfer,
            "transfer_form": transfer_form if current and not open_transfer else None,
        },
    )


# --- housing wishes (staff) ------------------------------------------------------------------------


class HousingWishMixin:
    model = HousingWish
    selector = staticmethod(selectors.housing_wish_list)


class HousingWishListView(HousingWishMixin, generic.ObjectListView):
    filterset_class = HousingWishFilterSet
    filter_fields = ("q", "needs_accessible", "has_roommate")
    table_class = tables.HousingWishTable

    def extra_context(self):
        return {"record_url": reverse("housing_wish_record")}


class HousingWishDetailView(HousingWishMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("student"),
        core_tables.BooleanColumn("needs_accessible"),
        core_tables.Column("accessibility_note"),
        core_tables.Column("roommate"),
        core_tables.BooleanColumn("mutual", label=gettext_lazy("mutual request")),
        core_tables.Column("updated_by"),
        core_tables.DateTimeColumn("updated_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        context["record_url"] = reverse("housing_wish_record") + f"?student={obj.student_id}"
        context["can_record"] = policy.can(self.request.user, Action.CHANGE, obj)
        return context


class HousingWishHistoryView(HousingWishMixin, generic.ObjectHistoryView):
    pass


class HousingWishDeleteView(HousingWishMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.housing_wish_delete(actor=self.request.user, wish=obj)


@login_required
def housing_wish_record(request):
    """Record a student's wishes for them (their college's staff, the dormitory keepers)."""
    from iepark.core import selectors as core_selectors

    from .policy import records_wishes_for

    actor = policy.actor_for(request.user)
    if not sees_student_housing(actor):
        raise PermissionDenied
    students = core_selectors.student_list(user=request.user).select_related("person", "college")
    raw = request.POST.get("student") or request.GET.get("student") or ""
    student = get_object_or_404(students, pk=raw) if raw.isdigit() else None
    if student is not None and not records_wishes_for(actor, student):
        raise PermissionDenied
    wish = HousingWish.objects.filter(student=student).select_related("roommate__person").first() if student else None
    form = HousingWishForm(request.POST or None, initial=_wish_initial(wish), staff=True)
    if request.method == "POST" and student is not None and form.is_valid() and _save_wish(request, form, student):
        messages.success(request, _("Housing wishes of %(student)s saved.") % {"student": student})
        saved = HousingWish.objects.get(student=student)
        return redirect("housingwish_detail", pk=saved.pk)
    return render(
        request,
        "operations/housing_wish_form.html",
        {
            "form": form,
            "student": student,
            "students": students.order_by("student_number")[:500] if student is None else None,
            "title": _("Record housing wishes"),
        },
    )


# --- room transfers ---------------------------------------------------------------------------------


class RoomTransferRequestMixin:
    model = RoomTransferRequest
    selector = staticmethod(selectors.room_transfer_list)


class RoomTransferRequestListView(RoomTransferRequestMixin, generic.ObjectListView):
    filterset_class = RoomTransferFilterSet
    filter_fields = ("q", "status")
    table_class = tables.RoomTransferTable

    def extra_context(self):
        actor = policy.actor_for(self.request.user)
        base = reverse("roomtransferrequest_list")
        return {
            "queues": [
                (_("Awaiting a decision"), f"{base}?status={TransferStatus.REQUESTED}"),
                (_("Approved, to carry out"), f"{base}?status={TransferStatus.APPROVED}"),
            ],
            "is_keeper": keeps_dormitories(actor),
        }


class RoomTransferRequestDetailView(RoomTransferRequestMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("student"),
        core_tables.ChoiceColumn("status"),
        core_tables.Column("assignment", label=gettext_lazy("current stay")),
        core_tables.Column("reason"),
        core_tables.Column("preferred_building"),
        core_tables.Column("preferred_room"),
        core_tables.Column("created_by"),
        core_tables.DateTimeColumn("created_at"),
        core_tables.Column("decided_by"),
        core_tables.DateTimeColumn("decided_at"),
        core_tables.Column("decision_note"),
        core_tables.Column("new_assignment", label=gettext_lazy("new stay")),
        core_tables.DateTimeColumn("done_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        actor = policy.actor_for(user)
        may_decide = obj.status == TransferStatus.REQUESTED and decides_transfers(actor, obj.student)
        may_move = obj.status == TransferStatus.APPROVED and (
            actor.is_superuser or keeps_dormitories(actor, obj.student.college.park_id)
        )
        may_cancel = obj.is_open and (
            actor.is_superuser or is_own_student(actor, obj.student) or obj.created_by_id == user.pk
        )
        context.update(
            {
                "decision_form": TransferDecisionForm() if may_decide else None,
                "move_form": TransferCarryOutForm(
                    beds=selectors.transfer_bed_choices(user=user, transfer=obj),
                    initial={"move_date": timezone.localdate()},
                )
                if may_move
                else None,
                "may_cancel": may_cancel,
            }
        )
        return context


class RoomTransferRequestHistoryView(RoomTransferRequestMixin, generic.ObjectHistoryView):
    pass


@login_required
def room_transfer_act(request, pk: int, step: str):
    """Decide, carry out or cancel a transfer request (POST from its page); the services check who may."""
    transfer = get_object_or_404(selectors.room_transfer_list(user=request.user), pk=pk)
    if request.method != "POST":
        return redirect("roomtransferrequest_detail", pk=pk)
    try:
        if step == "decide":
            form = TransferDecisionForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Choose approve or reject."))
                return redirect("roomtransferrequest_detail", pk=pk)
            approve = form.cleaned_data["decision"] == "approve"
            services.transfer_decide(
                actor=request.user, transfer=transfer, approve=approve, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Request approved.") if approve else _("Request rejected."))
        elif step == "carry-out":
            form = TransferCarryOutForm(
                request.POST, beds=selectors.transfer_bed_choices(user=request.user, transfer=transfer)
            )
            if not form.is_valid():
                messages.error(request, generic.error_text(ValidationError(form.errors)))
                return redirect("roomtransferrequest_detail", pk=pk)
            services.transfer_carry_out(
                actor=request.user,
                transfer=transfer,
                bed=form.cleaned_data["bed"],
                move_date=form.cleaned_data["move_date"],
            )
            messages.success(
                request,
                _("%(student)s moved to %(bed)s.") % {"student": transfer.student, "bed": form.cleaned_data["bed"]},
            )
        elif step == "cancel":
            services.transfer_cancel(actor=request.user, transfer=transfer)
            messages.success(request, _("Request cancelled."))
            if is_own_student(policy.actor_for(request.user), transfer.student):
                return redirect("my_room")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    return redirect("roomtransferrequest_detail", pk=pk)


class AllocationRunMixin:
    model = AllocationRun
    selector = staticmethod(selectors.allocation_run_list)


class AllocationRunListView(AllocationRunMixin, generic.ObjectListView):
    filterset_class = AllocationRunFilterSet
    filter_fields = ("status",)
    table_class = tables.AllocationRunTable


class AllocationRunDetailView(AllocationRunMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("park"),
        core_tables.ChoiceColumn("status"),
        core_tables.Column("seed"),
        core_tables.Column("placed"),
        core_tables.Column("unplaced"),
        core_tables.Column("created_by"),
        core_tables.DateTimeColumn("created_at"),
        core_tables.DateTimeColumn("finished_at"),
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        lines = selectors.allocation_explanations(obj, user=self.request.user)
        unplaced_ids = set(obj.summary.get("unplaced", [])) | {r["student"] for r in obj.summary.get("skipped", [])}
        context.update(
            {
                "unplaced_lines": [line for line in lines if line.student_id in unplaced_ids],
                "wish_lines": [line for line in lines if line.student_id not in unplaced_ids],
                "error": obj.summary.get("error"),
                "weights": _weights_shown(obj),
                "wish_figures": obj.summary.get("wishes"),
                "assignments_url": reverse("bedassignment_list") + "?current=true",
                **(job_context(self.request.user, obj.job) if obj.job and not obj.job.is_finished else {}),
            }
        )
        return context


def _weights_shown(run: AllocationRun) -> list[tuple[str, int]]:
    """Return each goal's label and the weight the run used (the default where the run gave none)."""
    from engines.allocation import Weights

    from .forms import WEIGHT_LABELS

    defaults = Weights()
    given = run.weights or {}
    return [(WEIGHT_LABELS.get(name, name), given.get(name, getattr(defaults, name))) for name in Weights.names()]


class AllocationRunEditView(AllocationRunMixin, generic.ObjectEditView):
    """Start an allocation: choose the students without a bed (park, cohort year, college) and the seed."""

    only = "create"
    form_class = AllocationForm

    def create_object(self, form):
        students = list(form.students().values_list("pk", flat=True))
        return services.allocation_start(
            actor=self.request.user,
            park=form.cleaned_data["park"],
            students=students,
            seed=form.cleaned_data["seed"],
            weights=form.weights(),
        )
