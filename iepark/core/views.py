"""
HTML pages of the core app: home, language, and the pages of organisations, people,
memberships, majors, students, teachers, the audit log and background jobs.

Object pages are declared over ``generic_views``; they read through selectors and
write through services, like the API (``core/api/views.py``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import generic_views as generic
from . import policy, selectors, services, tables, tasks
from .choices import Role
from .filtersets import (
    AuditEventFilterSet,
    MajorFilterSet,
    MembershipFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    StudentFilterSet,
    TeacherFilterSet,
)
from .forms import (
    LoginAccountForm,
    MajorForm,
    MembershipEndForm,
    MembershipForm,
    OrganisationForm,
    PersonForm,
    StudentForm,
    TeacherForm,
)
from .models import AuditEvent, Major, Membership, Organisation, Person, Student, Teacher
from .policy import COLLEGE_STAFF_ROLES, PARK_WIDE_READ_ROLES, Action, Actor

# ---------------------------------------------------------------------------
# Who gets which menu entries and home cards. The pages themselves are open to
# every signed-in user (each shows only the rows the policy allows); the menu
# just leaves out lists a role has no use for.
# ---------------------------------------------------------------------------

REGISTER_ROLES = PARK_WIDE_READ_ROLES | COLLEGE_STAFF_ROLES | {Role.COLLEGE_COORDINATOR}
PEOPLE_ROLES = REGISTER_ROLES | {Role.ENTERPRISE_HR, Role.OPERATOR_STAFF}
AUDIT_ROLES = PARK_WIDE_READ_ROLES | {Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR}


def has_staff_role(actor: Actor) -> bool:
    return bool(actor.roles - {Role.STUDENT})


def sees_people(actor: Actor) -> bool:
    return bool(actor.roles & PEOPLE_ROLES)


def sees_register(actor: Actor) -> bool:
    return bool(actor.roles & REGISTER_ROLES)


def sees_audit_log(actor: Actor) -> bool:
    return bool(actor.roles & AUDIT_ROLES)


def has_any_role(actor: Actor) -> bool:
    return bool(actor.grants)


generic.register_menu_items(
    "park",
    gettext_lazy("Park"),
    [
        generic.MenuItem(gettext_lazy("Organisations"), "organisation_list", "buildings", has_staff_role, Organisation),
        generic.MenuItem(gettext_lazy("Majors"), "major_list", "journal-bookmark", has_any_role, Major),
    ],
    weight=10,
)
generic.register_menu_items(
    "people",
    gettext_lazy("People"),
    [
        generic.MenuItem(gettext_lazy("People"), "person_list", "person-vcard", sees_people, Person),
        generic.MenuItem(gettext_lazy("Memberships"), "membership_list", "diagram-3", sees_people, Membership),
        generic.MenuItem(gettext_lazy("Students"), "student_list", "mortarboard", sees_register, Student),
        generic.MenuItem(gettext_lazy("Teachers"), "teacher_list", "easel", sees_register, Teacher),
    ],
    weight=20,
)
generic.register_menu_items(
    "system",
    gettext_lazy("System"),
    [generic.MenuItem(gettext_lazy("Audit log"), "auditevent_list", "clock-history", sees_audit_log)],
    weight=900,
)


# Cards other apps add to the home page: (label, icon, URL name, role test, selector(user=...) of the rows counted).
HOME_CARDS: list[tuple[Any, str, str, Any, Any]] = []


def register_home_card(label: Any, icon: str, url_name: str, visible: Any, selector: Any) -> None:
    """Show a count card on the home page to users passing ``visible(actor)``, counting ``selector(user=...)``."""
    if all(card[2] != url_name for card in HOME_CARDS):
        HOME_CARDS.append((label, icon, url_name, visible, selector))


def _visible(actor: Actor, test) -> bool:
    return actor.is_superuser or test(actor)


# ---------------------------------------------------------------------------
# Home and language.
# ---------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Greet the user with their roles and show counts of what they can see."""
    user = request.user
    actor = policy.actor_for(user)
    organisations = {
        org.pk: org for org in selectors.organisation_list(user=user).filter(pk__in=actor.orgs(Role.values))
    }
    grants = [
        {"role": Role(g.role).label, "role_value": g.role, "organisation": organisations.get(g.organisation_id)}
        for g in sorted(actor.grants, key=lambda g: (g.role, g.organisation_id))
    ]
    cards = []
    card_specs = [
        (gettext_lazy("Organisations"), "buildings", "organisation_list", has_staff_role, selectors.organisation_list),
        (gettext_lazy("People"), "person-vcard", "person_list", sees_people, selectors.person_list),
        (gettext_lazy("Students"), "mortarboard", "student_list", sees_register, selectors.student_list),
        (gettext_lazy("Teachers"), "easel", "teacher_list", sees_register, selectors.teacher_list),
        (gettext_lazy("Majors"), "journal-bookmark", "major_list", has_staff_role, selectors.major_list),
    ]
    for label, icon, url_name, test, selector in [*card_specs, *HOME_CARDS]:
        if _visible(actor, test):
            cards.append({"label": label, "icon": icon, "url": reverse(url_name), "count": selector(user=user).count()})
    student_record = teacher_record = None
    if actor.person_id and Role.STUDENT in actor.roles:
        student_record = selectors.student_list(user=user).filter(person_id=actor.person_id).first()
    if actor.person_id and Role.TEACHER in actor.roles:
        teacher_record = selectors.teacher_list(user=user).filter(person_id=actor.person_id).first()
    recent_events = None
    if _visible(actor, sees_audit_log):
        recent_events = list(selectors.audit_event_list(user=user)[:8])
        tables.note_visible_events(recent_events)
    recent_jobs = list(selectors.job_list(user=user).filter(created_by=user)[:5])
    context = {
        "person": getattr(user, "person", None) if actor.person_id else None,
        "grants": grants,
        "cards": cards,
        "student_record": student_record,
        "teacher_record": teacher_record,
        "recent_events": recent_events,
        "recent_jobs": recent_jobs,
    }
    return render(request, "core/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: remembered on the person record, the session and a cookie."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
        request.session["iepark_language"] = language
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# ---------------------------------------------------------------------------
# Organisations.
# ---------------------------------------------------------------------------


class OrganisationMixin:
    model = Organisation
    selector = staticmethod(selectors.organisation_list)


class OrganisationListView(OrganisationMixin, generic.ObjectListView):
    export_kind = "organisations"
    import_kind = "organisations"
    filterset_class = OrganisationFilterSet
    filter_fields = ("q", "kind", "industry", "is_active")
    table_class = tables.OrganisationTable


ORGANISATION_FIELDS = [
    tables.Column("name"),
    tables.Column("name_en"),
    tables.ChoiceColumn("kind"),
    tables.Column("park"),
    tables.Column("uscc", css_class="font-monospace"),
    tables.ChoiceColumn("industry", as_badge=False),
    tables.Column("address"),
    tables.Column("phone"),
    tables.Column("website"),
    tables.BooleanColumn("is_active"),
    tables.DateTimeColumn("created_at"),
    tables.DateTimeColumn("updated_at"),
]


class OrganisationDetailView(OrganisationMixin, generic.ObjectDetailView):
    detail_fields = ORGANISATION_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        context["related"] = [
            (
                gettext_lazy("Students"),
                selectors.student_list(user=user).filter(college=obj).count(),
                reverse("student_list") + f"?college={obj.pk}",
            ),
            (
                gettext_lazy("Teachers"),
                selectors.teacher_list(user=user).filter(organisation=obj).count(),
                reverse("teacher_list") + f"?organisation={obj.pk}",
            ),
            (
                gettext_lazy("Memberships"),
                selectors.membership_list(user=user).filter(organisation=obj).count(),
                reverse("membership_list") + f"?organisation={obj.pk}",
            ),
        ]
        return context


class OrganisationHistoryView(OrganisationMixin, generic.ObjectHistoryView):
    pass


class OrganisationEditView(OrganisationMixin, generic.ObjectEditView):
    form_class = OrganisationForm

    def create_object(self, form):
        return services.organisation_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.organisation_update(actor=self.request.user, organisation=obj, data=form.service_data())


class OrganisationDeleteView(OrganisationMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.organisation_delete(actor=self.request.user, organisation=obj)


# ---------------------------------------------------------------------------
# People and their memberships.
# ---------------------------------------------------------------------------


def _current_memberships_filter() -> Q:
    today = timezone.localdate()
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


class PersonMixin:
    model = Person
    selector = staticmethod(selectors.person_list)


class PersonListView(PersonMixin, generic.ObjectListView):
    export_kind = "people"
    import_kind = "people"
    filterset_class = PersonFilterSet
    filter_fields = ("q", "gender", "role")
    table_class = tables.PersonTable

    def get_queryset(self):
        # The roles column shows only memberships the user may see (one query for the page).
        memberships = selectors.membership_list(user=self.request.user).filter(_current_memberships_filter())
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="current_memberships"))
        )


