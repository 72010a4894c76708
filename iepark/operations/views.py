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
from .filtersets import (
    AllocationRunFilterSet,
    BedAssignmentFilterSet,
    DormBuildingFilterSet,
    DormRoomFilterSet,
    ServiceNoticeFilterSet,
    ServicePointFilterSet,
)
from .forms import (
    AllocationForm,
    CheckInForm,
    CheckOutForm,
    DormBuildingForm,
    DormRoomForm,
    ServiceNoticeForm,
    ServicePointForm,
)
from .models import AllocationRun, BedAssignment, DormBuilding, DormRoom, ServiceNotice, ServicePoint
from .policy import keeps_dormitories, sees_dormitories


def is_park_member(actor: Actor) -> bool:
    return bool(actor.grants)


def is_student(actor: Actor) -> bool:
    return actor.has_role(Role.STUDENT)


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [
        generic.MenuItem(gettext_lazy("Service points"), "servicepoint_list", "shop", is_park_member, ServicePoint),
        generic.MenuItem(gettext_lazy("Dormitories"), "dormbuilding_list", "building", sees_dormitories, DormBuilding),
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
    ]

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
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
    form = CheckOutForm(request.POST or None, initial={"end_date": timezone.localdate()})
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


@login_required
def my_room(request):
    """A student's current bed and room, and their earlier stays."""
    actor = policy.actor_for(request.user)
    if not actor.person_id:
        raise Http404
    mine = selectors.bed_assignment_list(user=request.user).filter(student__person_id=actor.person_id)
    current = mine.filter(end_date__isnull=True).first()
    return render(
        request,
        "operations/my_room.html",
        {
            "current": current,
            "past": mine.exclude(end_date__isnull=True).order_by("-start_date"),
        },
    )


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
                "assignments_url": reverse("bedassignment_list") + "?current=true",
                **(job_context(self.request.user, obj.job) if obj.job and not obj.job.is_finished else {}),
            }
        )
        return context


class AllocationRunEditView(AllocationRunMixin, generic.ObjectEditView):
    """Start an allocation: choose the students without a bed (park, cohort year, college) and the seed."""

    form_class = AllocationForm

    def get(self, request, pk=None):
        if pk is not None:
            raise Http404
        return super().get(request)

    def post(self, request, pk=None):
        if pk is not None:
            raise Http404
        return super().post(request)

    def create_object(self, form):
        students = list(form.students().values_list("pk", flat=True))
        return services.allocation_start(
            actor=self.request.user, park=form.cleaned_data["park"], students=students, seed=form.cleaned_data["seed"]
        )
