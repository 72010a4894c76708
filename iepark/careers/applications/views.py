"""
Pages of the students' side of careers: "my career", career profiles, applications and
the pipeline board, interview times, offers and notifications.

Object pages are declared over ``iepark.core.generic_views``; each workflow step is a
small view posting to a service (``services``), whose ``ValidationError`` is shown as a
message and whose ``PermissionDenied`` is a 403. Buttons are shown only to the side
that may take the step.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from iepark.core import generic_views as generic
from iepark.core import policy
from iepark.core import tables as core_tables
from iepark.core.choices import Role
from iepark.core.forms import restrict_form_querysets, style_form
from iepark.core.policy import COLLEGE_STAFF_ROLES, Action, Actor

from ..choices import (
    ENTERPRISE_TRANSITIONS,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    InterviewStatus,
    OfferStatus,
)
from ..models import Application, Interview, Offer, StudentProfile
from ..policy import ZONE_READ_ROLES
from . import selectors, services, tables
from .filtersets import (
    ApplicationFilterSet,
    InterviewFilterSet,
    NotificationFilterSet,
    OfferFilterSet,
    StudentProfileFilterSet,
)
from .forms import CoverLetterForm, OfferForm, ReasonForm, StudentProfileForm, interview_slot_formset
from .ics import interview_ics

# ---------------------------------------------------------------------------
# The menu: what each role uses (the pages themselves show whatever the policy allows).
# ---------------------------------------------------------------------------

EMPLOYER_ROLES = frozenset({Role.ENTERPRISE_HR, Role.ENTERPRISE_MENTOR})
APPLICATION_READERS = EMPLOYER_ROLES | COLLEGE_STAFF_ROLES | ZONE_READ_ROLES


def is_student(actor: Actor) -> bool:
    return Role.STUDENT in actor.roles


def is_hr(actor: Actor) -> bool:
    return Role.ENTERPRISE_HR in actor.roles


def sees_applications(actor: Actor) -> bool:
    return bool(actor.roles & APPLICATION_READERS)


def sees_interviews(actor: Actor) -> bool:
    return bool(actor.roles & EMPLOYER_ROLES)


def sees_offers(actor: Actor) -> bool:
    return bool(actor.roles & (APPLICATION_READERS | {Role.STUDENT}))


def sees_profiles(actor: Actor) -> bool:
    return bool(actor.roles & (COLLEGE_STAFF_ROLES | ZONE_READ_ROLES | EMPLOYER_ROLES))


generic.register_menu_items(
    "careers",
    gettext_lazy("Careers"),
    [
        generic.MenuItem(gettext_lazy("My career"), "my_career", "person-badge", is_student),
        generic.MenuItem(gettext_lazy("Applications"), "application_list", "inboxes", sees_applications),
        generic.MenuItem(gettext_lazy("Pipeline board"), "application_board", "kanban", is_hr),
        generic.MenuItem(gettext_lazy("Interviews"), "interview_list", "calendar-event", sees_interviews),
        generic.MenuItem(gettext_lazy("Offers"), "offer_list", "envelope-paper", sees_offers),
        generic.MenuItem(gettext_lazy("Career profiles"), "studentprofile_list", "person-lines-fill", sees_profiles),
    ],
    weight=30,
)


def _act(request: HttpRequest, step: Any, success: str, fallback: str) -> HttpResponse:
    """Run a workflow step: its refusal is shown as an error message, nothing is written."""
    try:
        step()
    except ValidationError as exc:
        messages.error(request, generic.error_text(exc))
    else:
        messages.success(request, success)
    return HttpResponseRedirect(generic.safe_return_url(request, fallback))


def _multiline(accessor: str) -> core_tables.Column:
    def render(obj: Any) -> Any:
        value = core_tables.resolve(obj, accessor)
        return linebreaksbr(value, autoescape=True) if value else core_tables.EMPTY

    return core_tables.TemplateColumn(accessor, render=render)


# ---------------------------------------------------------------------------
# "My career": a student's profile, applications, interview choices and offers on one page.
# ---------------------------------------------------------------------------


@login_required
def my_career(request: HttpRequest) -> HttpResponse:
    user = request.user
    student = services.own_student(user)
    if student is None:
        raise PermissionDenied
    profile = selectors.student_profile_list(user=user).filter(student=student).first()
    applications = list(selectors.application_list(user=user).filter(student=student).order_by("-updated_at", "-pk"))
    today = timezone.localdate()
    offers = list(selectors.offer_list(user=user).filter(application__student=student))
    for offer in offers:
        offer.status_badge = tables.offer_status_badge(offer)
        offer.days_left = (offer.deadline - today).days
    pending_offers = [o for o in offers if o.effective_status == OfferStatus.PENDING]
    other_offers = [o for o in offers if o.effective_status != OfferStatus.PENDING]
    proposed = list(selectors.pending_interviews(user=user, student_id=student.pk))
    choices: dict[int, dict[str, Any]] = {}
    for interview in proposed:
        choices.setdefault(interview.application_id, {"application": interview.application, "times": []})
        choices[interview.application_id]["times"].append(interview)
    upcoming = list(
        selectors.interview_list(user=user).filter(
            application__student=student, status=InterviewStatus.CHOSEN, starts_at__gt=timezone.now()
        )
    )
    rounds = []
    for match in selectors.published_round_matches(user=user, student_id=student.pk):
        url = generic.object_url_for("careers.roundmatch", match.pk) or generic.object_url_for(
            "careers.matchinground", match.round_id
        )
        rounds.append({"round": match.round, "url": url})
    return render(
        request,
        "careers/applications/my_career.html",
        {
            "student": student,
            "profile": profile,
            "applications": applications,
            "pending_offers": pending_offers,
            "other_offers": other_offers,
            "interview_choices": list(choices.values()),
            "upcoming_interviews": upcoming,
            "rounds": rounds,
            "open_count": sum(1 for a in applications if a.status in OPEN_APPLICATION_STATUSES),
        },
    )


# ---------------------------------------------------------------------------
# Career profiles.
# ---------------------------------------------------------------------------


class StudentProfileMixin:
    model = StudentProfile
    selector = staticmethod(selectors.student_profile_list)


class StudentProfileListView(StudentProfileMixin, generic.ObjectListView):
    filterset_class = StudentProfileFilterSet
    filter_fields = ("q", "college", "major", "open_to_offers")
    table_class = tables.StudentProfileTable


PROFILE_FIELDS = [
    core_tables.Column("student", linkify="student"),
    core_tables.Column("student.college", label=gettext_lazy("home college")),
    core_tables.Column("student.major", label=gettext_lazy("major")),
    core_tables.Column("student.cohort_year", label=gettext_lazy("cohort year")),
    _multiline("certificates"),
    _multiline("skills"),
    _multiline("cv"),
    core_tables.Column("preferred_posts"),
    core_tables.Column("preferred_places"),
    core_tables.DateColumn("earliest_start"),
    core_tables.BooleanColumn("open_to_offers"),
    core_tables.DateTimeColumn("updated_at"),
]


class StudentProfileDetailView(StudentProfileMixin, generic.ObjectDetailView):
    detail_fields = PROFILE_FIELDS


class StudentProfileHistoryView(StudentProfileMixin, generic.ObjectHistoryView):
    pass


class StudentProfileEditView(StudentProfileMixin, generic.ObjectEditView):
    """Staff create a profile for one of their students; a student creates or edits their own."""

    form_class = StudentProfileForm

    def _own_student(self) -> Any:
        if not hasattr(self, "_student"):
            self._student = services.own_student(self.request.user)
        return self._student

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        student = self._own_student()
        if pk is None and student is not None:
            existing = selectors.student_profile_list(user=request.user).filter(student=student).first()
            if existing is not None:
                return redirect("studentprofile_edit", pk=existing.pk)
        return super().get(request, pk)

    def get_form(self, obj: Any, data: Any = None) -> Any:
        return self.form_class(
            data, user=self.request.user, instance=obj, own_student=None if obj else self._own_student()
        )

    def create_object(self, form: Any) -> StudentProfile:
        data = form.service_data()
        student = data.pop("student", None) or self._own_student()
        if student is None:
            raise ValidationError({"student": _("Choose the student.")})
        return services.student_profile_create(actor=self.request.user, student=student, **data)

    def update_object(self, obj: StudentProfile, form: Any) -> StudentProfile:
        return services.student_profile_update(actor=self.request.user, profile=obj, data=form.service_data())

    def get_success_url(self, obj: Any) -> str:
        if self._own_student() is not None and obj.student_id == self._own_student().pk:
            return generic.safe_return_url(self.request, reverse("my_career"))
        return super().get_success_url(obj)


# ---------------------------------------------------------------------------
# Applications.
# ---------------------------------------------------------------------------


class ApplicationMixin:
    model = Application
    selector = staticmethod(selectors.application_list)


class ApplicationListView(ApplicationMixin, generic.ObjectListView):
    filterset_class = ApplicationFilterSet
    filter_fields = ("q", "status", "posting", "college")
    table_class = tables.ApplicationTable

    def extra_context(self) -> dict[str, Any]:
        return {"board_url": reverse("application_board")}


def next_moves(application: Application) -> list[tuple[str, str]]:
    """Return the pipeline steps a move button takes (offer and rejection have their own forms)."""
    targets = ENTERPRISE_TRANSITIONS.get(application.status, frozenset())
    return [
        (status.value, status.label)
        for status in ApplicationStatus
        if status in targets and status not in (ApplicationStatus.OFFER, ApplicationStatus.REJECTED)
    ]


APPLICATION_FIELDS = [
    core_tables.Column("posting.display_title", label=gettext_lazy("posting")),
    core_tables.Column("posting.enterprise", label=gettext_lazy("enterprise")),
    core_tables.Column("student", linkify="student"),
    core_tables.Column("student.college", label=gettext_lazy("home college")),
    core_tables.Column("student.major", label=gettext_lazy("major")),
    core_tables.ChoiceColumn("status"),
    core_tables.Column("status_reason"),
    core_tables.Column("matching_round"),
    core_tables.DateTimeColumn("created_at"),
    core_tables.DateTimeColumn("updated_at"),
    _multiline("cover_letter"),
]


class ApplicationDetailView(ApplicationMixin, generic.ObjectDetailView):
    detail_fields = APPLICATION_FIELDS

    def get_context_data(self, obj: Application) -> dict[str, Any]:
        context = super().get_context_data(obj)
        user = self.request.user
        enterprise_side = policy.can(user, Action.CHANGE, obj) and services.is_enterprise_side(user, obj)
        student_side = services.is_student_side(user, obj) and policy.can(user, Action.CHANGE, obj)
        is_open = obj.status in OPEN_APPLICATION_STATUSES
        interviews = list(selectors.interview_list(user=user).filter(application=obj))
        offer = selectors.offer_list(user=user).filter(application=obj).first()
        if offer is not None:
            offer.status_badge = tables.offer_status_badge(offer)
        events = list(selectors.application_timeline(obj)[:100])
        generic.attach_relation_labels(events, user)
        profile = selectors.student_profile_list(user=user).filter(student_id=obj.student_id).first()
        now = timezone.now()
        for interview in interviews:
            interview.can_choose = (
                student_side
                and interview.status == InterviewStatus.PROPOSED
                and obj.status == ApplicationStatus.INTERVIEW
                and interview.starts_at > now
            )
            interview.can_cancel = enterprise_side and interview.status in (
                InterviewStatus.PROPOSED,
                InterviewStatus.CHOSEN,
            )
        context.update(
            {
                "enterprise_side": enterprise_side,
                "student_side": student_side,
                "moves": next_moves(obj) if enterprise_side else [],
                "can_reject": enterprise_side and is_open,
                "can_withdraw": student_side and is_open,
                "can_propose": enterprise_side and obj.status in services.INTERVIEW_STEPS,
                "can_offer": enterprise_side
                and offer is None
                and ApplicationStatus.OFFER in ENTERPRISE_TRANSITIONS.get(obj.status, frozenset()),
                "can_answer": student_side and offer is not None and offer.effective_status == OfferStatus.PENDING,
                "interviews": interviews,
                "offer": offer,
                "events": events,
                "profile": profile,
                "reject_form": ReasonForm(required=True),
                "withdraw_form": ReasonForm(),
            }
        )
        return context


class ApplicationHistoryView(ApplicationMixin, generic.ObjectHistoryView):
    pass


def _posting_for(user: Any, posting_id: int) -> Any:
    posting = selectors.posting_visible(user=user).filter(pk=posting_id).first()
    if posting is None:
        raise Http404
    return posting


@login_required
def application_create_for(request: HttpRequest, posting_id: int) -> HttpResponse:
    """Apply to a posting with a cover letter (the acting student)."""
    posting = _posting_for(request.user, posting_id)
    student = services.own_student(request.user)
    if student is None:
        raise PermissionDenied
    existing = selectors.application_list(user=request.user).filter(posting=posting, student=student).first()
    if existing is not None:
        messages.info(request, _("You have applied to this posting already."))
        return redirect("application_detail", pk=existing.pk)
    form = CoverLetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, posting=posting, student=student, cover_letter=form.cleaned_data["cover_letter"]
            )
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your application was sent."))
            return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "careers/applications/apply.html",
        {
            "posting": posting,
            "form": form,
            "is_open": posting.is_open(),
            "has_profile": selectors.student_profile_list(user=request.user).filter(student=student).exists(),
        },
    )


def _application_for_change(request: HttpRequest, pk: int) -> Application:
    application = selectors.application_list(user=request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


@login_required
@require_POST
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_change(request, pk)
    status = request.POST.get("status", "")
    return _act(
        request,
        lambda: services.application_move(
            actor=request.user, application=application, status=status, reason=request.POST.get("reason", "")
        ),
        _("The application was moved."),
        reverse("application_detail", args=[pk]),
    )


@login_required
@require_POST
def application_reject(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_change(request, pk)
    return _act(
        request,
        lambda: services.application_reject(
            actor=request.user, application=application, reason=request.POST.get("reason", "")
        ),
        _("The application was turned down."),
        reverse("application_detail", args=[pk]),
    )


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application_for_change(request, pk)
    return _act(
        request,
        lambda: services.application_withdraw(
            actor=request.user, application=application, reason=request.POST.get("reason", "")
        ),
        _("Your application was withdrawn."),
        reverse("application_detail", args=[pk]),
    )


BOARD_CARDS = 25


@login_required
def application_board(request: HttpRequest, posting_id: int | None = None) -> HttpResponse:
    """The pipeline: one column per status with its count and its most recently moved applications."""
    user = request.user
    queryset = selectors.application_list(user=user)
    posting = None
    if posting_id is not None:
        posting = _posting_for(user, posting_id)
        queryset = queryset.filter(posting=posting)
    data = request.GET.copy()
    data.pop("status", None)
    filterset = ApplicationFilterSet(data or None, queryset=queryset, request=request)
    restrict_form_querysets(filterset.form, user)
    style_form(filterset.form)
    queryset = filterset.qs
    counts = selectors.pipeline_counts(queryset)
    hr_orgs = policy.actor_for(user).orgs([Role.ENTERPRISE_HR])
    columns = []
    for status in ApplicationStatus:
        cards = list(queryset.filter(status=status).order_by("-updated_at", "-pk")[:BOARD_CARDS])
        for card in cards:
            card.moves = next_moves(card) if card.posting.enterprise_id in hr_orgs else []
        more_url = reverse("application_list") + f"?status={status.value}"
        if posting is not None:
            more_url += f"&posting={posting.pk}"
        columns.append(
            {
                "status": status.value,
                "label": status.label,
                "count": counts[status],
                "cards": cards,
                "more_url": more_url,
            }
        )
    shown = ["q", "college", "major"] if posting is not None else ["q", "posting", "college", "major"]
    return render(
        request,
        "careers/applications/board.html",
        {
            "posting": posting,
            "columns": columns,
            "total": sum(counts.values()),
            "filter_form": filterset.form,
            "shown_filters": [filterset.form[name] for name in shown],
            "board_url": request.path,
        },
    )


# ---------------------------------------------------------------------------
# Interview times.
# ---------------------------------------------------------------------------


class InterviewMixin:
    model = Interview
    selector = staticmethod(selectors.interview_list)


class InterviewListView(InterviewMixin, generic.ObjectListView):
    filterset_class = InterviewFilterSet
    filter_fields = ("status", "posting", "upcoming")
    table_class = tables.InterviewTable


class InterviewDetailView(InterviewMixin, generic.ObjectDetailView):
    detail_fields = [
        core_tables.Column("application", linkify="application"),
        core_tables.DateTimeColumn("starts_at"),
        core_tables.Column("duration_minutes"),
        core_tables.Column("location"),
        core_tables.ChoiceColumn("status"),
        core_tables.DateTimeColumn("created_at"),
    ]

    def get_context_data(self, obj: Interview) -> dict[str, Any]:
        context = super().get_context_data(obj)
        user = self.request.user
        application = obj.application
        may_change = policy.can(user, Action.CHANGE, application)
        context.update(
            {
                "can_choose": may_change
                and services.is_student_side(user, application)
                and obj.status == InterviewStatus.PROPOSED
                and application.status == ApplicationStatus.INTERVIEW
                and obj.starts_at > timezone.now(),
                "can_cancel": may_change
                and services.is_enterprise_side(user, application)
                and obj.status in (InterviewStatus.PROPOSED, InterviewStatus.CHOSEN),
                "has_ics": obj.status == InterviewStatus.CHOSEN,
            }
        )
        return context


class InterviewHistoryView(InterviewMixin, generic.ObjectHistoryView):
    pass


@login_required
def interview_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose one or more interview times for an application (its enterprise's HR)."""
    application = _application_for_change(request, pk)
    if not (
        policy.can(request.user, Action.CHANGE, application) and services.is_enterprise_side(request.user, application)
    ):
        raise PermissionDenied
    formset = interview_slot_formset(request.POST or None)
    error = None
    if request.method == "POST" and formset.is_valid():
        slots = [slot for form in formset.forms if (slot := form.slot()) is not None]
        try:
            services.interview_propose(actor=request.user, application=application, slots=slots)
        except ValidationError as exc:
            error = generic.error_text(exc)
        else:
            messages.success(request, _("The interview times were sent to the student."))
            return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "careers/applications/interview_propose.html",
        {"application": application, "formset": formset, "error": error},
    )


