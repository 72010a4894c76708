"""The careers app's shared parts: notifications, the public-read rule, the admin, m2m in the audit trail."""

import pytest
from django.core import mail
from django.utils import translation

from iepark.careers import notifications
from iepark.careers.choices import ApplicationStatus, NotificationKind, VettingStatus
from iepark.careers.models import Notification, Posting
from iepark.careers.notifications import notify, render_text, unread_count
from iepark.careers.testing import make_posting
from iepark.core import audit, policy
from iepark.core.models import AuditEvent


def test_notification_text_follows_the_readers_language(world):
    params = {"posting": "化工操作工", "status": ApplicationStatus.SCREENED}
    with translation.override("en"):
        english = render_text(NotificationKind.APPLICATION_MOVED, params)
    with translation.override("zh-hans"):
        chinese = render_text(NotificationKind.APPLICATION_MOVED, params)
    assert "Screened" in english and "化工操作工" in english
    assert chinese != english and "Screened" not in chinese


def test_other_apps_register_their_own_kinds(world):
    from django.utils.translation import gettext_lazy

    kind = "testapp.thing_happened"
    notifications.register_texts({kind: gettext_lazy("%(thing)s happened.")})
    try:
        with pytest.raises(ValueError):
            notifications.register_texts({kind: gettext_lazy("again")})
        [note] = notify([world.users["student_a"]], kind, {"thing": "X"}, "/x/")
        assert Notification.objects.get(pk=note.pk).text == "X happened."
    finally:
        notifications.TEXTS.pop(kind)


def test_missing_parameters_do_not_break_a_page(world):
    assert render_text(NotificationKind.OFFER_MADE, {}) is not None


def test_notify_stores_one_message_per_user_and_mails_after_commit(world, django_capture_on_commit_callbacks):
    student = world.persons["student_a"]
    student.email = "student.a@example.cn"
    student.language = "en"
    student.save()
    with django_capture_on_commit_callbacks(execute=True):
        notes = notify(
            [world.student_a, world.student_a, None, world.hr_e1],
            NotificationKind.APPLICATION_MOVED,
            {"posting": "Operator", "status": ApplicationStatus.INTERVIEW},
            url="/applications/1/",
        )
    assert len(notes) == 2
    assert unread_count(world.student_a) == 1
    # Only the student has an address; the mail is in their language, with the link.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["student.a@example.cn"]
    assert "Interview" in message.subject and message.body.endswith("/applications/1/")


def test_notifications_are_private_to_their_recipient(world):
    notify([world.student_a], NotificationKind.ROUND_PUBLISHED, {"round": "2026"})
    assert policy.restrict(Notification.objects.all(), world.student_a).count() == 1
    assert policy.restrict(Notification.objects.all(), world.student_b).count() == 0
    assert policy.restrict(Notification.objects.all(), world.park_admin).count() == 0


def test_public_rule_shows_only_vetted_public_postings_of_vetted_employers(world):
    shown = make_posting(world, title="公开岗位")
    draft = make_posting(world, title="草稿", status=VettingStatus.SUBMITTED)
    private = make_posting(world, title="内部", is_public=False)
    unvetted_employer = make_posting(
        world, world.enterprise_2, title="未审核企业", employer_status=VettingStatus.SUBMITTED
    )
    public_ids = set(policy.public(Posting.objects.all()).values_list("pk", flat=True))
    assert shown.pk in public_ids
    assert not public_ids & {draft.pk, private.pk, unvetted_employer.pk}


def test_many_to_many_changes_are_audited(world):
    posting = make_posting(world)
    with translation.override("en"):
        from iepark.core.models import Major

        other = Major.objects.create(park=world.park, code="430201", name="电厂热能动力装置", name_en="Power plant")
    audit.audited_update(actor=world.hr_e1, instance=posting, data={"majors": [world.major, other]})
    event = AuditEvent.objects.filter(object_type="careers.posting", action="update").get()
    assert event.changes["majors"] == [[world.major.pk], sorted([world.major.pk, other.pk])]


