"""
Writes of matching rounds. Every write checks the policy, validates, saves and
records its audit event in one transaction; nothing else saves these models.

The life of a round::

    draft ──open──▶ open ──close──▶ closed ──run──▶ running ──▶ computed ──publish──▶ published
      │               │               │                ▲            │
      └───────────────┴───── cancel ──┴────────────────┼── re-run ──┘   (any state before published)
                                                      (a cancelled or failed run goes back)

Students submit their lists while the round is open and before its deadline;
enterprises rank the students who listed their positions until the round is
run. The run is a background job (``careers.matching_round``) calling
``round_compute``, the same function the demo calls synchronously.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_delete, audited_update, record, snapshot
from iepark.core.choices import AuditAction, Role
from iepark.core.models import Job, Park, Student
from iepark.core.policy import Action
from iepark.core.tasks import job_start

from ..choices import OPEN_APPLICATION_STATUSES, NotificationKind, RoundStatus, TieBreaking, VettingStatus
from ..models import MatchingRound, Posting, RoundMatch, RoundPosition, RoundStudentList
from ..notifications import notify
from . import selectors
from .matching import build_instance, compute

TASK_KIND = "careers.matching_round"
# The largest seed drawn (the field is a signed 64-bit integer).
SEED_BITS = 62

# Which fields of a round may change in which state.
ROUND_FIELDS = ["name", "cohort_year", "deadline", "offer_deadline", "tie_breaking", "seed"]
CHANGEABLE_FIELDS: dict[str, frozenset[str]] = {
    RoundStatus.DRAFT: frozenset(ROUND_FIELDS),
    RoundStatus.OPEN: frozenset({"name", "deadline", "offer_deadline", "tie_breaking", "seed"}),
    RoundStatus.CLOSED: frozenset({"name", "offer_deadline", "tie_breaking", "seed"}),
    RoundStatus.COMPUTED: frozenset({"name", "offer_deadline", "tie_breaking", "seed"}),
    RoundStatus.RUNNING: frozenset(),
    RoundStatus.PUBLISHED: frozenset({"name"}),
    RoundStatus.CANCELLED: frozenset({"name"}),
}
# Positions are added while the round is being prepared or is open; seats change until the run.
POSITION_ADD_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN)
CAPACITY_STATUSES = (RoundStatus.DRAFT, RoundStatus.OPEN, RoundStatus.CLOSED)
# Enterprises rank their applicants until the round is run.
RANKING_STATUSES = (RoundStatus.OPEN, RoundStatus.CLOSED)


def _require_add(actor: Any, instance: Any) -> None:
    if not policy.can_add(actor, instance):
        raise PermissionDenied


def _status_label(status: str) -> str:
    return str(RoundStatus(status).label)


def _wrong_state(matching_round: MatchingRound, field: str = "status") -> ValidationError:
    return ValidationError(
        {field: _("Not possible while the round is “%(status)s”.") % {"status": _status_label(matching_round.status)}},
        code="wrong_state",
    )


def _locked(matching_round: MatchingRound) -> MatchingRound:
    """Return the round re-read under a row lock, so two transitions cannot interleave."""
    return MatchingRound.objects.select_for_update(of=("self",)).select_related("park", "job").get(pk=matching_round.pk)


def _check_deadlines(
    *, deadline: datetime.datetime | None, offer_deadline: datetime.date | None, future: bool = True
) -> None:
    """Check that a new deadline for lists lies ahead (when ``future``) and that offers are not due before it."""
    errors = {}
    if future and deadline is not None and deadline <= timezone.now():
        errors["deadline"] = _("The deadline for lists must be in the future.")
    if deadline is not None and offer_deadline is not None and offer_deadline < timezone.localdate(deadline):
        errors["offer_deadline"] = _("Offers cannot be due before the lists are.")
    if errors:
        raise ValidationError(errors, code="deadline")


def _check_seed(seed: Any) -> None:
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 or seed >= 2**63):
        raise ValidationError({"seed": _("The seed must be a whole number from 0 to 2⁶³ − 1.")}, code="seed")


# --- rounds -------------------------------------------------------------------------------


def round_create(
    *,
    actor: Any,
    park: Park,
    name: str,
    cohort_year: int,
    deadline: datetime.datetime,
    offer_deadline: datetime.date | None = None,
    tie_breaking: str = TieBreaking.SINGLE,
    seed: int | None = None,
) -> MatchingRound:
    """Create a round in draft for the park's students of ``cohort_year``."""
    matching_round = MatchingRound(
        park=park,
        name=name,
        cohort_year=cohort_year,
        deadline=deadline,
        offer_deadline=offer_deadline,
        tie_breaking=tie_breaking,
        seed=seed,
    )
    _require_add(actor, matching_round)
    _check_deadlines(deadline=deadline, offer_deadline=offer_deadline)
    _check_seed(seed)
    return audited_create(actor=actor, instance=matching_round)