PERSON_FIELDS = [
    tables.Column("name"),
    tables.Column("name_en"),
    tables.ChoiceColumn("gender", as_badge=False),
    tables.DateColumn("birth_date"),
    tables.PersonalDataColumn("national_id"),
    tables.PersonalDataColumn("phone"),
    tables.Column("email"),
    tables.ChoiceColumn("language", as_badge=False),
    tables.Column("park"),
    tables.DateTimeColumn("created_at"),
]


class PersonDetailView(PersonMixin, generic.ObjectDetailView):
    detail_fields = PERSON_FIELDS

    def get_context_data(self, obj):
        context = super().get_context_data(obj)
        user = self.request.user
        memberships = list(
            selectors.membership_list(user=user).filter(person=obj).order_by("-start_date", "organisation__name")
        )
        changeable = set(
            selectors.membership_list(user=user, action=Action.CHANGE).filter(person=obj).values_list("pk", flat=True)
        )
        today = timezone.localdate()
        for membership in memberships:
            membership.is_current = membership.start_date <= today and (
                membership.end_date is None or membership.end_date >= today
            )
            membership.can_change = membership.pk in changeable
        context.update(
            {
                "memberships": memberships,
                "can_add_membership": policy.may_add_any(user, Membership),
                "membership_create_url": reverse("membership_create")
                + f"?person={obj.pk}&return_url={reverse('person_detail', args=[obj.pk])}",
                "show_login_account": may_manage_login(user, obj),
                "login_form": LoginAccountForm(initial={"username": obj.user.username if obj.user else ""}),
            }
        )
        return context


