"""Enumerations of park operations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- service points ---------------------------------------------------------------------------


class ServicePointKind(models.TextChoices):
    CANTEEN = "canteen", _("Canteen")
    SUPERMARKET = "supermarket", _("Supermarket")
    CLINIC = "clinic", _("Clinic")
    BARBER = "barber", _("Barber shop")
    EXPRESS = "express", _("Express collection point")
    BANK = "bank", _("Bank or ATM")
    PRINT_SHOP = "print_shop", _("Print shop")
    GYM = "gym", _("Gym")
    LAUNDRY = "laundry", _("Laundry")
    OTHER = "other", _("Other service")


# The Bootstrap icon shown for each kind.
SERVICE_POINT_ICONS: dict[str, str] = {
    ServicePointKind.CANTEEN: "cup-hot",
    ServicePointKind.SUPERMARKET: "basket",
    ServicePointKind.CLINIC: "heart-pulse",
    ServicePointKind.BARBER: "scissors",
    ServicePointKind.EXPRESS: "box-seam",
    ServicePointKind.BANK: "bank",
    ServicePointKind.PRINT_SHOP: "printer",
    ServicePointKind.GYM: "bicycle",
    ServicePointKind.LAUNDRY: "droplet",
    ServicePointKind.OTHER: "shop",
}


class Weekday(models.IntegerChoices):
    """Days of the week as Python numbers them (``date.weekday()``: Monday is 0)."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


# --- dormitories ------------------------------------------------------------------------------


class DormGenderPolicy(models.TextChoices):
    MIXED = "mixed", _("Rooms of either gender")
    FEMALE = "female", _("Women only")
    MALE = "male", _("Men only")


class AllocationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CheckoutCondition(models.TextChoices):
    GOOD = "good", _("Good")
    DAMAGE = "damage", _("Damage found")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the student manager")
    APPROVED = "approved", _("Approved, awaiting the move")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Moved")


# Transfer requests still in progress (one at a time per student).
OPEN_TRANSFER_STATUSES = (TransferStatus.REQUESTED, TransferStatus.APPROVED)
