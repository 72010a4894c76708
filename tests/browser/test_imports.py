"""
Browser journey of a bulk import: a dry run that finds a bad row, then the real import.

The college administrator uploads an Excel workbook built here with openpyxl
(the Chinese column titles of the template); the job runs inline in the tests
(``IEPARK_TASK_RUNNER = "sync"``), so the job page shows the finished result.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from iepark.core.models import Student
from iepark.testing import make_national_id

from .pages import log_in, path_of, tr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADERS = ["姓名", "英文名", "性别", "身份证号", "手机", "邮箱", "学院", "专业代码", "学号", "入学年份", "状态"]


def student_row(world, n: int, *, national_id: str | None = None) -> list[str]:
    return [
        f"导入学生{n}",
        f"Imported Student {n}",
        "男" if n % 2 else "女",
        national_id or make_national_id(600 + n),
        f"1381234{n:04d}",
        f"student{n}@example.cn",
        world.college_a.name,
        world.major.code,
        f"A2025{n:03d}",
        "2025",
        "在读",
    ]


def workbook(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def upload(page, path: Path, *, dry_run: bool) -> None:
    """Fill in the import form and submit it; the page then shows the job."""
    page.set_input_files("#id_file", str(path))
    if dry_run:
        page.check("#id_dry_run")
    else:
        page.uncheck("#id_dry_run")
    with page.expect_navigation():
        page.click("form[enctype='multipart/form-data'] button[type=submit]")


def error_rows(page) -> list[list[str]]:
    """Return the cells of the error table (row, column, reason) of the job page."""
    table = page.locator("table", has=page.locator("th", has_text=tr("Reason")))
    return [[c.strip() for c in row.locator("td").all_inner_texts()] for row in table.locator("tbody tr").all()]


def test_import_dry_run_reports_bad_rows_then_imports(world, new_page, screenshot, tmp_path):
    good_id = make_national_id(601)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")  # wrong check digit
    bad_file = workbook(
        tmp_path / "学生名单-有错.xlsx",
        [student_row(world, 1), student_row(world, 2, national_id=bad_id), student_row(world, 3)],
    )
    good_file = workbook(tmp_path / "学生名单.xlsx", [student_row(world, 1), student_row(world, 3)])
    students_before = Student.objects.count()

    page = new_page()
    log_in(page, "college_a_admin")
    page.goto("/students/")
    with page.expect_navigation():
        page.click("a[href='/imports/students/']")
    assert path_of(page) == "/imports/students/"
    assert page.is_checked("#id_dry_run")  # a dry run unless the user says otherwise

    # Dry run of a file with a bad ID number: the row, the column and the reason; nothing written.
    upload(page, bad_file, dry_run=True)
    assert path_of(page).startswith("/imports/jobs/")
    main = page.locator("main").inner_text()
    assert tr("Dry run (nothing is written)") in main
    assert tr("Errors found") in main
    assert error_rows(page) == [["3", "身份证号", tr("The ID number's check digit is wrong.")]]
    assert Student.objects.count() == students_before
    screenshot(page, "6-import-dry-run-errors")

    # The good file, for real: the job reports the rows created and the list shows them.
    page.goto("/imports/students/")
    upload(page, good_file, dry_run=False)
    assert path_of(page).startswith("/imports/jobs/")
    main = page.locator("main").inner_text()
    assert tr("Dry run (nothing is written)") not in main
    assert error_rows(page) == []
    assert Student.objects.count() == students_before + 2
    created = page.locator("tr", has=page.locator("th", has_text=tr("Created")))
    assert created.locator("td").inner_text().strip() == "2"
    screenshot(page, "6-import-done")

    page.goto("/students/")
    table = page.locator("#object-table").inner_text()
    for number, name in (("A2025001", "导入学生1"), ("A2025003", "导入学生3")):
        assert number in table and name in table
    assert "A2025002" not in table
    screenshot(page, "6-students-after-import")


def test_job_page_names_the_kind_of_job_in_the_users_language(world, new_page, tmp_path):
    page = new_page()
    log_in(page, "college_a_admin")
    page.goto("/imports/students/")
    upload(page, workbook(tmp_path / "students.xlsx", [student_row(world, 1)]), dry_run=True)
    assert path_of(page).startswith("/imports/jobs/")
    page.goto(path_of(page).replace("/imports/jobs/", "/jobs/"))  # the generic job page names the kind too
    assert "import" not in page.locator("h1").inner_text()
