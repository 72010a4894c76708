"""Bulk import: file reading, row validation, all-or-nothing writes, the background job and its cancellation."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from iepark.core.choices import Industry, JobStatus, OrganisationKind, Role, StudentStatus
from iepark.core.io import importers
from iepark.core.io.tasks import IMPORT_JOB_KIND, import_job, import_start
from iepark.core.models import AuditEvent, ImportUpload, Job, Membership, Organisation, Person, Student
from iepark.core.tasks import JobCancelled, JobContext, run_job
from iepark.testing import make_national_id, make_uscc

STUDENT_HEADERS_ZH = [
    "姓名",
    "英文名",
    "性别",
    "身份证号",
    "手机",
    "邮箱",
    "学院",
    "专业代码",
    "学号",
    "入学年份",
    "状态",
]
STUDENT_HEADERS_EN = [
    "name",
    "name_en",
    "gender",
    "national_id",
    "phone",
    "email",
    "college",
    "major",
    "student_number",
    "cohort_year",
    "status",
]
# An ID number whose check digit is wrong (the right one for this body is different).
_BODY = make_national_id(700)[:17]
BAD_ID = _BODY + ("0" if make_national_id(700)[17] != "0" else "1")


# --- helpers (also used by test_io_api) ----------------------------------------------------


def xlsx_bytes(headers: list[Any], rows: list[list[Any]]) -> bytes:
    """Return a real .xlsx workbook with ``headers`` in row 1 and ``rows`` below."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[Any], rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    """Return a CSV file in ``encoding`` (UTF-8 with BOM by default, as Excel writes it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def student_row(world, serial: int, number: str, **overrides: Any) -> list[Any]:
    values = {
        "name": f"学生{serial}",
        "name_en": f"Student {serial}",
        "gender": "男",
        "national_id": make_national_id(serial),
        "phone": f"1380000{serial:04d}",
        "email": f"s{serial}@example.cn",
        "college": world.college_a.name,
        "major": world.major.code,
        "student_number": number,
        "cohort_year": 2025,
        "status": "在读",
    }
    values.update(overrides)
    return [values[h] for h in STUDENT_HEADERS_EN]


def good_student_rows(world) -> list[list[Any]]:
    return [
        student_row(world, 601, "A2025001"),
        student_row(world, 602, "A2025002", gender="female", status=StudentStatus.IN_PARK),
        # The college by its credit code, the status by its English label.
        student_row(world, 603, "A2025003", college=world.college_a.uscc, status="On internship", gender="Female"),
    ]


def domain_counts() -> dict[str, int]:
    """Count the rows an import may write, and the audit events other than those of the upload itself."""
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "students": Student.objects.count(),
        "audit": AuditEvent.objects.exclude(object_type="core.importupload").count(),
    }


def run(user, kind: str, filename: str, content: bytes, *, dry_run: bool, park=None, language: str = "en") -> Job:
    """Start an import job as ``user`` and run it as it runs after commit; return the finished job."""
    from django.test import TestCase

    with translation.override(language), TestCase.captureOnCommitCallbacks(execute=True):
        job = import_start(
            actor=user, kind=kind, park=park or _park_of(user), filename=filename, content=content, dry_run=dry_run
        )
    job.refresh_from_db()
    return job


def _park_of(user):
    return importers.import_park(user=user)


def errors_of(job: Job) -> set[tuple[Any, str]]:
    return {(e["row"], e["column"]) for e in job.result["errors"]}


def message_at(job: Job, row: int, column: str) -> str:
    return " ".join(e["message"] for e in job.result["errors"] if e["row"] == row and e["column"] == column)


# --- good files -----------------------------------------------------------------------------


