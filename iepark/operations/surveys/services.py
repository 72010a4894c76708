"""
Writes of satisfaction surveys. Every write checks the policy, validates, saves
and records its audit event in one transaction; nothing else saves these models.

Answering an anonymous survey keeps the answer away from the person: the
response gets a random key and only its month, the invitation is marked answered
in the same transaction, and the audit event of answering names the invitation
only (never the response or the answers). Closing an anonymous survey rewrites
its responses in random order and touches its invitations, so that neither the
rows' physical order nor the database's transaction stamps pair them any more.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import policy
from iepark.core.audit import audited_create, audited_delete, audited_update, record
from iepark.core.choices import AuditAction, StudentStatus
from iepark.core.models import Student, Teacher
from iepark.operations.models import BedAssignment

from .choices import CHOICE_KINDS, RATING_MAX, RATING_MIN, Audience, QuestionKind, SurveyStatus
from .models import Answer, Invitation, Question, Response, Survey

Action = policy.Action

SURVEY_FIELDS = [
    "title",
    "introduction",
    "anonymous",
    "opens_on",
    "closes_on",
    "area",
    "service_point",
    "audience",
    "audience_college",
    "audience_major",
    "audience_cohort_year",
    "audience_building",
]
# What may still change once the survey is open: the wording around the questions and the closing date.
OPEN_SURVEY_FIELDS = ["title", "introduction", "closes_on", "area", "service_point"]
QUESTION_FIELDS = ["text", "kind", "required", "options"]
# Students still in the park's care are invited; graduates and withdrawn students are not.
ACTIVE_STUDENT_STATUSES = (StudentStatus.ENROLLED, StudentStatus.IN_PARK, StudentStatus.ON_INTERNSHIP)
MAX_TEXT_ANSWER = 5000


def _only(data: Mapping[str, Any], names: list[str]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in data.items() if k in names}


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- surveys ---------------------------------------------------------------------------------------


def survey_create(*, actor: Any, owner: Any, **fields: Any) -> Survey:
    """Create a draft survey of ``owner`` (its park is the owner's park)."""
    survey = Survey(owner=owner, park_id=owner.park_id, status=SurveyStatus.DRAFT, **_only(fields, SURVEY_FIELDS))
    if owner.is_college and not survey.audience_college_id:
        survey.audience_college = owner  # a college's audience is its own people
    if not policy.can_add(actor, survey):
        raise PermissionDenied
    return audited_create(actor=actor, instance=survey)


def survey_update(*, actor: Any, survey: Survey, data: Mapping[str, Any]) -> Survey:
    """Change a survey; once it is open only its title, introduction, closing date and service area change."""
    policy.require(actor, Action.CHANGE, survey)
    data = _only(data, SURVEY_FIELDS)
    if survey.owner.is_college and "audience_college" in data and data["audience_college"] is None:
        data["audience_college"] = survey.owner  # a college's audience is its own people
    if survey.status == SurveyStatus.CLOSED:
        raise ValidationError(_("A closed survey cannot change."))
    if survey.status == SurveyStatus.OPEN:
        frozen = {}
        for name, value in data.items():
            if name in OPEN_SURVEY_FIELDS:
                continue
            current = getattr(survey, name)
            if getattr(current, "pk", current) != getattr(value, "pk", value):
                frozen[name] = _("This cannot change once the survey is open.")
        if frozen:
            raise ValidationError(frozen)
        if "closes_on" in data and data["closes_on"] < timezone.localdate():
            raise ValidationError({"closes_on": _("The closing date of an open survey cannot be in the past.")})
    return audited_update(actor=actor, instance=survey, data=data)


def survey_delete(*, actor: Any, survey: Survey) -> None:
    """Delete a draft survey with its questions (an opened survey is kept with its answers)."""
    policy.require(actor, Action.DELETE, survey)
    if not survey.is_draft:
        raise ValidationError(_("Only a draft survey can be deleted; close it instead."))
    with transaction.atomic():
        for question in survey.questions.all():
            audited_delete(actor=actor, instance=question)
        audited_delete(actor=actor, instance=survey)


def audience_person_ids(survey: Survey) -> list[int]:
    """Return the ids of the people ``survey``'s audience holds today (sorted, without repeats)."""
    kind = survey.audience
    if kind == Audience.TEACHERS:
        teachers = Teacher.objects.filter(organisation__park_id=survey.park_id)
        if survey.audience_college_id:
            teachers = teachers.filter(organisation_id=survey.audience_college_id)
        ids = teachers.values_list("person_id", flat=True)
    elif kind == Audience.RESIDENTS:
        ids = BedAssignment.objects.filter(
            end_date__isnull=True,
            bed__room__building_id=survey.audience_building_id,
            student__status__in=ACTIVE_STUDENT_STATUSES,
        ).values_list("student__person_id", flat=True)
    else:
        students = Student.objects.filter(college__park_id=survey.park_id, status__in=ACTIVE_STUDENT_STATUSES)
        if survey.audience_college_id:
            students = students.filter(college_id=survey.audience_college_id)
        if kind == Audience.MAJOR:
            students = students.filter(major_id=survey.audience_major_id)
        elif kind == Audience.COHORT:
            students = students.filter(cohort_year=survey.audience_cohort_year)
        ids = students.values_list("person_id", flat=True)
    return sorted(set(ids))


def survey_open(*, actor: Any, survey: Survey) -> Survey:
    """Open a draft survey: freeze its questions and invite its audience as it is today."""
    policy.require(actor, Action.CHANGE, survey)
    today = timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != SurveyStatus.DRAFT:
            raise ValidationError(_("Only a draft survey can be opened."))
        if survey.closes_on < today:
            raise ValidationError({"closes_on": _("The closing date is in the past: choose a later one first.")})
        if not survey.questions.exists():
            raise ValidationError(_("Add at least one question before opening the survey."))
        survey.full_clean()
        people = audience_person_ids(survey)
        if not people:
            raise ValidationError({"audience": _("Nobody is in this audience: nobody would be invited.")})
        Invitation.objects.bulk_create(
            [Invitation(survey=survey, person_id=pk, anonymous=survey.anonymous) for pk in people], batch_size=2000
        )
        survey = audited_update(
            actor=actor,
            instance=survey,
            data={"status": SurveyStatus.OPEN, "invited_count": len(people), "answered_count": 0},
        )
    return survey


def survey_close(*, actor: Any, survey: Survey) -> Survey:
    """Close an open survey: no more answers are taken."""
    policy.require(actor, Action.CHANGE, survey)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != SurveyStatus.OPEN:
            raise ValidationError(_("Only an open survey can be closed."))
        if survey.anonymous:
            _scramble(survey)
        return audited_update(actor=actor, instance=survey, data={"status": SurveyStatus.CLOSED})


def _scramble(survey: Survey) -> None:
    """
    Rewrite an anonymous survey's responses in random order and touch its invitations.

    Rows are stored in the order they were written, and PostgreSQL stamps each row with
    its writing transaction: both would let someone reading the database files pair a
    response with the invitation answered in the same transaction. Rewriting both in the
    closing transaction leaves one order and one stamp for all.
    """
    responses = list(Response.objects.filter(survey=survey))
    answers = list(Answer.objects.filter(response__survey=survey))
    if not responses:
        return
    shuffle = random.SystemRandom().shuffle
    shuffle(responses)
    shuffle(answers)
    Answer.objects.filter(response__survey=survey).delete()
    Response.objects.filter(survey=survey).delete()
    Response.objects.bulk_create(responses, batch_size=1000)
    Answer.objects.bulk_create(answers, batch_size=2000)
    Invitation.objects.filter(survey=survey).update(answered=F("answered"))


# --- questions -------------------------------------------------------------------------------------


def _require_draft(survey: Survey) -> None:
    if not survey.is_draft:
        raise ValidationError(
            _("The questions cannot change once the survey has been opened: answers may exist already.")
        )


def _clean_options(options: Any) -> list[str]:
    if options is None:
        return []
    if isinstance(options, str):
        return [line.strip() for line in options.splitlines() if line.strip()]
    return list(options)


def question_create(
    *,
    actor: Any,
    survey: Survey,
    text: str,
    kind: str = QuestionKind.RATING,
    required: bool = True,
    options: Iterable[str] | str | None = None,
) -> Question:
    """Add a question at the end of a draft survey."""
    question = Question(survey=survey, text=(text or "").strip(), kind=kind, required=required)
    question.options = _clean_options(options)
    if not policy.can_add(actor, question) or not policy.can(actor, Action.CHANGE, survey):
        raise PermissionDenied
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _require_draft(survey)
        last = survey.questions.aggregate(last=Max("position"))["last"]
        question.position = 1 if last is None else last + 1
        return audited_create(actor=actor, instance=question)


def question_update(*, actor: Any, question: Question, data: Mapping[str, Any]) -> Question:
    """Change a question of a draft survey."""
    policy.require(actor, Action.CHANGE, question)
    data = _only(data, QUESTION_FIELDS)
    if "options" in data:
        data["options"] = _clean_options(data["options"])
    with transaction.atomic():
        _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
        return audited_update(actor=actor, instance=question, data=data)


def question_delete(*, actor: Any, question: Question) -> None:
    """Delete a question of a draft survey."""
    policy.require(actor, Action.DELETE, question)
    with transaction.atomic():
        _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
        audited_delete(actor=actor, instance=question)


def question_move(*, actor: Any, question: Question, offset: int) -> Question:
    """Move a question of a draft survey ``offset`` places up (negative) or down, renumbering the survey's."""
    policy.require(actor, Action.CHANGE, question)
    with transaction.atomic():
        _require_draft(Survey.objects.select_for_update().get(pk=question.survey_id))
        ordered = list(Question.objects.filter(survey_id=question.survey_id).order_by("position", "pk"))
        index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
        target = max(0, min(len(ordered) - 1, index + offset))
        ordered.insert(target, ordered.pop(index))
        for position, row in enumerate(ordered, start=1):
            if row.position != position:
                audited_update(actor=actor, instance=row, data={"position": position})
    return Question.objects.get(pk=question.pk)


# --- answering -------------------------------------------------------------------------------------


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _option_index(question: Question, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, str) and value.strip() in question.options:
        return question.options.index(value.strip())
    index = int(value)
    if not 0 <= index < len(question.options):
        raise ValueError
    return index


def clean_answers(survey: Survey, answers: Mapping[Any, Any]) -> list[Answer]:
    """
    Check ``answers`` (question id → value) against the survey's questions; return unsaved ``Answer`` rows.

    A rating is a whole number from 1 to 5; a single choice the option's index (from 0) or text;
    a multiple choice a list of those; a free text a string. Raise a ``ValidationError``
    naming each faulty question as ``question_<id>``.
    """
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": _("Give the answers as question → value.")})
    questions = {q.pk: q for q in survey.questions.all()}
    given: dict[int, Any] = {}
    errors: dict[str, str] = {}
    for key, value in answers.items():
        try:
            qid = int(str(key).removeprefix("question_"))
        except ValueError:
            qid = None
        if qid not in questions:
            errors["answers"] = _("An answer names a question that is not in this survey.")
            continue
        given[qid] = value
    rows: list[Answer] = []
    for qid, question in questions.items():
        value = given.get(qid)
        name = f"question_{qid}"
        if _is_blank(value):
            if question.required:
                errors[name] = _("This question needs an answer.")
            continue
        answer = Answer(question=question)
        try:
            if question.kind == QuestionKind.RATING:
                if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
                    raise ValueError
                rating = int(value)
                if not RATING_MIN <= rating <= RATING_MAX:
                    raise ValueError
                answer.rating = rating
            elif question.kind == QuestionKind.SINGLE:
                if isinstance(value, list):
                    if len(value) != 1:
                        raise ValueError
                    value = value[0]
                answer.choices = [_option_index(question, value)]
            elif question.kind == QuestionKind.MULTIPLE:
                values = value if isinstance(value, list) else [value]
                answer.choices = sorted({_option_index(question, v) for v in values})
            else:
                if not isinstance(value, str):
                    raise ValueError
                if len(value) > MAX_TEXT_ANSWER:
                    errors[name] = _("Keep the answer under 5000 characters.")
                    continue
                answer.text = value.strip()
        except (TypeError, ValueError):
            if question.kind == QuestionKind.RATING:
                errors[name] = _("Give a rating from 1 to 5.")
            elif question.kind in CHOICE_KINDS:
                errors[name] = _("Choose among the question's options.")
            else:
                errors[name] = _("Give the answer as text.")
            continue
        rows.append(answer)
    if errors:
        raise ValidationError(errors)
    return rows


def _refuse_unless_open(survey: Survey, today: datetime.date) -> None:
    if survey.status == SurveyStatus.DRAFT:
        raise ValidationError(_("This survey is not open yet."))
    if survey.status == SurveyStatus.CLOSED or today > survey.closes_on:
        raise ValidationError(_("This survey is closed: answers are no longer taken."))
    if today < survey.opens_on:
        raise ValidationError(_("This survey opens on %(date)s.") % {"date": survey.opens_on.isoformat()})


def survey_answer(*, actor: Any, survey: Survey, answers: Mapping[Any, Any]) -> None:
    """
    Record the acting person's answers to ``survey`` they are invited to, once.

    Returns nothing on purpose: the caller of an anonymous survey must not hold the
    response's key either.
    """
    actor_ = policy.actor_for(actor)
    if not actor_.person_id:
        raise PermissionDenied
    invitation = Invitation.objects.filter(survey_id=survey.pk, person_id=actor_.person_id).first()
    if invitation is None:
        raise PermissionDenied
    submit_answers(actor=actor, invitation=invitation, answers=answers)


def submit_answers(
    *, actor: Any, invitation: Invitation, answers: Mapping[Any, Any], today: datetime.date | None = None
) -> None:
    """Store the answers of ``invitation``'s person (the demo passes ``today`` to date its past answers)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
        _refuse_unless_open(survey, today)
        rows = clean_answers(survey, answers)
        # Marked answered first and conditionally: a second submission (two taps, two tabs) finds it done.
        marked = Invitation.objects.filter(pk=invitation.pk, answered=False).update(
            answered=True, answered_on=None if survey.anonymous else today
        )
        if not marked:
            raise ValidationError(_("You have already answered this survey."))
        response = Response.objects.create(survey=survey, submitted_on=_month(today) if survey.anonymous else today)
        for row in rows:
            row.response = response
        Answer.objects.bulk_create(rows)
        Survey.objects.filter(pk=survey.pk).update(answered_count=F("answered_count") + 1)
        invitation.answered = True
        if survey.anonymous:
            # The event says that the person answered, and nothing of what or which response; and it belongs to
            # no park or organisation, so only the respondent reads it (not even when, to pair with the results).
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=invitation,
                changes={"answered": [False, True]},
                owner=(None, None),
            )
        else:
            Invitation.objects.filter(pk=invitation.pk).update(response=response)
            invitation.answered_on, invitation.response = today, response
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                instance=invitation,
                changes={"answered": [False, True], "response_id": [None, str(response.pk)]},
            )
