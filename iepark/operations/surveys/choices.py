"""Enumerations of satisfaction surveys."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey status", "Draft")
    OPEN = "open", pgettext_lazy("survey status", "Open")
    CLOSED = "closed", pgettext_lazy("survey status", "Closed")


class ServiceArea(models.TextChoices):
    """The service a survey measures, for the satisfaction figures over time."""

    ACCOMMODATION = "accommodation", _("Accommodation")
    CATERING = "catering", _("Catering")
    MAINTENANCE = "maintenance", _("Maintenance")
    SECURITY = "security", _("Security")
    CLINIC = "clinic", _("Clinic")
    SUPERMARKET = "supermarket", _("Supermarket")
    EXPRESS = "express", _("Express delivery")
    TEACHING_FACILITIES = "teaching_facilities", _("Teaching facilities")
    GENERAL = "general", _("General")


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating (1 to 5)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
RATING_MIN, RATING_MAX = 1, 5


class Audience(models.TextChoices):
    """Who is invited when the survey opens (a snapshot of the people at that moment)."""

    ALL_STUDENTS = "all_students", _("All students of the park")
    COLLEGE_STUDENTS = "college_students", _("Students of one college")
    MAJOR = "major", _("Students of a major")
    COHORT = "cohort", _("Students of an enrolment year")
    TEACHERS = "teachers", _("Teachers")
    RESIDENTS = "residents", _("Residents of a dormitory building")


# Audiences a college may address: only its own people.
COLLEGE_AUDIENCES = frozenset({Audience.COLLEGE_STUDENTS, Audience.MAJOR, Audience.COHORT, Audience.TEACHERS})