def test_xlsx_dry_run_writes_nothing_and_real_run_creates_every_row_with_audit(world):
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    before = domain_counts()

    dry = run(world.college_a_admin, "students", "学生.xlsx", content, dry_run=True)
    assert dry.status == JobStatus.SUCCEEDED, dry.result
    assert dry.result["errors"] == []
    assert dry.result["dry_run"] is True
    assert (dry.result["rows"], dry.result["created"], dry.result["would_create"]) == (3, 0, 3)
    assert domain_counts() == before
    assert dry.progress == dry.total == 3

    real = run(world.college_a_admin, "students", "学生.xlsx", content, dry_run=False)
    assert real.status == JobStatus.SUCCEEDED, real.result
    assert real.result["created"] == 3 and real.result["errors"] == []
    assert real.progress == real.total == 6  # the checking phase, then the writing phase
    after = domain_counts()
    assert after["students"] == before["students"] + 3
    assert after["people"] == before["people"] + 3
    assert after["memberships"] == before["memberships"] + 3
    assert after["audit"] == before["audit"] + 9  # person, student and membership of each row
    created = {s.student_number: s for s in Student.objects.filter(student_number__startswith="A2025")}
    assert created["A2025001"].status == StudentStatus.ENROLLED
    assert created["A2025002"].status == StudentStatus.IN_PARK
    assert created["A2025003"].status == StudentStatus.ON_INTERNSHIP
    assert created["A2025003"].person.gender == "female"
    assert created["A2025001"].person.national_id == make_national_id(601)
    assert AuditEvent.objects.filter(
        object_type="core.student", action="create", actor=world.college_a_admin, object_id=str(created["A2025001"].pk)
    ).exists()
    assert Membership.objects.filter(
        person=created["A2025001"].person, role=Role.STUDENT, organisation=world.college_a
    ).exists()


