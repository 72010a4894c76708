"""FilterSets shared by the venue booking pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iepark.core.filtersets import SearchFilterSet, scoped_choice
from iepark.core.models import Organisation
from iepark.core.policy import actor_for
from iepark.teaching.choices import RoomKind
from iepark.teaching.models import Room

from .choices import BookingStatus
from .models import VenueBooking
from .policy import approver_q


class VenueBookingFilterSet(SearchFilterSet):
    search_fields = ("purpose", "room__number", "room__name", "room__building", "organisation__name")
    status = django_filters.MultipleChoiceFilter(choices=BookingStatus.choices, label=_("status"))
    room = scoped_choice(Room, _("room"))
    room_kind = django_filters.ChoiceFilter(field_name="room__room_kind", choices=RoomKind.choices, label=_("kind"))
    organisation = scoped_choice(Organisation, _("organisation"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("from date"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("until date"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("requested by me"))
    to_approve = django_filters.BooleanFilter(method="filter_to_approve", label=_("rooms I approve"))

    class Meta:
        model = VenueBooking
        fields = ["q", "status", "room", "room_kind", "organisation", "date_from", "date_to", "mine", "to_approve"]

    def filter_mine(self, queryset, name, value):
        person_id = actor_for(getattr(self.request, "user", None)).person_id
        q = Q(requester_id=person_id) if person_id else Q(pk__in=[])
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_to_approve(self, queryset, name, value):
        actor = actor_for(getattr(self.request, "user", None))
        if actor.is_superuser:
            return queryset if value else queryset.none()
        q = approver_q(actor)
        return queryset.filter(q) if value else queryset.exclude(q)
