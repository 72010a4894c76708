"""Tests of the core HTML pages: scoping, permissions, writes through services, i18n, query counts."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from iepark.core import selectors, services
from iepark.core.choices import JobStatus, Role
from iepark.core.forms import PersonForm
from iepark.core.models import AuditEvent, Job, Major, Membership, Organisation, Person, Student
from iepark.core.validators import mask_national_id
from iepark.testing import PASSWORD, make_national_id

PERSONAS = [
    "park_admin",
    "committee",
    "coordinator",
    "college_a_admin",
    "college_b_admin",
    "manager_a",
    "teacher_a",
    "student_a",
    "student_b",
    "hr_e1",
    "mentor_e1",
    "operator",
    "other_admin",
    "outsider",
]
LIST_PAGES = [
    "organisation_list",
    "person_list",
    "membership_list",
    "major_list",
    "student_list",
    "teacher_list",
    "auditevent_list",
]


def text(response) -> str:
    return response.content.decode()


def student_payload(world, **overrides):
    data = {
        "name": "新同学",
        "name_en": "New Student",
        "gender": "female",
        "national_id": make_national_id(300, female=True),
        "phone": "13812345678",
        "email": "new@example.com",
        "college": world.college_a.pk,
        "major": world.major.pk,
        "student_number": "A900",
        "cohort_year": 2025,
        "status": "enrolled",
    }
    data.update(overrides)
    return data


# --- sign-in, home, language -----------------------------------------------------


def test_login_page_renders_and_signs_in(world, client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in text(response) and 'name="password"' in text(response)
    response = client.post(reverse("login"), {"username": "college_a_admin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_anonymous_pages_redirect_to_login(world, client):
    for name in ["home", *LIST_PAGES]:
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


def test_lockout_page_is_shown_after_repeated_failures(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "hr_e1", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "hr_e1", "password": "wrong"})
    assert response.status_code in (403, 429)
    assert "登录失败次数过多" in text(response)  # the default language is zh-hans


def test_logout_is_a_post(world, browser_client):
    client = browser_client(world.hr_e1)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize("name", PERSONAS)
def test_home_renders_for_every_persona(world, browser_client, name):
    response = browser_client(world.users[name]).get(reverse("home"))
    assert response.status_code == 200
    assert name in text(response)


def test_home_shows_counts_and_menu_by_role(world, browser_client):
    body = text(browser_client(world.college_a_admin).get(reverse("home")))
    assert reverse("student_list") in body and reverse("organisation_list") in body
    assert reverse("auditevent_list") in body

    # A student gets their own record, not the staff lists.
    body = text(browser_client(world.student_a).get(reverse("home")))
    assert reverse("student_detail", args=[world.a_student.pk]) in body
    assert "A001" in body
    assert f'href="{reverse("organisation_list")}"' not in body
    assert f'href="{reverse("student_list")}"' not in body


def test_home_runs_a_fixed_number_of_queries(world, browser_client):
    """One count per card the reader may see (each app adds its cards), whatever the amount of data."""
    from iepark.operations.workorders.tests.factories import report

    client = browser_client(world.park_admin)
    client.get(reverse("home"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    def more(start: int, n: int) -> None:
        for i in range(start, start + n):
            report(world, title=f"Fault {i}")
            services.major_create(
                actor=world.park_admin, park=world.park, code=f"99{i}", name=f"专业{i}", name_en=f"Major {i}"
            )

    more(0, 1)  # one of each kind of row first: the recent-activity panel asks once per kind of object
    before = queries()
    more(1, 5)
    assert queries() == before
    assert before <= 40


def test_language_switch_persists_to_the_person(world, browser_client):
    client = browser_client(world.student_a)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("student_list")})
    assert response.status_code == 302 and response["Location"] == reverse("student_list")
    assert Person.objects.get(user=world.student_a).language == "en"
    assert client.session["iepark_language"] == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("home")).headers["Content-Language"] == "en"

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert Person.objects.get(user=world.student_a).language == "zh-hans"
    assert client.get(reverse("home")).headers["Content-Language"] == "zh-hans"


def test_language_switch_works_before_login_and_refuses_foreign_redirects(world, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("login")).headers["Content-Language"] == "en"
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


# --- lists: scope, filters, buttons, query counts -------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_list_pages_render_for_every_persona(world, browser_client, name):
    client = browser_client(world.users[name])
    for page in LIST_PAGES:
        assert client.get(reverse(page)).status_code == 200, page


def test_list_shows_only_scoped_rows(world, browser_client):
    body = text(browser_client(world.college_a_admin).get(reverse("student_list")))
    assert reverse("student_detail", args=[world.a_student.pk]) in body
    assert reverse("student_detail", args=[world.b_student.pk]) not in body

    body = text(browser_client(world.college_b_admin).get(reverse("student_list")))
    assert reverse("student_detail", args=[world.b_student.pk]) in body
    assert reverse("student_detail", args=[world.a_student.pk]) not in body


def test_filter_choices_offer_only_visible_rows(world, browser_client):
    body = text(browser_client(world.college_a_admin).get(reverse("student_list")))
    assert f'value="{world.college_a.pk}"' in body
    assert f'value="{world.college_b.pk}"' not in body


def test_list_filters_search_and_sorts(world, browser_client):
    client = browser_client(world.park_admin)
    body = text(client.get(reverse("student_list"), {"college": world.college_b.pk}))
    assert "B001" in body and "A001" not in body
    body = text(client.get(reverse("student_list"), {"q": "A00"}))
    assert "A001" in body and "B001" not in body
    body = text(client.get(reverse("student_list"), {"sort": "-student_number"}))
    assert body.index("B001") < body.index("A001")
    body = text(client.get(reverse("student_list"), {"sort": "student_number"}))
    assert body.index("A001") < body.index("B001")


def test_htmx_list_request_returns_only_the_table(world, browser_client):
    client = browser_client(world.park_admin)
    response = client.get(reverse("student_list"), headers={"HX-Request": "true", "HX-Target": "object-table"})
    assert response.status_code == 200
    assert "<html" not in text(response) and "<table" in text(response)
    assert "HX-Request" in response.headers["Vary"]


def test_add_button_only_for_who_may_add(world, browser_client):
    create = reverse("organisation_create")
    assert create in text(browser_client(world.park_admin).get(reverse("organisation_list")))
    assert create not in text(browser_client(world.users["committee"]).get(reverse("organisation_list")))


def test_personal_data_is_masked_for_roles_that_do_not_need_it(world, browser_client):
    national_id = world.persons["student_a"].national_id
    body = text(browser_client(world.users["committee"]).get(reverse("student_list")))
    assert national_id not in body and mask_national_id(national_id) in body
    body = text(browser_client(world.users["committee"]).get(reverse("student_detail", args=[world.a_student.pk])))
    assert national_id not in body
    body = text(browser_client(world.college_a_admin).get(reverse("student_list")))
    assert national_id in body


def _make_students(world, count: int, start: int) -> None:
    for i in range(count):
        services.student_create(
            actor=world.park_admin,
            person_fields={"name": f"学生{start + i}", "national_id": make_national_id(start + i)},
            college=world.college_a,
            major=world.major,
            student_number=f"Q{start + i:04d}",
            cohort_year=2024,
        )


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_pages_run_a_fixed_number_of_queries(world, browser_client, page):
    client = browser_client(world.college_a_admin)
    client.get(reverse(page))  # warm the session and content types

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(page)).status_code == 200
        return len(ctx.captured_queries)

    _make_students(world, 5, 100)
    small = count()
    _make_students(world, 25, 200)
    assert count() == small


# --- detail, history ------------------------------------------------------------------


def test_detail_of_another_partys_object_is_404(world, browser_client):
    client = browser_client(world.college_a_admin)
    assert client.get(reverse("student_detail", args=[world.b_student.pk])).status_code == 404
    assert client.get(reverse("student_history", args=[world.b_student.pk])).status_code == 404
    assert client.get(reverse("student_edit", args=[world.b_student.pk])).status_code == 404
    assert client.get(reverse("student_delete", args=[world.b_student.pk])).status_code == 404
    assert client.get(reverse("organisation_detail", args=[world.enterprise_1.pk])).status_code == 404
    assert client.get(reverse("student_detail", args=[world.a_student.pk])).status_code == 200


def test_detail_buttons_follow_the_policy(world, browser_client):
    url = reverse("student_detail", args=[world.a_student.pk])
    edit = reverse("student_edit", args=[world.a_student.pk])
    delete = reverse("student_delete", args=[world.a_student.pk])
    body = text(browser_client(world.college_a_admin).get(url))
    assert edit in body and delete in body
    body = text(browser_client(world.manager_a).get(url))
    assert edit in body and delete not in body
    body = text(browser_client(world.users["committee"]).get(url))
    assert edit not in body and delete not in body


def test_history_lists_changes_before_and_after(world, browser_client):
    services.major_update(actor=world.park_admin, major=world.major, data={"name_en": "Coal chemistry"})
    body = text(browser_client(world.student_a).get(reverse("major_history", args=[world.major.pk])))
    assert "Coal chemical technology" in body and "Coal chemistry" in body
    assert "park_admin" in body


# --- edit -------------------------------------------------------------------------------


def test_edit_of_visible_but_read_only_object_is_403(world, browser_client):
    client = browser_client(world.users["committee"])
    url = reverse("student_edit", args=[world.a_student.pk])
    assert client.get(url).status_code == 403
    before = AuditEvent.objects.count()
    assert client.post(url, student_payload(world, student_number="A001")).status_code == 403
    assert AuditEvent.objects.count() == before
    assert client.get(reverse("student_create")).status_code == 403
    assert client.get(reverse("student_delete", args=[world.a_student.pk])).status_code == 403


def test_create_through_the_page_writes_an_audit_event(world, browser_client):
    client = browser_client(world.college_a_admin)
    assert client.get(reverse("student_create")).status_code == 200
    response = client.post(reverse("student_create"), student_payload(world))
    student = Student.objects.get(student_number="A900")
    assert response.status_code == 302 and response["Location"] == reverse("student_detail", args=[student.pk])
    assert student.person.name == "新同学" and student.college == world.college_a
    assert AuditEvent.objects.filter(
        action="create", object_type="core.student", object_id=str(student.pk), actor=world.college_a_admin
    ).exists()
    assert Membership.objects.filter(person=student.person, role=Role.STUDENT, organisation=world.college_a).exists()


def test_bad_form_shows_the_translated_error_and_writes_nothing(world, browser_client):
    client = browser_client(world.college_a_admin)
    bad_id = make_national_id(301)[:-1] + ("0" if make_national_id(301)[-1] != "0" else "1")
    before = (AuditEvent.objects.count(), Person.objects.count(), Student.objects.count())
    for language in ("zh-hans", "en"):
        client.post(reverse("set_language"), {"language": language})
        response = client.post(reverse("student_create"), student_payload(world, national_id=bad_id))
        assert response.status_code == 200
        with translation.override(language):
            from django.utils.translation import gettext

            assert escape(gettext("The ID number's check digit is wrong.")) in text(response)
    after_language_switches = AuditEvent.objects.count() - before[0]  # each switch audits the person
    assert (AuditEvent.objects.count() - after_language_switches, Person.objects.count(), Student.objects.count()) == (
        before
    )


def test_service_validation_error_comes_back_onto_the_form(world, browser_client):
    # The student number is unique per college: the service refuses, the page shows why.
    client = browser_client(world.college_a_admin)
    before = AuditEvent.objects.count()
    response = client.post(reverse("student_create"), student_payload(world, student_number="A001"))
    assert response.status_code == 200
    assert "is-invalid" in text(response) or "alert-danger" in text(response)
    assert AuditEvent.objects.count() == before
    # A national ID held by someone else is refused by the person's validation.
    response = client.post(
        reverse("student_create"), student_payload(world, national_id=world.persons["student_b"].national_id)
    )
    assert response.status_code == 200
    assert AuditEvent.objects.count() == before


def test_update_through_the_page_records_before_and_after(world, browser_client):
    client = browser_client(world.park_admin)
    url = reverse("organisation_edit", args=[world.college_a.pk])
    assert client.get(url).status_code == 200
    data = {
        "kind": world.college_a.kind,
        "name": world.college_a.name,
        "name_en": "College Alpha",
        "uscc": world.college_a.uscc,
        "industry": "",
        "address": "",
        "phone": "",
        "website": "",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="update", object_type="core.organisation").first()
    assert event is not None and event.changes["name_en"] == ["College A", "College Alpha"]


def test_college_admin_cannot_change_own_organisations_kind(world, browser_client):
    client = browser_client(world.college_a_admin)
    url = reverse("organisation_edit", args=[world.college_a.pk])
    data = {"kind": "enterprise", "name": world.college_a.name, "name_en": "A", "uscc": world.college_a.uscc}
    assert client.post(url, data).status_code == 302
    world.college_a.refresh_from_db()
    assert world.college_a.kind == "cooperative_college" and world.college_a.name_en == "A"


def test_student_update_through_the_page(world, browser_client):
    client = browser_client(world.manager_a)
    url = reverse("student_edit", args=[world.a_student.pk])
    person = world.persons["student_a"]
    payload = student_payload(
        world, name=person.name, national_id=person.national_id, phone=person.phone, student_number="A001"
    )
    payload["status"] = "in_park"
    assert client.post(url, payload).status_code == 302
    world.a_student.refresh_from_db()
    assert world.a_student.status == "in_park"
    assert AuditEvent.objects.filter(object_type="core.student", action="update").exists()


def test_fk_choices_on_forms_are_scoped(world, browser_client):
    body = text(browser_client(world.college_a_admin).get(reverse("student_create")))
    assert f'value="{world.college_a.pk}"' in body
    assert f'value="{world.college_b.pk}"' not in body
    assert f'value="{world.other_major.pk}"' not in body


def test_hidden_personal_data_is_not_prefilled_and_kept_when_blank(world):
    person = selectors.person_list(user=world.park_admin).get(pk=world.persons["teacher_a"].pk)
    person.pii_visible = False
    form = PersonForm(instance=person, user=world.park_admin)
    assert form["national_id"].value() in ("", None)
    assert person.national_id not in str(form["national_id"])
    assert mask_national_id(person.national_id) in str(form["national_id"])

    data = {"name": "改名", "name_en": person.name_en, "national_id": "", "phone": "", "email": ""}
    form = PersonForm(data, instance=person, user=world.park_admin)
    assert form.is_valid(), form.errors
    assert "national_id" not in form.service_data() and "phone" not in form.service_data()
    fresh = Person.objects.get(pk=person.pk)
    services.person_update(actor=world.park_admin, person=fresh, data=form.service_data())
    fresh.refresh_from_db()
    assert fresh.name == "改名" and fresh.national_id == world.persons["teacher_a"].national_id


# --- delete -------------------------------------------------------------------------------


def test_delete_with_dependent_rows_is_refused_and_nothing_deleted(world, browser_client):
    client = browser_client(world.park_admin)
    url = reverse("organisation_delete", args=[world.college_a.pk])
    assert client.get(url).status_code == 200
    before = AuditEvent.objects.count()
    response = client.post(url, follow=True)
    assert Organisation.objects.filter(pk=world.college_a.pk).exists()
    assert AuditEvent.objects.count() == before
    assert "该单位仍有任职人员" in text(response)  # the default language is zh-hans
    assert response.redirect_chain[-1][0] == reverse("organisation_detail", args=[world.college_a.pk])


def test_delete_through_the_page(world, browser_client):
    org = services.organisation_create(
        actor=world.park_admin, park=world.park, kind="operator", name="临时运营", name_en="Temp"
    )
    client = browser_client(world.park_admin)
    response = client.post(reverse("organisation_delete", args=[org.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("organisation_list")
    assert not Organisation.objects.filter(pk=org.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_type="core.organisation", object_id=str(org.pk)).exists()


# --- people: memberships and login accounts ----------------------------------------------


def test_person_detail_adds_and_ends_memberships(world, browser_client):
    person = world.persons["teacher_a"]
    client = browser_client(world.college_a_admin)
    body = text(client.get(reverse("person_detail", args=[person.pk])))
    assert reverse("membership_create") in body

    response = client.post(
        reverse("membership_create") + f"?person={person.pk}",
        {
            "person": person.pk,
            "organisation": world.college_a.pk,
            "role": Role.STUDENT_MANAGER,
            "title": "辅导员",
            "start_date": "2025-09-01",
            "return_url": reverse("person_detail", args=[person.pk]),
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("person_detail", args=[person.pk])
    membership = Membership.objects.get(person=person, role=Role.STUDENT_MANAGER)

    response = client.post(reverse("membership_end", args=[membership.pk]))
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date is not None
    assert AuditEvent.objects.filter(object_type="core.membership", object_id=str(membership.pk)).count() == 2


def test_membership_cannot_grant_park_level_roles_without_being_park_admin(world, browser_client):
    client = browser_client(world.college_a_admin)
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("membership_create"),
        {
            "person": world.persons["teacher_a"].pk,
            "organisation": world.college_a.pk,
            "role": Role.PARK_ADMIN,
            "start_date": "2025-09-01",
        },
    )
    assert response.status_code in (200, 403)
    assert AuditEvent.objects.count() == before


def test_login_account_section_is_for_those_who_may_change_the_person(world, browser_client):
    person = world.persons["teacher_a"]
    url = reverse("person_detail", args=[person.pk])
    login_url = reverse("person_login", args=[person.pk])
    assert login_url in text(browser_client(world.park_admin).get(url))
    assert login_url in text(browser_client(world.college_a_admin).get(url))  # their own college's teacher
    assert login_url not in text(browser_client(world.users["committee"]).get(url))  # read-only
    response = browser_client(world.users["committee"]).post(login_url, {"username": "x1"})
    assert response.status_code == 403


def test_park_admin_sets_a_login_account(world, browser_client):
    person = Person.objects.create(park=world.park, name="无账号")
    client = browser_client(world.park_admin)
    response = client.post(
        reverse("person_login", args=[person.pk]),
        {"username": "new.login", "password": "Long-enough-pass-42", "password_again": "Long-enough-pass-42"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and person.user.username == "new.login"
    assert person.user.check_password("Long-enough-pass-42")

    # A taken username comes back as an error message, nothing changes.
    response = client.post(
        reverse("person_login", args=[person.pk]),
        {"username": "hr_e1", "password": "", "password_again": ""},
        follow=True,
    )
    person.refresh_from_db()
    assert person.user.username == "new.login"
    assert "alert-danger" in text(response)


# --- audit log and jobs -----------------------------------------------------------------


def test_audit_log_is_scoped_and_filtered(world, browser_client):
    services.major_update(actor=world.park_admin, major=world.major, data={"name_en": "Coal chemistry"})
    services.major_update(actor=world.other_admin, major=world.other_major, data={"name_en": "Other chem"})
    body = text(browser_client(world.park_admin).get(reverse("auditevent_list")))
    assert "Coal chemistry" in body and "Other chem" not in body
    body = text(browser_client(world.park_admin).get(reverse("auditevent_list"), {"action": "delete"}))
    assert "Coal chemistry" not in body


def test_job_page_polls_while_running_and_cancels(world, browser_client):
    job = Job.objects.create(
        kind="demo", created_by=world.college_a_admin, status=JobStatus.RUNNING, progress=3, total=10, message="Row 3"
    )
    client = browser_client(world.college_a_admin)
    response = client.get(reverse("job_detail", args=[job.pk]))
    assert response.status_code == 200
    body = text(response)
    assert "30%" in body and "Row 3" in body and 'hx-trigger="every 1s"' in body
    assert reverse("job_cancel", args=[job.pk]) in body

    partial = client.get(reverse("job_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "<html" not in text(partial) and 'id="job-progress"' in text(partial)

    assert browser_client(world.college_b_admin).get(reverse("job_detail", args=[job.pk])).status_code == 404
    assert browser_client(world.college_b_admin).post(reverse("job_cancel", args=[job.pk])).status_code == 404

    response = client.post(reverse("job_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.cancel_requested

    Job.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED)
    body = text(client.get(reverse("job_detail", args=[job.pk])))
    assert 'hx-trigger="every 1s"' not in body and reverse("job_cancel", args=[job.pk]) not in body


def _sample(world, model: str):
    return {
        "organisation": world.college_a,
        "person": world.persons["teacher_a"],
        "membership": Membership.objects.filter(person=world.persons["teacher_a"]).first(),
        "major": world.major,
        "student": world.a_student,
        "teacher": world.a_teacher,
    }[model]


@pytest.mark.parametrize("model", ["organisation", "person", "membership", "major", "student", "teacher"])
def test_every_object_page_renders_for_a_park_admin(world, browser_client, model):
    client = browser_client(world.park_admin)
    obj = _sample(world, model)
    assert client.get(reverse(f"{model}_list")).status_code == 200
    assert client.get(reverse(f"{model}_create")).status_code == 200
    for page in ("detail", "history", "edit", "delete"):
        assert client.get(reverse(f"{model}_{page}", args=[obj.pk])).status_code == 200, page


def test_teacher_and_major_are_created_through_their_pages(world, browser_client):
    client = browser_client(world.college_a_admin)
    response = client.post(
        reverse("teacher_create"),
        {
            "name": "新老师",
            "national_id": make_national_id(310),
            "organisation": world.college_a.pk,
            "staff_number": "T900",
            "professional_title": "讲师",
            "major": world.major.pk,
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="core.teacher", action="create", actor=world.college_a_admin).exists()

    client = browser_client(world.coordinator)
    response = client.post(
        reverse("major_create"), {"park": world.park.pk, "code": "460301", "name": "电力", "name_en": "Power"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(object_type="core.major", action="create", actor=world.coordinator).exists()


def test_history_names_related_rows_the_reader_may_see(world, browser_client):
    from iepark.core import services as core_services

    student = world.a_student
    core_services.student_update(actor=world.park_admin, student=student, data={"major": world.major})
    other_major = Major.objects.create(park=world.park, code="520301", name="煤矿开采技术", name_en="Coal mining")
    core_services.student_update(actor=world.park_admin, student=student, data={"major": other_major})
    page = text(browser_client(world.college_a_admin).get(reverse("student_history", args=[student.pk])))
    assert "煤矿开采技术" in page and "煤化工技术" in page
    assert f"#{other_major.pk}" not in page


def test_a_cell_linked_to_its_row_names_a_related_object_without_a_nested_link(world):
    from iepark.core.models import Membership
    from iepark.core.tables import Column

    membership = Membership.objects.filter(person__user=world.park_admin).first()
    column = Column("person", linkify=True)
    column.model = Membership
    html = str(column.render(membership))
    assert html.count("<a ") == 1
    assert reverse("membership_detail", args=[membership.pk]) in html
    assert membership.person.name in html


def test_edit_pages_that_do_one_job_send_the_other_elsewhere(world, browser_client):
    """``ObjectEditView.only``: a create-only page has no edit URL, an update-only page no add URL."""
    operator = browser_client(world.users["operator"])
    assert operator.get("/safety/findings/add/").status_code == 404
    assert operator.post("/safety/findings/add/", {}).status_code == 404
    assert operator.get("/allocation-runs/1/edit/").status_code == 404