def test_csv_with_english_field_names_imports_people_and_their_memberships(world):
    headers = ["name", "national_id", "phone", "organisation", "role", "start_date"]
    rows = [
        ["王工", make_national_id(611), "13900000611", world.enterprise_1.name, "企业导师", "2025/9/1"],
        ["李工", make_national_id(612), "", world.enterprise_1.uscc, Role.ENTERPRISE_HR, ""],
        ["赵工", make_national_id(613), "", "", "", ""],
    ]
    before = domain_counts()
    job = run(world.park_admin, "people", "people.csv", csv_bytes(headers, rows), dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 3, job.result
    after = domain_counts()
    assert after["people"] == before["people"] + 3
    assert after["memberships"] == before["memberships"] + 2
    wang = Person.objects.get(national_id=make_national_id(611))
    membership = wang.memberships.get()
    assert (membership.role, membership.organisation, str(membership.start_date)) == (
        Role.ENTERPRISE_MENTOR,
        world.enterprise_1,
        "2025-09-01",
    )
    assert wang.birth_date is not None  # the service derives it from the ID number


def test_gb18030_csv_from_chinese_excel_is_read(world):
    content = csv_bytes(STUDENT_HEADERS_ZH, [student_row(world, 621, "A2025021")], encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    job = run(world.college_a_admin, "students", "学生.csv", content, dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 1, job.result
    assert Student.objects.get(student_number="A2025021").person.name == "学生621"


def test_organisations_accept_labels_and_chinese_words_for_choices(world):
    headers = ["类型", "名称", "统一社会信用代码", "行业", "地址"]
    rows = [
        ["企业", "新能源企业", make_uscc(631), "煤化工", "五彩湾"],
        ["Evaluation organisation", "技能评价中心", "", "", ""],
    ]
    job = run(world.park_admin, "organisations", "orgs.xlsx", xlsx_bytes(headers, rows), dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 2, job.result
    org = Organisation.objects.get(name="新能源企业")
    assert (org.kind, org.industry, org.uscc, org.park) == (
        OrganisationKind.ENTERPRISE,
        Industry.COAL_CHEMICAL,
        make_uscc(631),
        world.park,
    )
    assert Organisation.objects.get(name="技能评价中心").kind == OrganisationKind.EVALUATION_ORG
    assert AuditEvent.objects.filter(object_type="core.organisation", object_id=str(org.pk), action="create").exists()


def test_the_downloadable_templates_import_as_they_are(world):
    for kind, user in (("students", "college_a_admin"), ("people", "park_admin"), ("organisations", "park_admin")):
        with translation.override("zh-hans"):
            content = importers.template_workbook(kind)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
        job = run(world.users[user], kind, f"{kind}.xlsx", content, dry_run=True, language="zh-hans")
        assert job.result["errors"] == [] and job.result["would_create"] == 1, (kind, job.result)


# --- bad files ------------------------------------------------------------------------------


def bad_student_file(world) -> bytes:
    rows = [
        student_row(world, 641, "A3001", national_id=BAD_ID),  # row 2: wrong check digit
        student_row(world, 642, "A3002", major="999999"),  # row 3: no such major
        student_row(world, 643, "A3003"),  # row 4
        student_row(world, 644, "A3003"),  # row 5: the student number of row 4 again
        student_row(world, 645, "A3005", name=""),  # row 6: no name
        student_row(world, 646, "A3006"),  # row 7: fine
    ]
    return xlsx_bytes(STUDENT_HEADERS_ZH, rows)


@pytest.mark.parametrize("dry_run", [True, False])
def test_bad_rows_are_each_reported_and_nothing_is_written(world, dry_run):
    before = domain_counts()
    job = run(world.college_a_admin, "students", "bad.xlsx", bad_student_file(world), dry_run=dry_run)
    assert job.status == JobStatus.SUCCEEDED
    assert job.result["ok"] is False and job.result["created"] == 0 and job.result["rows"] == 6
    assert errors_of(job) == {(2, "身份证号"), (3, "专业代码"), (5, "学号"), (6, "姓名")}, job.result["errors"]
    assert "check digit" in message_at(job, 2, "身份证号")
    assert "999999" in message_at(job, 3, "专业代码")
    assert "row 4" in message_at(job, 5, "学号")
    assert "blank" in message_at(job, 6, "姓名")
    assert "nothing was written" in job.message
    assert job.progress == job.total == (6 if dry_run else 12)  # done, though the writing phase never ran
    assert domain_counts() == before
    assert not ImportUpload.objects.filter(job=job).exists()


def test_errors_are_translated(world):
    job = run(world.college_a_admin, "students", "bad.xlsx", bad_student_file(world), dry_run=True, language="zh-hans")
    with translation.override("zh-hans"):
        blank = str(Person._meta.get_field("name").error_messages["blank"])
    assert blank != "This field cannot be blank."  # Django ships zh-hans messages for its own validation errors
    assert message_at(job, 6, "姓名") == blank


def test_college_admin_cannot_import_students_of_another_college(world):
    rows = [
        student_row(world, 651, "B9001", college=world.college_b.name),
        student_row(world, 652, "B9002", college=world.college_b.uscc),
        student_row(world, 653, "A9003"),
    ]
    before = domain_counts()
    for dry_run in (True, False):
        job = run(world.college_a_admin, "students", "s.xlsx", xlsx_bytes(STUDENT_HEADERS_ZH, rows), dry_run=dry_run)
        assert errors_of(job) == {(2, "学院"), (3, "学院")}, job.result
        assert "not found, or not yours" in message_at(job, 2, "学院")
    assert domain_counts() == before
    # The same file's college B rows are fine for college B's administrator... except the college A row.
    job = run(world.college_b_admin, "students", "s.xlsx", xlsx_bytes(STUDENT_HEADERS_ZH, rows), dry_run=True)
    assert errors_of(job) == {(4, "学院")}


def test_duplicates_against_stored_data_are_reported(world):
    student_a = Student.objects.get(person=world.persons["student_a"])
    rows = [
        student_row(world, 660, "A4001", national_id=student_a.person.national_id),  # taken by student_a
        student_row(world, 661, student_a.student_number),  # college A's existing student number
    ]
    job = run(world.college_a_admin, "students", "s.csv", csv_bytes(STUDENT_HEADERS_EN, rows), dry_run=True)
    assert errors_of(job) == {(2, "national_id"), (3, "student_number")}, job.result


def test_organisation_file_checks_duplicates_inside_the_file_and_permissions(world):
    headers = ["kind", "name", "uscc", "industry"]
    rows = [
        ["enterprise", "甲企业", make_uscc(671), "coal_power"],
        ["enterprise", "乙企业", make_uscc(671), "coal_power"],  # same credit code as row 2
        ["enterprise", world.enterprise_1.name, make_uscc(672), "coal_power"],  # name taken in the park
        ["enterprise", "丙企业", "", ""],  # an enterprise needs an industry and a credit code
        ["committee", "丁", "", "coal_power"],  # only enterprises have an industry
    ]
    job = run(world.park_admin, "organisations", "o.csv", csv_bytes(headers, rows), dry_run=False)
    assert errors_of(job) == {(3, "uscc"), (4, "name"), (5, "industry"), (5, "uscc"), (6, "industry")}, job.result
    assert not Organisation.objects.filter(name="甲企业").exists()
    with pytest.raises(PermissionDenied):
        import_start(
            actor=world.college_a_admin,
            kind="organisations",
            park=world.park,
            filename="o.csv",
            content=csv_bytes(headers, rows[:1]),
            dry_run=True,
        )


def test_people_rows_check_the_organisation_and_the_role(world):
    headers = ["姓名", "身份证号", "单位", "角色"]
    rows = [
        ["甲", make_national_id(681), "不存在的单位", "企业导师"],
        ["乙", make_national_id(682), world.enterprise_1.name, "学生"],  # a student role in an enterprise
        ["丙", make_national_id(683), world.enterprise_1.name, ""],
        ["丁", make_national_id(684), world.other_college.name, "教师"],  # another park's college
        ["戊", make_national_id(681), "", ""],  # the ID number of row 2
    ]
    job = run(world.park_admin, "people", "p.xlsx", xlsx_bytes(headers, rows), dry_run=True)
    assert errors_of(job) == {(2, "单位"), (3, "角色"), (4, "角色"), (5, "单位"), (6, "身份证号")}, job.result


def test_an_id_number_excel_turned_into_a_number_is_explained(world):
    row = student_row(world, 691, "A5001", national_id=float(make_national_id(691)[:15] + "000"))
    job = run(world.college_a_admin, "students", "s.xlsx", xlsx_bytes(STUDENT_HEADERS_ZH, [row]), dry_run=True)
    assert errors_of(job) == {(2, "身份证号")}
    assert "format the column as text" in message_at(job, 2, "身份证号")


def test_header_problems_are_reported_on_row_one(world):
    headers = ["姓名", "身份证号", "爱好", "学院", "学院"]
    content = csv_bytes(headers, [["甲", "", "", "", ""]])
    job = run(world.college_a_admin, "students", "s.csv", content, dry_run=True, language="zh-hans")
    found = errors_of(job)
    assert (1, "爱好") in found  # unknown column
    assert (1, "学院") in found  # twice
    assert {(1, "专业代码"), (1, "学号"), (1, "入学年份")} <= found  # required but missing


def test_blank_rows_are_skipped_and_numbering_follows_excel(world):
    rows = [student_row(world, 701, "A6001"), [None] * 11, student_row(world, 702, "A6003", major="nope")]
    job = run(world.college_a_admin, "students", "s.xlsx", xlsx_bytes(STUDENT_HEADERS_ZH, rows), dry_run=True)
    assert job.result["rows"] == 2
    assert errors_of(job) == {(4, "专业代码")}


def test_values_outside_titled_columns_are_reported(world):
    rows = [student_row(world, 703, "A6004") + ["", "stray"]]
    job = run(world.college_a_admin, "students", "s.csv", csv_bytes(STUDENT_HEADERS_EN, rows), dry_run=True)
    assert errors_of(job) == {(2, "M")}


@pytest.mark.parametrize(
    ("filename", "content", "words"),
    [
        ("students.xls", b"\xd0\xcf\x11\xe0 old excel", ".xls"),
        ("students.pdf", b"%PDF-1.4", ".xlsx"),
        ("students.xlsx", b"not a zip at all", "Excel workbook"),
        ("students.csv", b"", "empty"),
    ],
)
def test_unreadable_or_foreign_files_are_refused_before_a_job_starts(world, filename, content, words):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        import_start(
            actor=world.college_a_admin,
            kind="students",
            park=world.park,
            filename=filename,
            content=content,
            dry_run=True,
        )
    assert words in " ".join(caught.value.message_dict["file"])
    assert not Job.objects.exists() and not ImportUpload.objects.exists()


def test_a_damaged_workbook_is_reported_by_the_job(world):
    buffer = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    job = run(world.college_a_admin, "students", "s.xlsx", buffer.getvalue(), dry_run=True)
    assert job.result["errors"] == [{"row": None, "column": "", "message": job.result["errors"][0]["message"]}]
    assert "could not be read" in job.result["errors"][0]["message"]


def test_csv_in_neither_utf8_nor_gb18030_is_refused():
    with translation.override("en"), pytest.raises(importers.ImportFileError):
        importers.read_table("s.csv", b"\x81\x30\x00\xff\xfe binary")


def test_csv_delimited_by_semicolons_or_tabs_is_read():
    table = importers.read_table("s.csv", "姓名;学号\n甲;1\n".encode())
    assert table.headers == ["姓名", "学号"] and table.rows == [(2, ["甲", "1"])]
    table = importers.read_table("s.csv", "姓名\t学号\n甲\t1\n".encode())
    assert table.rows == [(2, ["甲", "1"])]


# --- the job --------------------------------------------------------------------------------


def test_the_upload_is_audited_and_deleted_when_the_job_finishes(world):
    job = run(
        world.college_a_admin,
        "students",
        "s.xlsx",
        xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world)),
        dry_run=True,
    )
    events = AuditEvent.objects.filter(object_type="core.importupload").order_by("id")
    assert [e.action for e in events] == ["create", "delete"]
    assert events[0].actor == world.college_a_admin and events[0].park_id == world.park.pk
    assert events[0].changes["filename"] == [None, "s.xlsx"]
    assert "content" not in events[0].changes
    assert not ImportUpload.objects.filter(job=job).exists()
    assert job.kind == IMPORT_JOB_KIND and job.created_by == world.college_a_admin and job.park == world.park


def _queued_import(world, *, dry_run: bool) -> Job:
    """Record an import job without running it (the default ``db`` fixture never runs on_commit callbacks)."""
    with translation.override("en"):
        return import_start(
            actor=world.college_a_admin,
            kind="students",
            park=world.park,
            filename="s.xlsx",
            content=xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world)),
            dry_run=dry_run,
        )


