"""
Models of satisfaction surveys.

A survey belongs to a park and an owner organisation (the operating company or
a college), has ordered questions and an audience. Opening it snapshots the
audience into one ``Invitation`` per person; answering writes a ``Response``
with its ``Answer`` rows and marks the invitation answered, in one transaction.

Anonymity is in the schema: ``Response`` and ``Answer`` have random UUID keys
and no column pointing to a person, a login or an invitation, and a response
keeps only the date it was given. Only a non-anonymous survey's invitation
points to its response (``Invitation.response``), and a check constraint keeps
that link empty on invitations of anonymous surveys.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Major, Organisation, Park, Person
from iepark.operations.models import DormBuilding, ServicePoint

from .choices import CHOICE_KINDS, COLLEGE_AUDIENCES, Audience, QuestionKind, ServiceArea, SurveyStatus


class Survey(models.Model):
    """A satisfaction survey: questions, an audience, an answering window, optionally anonymous."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("park"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("owner"),
        help_text=_("The organisation running the survey: its staff build it and see its results."),
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True, help_text=_("Shown above the questions."))
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_("Nobody, administrators included, can link an answer to the person who gave it."),
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    area = models.CharField(
        _("service area"),
        max_length=30,
        choices=ServiceArea.choices,
        default=ServiceArea.GENERAL,
        help_text=_("The rating questions count towards this service's satisfaction over time."),
    )
    service_point = models.ForeignKey(
        ServicePoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("service point"),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    audience_college = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("college of the audience"),
        help_text=_("Students or teachers of this college only (required for a college's own students)."),
    )
    audience_major = models.ForeignKey(
        Major, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("major")
    )
    audience_cohort_year = models.PositiveSmallIntegerField(_("enrolment year"), null=True, blank=True)
    audience_building = models.ForeignKey(
        DormBuilding,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dormitory building"),
    )
    invited_count = models.PositiveIntegerField(_("invited"), default=0)
    answered_count = models.PositiveIntegerField(_("answered"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="surveys_closes_after_opens",
                violation_error_message=_("The survey cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(answered_count__lte=F("invited_count")),
                name="surveys_answered_within_invited",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.owner_id

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The survey cannot close before it opens.")
        if self.owner_id and self.park_id:
            if self.owner.park_id != self.park_id:
                errors["owner"] = _("The owner must be an organisation of the survey's park.")
            elif not (self.owner.is_college or self.owner.kind == "operator"):
                errors["owner"] = _("Surveys are run by the operating company or a college.")
        if self.service_point_id and self.service_point.park_id != self.park_id:
            errors["service_point"] = _("The service point belongs to another park.")
        errors.update(self._audience_errors())
        if errors:
            raise ValidationError(errors)

    def _audience_errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        college, major, year, building = (
            self.audience_college,
            self.audience_major,
            self.audience_cohort_year,
            self.audience_building,
        )
        if college is not None and (not college.is_college or college.park_id != self.park_id):
            errors["audience_college"] = _("Choose a college of the survey's park.")
        if major is not None and major.park_id != self.park_id:
            errors["audience_major"] = _("The major belongs to another park.")
        if building is not None and building.park_id != self.park_id:
            errors["audience_building"] = _("The building belongs to another park.")
        kind = self.audience
        if kind == Audience.COLLEGE_STUDENTS and college is None:
            errors["audience_college"] = _("Choose the college whose students are invited.")
        if kind == Audience.MAJOR and major is None:
            errors["audience_major"] = _("Choose the major whose students are invited.")
        if kind == Audience.COHORT and not year:
            errors["audience_cohort_year"] = _("Give the enrolment year of the invited students.")
        if kind == Audience.RESIDENTS and building is None:
            errors["audience_building"] = _("Choose the building whose residents are invited.")
        if kind != Audience.MAJOR and major is not None:
            errors["audience_major"] = _("A major narrows only an audience of a major's students.")
        if kind != Audience.COHORT and year:
            errors["audience_cohort_year"] = _("An enrolment year narrows only an audience of one enrolment year.")
        if kind != Audience.RESIDENTS and building is not None:
            errors["audience_building"] = _("A building narrows only an audience of residents.")
        if kind in (Audience.ALL_STUDENTS, Audience.RESIDENTS) and college is not None:
            errors["audience_college"] = _("This audience is not narrowed by college.")
        if self.owner_id and self.owner.is_college and kind:
            if kind not in COLLEGE_AUDIENCES:
                errors["audience"] = _("A college surveys its own students or teachers only.")
            elif college is None or college.pk != self.owner_id:
                errors["audience_college"] = _("A college surveys its own students or teachers only.")
        return errors

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    def accepts_answers(self, today=None) -> bool:
        """Return whether answers are taken today: open, and within its dates."""
        today = today or timezone.localdate()
        return self.status == SurveyStatus.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def response_rate(self) -> float | None:
        return self.answered_count / self.invited_count if self.invited_count else None


class Question(models.Model):
    """One question of a survey, in ``position`` order; frozen once the survey opens."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("question"), max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.RATING)
    required = models.BooleanField(_("required"), default=True)
    options = models.JSONField(
        _("options"), default=list, blank=True, help_text=_("The choices of a single or multiple choice question.")
    )

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")

    def __str__(self) -> str:
        return self.text

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.survey.park_id, self.survey.owner_id

    def clean(self) -> None:
        super().clean()
        options = self.options if isinstance(self.options, list) else None
        if options is None or not all(isinstance(o, str) and o.strip() for o in options):
            raise ValidationError({"options": _("Give each option as a non-empty text.")})
        self.options = [o.strip() for o in options]
        if self.kind in CHOICE_KINDS:
            if len(self.options) < 2:
                raise ValidationError({"options": _("A choice question needs at least two options.")})
            if len(self.options) > 20:
                raise ValidationError({"options": _("A choice question has at most 20 options.")})
            if len(set(self.options)) != len(self.options):
                raise ValidationError({"options": _("Each option must be different.")})
        elif self.options:
            raise ValidationError({"options": _("Only choice questions have options.")})


class Response(models.Model):
    """
    One person's set of answers, with no link to the person.

    The key is random and only the date is kept, so neither the key's order nor a
    timestamp pairs a response with the invitation marked answered or its audit event.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey"))
    submitted_on = models.DateField(_("answered on"))

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self) -> str:
        return str(_("Response to %(survey)s") % {"survey": self.survey})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.survey.park_id, self.survey.owner_id


class Answer(models.Model):
    """The answer to one question in a response (a rating, the chosen options' indexes, or a text)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choices = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="surveys_rating_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.question)


class Invitation(models.Model):
    """A person invited when the survey opened, and whether they have answered (the response rate's basis)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("survey"))
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("person")
    )
    # Copied from the survey when it opens (frozen from then on), so the constraint below can hold.
    anonymous = models.BooleanField(_("anonymous"), default=True)
    answered = models.BooleanField(_("answered"), default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Only for surveys that are not anonymous: who gave which response.
    response = models.OneToOneField(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
        verbose_name=_("response"),
    )

    class Meta:
        ordering = ["survey", "person"]
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="surveys_one_invitation_per_person"),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(response__isnull=True), name="surveys_anonymous_has_no_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.survey}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.survey.park_id, self.survey.owner_id
