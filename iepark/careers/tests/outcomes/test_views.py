"""The outcome pages with the Django test client: lists and filters, workflow forms, menus."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from iepark.careers.choices import ClaimStatus, DestinationCategory, LeaveReason, RecordSource
from iepark.careers.models import EmploymentClaim, EmploymentRecord, GraduateDestination, HeadcountConfirmation
from iepark.careers.testing import make_employment
from iepark.core.models import AuditEvent

START = datetime.date(2025, 7, 1)
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return response.content.decode()


def test_record_list_filters(world, browser_client, graduate):
    current = make_employment(world.a_student, world.enterprise_1, START, via_order_class=True)
    ended = make_employment(
        graduate(name="离职毕业生"), world.enterprise_2, START, START.replace(year=2026), reason="resigned"
    )
    outside = make_employment(graduate(name="区外毕业生"), None, START, employer_name="区外公司")
    client = browser_client(world.coordinator)
    url = reverse("employmentrecord_list")
    page = text(client.get(url))
    assert all(str(r.student.person) in page for r in (current, ended, outside))
    only_current = text(client.get(url, {"current": "true"}))
    assert str(current.student.person) in only_current and "离职毕业生" not in only_current
    outside_only = text(client.get(url, {"in_zone": "false"}))
    assert "区外毕业生" in outside_only and str(current.student.person) not in outside_only
    order = text(client.get(url, {"via_order_class": "true"}))
    assert str(current.student.person) in order and "离职毕业生" not in order
    by_employer = text(client.get(url, {"employer": world.enterprise_2.pk}))
    assert "离职毕业生" in by_employer and "区外毕业生" not in by_employer


def test_record_list_for_hr_shows_its_employees_only(world, browser_client):
    make_employment(world.a_student, world.enterprise_1, START)
    make_employment(world.b_student, world.enterprise_2, START)
    page = text(browser_client(world.hr_e1).get(reverse("employmentrecord_list")))
    assert str(world.a_student.person) in page and str(world.b_student.person) not in page


def test_record_detail_shows_spells_claims_and_buttons(world, browser_client):
    record = make_employment(world.a_student, world.enterprise_1, START)
    make_employment(world.a_student, None, START.replace(year=2024), START, reason="resigned", employer_name="旧公司")
    response = browser_client(world.manager_a).get(reverse("employmentrecord_detail", args=[record.pk]), **EN)
    page = text(response)
    assert "旧公司" in page and "End the spell" in page and "Record as destination" in page
    student_page = text(browser_client(world.student_a).get(reverse("employmentrecord_detail", args=[record.pk]), **EN))
    assert "End the spell" not in student_page and "Edit" not in student_page


def test_create_and_edit_record_through_the_page(world, browser_client):
    client = browser_client(world.manager_a)
    response = client.post(
        reverse("employmentrecord_create"),
        {
            "student": world.a_student.pk,
            "employer": world.enterprise_1.pk,
            "post": "化工操作工",
            "start_date": "2025-07-01",
            "contract_type": "fixed_term",
        },
    )
    record = EmploymentRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("employmentrecord_detail", args=[record.pk])
    bad = client.post(
        reverse("employmentrecord_edit", args=[record.pk]),
        {
            "employer": world.enterprise_1.pk,
            "post": "化工操作工",
            "start_date": "2025-07-01",
            "contract_type": "fixed_term",
            "leave_reason": "resigned",
        },
        **EN,
    )
    assert bad.status_code == 200 and "A reason for leaving needs an end date" in text(bad)


def test_overlap_error_shows_on_the_form(world, browser_client):
    make_employment(world.a_student, world.enterprise_1, START)
    response = browser_client(world.manager_a).post(
        reverse("employmentrecord_create"),
        {
            "student": world.a_student.pk,
            "employer": world.enterprise_1.pk,
            "post": "化工操作工",
            "start_date": "2025-09-01",
            "contract_type": "fixed_term",
        },
        **EN,
    )
    assert response.status_code == 200 and "overlaps" in text(response)
    assert EmploymentRecord.objects.count() == 1


def test_end_page_with_transfer(world, browser_client):
    record = make_employment(world.a_student, world.enterprise_1, START)
    client = browser_client(world.manager_a)
    url = reverse("employment_record_end", args=[record.pk])
    assert "new_employer" in text(client.get(url))
    response = client.post(
        url,
        {
            "end_date": "2026-02-01",
            "leave_reason": LeaveReason.TRANSFERRED,
            "new_employer": world.enterprise_2.pk,
            "new_post": "巡检员",
        },
    )
    follow_on = EmploymentRecord.objects.get(employer=world.enterprise_2)
    assert response.status_code == 302 and response["Location"] == reverse(
        "employmentrecord_detail", args=[follow_on.pk]
    )
    record.refresh_from_db()
    assert record.leave_reason == LeaveReason.TRANSFERRED


def test_end_page_for_hr_has_no_follow_on_and_shows_errors(world, browser_client):
    record = make_employment(world.a_student, world.enterprise_1, START)
    client = browser_client(world.hr_e1)
    url = reverse("employment_record_end", args=[record.pk])
    assert "new_employer" not in text(client.get(url))
    response = client.post(url, {"end_date": "2024-01-01", "leave_reason": "resigned"}, **EN)
    assert response.status_code == 400 and "cannot be before the start date" in text(response)
    assert browser_client(world.hr_e2).get(url).status_code == 404
    assert browser_client(world.student_a).get(url).status_code == 403


def test_headcount_page_confirms_the_month(world, browser_client, graduate):
    stays = make_employment(world.a_student, world.enterprise_1, START)
    leaves = make_employment(graduate(name="离开的人"), world.enterprise_1, START)
    client = browser_client(world.hr_e1)
    page = text(client.get(reverse("headcount_confirm")))
    assert stays.student.person.name in page and "离开的人" in page
    today = timezone.localdate()
    response = client.post(
        reverse("headcount_confirm"),
        {
            "enterprise": world.enterprise_1.pk,
            "month": f"{today:%Y-%m}",
            f"employed_{stays.pk}": "on",
            f"end_date_{leaves.pk}": f"{today:%Y-%m}-01",
            f"leave_reason_{leaves.pk}": LeaveReason.RESIGNED,
        },
    )
    confirmation = HeadcountConfirmation.objects.get()
    assert response.status_code == 302
    assert (confirmation.confirmed, confirmation.left) == (1, 1)
    leaves.refresh_from_db()
    assert leaves.end_date == today.replace(day=1)
    # The month is done: the page says so instead of offering the form again.
    again = text(client.get(reverse("headcount_confirm"), **EN))
    assert "is confirmed" in again


def test_headcount_page_reports_bad_lines_and_writes_nothing(world, browser_client):
    leaves = make_employment(world.a_student, world.enterprise_1, START)
    before = AuditEvent.objects.count()
    response = browser_client(world.hr_e1).post(
        reverse("headcount_confirm"), {"month": f"{timezone.localdate():%Y-%m}"}, **EN
    )
    assert response.status_code == 400 and "give the day" in text(response)
    assert AuditEvent.objects.count() == before
    leaves.refresh_from_db()
    assert leaves.end_date is None


def test_headcount_page_is_for_hr_only(world, browser_client):
    assert browser_client(world.college_a_admin).get(reverse("headcount_confirm")).status_code == 403
    assert browser_client(world.student_a).get(reverse("headcount_confirm")).status_code == 403


def test_survey_page_records_a_conflict_and_conflicts_page_lists_it(world, browser_client):
    make_employment(world.a_student, world.enterprise_1, START)
    client = browser_client(world.manager_a)
    response = client.post(
        reverse("employment_survey"),
        {"student": world.a_student.pk, "as_of": "2026-06-01", "employed": "yes", "employer": world.enterprise_2.pk},
    )
    claim = EmploymentClaim.objects.get()
    assert response.status_code == 302 and claim.status == ClaimStatus.CONFLICT
    assert str(world.a_student.person) in text(client.get(reverse("claim_conflicts")))
    assert str(world.a_student.person) not in text(
        browser_client(world.college_b_admin).get(reverse("claim_conflicts"))
    )
    assert (
        browser_client(world.college_b_admin).get(reverse("employmentclaim_detail", args=[claim.pk])).status_code == 404
    )


def test_survey_page_refuses_other_roles(world, browser_client):
    for persona in ("hr_e1", "student_a", "teacher_a"):
        assert browser_client(world.users[persona]).get(reverse("employment_survey")).status_code == 403


def test_settling_from_the_claim_page(world, browser_client):
    record = make_employment(world.a_student, world.enterprise_1, START)
    claim = EmploymentClaim.objects.create(
        student=world.a_student, source=RecordSource.STUDENT, as_of=START.replace(year=2026), employed=False,
        record=record, status=ClaimStatus.CONFLICT,
    )  # fmt: skip
    client = browser_client(world.manager_a)
    page = text(client.get(reverse("employmentclaim_detail", args=[claim.pk]), **EN))
    assert "Apply to the records" in page and "Dismiss the claim" in page
    assert "Apply to the records" not in text(
        browser_client(world.users["committee"]).get(reverse("employmentclaim_detail", args=[claim.pk]), **EN)
    )
    response = client.post(reverse("claim_dismiss", args=[claim.pk]), {"note": ""}, **EN)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFLICT
    client.post(reverse("claim_apply", args=[claim.pk]), {"note": "核实"})
    claim.refresh_from_db()
    record.refresh_from_db()
    assert claim.status == ClaimStatus.APPLIED and record.end_date == START.replace(year=2026)
    assert browser_client(world.college_b_admin).post(reverse("claim_apply", args=[claim.pk])).status_code == 404


def test_my_employment_page(world, browser_client):
    make_employment(world.a_student, world.enterprise_1, START)
    make_employment(world.b_student, world.enterprise_2, START, employer_name="")
    client = browser_client(world.student_a)
    page = text(client.get(reverse("employment_mine"), **EN))
    assert world.enterprise_1.name in page and world.enterprise_2.name not in page.split("Tell us")[0]
    response = client.post(reverse("employment_mine"), {"employed": "no"})
    assert response.status_code == 302
    claim = EmploymentClaim.objects.get()
    assert (claim.student, claim.source, claim.status) == (world.a_student, RecordSource.STUDENT, ClaimStatus.CONFLICT)
    assert browser_client(world.manager_a).get(reverse("employment_mine")).status_code == 404


def test_destination_create_prefills_from_zone_employment(world, browser_client, days_ago):
    make_employment(world.a_student, world.enterprise_1, days_ago(60), post="化验分析员")
    client = browser_client(world.manager_a)
    page = text(client.get(reverse("graduatedestination_create"), {"student": world.a_student.pk}))
    assert 'value="contract_employment" selected' in page and "化验分析员" in page
    response = client.post(
        reverse("graduatedestination_create"),
        {
            "student": world.a_student.pk,
            "category": DestinationCategory.CONTRACT_EMPLOYMENT,
            "as_of": f"{days_ago(1)}",
            "employer": world.enterprise_1.pk,
            "detail": "化验分析员",
        },
    )
    assert response.status_code == 302 and GraduateDestination.objects.count() == 1


def test_placement_page(world, browser_client, graduate, settings):
    settings.IEPARK_PROGRAMME_YEARS = 3
    a = graduate()
    graduate()
    GraduateDestination.objects.create(
        student=a, category=DestinationCategory.FURTHER_STUDY, as_of=datetime.date(2026, 7, 1)
    )
    response = browser_client(world.coordinator).get(
        reverse("placement"), {"graduation_year": 2026, "as_of": "2026-09-01"}, **EN
    )
    page = text(response)
    assert response.status_code == 200
    assert '<div class="fs-3 fw-semibold" id="placement-graduates">2</div>' in page
    assert "50.0%" in page and world.college_a.name_en in page


def test_survey_upload_all_or_nothing(world, browser_client, graduate):
    import openpyxl

    make_employment(world.a_student, world.enterprise_1, START)
    other = graduate()

    def workbook(rows):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["学号", "调查日期", "是否就业", "区内企业", "区外单位"])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        buffer.seek(0)
        buffer.name = "survey.xlsx"
        return buffer

    client = browser_client(world.manager_a)
    url = reverse("employment_survey_upload")
    bad = client.post(
        url,
        {
            "file": workbook(
                [
                    ["A001", "2026-06-01", "是", world.enterprise_1.name, ""],
                    [other.student_number, "2026-06-01", "也许", "", ""],
                ]
            ),
            "dry_run": "",
        },
        **EN,
    )
    assert bad.status_code == 400 and "yes or no" in text(bad)
    assert not EmploymentClaim.objects.exists()
    good = client.post(
        url,
        {
            "file": workbook(
                [
                    ["A001", "2026-06-01", "是", world.enterprise_1.name, ""],
                    [other.student_number, "2026/6/1", "否", "", ""],
                ]
            ),
            "dry_run": "",
        },
        **EN,
    )
    assert good.status_code == 200 and "2 rows imported" in text(good)
    assert set(EmploymentClaim.objects.values_list("status", flat=True)) == {ClaimStatus.AGREES}
    # College B's student numbers are not college A's to upload.
    foreign = client.post(url, {"file": workbook([["B001", "2026-06-01", "否", "", ""]]), "dry_run": ""}, **EN)
    assert foreign.status_code == 400 and "Not found among your students" in text(foreign)
    assert client.get(reverse("employment_survey_template")).status_code == 200


@pytest.mark.parametrize(
    ("persona", "shown", "hidden"),
    [
        ("hr_e1", ["Headcount confirmation", "Employment records"], ["My employment", "Disagreements to settle"]),
        ("manager_a", ["Disagreements to settle", "Graduate destinations"], ["Headcount confirmation"]),
        ("student_a", ["My employment"], ["Employment records", "Disagreements to settle"]),
        ("coordinator", ["Disagreements to settle", "Graduate destinations", "Employment records"], ["My employment"]),
        ("committee", ["Graduate destinations", "Employment records"], ["Disagreements to settle"]),
    ],
)
def test_menu_entries_per_role(world, browser_client, persona, shown, hidden):
    page = text(browser_client(world.users[persona]).get(reverse("home"), **EN))
    for label in shown:
        assert label in page, label
    for label in hidden:
        assert label not in page, label


def test_list_pages_run_a_fixed_number_of_queries(world, browser_client, graduate, django_assert_max_num_queries):
    client = browser_client(world.coordinator)
    url = reverse("employmentrecord_list")
    for _ in range(3):
        make_employment(graduate(), world.enterprise_1, START)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(10):
        make_employment(graduate(), world.enterprise_2, START)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_hr_opens_a_record_for_an_applicant_at_its_own_enterprise(world, browser_client):
    from iepark.careers.testing import make_application, make_posting

    make_application(make_posting(world), world.b_student)
    client = browser_client(world.hr_e1)
    page = text(client.get(reverse("employmentrecord_create")))
    assert 'name="employer_name"' not in page and str(world.b_student.person.name) in page
    response = client.post(
        reverse("employmentrecord_create"),
        {
            "student": world.b_student.pk,
            "employer": world.enterprise_1.pk,
            "post": "化工操作工",
            "start_date": "2026-07-01",
            "contract_type": "fixed_term",
        },
    )
    assert response.status_code == 302
    assert EmploymentRecord.objects.get().employer == world.enterprise_1
    # The student of another college, who never applied, is not offered.
    assert str(world.a_student.person.name) not in page