def test_history_and_audit_log_name_many_to_many_changes(world, browser_client):
    from iepark.core.models import Major

    posting = make_posting(world)
    other = Major.objects.create(park=world.park, code="430201", name="电厂热能动力装置", name_en="Power plant")
    audit.audited_update(actor=world.hr_e1, instance=posting, data={"majors": [world.major, other]})
    client = browser_client(world.hr_e1)
    for url in (f"/postings/{posting.pk}/history/", "/audit/"):
        body = client.get(url).content.decode()
        assert "电厂热能动力装置" in body, url


def test_admin_reads_careers_rows_through_the_policy(world, client):
    make_posting(world, title="E1 岗位")
    # Another enterprise's posting awaiting vetting is not for E1's eyes (an approved one would be).
    make_posting(world, world.enterprise_2, title="E2 岗位", status=VettingStatus.SUBMITTED)
    hr = world.hr_e1
    hr.is_staff = True
    hr.save()
    client.force_login(hr, backend="django.contrib.auth.backends.ModelBackend")
    body = client.get("/django-admin/careers/posting/").content.decode()
    assert "E1 岗位" in body and "E2 岗位" not in body
    assert client.get("/django-admin/careers/posting/add/").status_code == 403


def test_home_page_counts_what_each_role_has_waiting(world, browser_client):
    from iepark.careers.testing import make_application

    posting = make_posting(world)
    make_posting(world, title="待审核", status=VettingStatus.SUBMITTED)
    make_application(posting, world.a_student)
    with translation.override("en"):
        student_home = browser_client(world.student_a).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        hr_home = browser_client(world.hr_e2).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        vetter_home = browser_client(world.users["committee"]).get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = 'stat-card h-100 text-decoration-none" href="{}"'.format
    assert card("/open-postings/") in student_home and "Open postings" in student_home
    assert card("/applications/") in hr_home and card("/open-postings/") not in hr_home
    assert "Postings awaiting vetting" in vetter_home


def test_home_card_counts_are_scoped(world):
    from iepark.careers.home import _open_applications
    from iepark.careers.testing import make_application

    make_application(make_posting(world), world.a_student)
    assert _open_applications(user=world.hr_e1).count() == 1
    assert _open_applications(user=world.hr_e2).count() == 0


def test_employers_see_the_student_records_of_their_applicants_only(world, browser_client):
    from iepark.careers.testing import make_application

    make_application(make_posting(world), world.a_student)
    url = f"/students/{world.a_student.pk}/"
    assert browser_client(world.hr_e1).get(url).status_code == 200
    assert browser_client(world.mentor_e1).get(url).status_code == 200
    assert browser_client(world.hr_e2).get(url).status_code == 404
    assert browser_client(world.hr_e1).get(f"/students/{world.b_student.pk}/").status_code == 404
    # Seeing is not changing, and the numbers stay masked.
    assert browser_client(world.hr_e1).get(f"/students/{world.a_student.pk}/edit/").status_code == 403
    body = browser_client(world.hr_e1).get(url).content.decode()
    assert world.persons["student_a"].national_id not in body


def test_pages_link_only_to_what_the_reader_may_open(world, browser_client):
    from iepark.careers.testing import make_application

    make_application(make_posting(world), world.a_student)
    enterprise_link = f'href="/organisations/{world.enterprise_1.pk}/"'
    # The college sees its student's application; the enterprise is named, not linked (its page is not theirs).
    college_page = browser_client(world.college_a_admin).get("/applications/").content.decode()
    assert world.enterprise_1.name in college_page and enterprise_link not in college_page
    # The park administrator may open both.
    admin_page = browser_client(world.park_admin).get("/applications/").content.decode()
    assert enterprise_link in admin_page


def test_audit_log_links_only_objects_the_reader_may_open(world, browser_client):
    from iepark.careers.employers import services as employer_services

    make_posting(world, title="已发布")  # an approved posting, for comparison
    draft = employer_services.posting_create(
        actor=world.hr_e1,
        enterprise=world.enterprise_1,
        title="草稿岗位",
        description="尚未提交审核。",
        headcount=1,
    )
    link = f'href="/postings/{draft.pk}/"'
    # The committee reads the park's audit log, but a draft posting is the enterprise's own business.
    committee_log = browser_client(world.users["committee"]).get("/audit/").content.decode()
    assert "草稿岗位" in committee_log and link not in committee_log
    assert link in browser_client(world.hr_e1).get("/audit/").content.decode()
