"""
Pages of park operations, over the generic views: they read through selectors
and write through services, like the API (``api.py``).

Sections: service points (list, detail with the week's hours and current notices,
edit with the opening hours, delete, history) and their notices.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.policy import Action, Actor

from . import selectors, services, tables
from .filtersets import ServiceNoticeFilterSet, ServicePointFilterSet
from .forms import ServiceNoticeForm, ServicePointForm
from .models import ServiceNotice, ServicePoint


def is_park_member(actor: Actor) -> bool:
    return bool(actor.grants)


generic.register_menu_items(
    "operations",
    gettext_lazy("Operations"),
    [generic.MenuItem(gettext_lazy("Service points"), "servicepoint_list", "shop", is_park_member, ServicePoint)],
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
