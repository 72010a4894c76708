"""
Browser journeys of the park's parties: organisations and students, with scope and masked personal data.

The park administrator registers an enterprise, corrects it and reads its
history; a college administrator sees and registers only their own students;
personal data is shown in full only to those who need it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from iepark.core.choices import Gender, Industry, OrganisationKind
from iepark.core.models import AuditEvent, Organisation, Student
from iepark.testing import make_national_id, make_uscc

from .pages import CHINESE, choose, html_lang, log_in, path_of, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHINESE_CHARACTER = re.compile(r"[\u4e00-\u9fff]")


def field_box(page, name: str):
    """Return the block of a form field: its label, input, help and errors."""
    return page.locator(f"#id_{name}").locator("xpath=ancestor::div[contains(@class, 'mb-3')][1]")


def submit_edit_form(page) -> None:
    with page.expect_navigation():
        page.click("form.edit-form button[type=submit]")


def verbose_name(model, field: str) -> str:
    label = tr(model._meta.get_field(field).verbose_name)
    return label[:1].upper() + label[1:]


def test_park_admin_registers_an_enterprise_and_reads_its_history(world, new_page, screenshot):
    name = "准东新材料有限公司"
    page = new_page()
    log_in(page, "park_admin")

    # From the list, through its Add button.
    page.goto("/organisations/")
    assert world.enterprise_1.name in page.locator("#object-table").inner_text()
    with page.expect_navigation():
        page.click("a.btn-primary[href='/organisations/add/']")
    assert path_of(page) == "/organisations/add/"

    # A wrong credit code: a clear error on its field, the rest of the input kept, nothing saved.
    good_code = make_uscc(4242)
    wrong_code = good_code[:-1] + ("0" if good_code[-1] != "0" else "1")
    page.select_option("#id_kind", OrganisationKind.ENTERPRISE)
    page.fill("#id_name", name)
    page.fill("#id_name_en", "Zhundong New Materials Co., Ltd.")
    page.fill("#id_uscc", wrong_code)
    page.select_option("#id_industry", Industry.COAL_CHEMICAL)
    page.fill("#id_address", "准东经济技术开发区芨芨湖大道1号")
    organisations_before, audit_before = Organisation.objects.count(), AuditEvent.objects.count()
    submit_edit_form(page)
    assert path_of(page) == "/organisations/add/"
    assert page.locator(".alert-danger").is_visible()
    uscc_box = field_box(page, "uscc")
    assert (
        tr("The unified social credit code's check character is wrong.")
        in uscc_box.locator(".invalid-feedback").inner_text()
    )
    assert page.input_value("#id_name") == name
    assert page.input_value("#id_uscc") == wrong_code
    screenshot(page, "3-organisation-form-error")
    assert not Organisation.objects.filter(name=name).exists()
    assert Organisation.objects.count() == organisations_before
    assert AuditEvent.objects.count() == audit_before

    # Corrected, it is saved and shown on its page and in the list.
    page.fill("#id_uscc", good_code)
    submit_edit_form(page)
    org = Organisation.objects.get(name=name)
    assert org.uscc == good_code and org.kind == OrganisationKind.ENTERPRISE and org.industry == Industry.COAL_CHEMICAL
    assert path_of(page) == f"/organisations/{org.pk}/"
    assert name in page.locator("h1").inner_text()
    assert good_code in page.locator(".table-attributes, .card").first.inner_text()
    assert page.locator(".alert-success").is_visible()
    page.goto("/organisations/")
    assert page.locator("#object-table a", has_text=name).count() == 1

    # Its address is corrected through the Edit button.
    page.goto(f"/organisations/{org.pk}/")
    with page.expect_navigation():
        page.click(f"a[href='/organisations/{org.pk}/edit/']")
    page.fill("#id_address", "准东经济技术开发区五彩湾新城2号")
    submit_edit_form(page)
    assert path_of(page) == f"/organisations/{org.pk}/"
    assert "五彩湾新城2号" in page.locator("main").inner_text()

    # The History tab shows who changed what: the address before → after.
    with page.expect_navigation():
        page.click(f".nav-tabs a[href='/organisations/{org.pk}/history/']")
    rows = page.locator("table.change-table tr", has_text=verbose_name(Organisation, "address"))
    change = rows.filter(has=page.locator("td.text-danger-emphasis")).filter(
        has=page.locator("td.text-success-emphasis")
    )
    assert change.count() == 1
    assert change.locator("td.text-danger-emphasis").inner_text().strip() == "准东经济技术开发区芨芨湖大道1号"
    assert change.locator("td.text-success-emphasis").inner_text().strip() == "准东经济技术开发区五彩湾新城2号"
    history = page.locator("main table").first.inner_text()
    assert "park_admin" in history or world.persons["park_admin"].name in history
    screenshot(page, "3-organisation-history")


def test_college_admin_sees_only_own_students_and_personal_data_is_masked(world, new_page, screenshot):
    a, b = world.a_student, world.b_student
    page = new_page()
    log_in(page, "college_a_admin")
    page.goto("/students/")
    table = page.locator("#object-table").inner_text()
    assert "A001" in table
    assert "B001" not in table

    # Another college's student, asked for by URL: the 404 page, nothing of the record.
    response = page.goto(f"/students/{b.pk}/")
    assert response.status == 404
    assert "B001" not in page.content()
    assert b.person.name not in page.content()
    screenshot(page, "4-student-of-another-college-404")

    # The committee officer reads the register but sees ID numbers masked.
    committee = new_page()
    log_in(committee, "committee")
    committee.goto(f"/students/{a.pk}/")
    shown = committee.locator("main").inner_text()
    national_id = a.person.national_id
    assert re.search(r"6501\*{10}[0-9X]{4}", shown), shown
    assert national_id not in committee.content()
    screenshot(committee, "4-student-masked-for-committee")

    # The park administrator sees the full number.
    admin = new_page()
    log_in(admin, "park_admin")
    admin.goto(f"/students/{a.pk}/")
    assert national_id in admin.locator("main").inner_text()
    screenshot(admin, "4-student-in-full-for-park-admin")


def test_college_admin_registers_a_student(world, new_page):
    page = new_page()
    log_in(page, "college_a_admin")
    page.goto("/students/")
    with page.expect_navigation():
        page.click("a.btn-primary[href='/students/add/']")
    national_id = make_national_id(321)
    page.fill("#id_name", "李明")
    page.fill("#id_name_en", "Li Ming")
    choose(page, "gender", tr(Gender.MALE.label))
    page.fill("#id_national_id", national_id)
    page.fill("#id_phone", "13912340001")
    page.fill("#id_email", "liming@example.cn")
    # The college and major boxes (Tom Select) offer only what the college administrator may use.
    colleges = choose(page, "college", world.college_a.name)
    assert world.college_b.name not in " ".join(colleges)
    assert page.input_value("#id_college") == str(world.college_a.pk)
    choose(page, "major", world.major.name)
    assert page.input_value("#id_major") == str(world.major.pk)
    page.fill("#id_student_number", "A2025001")
    page.fill("#id_cohort_year", "2025")
    submit_edit_form(page)

    student = Student.objects.get(student_number="A2025001")
    assert student.college == world.college_a and student.major == world.major and student.cohort_year == 2025
    assert student.person.name == "李明" and student.person.national_id == national_id
    assert path_of(page) == f"/students/{student.pk}/"
    page.goto("/students/")
    rows = page.locator("#object-table tbody tr")
    assert rows.count() == 2
    row = rows.filter(has_text="A2025001")
    assert row.count() == 1
    assert "李明" in row.inner_text()
    assert world.college_a.name in row.inner_text()

    # Searching the list updates the table in place (htmx) and keeps the search in the address.
    page.fill("#id_q", "李明")
    page.wait_for_url("**/students/?q=*")
    expect(rows).to_have_count(1)
    assert "A2025001" in rows.inner_text()
    assert "A001" not in page.locator("#object-table").inner_text()


def test_not_found_page_is_a_page_of_the_site_in_the_users_language(world, new_page):
    page = new_page()
    log_in(page, "college_a_admin")
    response = page.goto(f"/students/{world.b_student.pk}/")
    assert response.status == 404
    assert html_lang(page) == CHINESE
    assert CHINESE_CHARACTER.search(page.locator("body").inner_text())
    assert page.locator("a[href='/']").count() >= 1