def test_a_job_cancelled_before_it_runs_writes_nothing(world):
    job = _queued_import(world, dry_run=False)
    before = domain_counts()
    Job.objects.filter(pk=job.pk).update(cancel_requested=True)  # asked while the job was queued
    run_job(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.result["cancelled"] is True and job.result["created"] == 0
    assert domain_counts() == before
    assert not ImportUpload.objects.filter(job=job).exists()


class CancelAfterRows(JobContext):
    """A job context that records a cancellation request once ``rows`` rows have been reported done."""

    def __init__(self, job: Job, rows: int) -> None:
        super().__init__(job=job)
        self.rows = rows

    def progress(self, done: int, total: int | None = None, message: str = "") -> None:
        super().progress(done, total, message)
        if done == self.rows:
            Job.objects.filter(pk=self.job.pk).update(cancel_requested=True)


@pytest.mark.parametrize("rows_before_cancel", [2, 4])  # in the checking phase, then in the writing phase
def test_cancelling_a_running_import_rolls_back_everything(world, rows_before_cancel):
    job = _queued_import(world, dry_run=False)
    before = domain_counts()
    ctx = CancelAfterRows(job, rows_before_cancel)
    with translation.override("en"), pytest.raises(JobCancelled):
        import_job(ctx)
    # Row 1 of 3 was written before the request in the second case; it is rolled back with the rest.
    assert domain_counts() == before
    assert job.result["cancelled"] is True and job.message == "Cancelled; nothing was written."
    assert not ImportUpload.objects.filter(job=job).exists()


def test_uploads_of_jobs_cancelled_while_queued_are_purged_by_the_next_import(world):
    job = _queued_import(world, dry_run=True)
    from iepark.core.tasks import job_cancel

    job_cancel(actor=world.college_a_admin, job=job)
    assert ImportUpload.objects.filter(job=job).exists()
    _queued_import(world, dry_run=True)
    assert not ImportUpload.objects.filter(job=job).exists()


def test_permission_is_checked_again_when_the_job_runs(world):
    job = _queued_import(world, dry_run=False)
    Membership.objects.filter(person=world.persons["college_a_admin"]).delete()
    before = domain_counts()
    with translation.override("en"):
        run_job(job.pk)
    job.refresh_from_db()
    assert job.result["created"] == 0
    # The user no longer sees college A (nor its majors): the rows are refused, not written.
    assert "学院" in {e["column"] for e in job.result["errors"]}
    assert domain_counts() == before


def test_a_row_the_services_still_refuse_while_writing_undoes_every_row(world, monkeypatch):
    from iepark.core import services

    real_create = services.student_create
    calls = []

    def refuse_the_second(**kwargs):
        calls.append(kwargs["student_number"])
        if len(calls) == 2:
            raise ValidationError({"student_number": ["Refused by the service."]})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "student_create", refuse_the_second)
    before = domain_counts()
    job = run(
        world.college_a_admin,
        "students",
        "s.xlsx",
        xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world)),
        dry_run=False,
    )
    assert calls == ["A2025001", "A2025002"]  # the first row was written, then rolled back
    assert job.result["created"] == 0
    assert job.result["errors"] == [{"row": 3, "column": "", "message": "Refused by the service."}]
    assert domain_counts() == before


def test_enterprise_hr_imports_people_with_memberships_of_their_enterprise(world):
    content = xlsx_bytes(
        ["姓名", "身份证号", "单位", "角色"], [["甲", make_national_id(950), world.enterprise_1.name, "企业导师"]]
    )
    assert run(world.hr_e1, "people", "p.xlsx", content, dry_run=True).result["errors"] == []
    job = run(world.hr_e1, "people", "p.xlsx", content, dry_run=False)
    assert job.result["errors"] == [] and job.result["created"] == 1
