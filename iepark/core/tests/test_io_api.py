"""Import and export endpoints (API and pages): access, the job round trip, scoped and masked exports."""

from __future__ import annotations

import contextlib
import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from iepark.core.choices import JobStatus, Role
from iepark.core.models import Job, Membership, Person, Student
from iepark.core.validators import mask_national_id, mask_phone
from iepark.testing import make_national_id

from .test_io import STUDENT_HEADERS_ZH, bad_student_file, domain_counts, good_student_rows, xlsx_bytes

IMPORT_KINDS = ("organisations", "people", "students")
EXPORT_KINDS = ("organisations", "people", "students", "teachers")


def import_url() -> str:
    return reverse("api-import")


def template_url(kind: str) -> str:
    return reverse("api-import-template", kwargs={"kind": kind})


def export_url(kind: str, fmt: str) -> str:
    return reverse("api-export", kwargs={"kind": kind, "fmt": fmt})


def upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def xlsx_rows(content: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def download(response) -> bytes:
    assert response.status_code == 200, getattr(response, "content", b"")[:500]
    return response.getvalue()


def exported(client, kind: str, fmt: str, params: dict | None = None) -> list:
    content = download(client.get(export_url(kind, fmt), params or {}))
    return xlsx_rows(content) if fmt == "xlsx" else csv_rows(content)


def column(rows: list, title: str) -> list:
    index = list(rows[0]).index(title)
    return [row[index] for row in rows[1:]]


def _student_a(world) -> Student:
    return Student.objects.get(person=world.persons["student_a"])


# --- access --------------------------------------------------------------------------------


def test_anonymous_is_refused_on_every_api_endpoint(world, api):
    client = api()
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    response = client.post(import_url(), {"kind": "students", "file": upload("s.xlsx", content)}, format="multipart")
    assert response.status_code in (401, 403)
    for kind in IMPORT_KINDS:
        assert client.get(template_url(kind)).status_code in (401, 403), kind
    for kind in EXPORT_KINDS:
        for fmt in ("xlsx", "csv"):
            assert client.get(export_url(kind, fmt)).status_code in (401, 403), (kind, fmt)
    assert not Job.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "student_a", "teacher_a", "mentor_e1"])
def test_personas_who_may_not_import_are_refused(world, api, persona):
    client = api(world.users[persona])
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    for kind in IMPORT_KINDS:
        response = client.post(import_url(), {"kind": kind, "file": upload("s.xlsx", content)}, format="multipart")
        assert response.status_code == 403, (persona, kind)
        assert client.get(template_url(kind)).status_code == 403, (persona, kind)
    assert not Job.objects.exists()


def test_outsider_is_refused_exports(world, api):
    client = api(world.outsider)
    for kind in EXPORT_KINDS:
        for fmt in ("xlsx", "csv"):
            assert client.get(export_url(kind, fmt)).status_code == 403, (kind, fmt)


def test_a_college_admin_may_not_import_organisations(world, api):
    client = api(world.college_a_admin)
    content = xlsx_bytes(["类型", "名称"], [["企业", "某企业"]])
    response = client.post(
        import_url(), {"kind": "organisations", "file": upload("o.xlsx", content)}, format="multipart"
    )
    assert response.status_code == 403
    assert client.get(template_url("organisations")).status_code == 403
    assert client.get(template_url("students")).status_code == 200
    assert not Job.objects.exists()


def test_pages_refuse_anonymous_and_outsiders(world, client, browser_client):
    job = _api_import(world, client_user=world.college_a_admin, dry_run=True)
    urls = [reverse("import_result", args=[job.pk])]
    urls += [reverse("import_start", args=[kind]) for kind in IMPORT_KINDS]
    urls += [reverse("import_template", args=[kind]) for kind in IMPORT_KINDS]
    urls += [reverse("export", args=[kind, fmt]) for kind in EXPORT_KINDS for fmt in ("xlsx", "csv")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url
    outsider = browser_client(world.outsider)
    for url in urls:
        assert outsider.get(url).status_code in (403, 404), url
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    response = outsider.post(reverse("import_start", args=["students"]), {"file": upload("s.xlsx", content)})
    assert response.status_code == 403
    # Another college's administrator does not see the job either.
    assert browser_client(world.college_b_admin).get(urls[0]).status_code == 404


# --- the import round trip over the API -----------------------------------------------------


def _api_import(world, *, client_user, dry_run: bool, content: bytes | None = None, kind: str = "students") -> Job:
    from django.test import TestCase
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(client_user)
    content = content or xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            import_url(), {"kind": kind, "file": upload("s.xlsx", content), "dry_run": dry_run}, format="multipart"
        )
    assert response.status_code == 202, response.content
    return Job.objects.get(pk=response.json()["id"])


