"""
Notifications: an in-app message and an e-mail to each recipient, sent by the services.

``notify(recipients, kind, params, url)`` stores one ``Notification`` per user
and, once the transaction commits, e-mails those with an address through
Django's mail backend, in the recipient's own language. The text is kept as
``kind`` + ``params`` and rendered when read, so each reader sees it in the
language they use at that moment.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus, NotificationKind, OfferStatus, VettingStatus
from .models import Notification

logger = logging.getLogger(__name__)

TEXTS: dict[str, Any] = {
    NotificationKind.POSTING_SUBMITTED: _("%(enterprise)s submitted the posting “%(posting)s” for vetting."),
    NotificationKind.POSTING_VETTED: _("Your posting “%(posting)s” was vetted: %(status)s."),
    NotificationKind.EMPLOYER_SUBMITTED: _("%(enterprise)s submitted its employer profile for vetting."),
    NotificationKind.EMPLOYER_VETTED: _("Your employer profile was vetted: %(status)s."),
    NotificationKind.APPLICATION_RECEIVED: _("%(student)s applied to “%(posting)s”."),
    NotificationKind.APPLICATION_MOVED: _("Your application to “%(posting)s” is now: %(status)s."),
    NotificationKind.APPLICATION_WITHDRAWN: _("%(student)s withdrew the application to “%(posting)s”."),
    NotificationKind.INTERVIEW_PROPOSED: _("%(enterprise)s proposes interview times for “%(posting)s”: choose one."),
    NotificationKind.INTERVIEW_CHOSEN: _("%(student)s chose the interview time %(time)s for “%(posting)s”."),
    NotificationKind.INTERVIEW_CANCELLED: _("%(enterprise)s cancelled the interview time %(time)s for “%(posting)s”."),
    NotificationKind.OFFER_MADE: _("%(enterprise)s offers you “%(post)s”; answer by %(deadline)s."),
    NotificationKind.OFFER_ANSWERED: _("%(student)s answered the offer for “%(post)s”: %(status)s."),
    NotificationKind.ROUND_OPENED: _("The matching round “%(round)s” is open: submit your list by %(deadline)s."),
    NotificationKind.ROUND_PUBLISHED: _("The results of the matching round “%(round)s” are published."),
    NotificationKind.CLAIM_CONFLICT: _("Sources disagree about the employment of %(student)s: please settle it."),
}

# Parameters holding a choice value, shown with the choice's label in the reader's language.
CHOICE_PARAMS = {
    NotificationKind.POSTING_VETTED: VettingStatus,
    NotificationKind.EMPLOYER_VETTED: VettingStatus,
    NotificationKind.APPLICATION_MOVED: ApplicationStatus,
    NotificationKind.OFFER_ANSWERED: OfferStatus,
}


def register_texts(texts: dict[str, Any], choice_params: dict[str, Any] | None = None) -> None:
    """
    Add another app's notification kinds: ``{kind: lazy text with %(name)s parameters}``.

    Kinds of other apps are namespaced by the app (``"workorders.assigned"``, at most 40 characters);
    ``choice_params`` maps a kind to the choices class of its ``status`` parameter.
    """
    for kind in texts:
        if len(kind) > 40 or kind in TEXTS:
            raise ValueError(f"Notification kind {kind!r} is too long or already registered.")
    TEXTS.update(texts)
    CHOICE_PARAMS.update(choice_params or {})


class _Params(dict):
    """Missing parameters render as an empty string rather than failing a whole page."""

    def __missing__(self, key: str) -> str:
        return ""


def render_text(kind: str, params: dict[str, Any]) -> str:
    """Return the notification's text in the active language."""
    values = _Params(params or {})
    choices = CHOICE_PARAMS.get(kind)
    if choices is not None and "status" in values:
        with contextlib.suppress(ValueError):
            values["status"] = str(choices(values["status"]).label)
    template = TEXTS.get(kind)
    if template is None:
        return str(kind)
    return str(template) % values


def _language_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return (getattr(person, "language", "") or settings.LANGUAGE_CODE) if person is not None else settings.LANGUAGE_CODE


def _email_of(user: Any) -> str:
    person = getattr(user, "person", None)
    return (getattr(person, "email", "") if person is not None else "") or getattr(user, "email", "")


def notify(recipients: Iterable[Any], kind: str, params: dict[str, Any], url: str = "") -> list[Notification]:
    """Notify each distinct user in ``recipients`` (None entries skipped); e-mail them after commit."""
    users = {u.pk: u for u in recipients if u is not None and getattr(u, "pk", None)}
    notes = Notification.objects.bulk_create(
        [Notification(recipient=u, kind=kind, params=params, url=url) for u in users.values()]
    )
    mails = [(u, _email_of(u)) for u in users.values()]
    mails = [(u, address) for u, address in mails if address]
    if mails:
        transaction.on_commit(lambda: _send(mails, kind, params, url))
    return notes


def _send(mails: list[tuple[Any, str]], kind: str, params: dict[str, Any], url: str) -> None:
    site = getattr(settings, "IEPARK_SITE_URL", "").rstrip("/")
    for user, address in mails:
        with translation.override(_language_of(user)):
            text = render_text(kind, params)
            body = f"{text}\n\n{site}{url}" if url else text
            subject = f"[iepark] {text}"[:150]
        try:
            send_mail(subject, body, None, [address], fail_silently=False)
        except Exception:  # noqa: BLE001 - a mail server outage must not undo the work it reports
            logger.exception("Could not e-mail notification %s to %s", kind, address)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
