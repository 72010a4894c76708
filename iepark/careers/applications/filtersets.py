"""FilterSets shared by the pages and the API of profiles, applications, interviews, offers and notifications."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.choices import COLLEGE_KINDS, OrganisationKind
from iepark.core.filtersets import SearchFilterSet, scoped
from iepark.core.models import Major, Organisation

from ..choices import ApplicationStatus, InterviewStatus, NotificationKind, OfferStatus
from ..models import Application, Interview, MatchingRound, Notification, Offer, Posting, StudentProfile

STUDENT_SEARCH = ("student__person__name", "student__person__name_en", "student__student_number")


class StudentProfileFilterSet(SearchFilterSet):
    search_fields = (*STUDENT_SEARCH, "skills", "certificates", "preferred_posts")
    college = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation, kind__in=list(COLLEGE_KINDS)),
        field_name="student__college",
        label=_("home college"),
    )
    major = django_filters.ModelChoiceFilter(queryset=scoped(Major), field_name="student__major", label=_("major"))

    class Meta:
        model = StudentProfile
        fields = ["q", "college", "major", "open_to_offers"]


class ApplicationFilterSet(SearchFilterSet):
    search_fields = (*STUDENT_SEARCH, "posting__title", "posting__title_en")
    status = django_filters.MultipleChoiceFilter(choices=ApplicationStatus.choices, label=_("status"))
    posting = django_filters.ModelChoiceFilter(queryset=scoped(Posting), label=_("posting"))
    enterprise = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation, kind=OrganisationKind.ENTERPRISE),
        field_name="posting__enterprise",
        label=_("enterprise"),
    )
    college = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation, kind__in=list(COLLEGE_KINDS)),
        field_name="student__college",
        label=_("home college"),
    )
    major = django_filters.ModelChoiceFilter(queryset=scoped(Major), field_name="student__major", label=_("major"))
    matching_round = django_filters.ModelChoiceFilter(queryset=scoped(MatchingRound), label=_("matching round"))

    class Meta:
        model = Application
        fields = ["q", "status", "posting", "enterprise", "college", "major", "matching_round"]


class InterviewFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=InterviewStatus.choices, label=_("status"))
    application = django_filters.ModelChoiceFilter(queryset=scoped(Application), label=_("application"))
    posting = django_filters.ModelChoiceFilter(
        queryset=scoped(Posting), field_name="application__posting", label=_("posting")
    )
    upcoming = django_filters.BooleanFilter(method="only_upcoming", label=_("upcoming"))

    class Meta:
        model = Interview
        fields = ["status", "application", "posting", "upcoming"]

    def only_upcoming(self, queryset, name, value):
        now = timezone.now()
        return queryset.filter(starts_at__gt=now) if value else queryset.filter(starts_at__lte=now)


class OfferFilterSet(django_filters.FilterSet):
    # The status as it stands today: an overdue pending offer is "expired" (see selectors.offer_list).
    status = django_filters.MultipleChoiceFilter(
        choices=OfferStatus.choices, field_name="effective_status", label=_("status")
    )
    posting = django_filters.ModelChoiceFilter(
        queryset=scoped(Posting), field_name="application__posting", label=_("posting")
    )
    enterprise = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation, kind=OrganisationKind.ENTERPRISE),
        field_name="application__posting__enterprise",
        label=_("enterprise"),
    )
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Offer
        fields = ["q", "status", "posting", "enterprise"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(post__icontains=value)
            | Q(application__student__person__name__icontains=value)
            | Q(application__student__person__name_en__icontains=value)
        )


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("unread"))
    kind = django_filters.ChoiceFilter(choices=NotificationKind.choices, label=_("kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind"]