def test_api_import_answers_202_with_the_job_then_the_job_is_polled(world, api, django_capture_on_commit_callbacks):
    client = api(world.college_a_admin)
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    before = domain_counts()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(), {"kind": "students", "file": upload("s.xlsx", content), "dry_run": "true"}, format="multipart"
        )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["kind"] == "import" and body["status"] == JobStatus.QUEUED  # queued when the request answered
    assert response["Location"] == reverse("job-detail", args=[body["id"]])
    polled = client.get(reverse("job-detail", args=[body["id"]])).json()
    assert polled["status"] == JobStatus.SUCCEEDED
    assert polled["result"]["dry_run"] is True and polled["result"]["would_create"] == 3
    assert domain_counts() == before

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            import_url(),
            {"kind": "students", "file": upload("s.xlsx", content), "dry_run": "false"},
            format="multipart",
        )
    polled = client.get(response["Location"]).json()
    assert polled["status"] == JobStatus.SUCCEEDED and polled["result"]["created"] == 3
    assert domain_counts()["students"] == before["students"] + 3
    # The job is the importer's; another college's administrator does not see it.
    assert api(world.college_b_admin).get(response["Location"]).status_code == 404


def test_api_import_reports_bad_rows_and_writes_nothing(world, api):
    before = domain_counts()
    job = _api_import(world, client_user=world.college_a_admin, dry_run=False, content=bad_student_file(world))
    polled = api(world.college_a_admin).get(reverse("job-detail", args=[job.pk])).json()
    assert polled["result"]["ok"] is False and polled["result"]["created"] == 0
    assert {(e["row"], e["column"]) for e in polled["result"]["errors"]} == {
        (2, "身份证号"),
        (3, "专业代码"),
        (5, "学号"),
        (6, "姓名"),
    }
    assert domain_counts() == before


