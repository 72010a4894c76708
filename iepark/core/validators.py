"""Validators for Chinese identifiers: GB 11643 ID numbers and GB 32100 credit codes."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def national_id_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits of an ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def national_id_birth_date(value: str) -> datetime.date:
    """Return the birth date encoded in a national ID number (raise ValueError if invalid)."""
    return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def validate_national_id(value: str) -> None:
    """Validate an 18-character resident ID number: format, birth date and check digit."""
    value = (value or "").upper()
    if not _ID_RE.match(value):
        raise ValidationError(_("An ID number has 17 digits followed by a digit or X."), code="id_format")
    try:
        birth = national_id_birth_date(value)
    except ValueError:
        raise ValidationError(_("The birth date in the ID number is not a real date."), code="id_birth_date") from None
    if birth > datetime.date.today() or birth.year < 1900:
        raise ValidationError(_("The birth date in the ID number is out of range."), code="id_birth_date")
    if national_id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The ID number's check digit is wrong."), code="id_checksum")


def uscc_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters of a credit code."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    """Validate an 18-character unified social credit code, including its check character."""
    value = (value or "").upper()
    if not _USCC_RE.match(value):
        raise ValidationError(
            _("A unified social credit code has 18 characters from digits and capital letters (no I, O, S, V, Z)."),
            code="uscc_format",
        )
    if uscc_check_char(value[:17]) != value[17]:
        raise ValidationError(_("The unified social credit code's check character is wrong."), code="uscc_checksum")


_PHONE_RE = re.compile(r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")


def validate_phone(value: str) -> None:
    """Validate a mainland mobile number or a landline with area code."""
    if not _PHONE_RE.match((value or "").replace(" ", "")):
        raise ValidationError(
            _("Enter a mobile number (11 digits starting with 1) or a landline with area code."), code="phone"
        )


def mask_national_id(value: str) -> str:
    """Return an ID number with all but the first four and last four characters hidden."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """Return a phone number with its middle digits hidden."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