def may_manage_login(user: Any, person: Person) -> bool:
    """Return whether ``user`` manages ``person``'s login: whoever may change the person (the service's rule)."""
    return policy.can(user, policy.Action.CHANGE, person)


class PersonHistoryView(PersonMixin, generic.ObjectHistoryView):
    pass


class PersonEditView(PersonMixin, generic.ObjectEditView):
    form_class = PersonForm

    def create_object(self, form):
        return services.person_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.person_update(actor=self.request.user, person=obj, data=form.service_data())


class PersonDeleteView(PersonMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.person_delete(actor=self.request.user, person=obj)


@login_required
@require_POST
def person_login(request: HttpRequest, pk: int) -> HttpResponse:
    """Give a person a login account or change its username/password (whoever may change the person)."""
    person = get_object_or_404(selectors.person_list(user=request.user), pk=pk)
    if not may_manage_login(request.user, person):
        raise PermissionDenied
    form = LoginAccountForm(request.POST)
    if form.is_valid():
        try:
            services.person_set_login(
                actor=request.user,
                person=person,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"] or None,
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The login account was saved."))
            return redirect("person_detail", pk=person.pk)
    for error in [*form.non_field_errors(), *(e for f in form for e in f.errors)]:
        messages.error(request, error)
    return redirect("person_detail", pk=person.pk)


class MembershipMixin:
    model = Membership
    selector = staticmethod(selectors.membership_list)


class MembershipListView(MembershipMixin, generic.ObjectListView):
    filterset_class = MembershipFilterSet
    filter_fields = ("organisation", "role", "active")
    table_class = tables.MembershipTable


class MembershipDetailView(MembershipMixin, generic.ObjectDetailView):
    detail_fields = [
        tables.Column("person", linkify="person"),
        tables.Column("organisation"),
        tables.ChoiceColumn("role"),
        tables.Column("title"),
        tables.DateColumn("start_date"),
        tables.DateColumn("end_date"),
        tables.DateTimeColumn("created_at"),
    ]


class MembershipHistoryView(MembershipMixin, generic.ObjectHistoryView):
    pass


class MembershipEditView(MembershipMixin, generic.ObjectEditView):
    form_class = MembershipForm

    def get_initial(self):
        person = self.request.GET.get("person")
        return {"person": person} if person and person.isdigit() else {}

    def create_object(self, form):
        data = form.service_data()
        return services.membership_create(
            actor=self.request.user, person=data.pop("person"), organisation=data.pop("organisation"), **data
        )

    def update_object(self, obj, form):
        return services.membership_update(actor=self.request.user, membership=obj, data=form.service_data())


class MembershipDeleteView(MembershipMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.membership_delete(actor=self.request.user, membership=obj)


@login_required
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a membership today (or on the given date) through the service."""
    membership = get_object_or_404(selectors.membership_list(user=request.user), pk=pk)
    form = MembershipEndForm(request.POST)
    end_date = form.cleaned_data.get("end_date") if form.is_valid() else None
    try:
        services.membership_end(actor=request.user, membership=membership, end_date=end_date)
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, _("The membership has ended."))
    return HttpResponseRedirect(generic.safe_return_url(request, reverse("person_detail", args=[membership.person_id])))


# ---------------------------------------------------------------------------
# Majors.
# ---------------------------------------------------------------------------


class MajorMixin:
    model = Major
    selector = staticmethod(selectors.major_list)


class MajorListView(MajorMixin, generic.ObjectListView):
    filterset_class = MajorFilterSet
    filter_fields = ("q",)
    table_class = tables.MajorTable


class MajorDetailView(MajorMixin, generic.ObjectDetailView):
    detail_fields = [tables.Column("code"), tables.Column("name"), tables.Column("name_en"), tables.Column("park")]


class MajorHistoryView(MajorMixin, generic.ObjectHistoryView):
    pass


class MajorEditView(MajorMixin, generic.ObjectEditView):
    form_class = MajorForm

    def create_object(self, form):
        return services.major_create(actor=self.request.user, **form.service_data())

    def update_object(self, obj, form):
        return services.major_update(actor=self.request.user, major=obj, data=form.service_data())


class MajorDeleteView(MajorMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.major_delete(actor=self.request.user, major=obj)


# ---------------------------------------------------------------------------
# Students and teachers.
# ---------------------------------------------------------------------------

PERSON_RECORD_FIELDS = [
    tables.Column("person.name", linkify="person"),
    tables.Column("person.name_en"),
    tables.ChoiceColumn("person.gender", as_badge=False),
    tables.DateColumn("person.birth_date"),
    tables.PersonalDataColumn("person.national_id"),
    tables.PersonalDataColumn("person.phone"),
    tables.Column("person.email"),
]


class StudentMixin:
    model = Student
    selector = staticmethod(selectors.student_list)


class StudentListView(StudentMixin, generic.ObjectListView):
    export_kind = "students"
    import_kind = "students"
    filterset_class = StudentFilterSet
    filter_fields = ("q", "college", "major", "cohort_year", "status")
    table_class = tables.StudentTable


class StudentDetailView(StudentMixin, generic.ObjectDetailView):
    detail_fields = [
        *PERSON_RECORD_FIELDS,
        tables.Column("student_number", css_class="font-monospace"),
        tables.Column("college"),
        tables.Column("major"),
        tables.Column("cohort_year"),
        tables.ChoiceColumn("status"),
        tables.DateTimeColumn("updated_at"),
    ]


class StudentHistoryView(StudentMixin, generic.ObjectHistoryView):
    pass


class StudentEditView(StudentMixin, generic.ObjectEditView):
    form_class = StudentForm

    def create_object(self, form):
        return services.student_create(actor=self.request.user, person_fields=form.person_data(), **form.record_data())

    def update_object(self, obj, form):
        return services.student_update(
            actor=self.request.user, student=obj, data=form.record_data(), person_data=form.person_data()
        )


class StudentDeleteView(StudentMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.student_delete(actor=self.request.user, student=obj)


class TeacherMixin:
    model = Teacher
    selector = staticmethod(selectors.teacher_list)


class TeacherListView(TeacherMixin, generic.ObjectListView):
    export_kind = "teachers"
    filterset_class = TeacherFilterSet
    filter_fields = ("q", "organisation", "major")
    table_class = tables.TeacherTable


class TeacherDetailView(TeacherMixin, generic.ObjectDetailView):
    detail_fields = [
        *PERSON_RECORD_FIELDS,
        tables.Column("staff_number", css_class="font-monospace"),
        tables.Column("organisation"),
        tables.Column("professional_title"),
        tables.Column("major"),
        tables.DateTimeColumn("updated_at"),
    ]


class TeacherHistoryView(TeacherMixin, generic.ObjectHistoryView):
    pass


class TeacherEditView(TeacherMixin, generic.ObjectEditView):
    form_class = TeacherForm

    def create_object(self, form):
        return services.teacher_create(actor=self.request.user, person_fields=form.person_data(), **form.record_data())

    def update_object(self, obj, form):
        return services.teacher_update(
            actor=self.request.user, teacher=obj, data=form.record_data(), person_data=form.person_data()
        )


class TeacherDeleteView(TeacherMixin, generic.ObjectDeleteView):
    def delete_object(self, obj):
        services.teacher_delete(actor=self.request.user, teacher=obj)


# ---------------------------------------------------------------------------
# The audit log and background jobs.
# ---------------------------------------------------------------------------


class AuditEventListView(generic.ObjectListView):
    model = AuditEvent
    selector = staticmethod(selectors.audit_event_list)
    filterset_class = AuditEventFilterSet
    filter_fields = ("object_type", "action", "actor", "since", "until")
    table_class = tables.AuditEventTable

    def prepare_rows(self, rows):
        generic.attach_relation_labels(rows, self.request.user)
        tables.note_visible_events(rows)

    def customize_filter_form(self, form):
        # Offer the kinds of object by name instead of a free-text "app.model" label.
        choices = sorted(
            ((m._meta.label_lower, capfirst(m._meta.verbose_name)) for m in policy.registered_models()),
            key=lambda c: str(c[1]),
        )
        form.fields["object_type"].widget = forms.Select(
            choices=[("", "---------"), *choices], attrs={"class": "form-select", "data-tom-select": "1"}
        )


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a job's status and progress; the page polls itself with htmx while the job runs."""
    job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
    context = job_context(request.user, job)
    if getattr(request, "htmx", False):
        return render(request, "core/includes/job_progress.html", context)
    return render(request, "core/job_detail.html", context)


def job_context(user: Any, job: Any) -> dict[str, Any]:
    """Return what the job progress snippet needs (shared by every page that shows a job)."""
    return {
        "job": job,
        "can_cancel": not (job.is_finished or job.cancel_requested) and policy.can(user, Action.CHANGE, job),
    }


@login_required
@require_POST
def job_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a job to stop (its owner, or whoever may change it)."""
    job = get_object_or_404(selectors.job_list(user=request.user), pk=pk)
    job = tasks.job_cancel(actor=request.user, job=job)
    if getattr(request, "htmx", False):
        return render(request, "core/includes/job_progress.html", {"job": job, "can_cancel": False})
    messages.info(request, _("Cancellation was requested."))
    return redirect("job_detail", pk=job.pk)


# --- attachments --------------------------------------------------------------------------------


@login_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Serve an attachment to whoever may see its parent object (404 for anybody else)."""
    from django.http import FileResponse

    from .models import Attachment

    attachment = get_object_or_404(policy.restrict(Attachment.objects.all(), request.user), pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.mime,
        as_attachment=request.GET.get("download") == "1",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    if attachment.kind == "image":
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an attachment (whoever may change its parent, or its uploader) and go back."""
    from . import attachments
    from .models import Attachment

    attachment = get_object_or_404(policy.restrict(Attachment.objects.all(), request.user), pk=pk)
    if not policy.can(request.user, policy.Action.DELETE, attachment):
        raise PermissionDenied
    parent_type = f"{attachment.content_type.app_label}.{attachment.content_type.model}"
    attachments.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, _("The file “%(name)s” was deleted.") % {"name": attachment.name})
    fallback = generic.object_url_for(parent_type, attachment.object_id) or reverse("home")
    return redirect(generic.safe_return_url(request, fallback))