def test_api_import_validates_the_request(world, api):
    client = api(world.college_a_admin)
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    response = client.post(import_url(), {"kind": "nonsense", "file": upload("s.xlsx", content)}, format="multipart")
    assert response.status_code == 400 and "kind" in response.json()
    response = client.post(import_url(), {"kind": "students"}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(import_url(), {"kind": "students", "file": upload("s.pdf", b"%PDF")}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(
        import_url(),
        {"kind": "students", "file": upload("s.xlsx", content), "park": world.other_park.pk},
        format="multipart",
    )
    assert response.status_code == 400 and "park" in response.json()
    assert not Job.objects.exists()


def test_templates_have_a_bold_frozen_header_and_an_example_row(world, api):
    content = download(api(world.park_admin).get(template_url("people")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["姓名 *", "英文名", "性别", "身份证号"]  # the interface language is Chinese by default
    assert sheet.max_row == 2
    en = api(world.park_admin).get(template_url("people"), HTTP_ACCEPT_LANGUAGE="en")
    assert [c.value for c in openpyxl.load_workbook(io.BytesIO(download(en))).active[1]][0] == "Name *"


# --- exports --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_holds_only_the_rows_the_user_may_see(world, api, fmt):
    rows = exported(api(world.college_a_admin), "students", fmt)
    numbers = column(rows, "学号")
    assert "A001" in numbers and "B001" not in numbers
    student_a = _student_a(world)
    # A college administrator needs the full ID numbers of the college's students.
    assert column(rows, "身份证号") == [student_a.person.national_id]
    people = column(exported(api(world.hr_e1), "people", fmt), "姓名")
    assert "测试hr_e1" in people and "测试hr_e2" not in people and "测试student_a" not in people


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_masks_personal_data_for_readers_who_do_not_need_it(world, api, fmt):
    student_a = _student_a(world)
    committee = exported(api(world.users["committee"]), "students", fmt)
    index = column(committee, "学号").index("A001")
    assert column(committee, "身份证号")[index] == mask_national_id(student_a.person.national_id)
    assert column(committee, "手机")[index] == mask_phone(student_a.person.phone)
    admin = exported(api(world.park_admin), "students", fmt)
    index = column(admin, "学号").index("A001")
    assert column(admin, "身份证号")[index] == student_a.person.national_id
    assert column(admin, "手机")[index] == student_a.person.phone
    assert set(column(admin, "学号")) == {"A001", "B001"}


def test_export_applies_the_list_filters(world, api):
    client = api(world.park_admin)
    rows = exported(client, "students", "csv", {"college": world.college_b.pk})
    assert column(rows, "学号") == ["B001"]
    rows = exported(client, "organisations", "xlsx", {"kind": "enterprise"})
    assert set(column(rows, "名称")) == {world.enterprise_1.name, world.enterprise_2.name}
    rows = exported(client, "people", "csv", {"role": Role.ENTERPRISE_HR})
    assert set(column(rows, "姓名")) == {"测试hr_e1", "测试hr_e2"}
    rows = exported(client, "teachers", "xlsx", {"q": "teacher_a"})
    assert column(rows, "工号") == ["T001"]
    assert client.get(export_url("students", "csv"), {"college": "not-a-number"}).status_code == 400


def test_xlsx_export_has_a_bold_frozen_header_and_column_widths(world, api):
    content = download(api(world.park_admin).get(export_url("students", "xlsx")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["D"].width > 15  # the ID number column


def test_export_neutralises_values_a_spreadsheet_would_run(world, api):
    Person.objects.filter(pk=world.persons["student_a"].pk).update(email='=HYPERLINK("http://x")')
    rows = exported(api(world.park_admin), "students", "csv")
    assert '\'=HYPERLINK("http://x")' in column(rows, "邮箱")
    content = download(api(world.park_admin).get(export_url("students", "xlsx")))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def _add_students(world, n: int, start: int) -> None:
    for i in range(n):
        person = Person.objects.create(
            park=world.park, name=f"批量{start + i}", national_id=make_national_id(start + i)
        )
        Student.objects.create(
            person=person, college=world.college_a, major=world.major, student_number=f"N{start + i}", cohort_year=2025
        )
        Membership.objects.create(
            person=person, organisation=world.college_a, role=Role.STUDENT, start_date="2025-09-01"
        )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("persona", ["park_admin", "college_a_admin", "committee"])
def test_export_query_count_does_not_depend_on_the_rows(world, api, fmt, persona):
    client = api(world.users[persona])
    download(client.get(export_url("students", fmt)))  # warm up

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = len(exported(client, "students", fmt)) - 1
        return rows, len(ctx.captured_queries)

    _add_students(world, 5 - Student.objects.filter(college=world.college_a).count(), 800)
    small_rows, small = count()
    _add_students(world, 45, 900)
    large_rows, large = count()
    assert large_rows == small_rows + 45
    assert large == small


# --- schema ---------------------------------------------------------------------------------


def test_schema_documents_the_endpoints_and_stays_valid(world, api):
    from drf_spectacular.validation import validate_schema

    response = api(world.park_admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    paths = schema["paths"]
    assert "post" in paths["/api/v1/imports/"]
    assert any(p.startswith("/api/v1/imports/templates/") for p in paths)
    assert any(p.startswith("/api/v1/exports/") for p in paths)


# --- pages ----------------------------------------------------------------------------------


def _result_url(job: Job) -> set[str]:
    urls = {reverse("import_result", args=[job.pk])}
    with contextlib.suppress(NoReverseMatch):  # the shared job page, once it exists
        urls.add(reverse("job_detail", args=[job.pk]))
    return urls


def test_import_page_uploads_and_redirects_to_the_job(world, browser_client, django_capture_on_commit_callbacks):
    client = browser_client(world.college_a_admin)
    url = reverse("import_start", args=["students"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("import_template", args=["students"]) in html
    assert reverse("export", args=["students", "xlsx"]) in html
    assert 'name="dry_run"' in html and "checked" in html
    before = domain_counts()
    content = xlsx_bytes(STUDENT_HEADERS_ZH, good_student_rows(world))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": upload("学生.xlsx", content), "dry_run": "on"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] in _result_url(job)
    assert job.params["dry_run"] is True
    result = client.get(reverse("import_result", args=[job.pk]))
    assert result.status_code == 200 and "学生.xlsx" in result.content.decode()
    assert domain_counts() == before

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": upload("学生.xlsx", content)})
    assert domain_counts()["students"] == before["students"] + 3


def test_result_page_lists_each_error(world, browser_client, django_capture_on_commit_callbacks):
    client = browser_client(world.college_a_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("import_start", args=["students"]), {"file": upload("bad.xlsx", bad_student_file(world))})
    job = Job.objects.get()
    html = client.get(reverse("import_result", args=[job.pk])).content.decode()
    for error in job.result["errors"]:
        assert error["column"] in html and str(error["message"]).split("%")[0][:10] in html
    assert "<table" in html
    partial = client.get(reverse("import_result", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="job-progress"' in partial and "<html" not in partial
    assert "hx-trigger" not in partial  # a finished job is not polled


def test_import_page_shows_form_errors(world, browser_client):
    client = browser_client(world.college_a_admin)
    url = reverse("import_start", args=["students"])
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"file": upload("s.xls", b"\xd0\xcf\x11\xe0")})
    assert response.status_code == 400 and ".xls" in response.content.decode()
    assert not Job.objects.exists()


def test_page_export_uses_the_same_scope(world, browser_client):
    client = browser_client(world.college_a_admin)
    rows = csv_rows(download(client.get(reverse("export", args=["students", "csv"]))))
    assert column(rows, "学号") == ["A001"]
    rows = xlsx_rows(download(client.get(reverse("export", args=["students", "xlsx"]), {"q": "nobody"})))
    assert len(rows) == 1  # the header only