def round_update(*, actor: Any, matching_round: MatchingRound, data: dict[str, Any]) -> MatchingRound:
    """
    Change a round's settings; what may change depends on its state (``CHANGEABLE_FIELDS``).

    The cohort is fixed once the round is open (its students were told), the
    deadline once it is closed, and nothing changes during a run.
    """
    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        data = {k: v for k, v in data.items() if k in ROUND_FIELDS}
        allowed = CHANGEABLE_FIELDS[matching_round.status]
        for name, value in data.items():
            if name not in allowed and value != getattr(matching_round, name):
                raise ValidationError(
                    {
                        name: _("This can no longer be changed: the round is “%(status)s”.")
                        % {"status": _status_label(matching_round.status)}
                    },
                    code="locked",
                )
        deadline = data.get("deadline", matching_round.deadline)
        _check_deadlines(
            deadline=deadline,
            offer_deadline=data.get("offer_deadline", matching_round.offer_deadline),
            future=deadline != matching_round.deadline,
        )
        _check_seed(data.get("seed"))
        return audited_update(actor=actor, instance=matching_round, data=data)


def round_delete(*, actor: Any, matching_round: MatchingRound) -> None:
    """Delete a round still in draft (a round that was opened is cancelled instead, and kept)."""
    policy.require(actor, Action.DELETE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.DRAFT:
            raise ValidationError(_("Only a round in draft can be deleted; cancel it instead."), code="not_draft")
        for position in matching_round.positions.select_related("posting__enterprise"):
            audited_delete(actor=actor, instance=position)
        audited_delete(actor=actor, instance=matching_round)


def _users(query: Q) -> list[Any]:
    return list(get_user_model().objects.filter(query).distinct())


def _student_users(students: Any) -> list[Any]:
    return _users(Q(person__student__in=students))


def _hr_users(matching_round: MatchingRound) -> list[Any]:
    """Return the current HR users of the enterprises with positions in the round."""
    today = timezone.localdate()
    enterprises = matching_round.positions.values("posting__enterprise_id")
    return _users(
        Q(
            person__memberships__organisation__in=enterprises,
            person__memberships__role=Role.ENTERPRISE_HR,
            person__memberships__start_date__lte=today,
        )
        & (Q(person__memberships__end_date__isnull=True) | Q(person__memberships__end_date__gte=today))
    )


def round_url(matching_round: MatchingRound) -> str:
    return reverse("matchinground_detail", args=[matching_round.pk])


def round_open(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Open the round for lists and tell its eligible students and the enterprises taking part."""
    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.DRAFT:
            raise _wrong_state(matching_round)
        if not matching_round.positions.exists():
            raise ValidationError({"positions": _("Add at least one position before opening the round.")})
        if matching_round.deadline <= timezone.now():
            raise ValidationError({"deadline": _("The deadline for lists must be in the future.")})
        audited_update(actor=actor, instance=matching_round, data={"status": RoundStatus.OPEN})
        deadline = timezone.localtime(matching_round.deadline).strftime("%Y-%m-%d %H:%M")
        notify(
            [
                *_student_users(selectors.eligible_students(matching_round)),
                *_hr_users(matching_round),
            ],
            NotificationKind.ROUND_OPENED,
            {"round": matching_round.name, "deadline": deadline},
            url=round_url(matching_round),
        )
    return matching_round


def round_close(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Close the round to lists (at or before its deadline); enterprises may still rank until the run."""
    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.OPEN:
            raise _wrong_state(matching_round)
        return audited_update(actor=actor, instance=matching_round, data={"status": RoundStatus.CLOSED})


def run_in_progress(matching_round: MatchingRound) -> bool:
    """Return whether a run of the round is queued or running (a finished job left behind does not count)."""
    if matching_round.status != RoundStatus.RUNNING:
        return False
    job = matching_round.job
    return job is None or not job.is_finished


def round_run(*, actor: Any, matching_round: MatchingRound, background: bool = True) -> MatchingRound:
    """
    Run the matching of a closed round (or run a computed one again).

    In the background (the default) a job of kind ``careers.matching_round`` is
    queued and recorded on the round; its page shows the progress and can
    cancel it. With ``background=False`` the same computation runs here and now.
    """
    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        stale_run = matching_round.status == RoundStatus.RUNNING and not run_in_progress(matching_round)
        if matching_round.status not in (RoundStatus.CLOSED, RoundStatus.COMPUTED) and not stale_run:
            raise _wrong_state(matching_round)
        if not matching_round.student_lists.exists():
            raise ValidationError({"status": _("No student has submitted a list: there is nothing to match.")})
        job = None
        if background:
            job = job_start(actor=actor, kind=TASK_KIND, park=matching_round.park, params={"round": matching_round.pk})
        audited_update(actor=actor, instance=matching_round, data={"status": RoundStatus.RUNNING, "job": job})
    if not background:
        matching_round = _compute_or_abandon(actor=actor, matching_round=matching_round)
    return matching_round


def _compute_or_abandon(*, actor: Any, matching_round: MatchingRound, **hooks: Any) -> MatchingRound:
    """Compute the round; if the run stops (cancelled or failed), put the round back before re-raising."""
    try:
        return round_compute(actor=actor, matching_round=matching_round, **hooks)
    except BaseException:
        round_run_abandon(actor=actor, matching_round=matching_round)
        raise


def round_compute(
    *,
    actor: Any,
    matching_round: MatchingRound,
    progress: Callable[[int, int, str], None] | None = None,
    check_cancelled: Callable[[], None] | None = None,
) -> MatchingRound:
    """
    Compute the matching of a running round and store its results (the body of the background run).

    Draw the lottery seed unless one is recorded (a recorded seed is reused, so
    the run reproduces exactly), solve with the round's tie-breaking, verify that
    the matching is stable, and replace the round's results in one transaction:
    one ``RoundMatch`` per eligible student with a list (the position or none,
    the rank of that choice, and why not each higher choice) and the report.
    ``check_cancelled`` is called between steps and raises to stop; nothing is
    then written.
    """
    policy.require(actor, Action.CHANGE, matching_round)
    say = progress or (lambda done, total, message: None)
    stop = check_cancelled or (lambda: None)
    if matching_round.status != RoundStatus.RUNNING:
        raise _wrong_state(matching_round)
    seed = matching_round.seed if matching_round.seed is not None else secrets.randbits(SEED_BITS)
    total_steps = 5
    say(0, total_steps, _("Reading the lists and rankings"))
    instance = build_instance(matching_round, seed=seed)
    stop()
    labels = {"solved": _("Matching solved"), "checked": _("Stability verified"), "explained": _("Results explained")}
    done = iter(range(1, 4))

    def step(name: str) -> None:
        say(next(done), total_steps, labels[name])
        stop()

    outcome = compute(instance, step=step)
    say(4, total_steps, _("Saving the results"))
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.RUNNING:
            raise _wrong_state(matching_round)
        for old in matching_round.matches.select_related("student__college"):
            _match_delete(actor=actor, match=old)
        students = Student.objects.select_related("college").in_bulk(list(outcome.rows))
        positions = {p.pk: p for p in matching_round.positions.select_related("posting__enterprise")}
        for n, (student_id, (position_id, choice, items)) in enumerate(sorted(outcome.rows.items()), start=1):
            audited_create(
                actor=actor,
                instance=RoundMatch(
                    round=matching_round,
                    student=students[student_id],
                    position=positions[position_id] if position_id is not None else None,
                    choice_rank=choice,
                    explanation=items,
                ),
                owner=_results_owner(matching_round),
            )
            if n % 500 == 0:
                stop()
        audited_update(
            actor=actor,
            instance=matching_round,
            data={
                "seed": seed,
                "report": outcome.report,
                "computed_at": timezone.now(),
                "status": RoundStatus.COMPUTED,
            },
        )
    say(total_steps, total_steps, _("Done: %(matched)d of %(students)d students matched") % outcome.report)
    return matching_round


def _results_owner(matching_round: MatchingRound) -> tuple[int, None]:
    """
    Return the audit owner of a round's results: the park alone.

    A result's own owner would be the student's college, whose staff read the
    audit trail of their organisation; results are theirs to see only once
    published, so the trail of computed results stays with the park's readers.
    """
    return matching_round.park_id, None


def _match_delete(*, actor: Any, match: RoundMatch) -> None:
    """Delete a result of an earlier run, recording it under the park (as ``audited_delete`` would, owner aside)."""
    before = snapshot(match)
    record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=match,
        changes={k: [v, None] for k, v in before.items()},
        owner=_results_owner(match.round),
    )
    match.delete()


def round_run_abandon(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Put a round whose run stopped (cancelled or failed) back where it was: computed if it has results, else closed."""
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.RUNNING:
            return matching_round
        back = RoundStatus.COMPUTED if matching_round.computed_at else RoundStatus.CLOSED
        return audited_update(actor=actor, instance=matching_round, data={"status": back})


def round_run_job(ctx: Any) -> dict[str, Any]:
    """Run the round of a ``careers.matching_round`` job (called by the task runner in the background)."""
    job: Job = ctx.job
    matching_round = MatchingRound.objects.select_related("park", "job").get(pk=ctx.params["round"])
    actor = job.created_by
    matching_round = _compute_or_abandon(
        actor=actor, matching_round=matching_round, progress=ctx.progress, check_cancelled=ctx.check_cancelled
    )
    report = matching_round.report
    return {
        "round": matching_round.pk,
        "students": report["students"],
        "matched": report["matched"],
        "seed": matching_round.seed,
    }


def _check_results_current(matching_round: MatchingRound) -> None:
    """Refuse to publish results computed under another lottery than the round's present one."""
    report = matching_round.report or {}
    if report.get("seed") != matching_round.seed or report.get("tie_breaking") != matching_round.tie_breaking:
        raise ValidationError(
            {"seed": _("The lottery changed since the results were computed: run the round again first.")},
            code="stale_results",
        )


def round_publish(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """
    Publish the computed results: every match becomes an offer, students and enterprises are told.

    The offers are made through the applications' service (one application and
    offer per match, due by the round's offer deadline). A match whose student's
    own application to the posting is closed or has an offer already gets no
    second offer; the report's ``offers`` counts the offers made and lists those
    matches.
    """
    from ..applications.selectors import application_list
    from ..applications.services import offer_make_for_match

    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.COMPUTED:
            raise _wrong_state(matching_round)
        if matching_round.offer_deadline is None:
            raise ValidationError({"offer_deadline": _("Set the date by which offers are to be answered.")})
        if matching_round.offer_deadline <= timezone.localdate():
            raise ValidationError(
                {"offer_deadline": _("The date for answering offers must be after today: set a later one.")}
            )
        _check_results_current(matching_round)
        matches = list(
            matching_round.matches.filter(position__isnull=False).select_related(
                "student", "student__person", "student__college", "position__posting__enterprise"
            )
        )
        # A student who applied to the posting on their own already: an offer is made on that application,
        # unless it is closed (withdrawn, declined, not selected) or has an offer already. Such a match
        # stands but gets no second offer.
        own = {
            (posting_id, student_id): (status, offer_id)
            for posting_id, student_id, status, offer_id in application_list(user=actor)
            .filter(
                student_id__in=[m.student_id for m in matches],
                posting_id__in={m.position.posting_id for m in matches},
            )
            .values_list("posting_id", "student_id", "status", "offer__id")
        }
        made, skipped = 0, []
        for match in matches:
            status, offer_id = own.get((match.position.posting_id, match.student_id), (None, None))
            if offer_id is not None or (status is not None and status not in OPEN_APPLICATION_STATUSES):
                code = "offer_exists" if offer_id is not None else f"application_{status}"
                skipped.append({"student": match.student_id, "position": match.position_id, "code": code})
                continue
            offer_make_for_match(
                actor=actor,
                posting=match.position.posting,
                student=match.student,
                deadline=matching_round.offer_deadline,
                matching_round=matching_round,
            )
            made += 1
        report = {**matching_round.report, "offers": {"made": made, "skipped": skipped}}
        audited_update(
            actor=actor,
            instance=matching_round,
            data={"status": RoundStatus.PUBLISHED, "published_at": timezone.now(), "report": report},
        )
        notify(
            [*_student_users(matching_round.matches.values("student_id")), *_hr_users(matching_round)],
            NotificationKind.ROUND_PUBLISHED,
            {"round": matching_round.name},
            url=round_url(matching_round),
        )
    return matching_round


def round_cancel(*, actor: Any, matching_round: MatchingRound) -> MatchingRound:
    """Cancel a round that is not published; its lists and any results are kept for the record."""
    policy.require(actor, Action.CHANGE, matching_round)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status in (RoundStatus.PUBLISHED, RoundStatus.CANCELLED):
            raise _wrong_state(matching_round)
        if run_in_progress(matching_round):
            raise ValidationError(
                {"status": _("A run is in progress: cancel the run (or let it finish) first.")}, code="running"
            )
        return audited_update(actor=actor, instance=matching_round, data={"status": RoundStatus.CANCELLED})


# --- positions ------------------------------------------------------------------------------


def _check_capacity(capacity: Any) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ValidationError({"capacity": _("The number of seats must be a whole number, 0 or more.")})


def round_position_add(*, actor: Any, matching_round: MatchingRound, posting: Posting, capacity: int) -> RoundPosition:
    """Add an approved posting of the round's park to the round, with its number of seats."""
    position = RoundPosition(round=matching_round, posting=posting, capacity=capacity)
    _require_add(actor, position)
    _check_capacity(capacity)
    with transaction.atomic():
        matching_round = _locked(matching_round)
        position.round = matching_round
        if matching_round.status not in POSITION_ADD_STATUSES:
            raise _wrong_state(matching_round, "round")
        errors = {}
        if posting.enterprise.park_id != matching_round.park_id:
            errors["posting"] = _("The posting belongs to another park.")
        elif posting.vetting_status != VettingStatus.APPROVED:
            errors["posting"] = _("Only approved postings can take part in a round.")
        elif matching_round.positions.filter(posting=posting).exists():
            errors["posting"] = _("This posting is in the round already.")
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                return audited_create(actor=actor, instance=position)
        except IntegrityError:
            raise ValidationError({"posting": _("This posting is in the round already.")})


def round_position_update(*, actor: Any, position: RoundPosition, data: dict[str, Any]) -> RoundPosition:
    """Change a position's number of seats (the round's managers, until the round is run)."""
    policy.require(actor, Action.CHANGE, position)
    if not selectors.manages_round(actor, position.round):
        raise PermissionDenied  # an enterprise ranks its applicants; the seats are the round's to set
    data = {k: v for k, v in data.items() if k == "capacity"}
    if "capacity" in data:
        _check_capacity(data["capacity"])
    with transaction.atomic():
        matching_round = _locked(position.round)
        if data and matching_round.status not in CAPACITY_STATUSES:
            raise _wrong_state(matching_round, "capacity")
        return audited_update(actor=actor, instance=position, data=data)


def round_position_delete(*, actor: Any, position: RoundPosition) -> None:
    """Remove a position from a round in draft (later, set its seats to 0: students may have listed it)."""
    policy.require(actor, Action.DELETE, position)
    with transaction.atomic():
        matching_round = _locked(position.round)
        if matching_round.status != RoundStatus.DRAFT:
            raise ValidationError(
                _("Positions can be removed only while the round is in draft; set the seats to 0 instead."),
                code="not_draft",
            )
        audited_delete(actor=actor, instance=position)


def _as_id(value: Any) -> int | None:
    """Return ``value`` as a positive integer id (an integer or a string of digits), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def ranking_from_ranks(ranks: Mapping[Any, Any]) -> list[Any]:
    """
    Return the stored form of a ranking given as rank numbers per student (equal numbers tie).

    ``{12: 1, 15: 2, 18: 2, 20: 3}`` becomes ``[12, [15, 18], 20]``; a student
    without a number (None or "") is left out, i.e. not acceptable.
    """
    groups: dict[Any, list[Any]] = {}
    for student_id, number in ranks.items():
        if number in (None, ""):
            continue
        groups.setdefault(number, []).append(student_id)
    try:
        ordered = sorted(groups.items(), key=lambda item: int(item[0]))
    except (TypeError, ValueError):
        raise ValidationError({"ranking": _("Rank numbers must be whole numbers.")}, code="rank_number")
    return [members[0] if len(members) == 1 else sorted(members, key=_id_order) for _number, members in ordered]


def _id_order(value: Any) -> tuple[int, Any]:
    student_id = _as_id(value)
    return (0, student_id) if student_id is not None else (1, str(value))


def position_ranking_submit(*, actor: Any, position: RoundPosition, ranking: Any) -> RoundPosition:
    """
    Record the enterprise's ranking of the students who listed ``position`` (replacing any earlier one).

    ``ranking`` holds student ids best first; an inner list is a group of tied
    students. Applicants left out are not acceptable to the position. An empty
    ranking is the same as none: every applicant acceptable, all tied.
    """
    policy.require(actor, Action.CHANGE, position)
    with transaction.atomic():
        matching_round = _locked(position.round)
        if matching_round.status not in RANKING_STATUSES:
            raise _wrong_state(matching_round, "ranking")
        if not isinstance(ranking, list):
            raise ValidationError({"ranking": _("The ranking must be a list of student ids.")}, code="not_list")
        applicants = set(selectors.applicant_ids(position))
        errors: list[str] = []
        seen: set[int] = set()
        clean: list[Any] = []
        flat: list[int] = []
        for entry in ranking:
            members = entry if isinstance(entry, list) else [entry]
            if not members:
                errors.append(_("A group of tied students is empty."))
            tier: list[int] = []
            for value in members:
                student_id = _as_id(value)
                if student_id is None:
                    errors.append(_("“%(value)s” is not a student id.") % {"value": value})
                elif student_id in seen:
                    errors.append(_("Student %(id)s is ranked twice.") % {"id": student_id})
                else:
                    seen.add(student_id)
                    tier.append(student_id)
                    flat.append(student_id)
            if tier:
                clean.append(tier[0] if len(tier) == 1 else tier)
        known = set(Student.objects.filter(pk__in=flat).values_list("pk", flat=True))
        eligible = set(selectors.eligible_students(matching_round).filter(pk__in=flat).values_list("pk", flat=True))
        for student_id in flat:
            if student_id not in known:
                errors.append(_("Unknown student id %(id)s.") % {"id": student_id})
            elif student_id not in eligible:
                errors.append(_("Student %(id)s is not eligible for this round.") % {"id": student_id})
            elif student_id not in applicants:
                errors.append(_("Student %(id)s did not list this position.") % {"id": student_id})
        if errors:
            raise ValidationError({"ranking": errors}, code="bad_ranking")
        return audited_update(
            actor=actor, instance=position, data={"ranking": clean, "ranking_submitted_at": timezone.now()}
        )


# --- students' lists ------------------------------------------------------------------------------


def _clean_preferences(matching_round: MatchingRound, preferences: Any) -> list[int]:
    """Return ``preferences`` as round-position ids, best first; raise listing every problem found."""
    if not isinstance(preferences, list):
        raise ValidationError({"preferences": _("The list must be a list of position ids.")}, code="not_list")
    errors: list[str] = []
    ids: list[int] = []
    for value in preferences:
        position_id = _as_id(value)
        if position_id is None:
            errors.append(_("“%(value)s” is not a position id.") % {"value": value})
        elif position_id in ids:
            errors.append(_("Position %(id)s is listed twice.") % {"id": position_id})
        else:
            ids.append(position_id)
    in_round = set(matching_round.positions.filter(pk__in=ids).values_list("pk", flat=True))
    elsewhere = set(RoundPosition.objects.filter(pk__in=set(ids) - in_round).values_list("pk", flat=True))
    for position_id in ids:
        if position_id in elsewhere:
            errors.append(_("Position %(id)s is not in this round.") % {"id": position_id})
        elif position_id not in in_round:
            errors.append(_("Unknown position id %(id)s.") % {"id": position_id})
    if not preferences:
        errors.append(_("Rank at least one position."))
    if errors:
        raise ValidationError({"preferences": errors}, code="bad_list")
    return ids


def student_list_submit(
    *, actor: Any, matching_round: MatchingRound, student: Student, preferences: Iterable[Any]
) -> RoundStudentList:
    """
    Record a student's ranked list of the round's positions (best first), replacing an earlier one.

    Only while the round is open and before its deadline, and only for a student
    of the round's cohort who has neither withdrawn nor graduated.
    """
    existing = RoundStudentList.objects.filter(round=matching_round, student=student).first()
    if existing is not None:
        policy.require(actor, Action.CHANGE, existing)
    else:
        _require_add(actor, RoundStudentList(round=matching_round, student=student))
    preferences = list(preferences) if isinstance(preferences, list | tuple) else preferences
    with transaction.atomic():
        matching_round = _locked(matching_round)
        if matching_round.status != RoundStatus.OPEN:
            raise ValidationError({"round": _("The round is not open for lists.")}, code="not_open")
        if timezone.now() > matching_round.deadline:
            raise ValidationError({"round": _("The deadline for lists has passed.")}, code="deadline_passed")
        student = Student.objects.select_related("college").get(pk=student.pk)
        if not selectors.is_eligible(student, matching_round):
            raise ValidationError(
                {
                    "student": _(
                        "This student is not eligible for this round (cohort %(year)s, not withdrawn or graduated)."
                    )
                    % {"year": matching_round.cohort_year}
                },
                code="not_eligible",
            )
        ids = _clean_preferences(matching_round, preferences)
        data = {"preferences": ids, "submitted_at": timezone.now()}
        if existing is not None:
            existing = RoundStudentList.objects.select_for_update().get(pk=existing.pk)
            return audited_update(actor=actor, instance=existing, data=data)
        return audited_create(actor=actor, instance=RoundStudentList(round=matching_round, student=student, **data))
