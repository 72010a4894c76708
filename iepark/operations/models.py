"""
Models of park operations.

Sections: service points (below). Dormitories, work orders, inspections and
satisfaction surveys (issue 6) are still to come and will be added here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Organisation, Park
from iepark.core.validators import validate_phone

from . import hours
from .choices import SERVICE_POINT_ICONS, ServicePointKind, Weekday


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


def _localized(obj: models.Model, name: str) -> str:
    """Return ``obj.<name>_en`` in English when filled in, else the Chinese ``obj.<name>``."""
    english = getattr(obj, f"{name}_en", "") if _in_english() else ""
    return english or getattr(obj, name, "")


# --- service points -----------------------------------------------------------------------------


class ServicePoint(models.Model):
    """A place serving everybody in the park: a canteen, the supermarket, the clinic, a barber shop..."""

    park = models.ForeignKey(Park, on_delete=models.CASCADE, related_name="service_points", verbose_name=_("park"))
    kind = models.CharField(_("kind"), max_length=20, choices=ServicePointKind.choices)
    name = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    place = models.CharField(_("place (Chinese)"), max_length=200, blank=True, help_text=_("Building, floor or area."))
    place_en = models.CharField(_("place (English)"), max_length=200, blank=True)
    hours_note = models.CharField(
        _("note on opening hours (Chinese)"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Closed during the Spring Festival holiday”."),
    )
    hours_note_en = models.CharField(_("note on opening hours (English)"), max_length=300, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[validate_phone])
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_points",
        verbose_name=_("operator"),
        help_text=_("The organisation running the service point, if it is in the park's register."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive points are hidden from the portal.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["park", "kind", "name", "pk"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [models.UniqueConstraint(fields=["park", "name"], name="operations_service_point_unique_name")]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        if self.operator_id and self.park_id and self.operator.park_id != self.park_id:
            raise ValidationError({"operator": _("The operator must be an organisation of the same park.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.operator_id

    @property
    def display_name(self) -> str:
        return _localized(self, "name")

    @property
    def display_place(self) -> str:
        return _localized(self, "place")

    @property
    def display_hours_note(self) -> str:
        return _localized(self, "hours_note")

    @property
    def icon(self) -> str:
        return SERVICE_POINT_ICONS.get(self.kind, "shop")


class OpeningPeriod(models.Model):
    """One period a service point is open on a weekday (past midnight when it closes before it opens)."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="periods", verbose_name=_("service point")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("A time before the opening time means the next day."))

    class Meta:
        ordering = ["service_point", "weekday", "opens", "pk"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.service_point.park_id, self.service_point.operator_id

    def as_period(self) -> hours.Period:
        return hours.Period(self.weekday, self.opens, self.closes)


class ServiceNotice(models.Model):
    """A dated notice of a service point ("closed for maintenance on Saturday"), optionally closing it."""

    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="notices", verbose_name=_("service point")
    )
    title = models.CharField(_("title (Chinese)"), max_length=150)
    title_en = models.CharField(_("title (English)"), max_length=150, blank=True)
    body = models.TextField(_("text (Chinese)"), blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until further notice."))
    closes_point = models.BooleanField(
        _("closed on these days"),
        default=False,
        help_text=_("The service point counts as closed all day on every day the notice is valid."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        verbose_name = _("service notice")
        verbose_name_plural = _("service notices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="operations_notice_dates_in_order",
                violation_error_message=_("The notice cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.display_title

    def clean(self) -> None:
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The notice cannot end before it starts.")})

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.service_point.park_id, self.service_point.operator_id

    @property
    def display_title(self) -> str:
        return _localized(self, "title")

    @property
    def display_body(self) -> str:
        return _localized(self, "body")

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.valid_from <= today and (self.valid_to is None or self.valid_to >= today)