def _interview(request: HttpRequest, pk: int) -> Interview:
    interview = selectors.interview_list(user=request.user).filter(pk=pk).first()
    if interview is None:
        raise Http404
    return interview


@login_required
@require_POST
def interview_choose(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    return _act(
        request,
        lambda: services.interview_choose(actor=request.user, interview=interview),
        _("You chose the interview time; the enterprise was told."),
        reverse("application_detail", args=[interview.application_id]),
    )


@login_required
@require_POST
def interview_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interview = _interview(request, pk)
    return _act(
        request,
        lambda: services.interview_cancel(actor=request.user, interview=interview),
        _("The interview time was cancelled."),
        reverse("application_detail", args=[interview.application_id]),
    )


@login_required
def interview_ics_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the chosen interview time as an iCalendar file."""
    interview = _interview(request, pk)
    if interview.status != InterviewStatus.CHOSEN:
        raise Http404
    response = HttpResponse(interview_ics(interview), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


# ---------------------------------------------------------------------------
# Offers.
# ---------------------------------------------------------------------------


class OfferMixin:
    model = Offer
    selector = staticmethod(selectors.offer_list)


class OfferListView(OfferMixin, generic.ObjectListView):
    filterset_class = OfferFilterSet
    filter_fields = ("q", "status", "enterprise")
    table_class = tables.OfferTable


def _money(offer: Offer) -> Any:
    return format_html("¥{}", f"{offer.monthly_pay:,}") if offer.monthly_pay else core_tables.EMPTY


OFFER_FIELDS = [
    core_tables.Column("post"),
    core_tables.Column("application.posting.enterprise", label=gettext_lazy("enterprise")),
    core_tables.Column("application.student", label=gettext_lazy("student")),
    core_tables.TemplateColumn("monthly_pay", render=_money),
    core_tables.ChoiceColumn("contract_type", as_badge=False),
    core_tables.DateColumn("start_date"),
    core_tables.DateColumn("deadline"),
    core_tables.TemplateColumn("status", label=gettext_lazy("status"), render=tables.offer_status_badge),
    core_tables.DateTimeColumn("answered_at"),
    _multiline("terms"),
    core_tables.Column("application", linkify="application"),
]


class OfferDetailView(OfferMixin, generic.ObjectDetailView):
    detail_fields = OFFER_FIELDS

    def get_context_data(self, obj: Offer) -> dict[str, Any]:
        context = super().get_context_data(obj)
        user = self.request.user
        application = obj.application
        student_side = policy.can(user, Action.CHANGE, application) and services.is_student_side(user, application)
        context.update(
            {
                "can_answer": student_side and obj.effective_status == OfferStatus.PENDING,
                "is_overdue": obj.effective_status == OfferStatus.EXPIRED and obj.status == OfferStatus.PENDING,
                "days_left": (obj.deadline - timezone.localdate()).days,
                "decline_form": ReasonForm(),
                "employment_record": getattr(obj, "employment_record", None),
            }
        )
        return context


class OfferHistoryView(OfferMixin, generic.ObjectHistoryView):
    pass


@login_required
def offer_create_for(request: HttpRequest, pk: int) -> HttpResponse:
    """Make an offer on an application (its enterprise's HR)."""
    application = _application_for_change(request, pk)
    if not (
        policy.can(request.user, Action.CHANGE, application) and services.is_enterprise_side(request.user, application)
    ):
        raise PermissionDenied
    form = OfferForm(request.POST or None, user=request.user, initial={"post": application.posting.title})
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_make(actor=request.user, application=application, **form.service_data())
        except ValidationError as exc:
            generic.apply_validation_error(form, exc)
        else:
            messages.success(request, _("The offer was sent to the student."))
            return redirect("offer_detail", pk=offer.pk)
    return render(
        request,
        "careers/applications/offer_form.html",
        {"application": application, "form": form, "cancel_url": reverse("application_detail", args=[pk])},
    )


def _offer(request: HttpRequest, pk: int) -> Offer:
    offer = selectors.offer_list(user=request.user).filter(pk=pk).first()
    if offer is None:
        raise Http404
    return offer


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    return _act(
        request,
        lambda: services.offer_accept(actor=request.user, offer=offer),
        _("You accepted the offer. Congratulations!"),
        reverse("offer_detail", args=[pk]),
    )


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    return _act(
        request,
        lambda: services.offer_decline(actor=request.user, offer=offer, reason=request.POST.get("reason", "")),
        _("You declined the offer."),
        reverse("offer_detail", args=[pk]),
    )


# ---------------------------------------------------------------------------
# Notifications.
# ---------------------------------------------------------------------------


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The user's notifications, unread first, each linking to what it is about."""
    queryset = selectors.notification_list(user=request.user)
    filterset = NotificationFilterSet(request.GET or None, queryset=queryset, request=request)
    style_form(filterset.form)
    generic.label_yes_no_filters(filterset.form)
    page = Paginator(filterset.qs, generic.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "careers/applications/notification_list.html",
        {
            "page_obj": page,
            "notifications": page.object_list,
            "filter_form": filterset.form,
            "unread_total": queryset.filter(read_at__isnull=True).count(),
        },
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then go to what it is about (``open``) or back to the list."""
    notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return HttpResponseRedirect(notification.url)
    return HttpResponseRedirect(generic.safe_return_url(request, reverse("notification_list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return HttpResponseRedirect(generic.safe_return_url(request, reverse("notification_list")))
