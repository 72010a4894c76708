"""
Models of venue booking.

A ``VenueBooking`` asks for a room of the park (a gymnasium, sports field, meeting room,
training room or classroom: ``teaching.Room``) on one date from a start to an end time, for a
purpose, a number of people and on behalf of the requester's organisation. It is pending until
an approver (the operating company's staff of the park, or the administrators of the room's owner)
approves or rejects it; approved bookings hold their room exclusively (see ``services``).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from iepark.core.models import Organisation, Park, Person
from iepark.teaching.models import Room

from .choices import BookingStatus


class VenueBooking(models.Model):
    """One request for a room at a time: pending, then approved or rejected; cancelled by its requester."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="venue_bookings", verbose_name=_("park"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="venue_bookings", verbose_name=_("room"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="venue_bookings",
        verbose_name=_("organisation"),
        help_text=_("The organisation the venue is booked for."),
    )
    requester = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venue_bookings",
        verbose_name=_("requested by"),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("number of people"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.PENDING)
    decided_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason of the decision"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason of the cancellation"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        verbose_name = _("venue booking")
        verbose_name_plural = _("venue bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="venues_booking_ends_after_start",
                violation_error_message=_("The booking must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1),
                name="venues_booking_attendees_positive",
                violation_error_message=_("A booking is for at least one person."),
            ),
        ]
        indexes = [
            models.Index(fields=["room", "date", "status"]),
            models.Index(fields=["park", "status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.room} {self.date:%Y-%m-%d} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("venuebooking_detail", args=[self.pk])

    def audit_owner(self) -> tuple[int | None, int | None]:
        return self.park_id, self.organisation_id

    @property
    def reference(self) -> str:
        return f"VB-{self.pk or 0:05d}"

    @property
    def time_label(self) -> str:
        return f"{self.start_time:%H:%M}–{self.end_time:%H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in (BookingStatus.PENDING, BookingStatus.APPROVED)
