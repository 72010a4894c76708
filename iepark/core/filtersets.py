"""FilterSets shared by the HTML list pages and the API (one filter definition per model)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import policy
from .choices import COLLEGE_KINDS, AuditAction, Industry, OrganisationKind, Role, StudentStatus
from .models import AuditEvent, Major, Membership, Organisation, Park, Person, Student, Teacher


def scoped(model, **filters):
    """Return a queryset callable offering only the rows of ``model`` (matching ``filters``) the user may see."""

    def queryset(request):
        return policy.restrict(model._default_manager.filter(**filters), getattr(request, "user", None))

    return queryset


def scoped_choice(model, label, **filters):
    return django_filters.ModelChoiceFilter(queryset=scoped(model, **filters), label=label)


class SearchFilterSet(django_filters.FilterSet):
    """A FilterSet with a free-text ``q`` over the fields named in ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class OrganisationFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "uscc")
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("kind"))
    industry = django_filters.ChoiceFilter(choices=Industry.choices, label=_("industry"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "industry", "is_active", "park"]


class PersonFilterSet(SearchFilterSet):
    search_fields = ("name", "name_en", "email")
    organisation = django_filters.ModelChoiceFilter(
        queryset=scoped(Organisation), method="in_organisation", label=_("organisation")
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, method="with_role", label=_("role"))
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Person
        fields = ["q", "gender", "park", "organisation", "role"]

    @extend_schema_field(OpenApiTypes.INT)
    def in_organisation(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.filter(organisation=value).values("person_id"))

    def with_role(self, queryset, name, value):
        return queryset.filter(pk__in=Membership.objects.filter(role=value).values("person_id"))


class MembershipFilterSet(django_filters.FilterSet):
    active = django_filters.BooleanFilter(method="only_active", label=_("active"))
    person = scoped_choice(Person, _("person"))
    organisation = scoped_choice(Organisation, _("organisation"))

    class Meta:
        model = Membership
        fields = ["person", "organisation", "role", "active"]

    def only_active(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        current = Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        return queryset.filter(current) if value else queryset.exclude(current)


class MajorFilterSet(SearchFilterSet):
    search_fields = ("code", "name", "name_en")
    park = scoped_choice(Park, _("park"))

    class Meta:
        model = Major
        fields = ["q", "park"]


class StudentFilterSet(SearchFilterSet):
    search_fields = ("person__name", "person__name_en", "student_number")
    status = django_filters.MultipleChoiceFilter(choices=StudentStatus.choices, label=_("status"))
    college = scoped_choice(Organisation, _("home college"), kind__in=list(COLLEGE_KINDS))
    major = scoped_choice(Major, _("major"))

    class Meta:
        model = Student
        fields = ["q", "college", "major", "cohort_year", "status"]


class TeacherFilterSet(SearchFilterSet):
    search_fields = ("person__name", "person__name_en", "staff_number")
    organisation = scoped_choice(Organisation, _("college"), kind__in=list(COLLEGE_KINDS))
    major = scoped_choice(Major, _("major"))

    class Meta:
        model = Teacher
        fields = ["q", "organisation", "major"]


class AuditEventFilterSet(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"))
    since = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="timestamp", lookup_expr="lt", label=_("until"))
    actor = django_filters.CharFilter(field_name="actor_label", label=_("actor"))

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "actor", "action", "since", "until"]
