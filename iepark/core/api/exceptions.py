"""Map domain errors raised by services onto API responses."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Turn a service's ValidationError into 400 with field errors, and IntegrityError into 409."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, OverflowError | DataError):
        # A value the database cannot hold (e.g. a 30-digit id): the request is wrong, not the server.
        exc = exceptions.ValidationError({"non_field_errors": [_("A value is out of range.")]})
    elif isinstance(exc, IntegrityError):
        return Response(
            {"non_field_errors": [_("The change conflicts with existing data (a duplicate or a reference in use).")]},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
