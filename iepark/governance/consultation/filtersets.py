"""FilterSets shared by the consultation pages and the API (one filter definition per model)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from iepark.core.filtersets import SearchFilterSet, scoped, scoped_choice
from iepark.core.models import Organisation, Park
from iepark.core.policy import actor_for

from .choices import (
    OPEN_ACTION_STATUSES,
    OPEN_ISSUE_STATUSES,
    ActionStatus,
    IssueCategory,
    IssueStatus,
    MeetingKind,
    MeetingStatus,
    Severity,
)
from .models import ActionItem, AgendaItem, Decision, Issue, Meeting, SeverityDeadline
from .policy import ORG_ADMIN_ROLES
from .selectors import action_overdue_q, issue_overdue_q


class MeetingFilterSet(SearchFilterSet):
    search_fields = ("title", "place", "minutes")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, label=_("kind"))
    status = django_filters.MultipleChoiceFilter(choices=MeetingStatus.choices, label=_("status"))
    upcoming = django_filters.BooleanFilter(method="filter_upcoming", label=_("upcoming"))
    park = scoped_choice(Park, _("park"))
    after = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="gte", label=_("from"))
    before = django_filters.DateFilter(field_name="starts_at__date", lookup_expr="lte", label=_("until"))

    class Meta:
        model = Meeting
        fields = ["q", "kind", "status", "upcoming", "park", "after", "before"]

    def filter_upcoming(self, queryset, name, value):
        q = Q(status=MeetingStatus.SCHEDULED, ends_at__gte=timezone.now())
        return queryset.filter(q).order_by("starts_at", "pk") if value else queryset.exclude(q)


class AgendaItemFilterSet(django_filters.FilterSet):
    meeting = scoped_choice(Meeting, _("meeting"))
    issue = scoped_choice(Issue, _("issue"))

    class Meta:
        model = AgendaItem
        fields = ["meeting", "issue", "escalated"]


class DecisionFilterSet(django_filters.FilterSet):
    meeting = scoped_choice(Meeting, _("meeting"))

    class Meta:
        model = Decision
        fields = ["meeting"]


class ActionItemFilterSet(SearchFilterSet):
    search_fields = ("title", "note")
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("status"))
    open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("filter", "open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("mine"))
    my_organisation = django_filters.BooleanFilter(method="filter_my_organisation", label=_("my organisation's"))
    owner_organisation = django_filters.ModelChoiceFilter(queryset=scoped(Organisation), label=_("owner organisation"))
    meeting = scoped_choice(Meeting, _("meeting"))
    park = django_filters.ModelChoiceFilter(queryset=scoped(Park), field_name="meeting__park", label=_("park"))

    class Meta:
        model = ActionItem
        fields = ["q", "status", "open", "overdue", "mine", "my_organisation", "owner_organisation", "meeting", "park"]

    def filter_open(self, queryset, name, value):
        q = Q(status__in=OPEN_ACTION_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(action_overdue_q()) if value else queryset.exclude(action_overdue_q())

    def filter_mine(self, queryset, name, value):
        person_id = actor_for(getattr(self.request, "user", None)).person_id
        q = Q(owner_person_id=person_id) if person_id else Q(pk__in=[])
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_my_organisation(self, queryset, name, value):
        actor = actor_for(getattr(self.request, "user", None))
        q = Q(owner_organisation_id__in=actor.orgs(ORG_ADMIN_ROLES | {"committee_officer"}))
        return queryset.filter(q) if value else queryset.exclude(q)


class IssueFilterSet(SearchFilterSet):
    search_fields = ("reference", "title", "description", "decision")
    status = django_filters.MultipleChoiceFilter(choices=IssueStatus.choices, label=_("status"))
    severity = django_filters.MultipleChoiceFilter(choices=Severity.choices, label=_("severity"))
    category = django_filters.MultipleChoiceFilter(choices=IssueCategory.choices, label=_("category"))
    open = django_filters.BooleanFilter(method="filter_open", label=pgettext_lazy("filter", "open"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("overdue"))
    escalated = django_filters.BooleanFilter(method="filter_escalated", label=_("escalated"))
    raising_organisation = django_filters.ModelChoiceFilter(queryset=scoped(Organisation), label=_("raised by"))
    affects = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation), field_name="affected_organisations", label=_("affects")
    )
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Issue
        fields = [
            "q",
            "status",
            "severity",
            "category",
            "open",
            "overdue",
            "escalated",
            "raising_organisation",
            "affects",
            "park",
        ]

    def filter_open(self, queryset, name, value):
        q = Q(status__in=OPEN_ISSUE_STATUSES)
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(issue_overdue_q()) if value else queryset.exclude(issue_overdue_q())

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalated_at__isnull=not value)


class SeverityDeadlineFilterSet(django_filters.FilterSet):
    park = scoped_choice(Park, _("park"))
    severity = django_filters.ChoiceFilter(choices=Severity.choices, label=_("severity"))

    class Meta:
        model = SeverityDeadline
        fields = ["park", "severity"]
