"""
Writes of the students' side of careers: career profiles, applications, interviews, offers, notifications.

Every function checks who may take the step (the policy, and which side of the
application the actor is on), checks that the step fits the application's
state, writes through ``audited_create``/``audited_update`` in one transaction
and notifies the other side (``iepark.careers.notifications.notify``: in-app
at once, e-mail after commit).

The two sides of an application: the *enterprise side* is the HR of the
posting's enterprise; the *student side* is the student who applied. An
installation superuser (the demo, the matching rounds' system actor) may act
for either side.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_update
from iepark.core.choices import Role
from iepark.core.models import Membership, Organisation, Student
from iepark.core.policy import Action

from ..choices import (
    ENTERPRISE_TRANSITIONS,
    OPEN_APPLICATION_STATUSES,
    ApplicationStatus,
    ContractType,
    InterviewStatus,
    NotificationKind,
    OfferStatus,
    PayBand,
    PostingKind,
    RecordSource,
)
from ..models import (
    Application,
    EmploymentRecord,
    Interview,
    MatchingRound,
    Notification,
    Offer,
    Posting,
    StudentProfile,
)
from ..notifications import notify
from ..policy import manages_rounds, visible_posting_q

User = get_user_model()

# ---------------------------------------------------------------------------
# Who is who.
# ---------------------------------------------------------------------------


def own_student(user: Any) -> Student | None:
    """Return the student record of ``user`` (None for anybody who is not a student)."""
    actor = policy.actor_for(user)
    if not actor.person_id:
        return None
    return Student.objects.select_related("person", "college", "major").filter(person_id=actor.person_id).first()


def is_enterprise_side(user: Any, application: Application) -> bool:
    """Return whether ``user`` acts for the enterprise of ``application`` (its HR, or a superuser)."""
    actor = policy.actor_for(user)
    return actor.is_superuser or application.posting.enterprise_id in actor.orgs([Role.ENTERPRISE_HR])


def is_student_side(user: Any, application: Application) -> bool:
    """Return whether ``user`` is the student of ``application`` (or a superuser)."""
    actor = policy.actor_for(user)
    return actor.is_superuser or (actor.person_id is not None and application.student.person_id == actor.person_id)


def _require_enterprise_side(user: Any, application: Application) -> None:
    policy.require(user, Action.CHANGE, application)
    if not is_enterprise_side(user, application):
        raise PermissionDenied


def _require_student_side(user: Any, application: Application) -> None:
    policy.require(user, Action.CHANGE, application)
    if not is_student_side(user, application):
        raise PermissionDenied


def enterprise_hr_users(enterprise: Organisation) -> list[Any]:
    """Return the login users of the enterprise's current HR staff."""
    today = timezone.localdate()
    memberships = (
        Membership.objects.filter(organisation=enterprise, role=Role.ENTERPRISE_HR, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .exclude(person__user=None)
        .select_related("person__user")
    )
    return [m.person.user for m in memberships]


def _student_user(application: Application) -> Any:
    return application.student.person.user


def _student_name(student: Student) -> str:
    return student.person.name


def _application_url(application: Application) -> str:
    return reverse("application_detail", args=[application.pk])


def _local_time(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _notify_student(application: Application, kind: str, params: dict[str, Any], url: str = "") -> None:
    notify([_student_user(application)], kind, params, url or _application_url(application))


def _notify_enterprise(application: Application, kind: str, params: dict[str, Any], url: str = "") -> None:
    notify(enterprise_hr_users(application.posting.enterprise), kind, params, url or _application_url(application))


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


# ---------------------------------------------------------------------------
# Career profiles.
# ---------------------------------------------------------------------------

PROFILE_FIELDS = [
    "certificates",
    "skills",
    "cv",
    "preferred_posts",
    "preferred_places",
    "earliest_start",
    "open_to_offers",
]


def _only(data: dict[str, Any], names: Sequence[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in names}


def student_profile_create(*, actor: Any, student: Student, **fields: Any) -> StudentProfile:
    """Create ``student``'s career profile (the student themself, or their college's student editors)."""
    profile = StudentProfile(student=student, **_only(fields, PROFILE_FIELDS))
    if not policy.can_add(actor, profile):
        raise PermissionDenied
    if StudentProfile.objects.filter(student=student).exists():
        raise ValidationError(
            {"student": _("This student has a career profile already; edit it instead.")}, code="profile_exists"
        )
    return audited_create(actor=actor, instance=profile)


def student_profile_update(*, actor: Any, profile: StudentProfile, data: dict[str, Any]) -> StudentProfile:
    policy.require(actor, Action.CHANGE, profile)
    return audited_update(actor=actor, instance=profile, data=_only(data, PROFILE_FIELDS))


def student_profile_save(*, actor: Any, student: Student, data: dict[str, Any]) -> StudentProfile:
    """Create ``student``'s profile or update the one they have ("my profile")."""
    profile = StudentProfile.objects.filter(student=student).first()
    if profile is None:
        return student_profile_create(actor=actor, student=student, **data)
    return student_profile_update(actor=actor, profile=profile, data=data)


# ---------------------------------------------------------------------------
# Applications.
# ---------------------------------------------------------------------------


def application_create(
    *, actor: Any, posting: Posting, student: Student | None = None, cover_letter: str = ""
) -> Application:
    """
    Apply to ``posting`` as ``student`` (the acting student by default), with a cover letter.

    Refused unless the posting is open (approved, its employer vetted, not past
    its closing date), the student belongs to the posting's park and has not
    applied to it before.
    """
    student = student or own_student(actor)
    if student is None:
        raise PermissionDenied
    application = Application(posting=posting, student=student, cover_letter=cover_letter.strip())
    if not policy.can_add(actor, application):
        raise PermissionDenied
    if student.college.park_id != posting.enterprise.park_id:
        raise ValidationError(
            {"posting": _("This posting is in another park: only students of its park may apply.")},
            code="other_park",
        )
    visible = Posting.objects.filter(visible_posting_q(), pk=posting.pk).exists()
    if not (visible and posting.is_open()):
        raise ValidationError(
            {"posting": _("This posting is not open for applications (not vetted, or past its closing date).")},
            code="posting_closed",
        )
    if Application.objects.filter(posting=posting, student=student).exists():
        raise ValidationError({"posting": _("You have applied to this posting already.")}, code="already_applied")
    with transaction.atomic():
        audited_create(actor=actor, instance=application)
        _notify_enterprise(
            application,
            NotificationKind.APPLICATION_RECEIVED,
            {"student": _student_name(student), "posting": posting.title},
        )
    return application


def _set_status(actor: Any, application: Application, status: str, reason: str | None = None) -> Application:
    data: dict[str, Any] = {"status": status}
    if reason is not None:
        data["status_reason"] = reason
    return audited_update(actor=actor, instance=application, data=data)


def _bad_transition(application: Application, status: str) -> ValidationError:
    return ValidationError(
        {
            "status": _("An application that is “%(current)s” cannot move to “%(target)s”.")
            % {
                "current": _label(ApplicationStatus, application.status),
                "target": _label(ApplicationStatus, status),
            }
        },
        code="bad_transition",
    )


def application_move(*, actor: Any, application: Application, status: str, reason: str = "") -> Application:
    """
    Move ``application`` one step along the enterprise's pipeline (``ENTERPRISE_TRANSITIONS``).

    Moving to "offer" is done by making the offer (``offer_make``); moving to
    "rejected" needs a reason (``application_reject``).
    """
    _require_enterprise_side(actor, application)
    if status == ApplicationStatus.REJECTED:
        return application_reject(actor=actor, application=application, reason=reason)
    if status not in ENTERPRISE_TRANSITIONS.get(application.status, frozenset()):
        raise _bad_transition(application, status)
    if status == ApplicationStatus.OFFER:
        raise ValidationError(
            {"status": _("Make an offer (post, pay, start date, deadline) to move the application to “offer”.")},
            code="offer_needs_terms",
        )
    with transaction.atomic():
        _set_status(actor, application, status, reason="")
        _notify_student(
            application,
            NotificationKind.APPLICATION_MOVED,
            {"posting": application.posting.title, "status": status},
        )
    return application


def _close_open_interviews(actor: Any, application: Application) -> None:
    for interview in application.interviews.filter(status__in=[InterviewStatus.PROPOSED, InterviewStatus.CHOSEN]):
        audited_update(actor=actor, instance=interview, data={"status": InterviewStatus.CANCELLED})


def application_reject(*, actor: Any, application: Application, reason: str) -> Application:
    """Turn ``application`` down at any open step, with a reason; a pending offer on it is withdrawn."""
    _require_enterprise_side(actor, application)
    reason = (reason or "").strip()
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise _bad_transition(application, ApplicationStatus.REJECTED)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for turning the application down.")}, code="reason")
    with transaction.atomic():
        _close_open_interviews(actor, application)
        offer = Offer.objects.filter(application=application, status=OfferStatus.PENDING).first()
        if offer is not None:
            audited_update(actor=actor, instance=offer, data={"status": OfferStatus.WITHDRAWN})
        _set_status(actor, application, ApplicationStatus.REJECTED, reason=reason[:300])
        _notify_student(
            application,
            NotificationKind.APPLICATION_MOVED,
            {"posting": application.posting.title, "status": ApplicationStatus.REJECTED},
        )
    return application


def application_withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    """Withdraw ``application`` (its student, while it is open); a pending offer on it counts as declined."""
    _require_student_side(actor, application)
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise _bad_transition(application, ApplicationStatus.WITHDRAWN)
    with transaction.atomic():
        _close_open_interviews(actor, application)
        offer = Offer.objects.filter(application=application, status=OfferStatus.PENDING).first()
        if offer is not None:
            audited_update(
                actor=actor, instance=offer, data={"status": OfferStatus.DECLINED, "answered_at": timezone.now()}
            )
        _set_status(actor, application, ApplicationStatus.WITHDRAWN, reason=(reason or "").strip()[:300])
        _notify_enterprise(
            application,
            NotificationKind.APPLICATION_WITHDRAWN,
            {"student": _student_name(application.student), "posting": application.posting.title},
        )
    return application


# ---------------------------------------------------------------------------
# Interviews.
# ---------------------------------------------------------------------------

INTERVIEW_STEPS = frozenset({ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEW})


def interview_propose(*, actor: Any, application: Application, slots: Iterable[dict[str, Any]]) -> list[Interview]:
    """
    Propose interview times for ``application`` (each slot: ``starts_at``, ``duration_minutes``, ``location``).

    The application moves to "interview"; the student then picks one time.
    """
    _require_enterprise_side(actor, application)
    slots = [dict(slot) for slot in slots]
    if application.status not in INTERVIEW_STEPS:
        raise ValidationError(
            {
                "application": _(
                    "Interview times can be proposed for a screened application or one at the interview step; "
                    "this one is “%(status)s”."
                )
                % {"status": _label(ApplicationStatus, application.status)}
            },
            code="bad_transition",
        )
    if not slots:
        raise ValidationError({"starts_at": _("Propose at least one interview time.")}, code="no_slots")
    now = timezone.now()
    interviews = []
    with transaction.atomic():
        for slot in slots:
            starts_at = slot.get("starts_at")
            if starts_at is None:
                raise ValidationError({"starts_at": _("Give the time the interview starts.")}, code="required")
            if starts_at <= now:
                raise ValidationError({"starts_at": _("An interview time must be in the future.")}, code="past")
            interview = Interview(
                application=application,
                starts_at=starts_at,
                duration_minutes=slot.get("duration_minutes") or 30,
                location=(slot.get("location") or "").strip(),
            )
            if not policy.can_add(actor, interview):
                raise PermissionDenied
            interviews.append(audited_create(actor=actor, instance=interview))
        if application.status != ApplicationStatus.INTERVIEW:
            _set_status(actor, application, ApplicationStatus.INTERVIEW, reason="")
        _notify_student(
            application,
            NotificationKind.INTERVIEW_PROPOSED,
            {"enterprise": application.posting.enterprise.name, "posting": application.posting.title},
        )
    return interviews


def interview_choose(*, actor: Any, interview: Interview) -> Interview:
    """Choose ``interview``'s time (its student): the application's other proposed times become "not chosen"."""
    application = interview.application
    _require_student_side(actor, application)
    if interview.status != InterviewStatus.PROPOSED:
        raise ValidationError(
            {
                "interview": _("This time can no longer be chosen: it is “%(status)s”.")
                % {"status": _label(InterviewStatus, interview.status)}
            },
            code="not_proposed",
        )
    if application.status != ApplicationStatus.INTERVIEW:
        raise ValidationError(
            {
                "interview": _("The application is “%(status)s”, no longer at the interview step.")
                % {"status": _label(ApplicationStatus, application.status)}
            },
            code="bad_transition",
        )
    if interview.starts_at <= timezone.now():
        raise ValidationError({"interview": _("This time has passed.")}, code="past")
    with transaction.atomic():
        audited_update(actor=actor, instance=interview, data={"status": InterviewStatus.CHOSEN})
        for other in application.interviews.filter(status=InterviewStatus.PROPOSED).exclude(pk=interview.pk):
            audited_update(actor=actor, instance=other, data={"status": InterviewStatus.NOT_CHOSEN})
        _notify_enterprise(
            application,
            NotificationKind.INTERVIEW_CHOSEN,
            {
                "student": _student_name(application.student),
                "time": _local_time(interview.starts_at),
                "posting": application.posting.title,
            },
        )
    return interview


def interview_cancel(*, actor: Any, interview: Interview) -> Interview:
    """Cancel a proposed or chosen interview time (the enterprise)."""
    _require_enterprise_side(actor, interview.application)
    if interview.status not in (InterviewStatus.PROPOSED, InterviewStatus.CHOSEN):
        raise ValidationError(
            {
                "interview": _("This time is “%(status)s”; only a proposed or chosen time can be cancelled.")
                % {"status": _label(InterviewStatus, interview.status)}
            },
            code="not_cancellable",
        )
    with transaction.atomic():
        audited_update(actor=actor, instance=interview, data={"status": InterviewStatus.CANCELLED})
        application = interview.application
        _notify_student(
            application,
            NotificationKind.INTERVIEW_CANCELLED,
            {
                "enterprise": application.posting.enterprise.name,
                "posting": application.posting.title,
                "time": f"{timezone.localtime(interview.starts_at):%Y-%m-%d %H:%M}",
            },
        )
    return interview


# ---------------------------------------------------------------------------
# Offers.
# ---------------------------------------------------------------------------

OFFER_FIELDS = ["post", "monthly_pay", "contract_type", "start_date", "deadline", "terms"]


def offer_status(offer: Offer, today: datetime.date | None = None) -> str:
    """Return the offer's status as it stands today: a pending offer past its deadline is expired."""
    today = today or timezone.localdate()
    if offer.status == OfferStatus.PENDING and offer.deadline < today:
        return OfferStatus.EXPIRED
    return offer.status


def _check_offer_dates(fields: dict[str, Any], today: datetime.date) -> None:
    deadline, start = fields.get("deadline"), fields.get("start_date")
    errors: dict[str, str] = {}
    if deadline is None:
        errors["deadline"] = _("Give the date by which the student must answer.")
    elif deadline <= today:
        errors["deadline"] = _("The answer-by date must be in the future.")
    if start is None:
        errors["start_date"] = _("Give the start date.")
    elif deadline is not None and deadline >= start:
        errors["deadline"] = _("The answer-by date must be before the start date.")
    if errors:
        raise ValidationError(errors, code="offer_dates")


def _create_offer(actor: Any, application: Application, fields: dict[str, Any]) -> Offer:
    """Create the offer and move the application to "offer" (the caller checked who and when)."""
    fields = _only(fields, OFFER_FIELDS)
    fields["post"] = (fields.get("post") or "").strip() or application.posting.title
    fields["terms"] = (fields.get("terms") or "").strip()
    if not fields.get("contract_type"):
        fields.pop("contract_type", None)
    _check_offer_dates(fields, timezone.localdate())
    offer = Offer(application=application, **fields)
    with transaction.atomic():
        audited_create(actor=actor, instance=offer)
        # Times the student has not picked are moot once there is an offer.
        for interview in application.interviews.filter(status=InterviewStatus.PROPOSED):
            audited_update(actor=actor, instance=interview, data={"status": InterviewStatus.CANCELLED})
        _set_status(actor, application, ApplicationStatus.OFFER, reason="")
        _notify_student(
            application,
            NotificationKind.OFFER_MADE,
            {
                "enterprise": application.posting.enterprise.name,
                "post": offer.post,
                "deadline": offer.deadline.isoformat(),
            },
            url=reverse("offer_detail", args=[offer.pk]),
        )
    return offer


def offer_make(*, actor: Any, application: Application, **fields: Any) -> Offer:
    """
    Make an offer on ``application`` (its enterprise's HR): post, monthly pay, contract type,
    start date, answer-by deadline (after today and before the start date) and terms.
    """
    _require_enterprise_side(actor, application)
    if not policy.can_add(actor, Offer(application=application)):
        raise PermissionDenied
    if Offer.objects.filter(application=application).exists():
        raise ValidationError({"application": _("This application has an offer already.")}, code="offer_exists")
    if ApplicationStatus.OFFER not in ENTERPRISE_TRANSITIONS.get(application.status, frozenset()):
        raise ValidationError(
            {
                "application": _(
                    "An offer can be made on a screened application or one at the interview step; "
                    "this one is “%(status)s”."
                )
                % {"status": _label(ApplicationStatus, application.status)}
            },
            code="bad_transition",
        )
    return _create_offer(actor, application, fields)


CONTRACT_OF_KIND = {
    PostingKind.JOB: ContractType.FIXED_TERM,
    PostingKind.INTERNSHIP: ContractType.INTERNSHIP,
    PostingKind.ORDER_SEAT: ContractType.APPRENTICESHIP,
}


def offer_make_for_match(
    *,
    actor: Any,
    posting: Posting,
    student: Student,
    deadline: datetime.date,
    matching_round: MatchingRound | None,
    **fields: Any,
) -> Offer:
    """
    Turn a published match into an offer: the application (``matching_round`` set) and its offer in one go.

    ``actor`` is a superuser (the system), a round manager of the posting's park or
    the posting's HR. The offer's post, pay and contract type default from the
    posting (``fields`` may override any of ``OFFER_FIELDS``); its start date is the
    posting's earliest start if that lies after ``deadline``, else 30 days after it.
    A student who had applied to the posting already has that application
    moved to "offer" (refused if it is closed or has an offer).
    """
    a = policy.actor_for(actor)
    park_id = posting.enterprise.park_id
    if not (a.is_superuser or manages_rounds(a, park_id) or posting.enterprise_id in a.orgs([Role.ENTERPRISE_HR])):
        raise PermissionDenied
    if student.college.park_id != park_id:
        raise ValidationError(
            {"student": _("This student belongs to another park than the posting.")}, code="other_park"
        )
    start = posting.start_date if posting.start_date and posting.start_date > deadline else None
    values = {
        "post": posting.title,
        "monthly_pay": posting.pay_min,
        "contract_type": CONTRACT_OF_KIND.get(posting.kind, ContractType.FIXED_TERM),
        "start_date": start or deadline + datetime.timedelta(days=30),
        "deadline": deadline,
        **_only(fields, OFFER_FIELDS),
    }
    with transaction.atomic():
        application = Application.objects.filter(posting=posting, student=student).first()
        if application is None:
            application = Application(
                posting=posting, student=student, status=ApplicationStatus.OFFER, matching_round=matching_round
            )
            _check_offer_dates(values, timezone.localdate())
            audited_create(actor=actor, instance=application)
        else:
            if (
                application.status not in OPEN_APPLICATION_STATUSES
                or Offer.objects.filter(application=application).exists()
            ):
                raise ValidationError(
                    {
                        "student": _(
                            "The student's application to this posting is “%(status)s” and cannot get an offer."
                        )
                        % {"status": _label(ApplicationStatus, application.status)}
                    },
                    code="bad_transition",
                )
            audited_update(actor=actor, instance=application, data={"matching_round": matching_round})
        return _create_offer(actor, application, values)


def _pending_for_answer(offer: Offer, today: datetime.date) -> None:
    if offer.status == OfferStatus.PENDING and offer.deadline < today:
        raise ValidationError(
            {
                "deadline": _("The deadline to answer this offer (%(date)s) has passed.")
                % {"date": offer.deadline.isoformat()}
            },
            code="offer_expired",
        )
    if offer.status != OfferStatus.PENDING:
        raise ValidationError(
            {
                "status": _("This offer is “%(status)s”; it can no longer be answered.")
                % {"status": _label(OfferStatus, offer.status)}
            },
            code="offer_answered",
        )


def pay_band_for(monthly_pay: int | None) -> str:
    """Return the pay band of a monthly pay in yuan ("" when unknown)."""
    if not monthly_pay:
        return ""
    for limit, band in ((4000, PayBand.BELOW_4K), (6000, PayBand.FROM_4K), (8000, PayBand.FROM_6K)):
        if monthly_pay < limit:
            return band
    return PayBand.FROM_8K if monthly_pay < 12000 else PayBand.ABOVE_12K


def offer_accept(*, actor: Any, offer: Offer) -> Offer:
    """
    Accept ``offer`` (its student, by the deadline): the application is accepted and an
    employment record (source: accepted offer) starts on the offer's start date.
    """
    application = offer.application
    _require_student_side(actor, application)
    _pending_for_answer(offer, timezone.localdate())
    posting = application.posting
    with transaction.atomic():
        audited_update(
            actor=actor, instance=offer, data={"status": OfferStatus.ACCEPTED, "answered_at": timezone.now()}
        )
        _set_status(actor, application, ApplicationStatus.ACCEPTED)
        record = EmploymentRecord(
            student=application.student,
            employer=posting.enterprise,
            post=offer.post,
            start_date=offer.start_date,
            contract_type=offer.contract_type,
            pay_band=pay_band_for(offer.monthly_pay),
            via_order_class=posting.kind == PostingKind.ORDER_SEAT,
            offer=offer,
            source=RecordSource.OFFER,
        )
        audited_create(actor=actor, instance=record)
        _notify_answer(offer, OfferStatus.ACCEPTED)
    return offer


def offer_decline(*, actor: Any, offer: Offer, reason: str = "") -> Offer:
    """Decline ``offer`` (its student, by the deadline): the application is declined."""
    application = offer.application
    _require_student_side(actor, application)
    _pending_for_answer(offer, timezone.localdate())
    with transaction.atomic():
        audited_update(
            actor=actor, instance=offer, data={"status": OfferStatus.DECLINED, "answered_at": timezone.now()}
        )
        _set_status(actor, application, ApplicationStatus.DECLINED, reason=(reason or "").strip()[:300])
        _notify_answer(offer, OfferStatus.DECLINED)
    return offer


def _notify_answer(offer: Offer, status: str) -> None:
    application = offer.application
    _notify_enterprise(
        application,
        NotificationKind.OFFER_ANSWERED,
        {"student": _student_name(application.student), "post": offer.post, "status": status},
        url=reverse("offer_detail", args=[offer.pk]),
    )


def expire_offers(today: datetime.date | None = None, *, actor: Any = None) -> int:
    """
    Expire the pending offers whose deadline is before ``today``: the offer becomes
    "expired" and its application "declined". Return how many expired.

    Run daily (``manage.py expire_offers``); pages show an overdue offer as expired before that.
    """
    today = today or timezone.localdate()
    count = 0
    overdue = Offer.objects.filter(status=OfferStatus.PENDING, deadline__lt=today).select_related(
        "application__posting__enterprise", "application__student__college"
    )
    for offer in overdue.iterator(chunk_size=200):
        with transaction.atomic():
            audited_update(actor=actor, instance=offer, data={"status": OfferStatus.EXPIRED})
            application = offer.application
            if application.status == ApplicationStatus.OFFER:
                _set_status(
                    actor, application, ApplicationStatus.DECLINED, reason=_("The offer expired without an answer.")
                )
        count += 1
    return count


# ---------------------------------------------------------------------------
# Notifications (a reader's own inbox: marking read is not audited).
# ---------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    policy.require(actor, Action.CHANGE, notification)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=notification.read_at)
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """Mark every unread notification of ``actor`` read; return how many."""
    unread = policy.restrict(Notification.objects.filter(read_at=None), actor, Action.CHANGE)
    return unread.update(read_at=timezone.now())
