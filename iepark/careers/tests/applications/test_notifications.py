"""Every step notifies the other side: in the app at once, by e-mail after commit, in the recipient's language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from iepark.careers import notifications
from iepark.careers.applications import services
from iepark.careers.choices import ApplicationStatus, NotificationKind
from iepark.careers.models import Notification

from .helpers import in_days, soon


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True))


def test_every_step_notifies_the_other_side(world, posting):
    student, hr = world.student_a, world.hr_e1
    application = services.application_create(actor=student, posting=posting)
    services.application_move(actor=hr, application=application, status=ApplicationStatus.SCREENED)
    first, second = services.interview_propose(
        actor=hr,
        application=application,
        slots=[{"starts_at": soon(2), "location": "A"}, {"starts_at": soon(3), "location": "B"}],
    )
    services.interview_choose(actor=student, interview=first)
    offer = services.offer_make(
        actor=hr, application=application, post="操作工", start_date=in_days(30), deadline=in_days(5)
    )
    services.offer_accept(actor=student, offer=offer)
    assert kinds(student) == [
        NotificationKind.APPLICATION_MOVED,
        NotificationKind.INTERVIEW_PROPOSED,
        NotificationKind.OFFER_MADE,
    ]
    assert kinds(hr) == [
        NotificationKind.APPLICATION_RECEIVED,
        NotificationKind.INTERVIEW_CHOSEN,
        NotificationKind.OFFER_ANSWERED,
    ]
    # Nobody else hears of it.
    assert not Notification.objects.exclude(recipient__in=[student, hr]).exists()


def test_a_withdrawal_notifies_hr(world, application):
    services.application_withdraw(actor=world.student_a, application=application)
    assert kinds(world.hr_e1) == [NotificationKind.APPLICATION_WITHDRAWN]
    assert kinds(world.student_a) == []


def test_mails_go_out_after_commit_in_each_recipients_language(
    world, emails, posting, django_capture_on_commit_callbacks, monkeypatch
):
    rendered_in: list[tuple[str, str]] = []
    original = notifications.render_text

    def spy(kind, params):
        rendered_in.append((kind, translation.get_language()))
        return original(kind, params)

    monkeypatch.setattr(notifications, "render_text", spy)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application = services.application_create(actor=world.student_a, posting=posting)
    assert mail.outbox == []  # nothing is mailed before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["hr.e1@example.cn"]]
    assert rendered_in == [(NotificationKind.APPLICATION_RECEIVED, "zh-hans")]

    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(actor=world.hr_e1, application=application, status=ApplicationStatus.SCREENED)
    message = mail.outbox[-1]
    assert message.to == ["student.a@example.cn"]
    assert rendered_in[-1] == (NotificationKind.APPLICATION_MOVED, "en")
    with translation.override("en"):
        expected = original(
            NotificationKind.APPLICATION_MOVED, {"posting": posting.title, "status": ApplicationStatus.SCREENED}
        )
    assert "Screened" in expected and message.subject == f"[iepark] {expected}"
    assert message.body.endswith(f"/applications/{application.pk}/")


def test_a_refused_step_sends_nothing(world, emails, application, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.application_move(actor=world.hr_e1, application=application, status=ApplicationStatus.ACCEPTED)
    assert mail.outbox == [] and not Notification.objects.exists()
