"""
Bulk upload of the college's graduate survey from .xlsx or .csv, on the pattern of ``iepark.core.io``.

One row per answer: the graduate's student number (and college, for staff of
several colleges), the date, employed or not, and the employer (a zone
enterprise by name or credit code, or the name of one outside the zone).
Every row is checked first (the graduate among the uploader's own students,
the employer among the zone's enterprises, the claim's own rules, duplicates in
the file); only a file without errors, and not a dry run, is written, each row
through ``services.survey_report`` in one transaction: all or nothing. Files
are small (one college's graduates), so the upload runs in the request.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepark.core import policy
from iepark.core.io.importers import (
    XLSX_CONTENT_TYPE,
    Column,
    Importer,
    ImportFileError,
    ImportResult,
    Row,
    RowError,
    _date_text,
    check_size,
    normalise_title,
    read_table,
)
from iepark.core.models import Organisation, Student

from ..models import EmploymentClaim
from ..policy import OUTCOME_EDITOR_ROLES
from . import selectors, services

__all__ = ["ImportFileError", "SurveyImporter", "check_size", "survey_import", "survey_template_response"]

SURVEY_KIND = "graduate_survey"

# Answers accepted in the "employed" column (normalised), besides the codes yes/no.
EMPLOYED_WORDS = {
    True: {"yes", "y", "true", "1", "是", "已就业", "就业", "在职", "employed"},
    False: {"no", "n", "false", "0", "否", "未就业", "待就业", "离职", "notemployed"},
}


class SurveyImporter(Importer):
    """The columns and checks of the graduate survey upload."""

    kind = SURVEY_KIND
    model = EmploymentClaim
    columns = (
        Column(
            "student_number",
            gettext_lazy("Student number"),
            "学号",
            required=True,
            example="A2023001",
            width=14,
        ),
        Column(
            "college",
            gettext_lazy("College"),
            "学院",
            ("院校", "所属学院"),
            help=gettext_lazy("Name or credit code; needed only if you keep the outcomes of several colleges."),
            example="",
            width=20,
        ),
        Column(
            "as_of",
            gettext_lazy("As of"),
            "调查日期",
            ("日期", "截至日期"),
            required=True,
            help=gettext_lazy("YYYY-MM-DD."),
            example="2026-09-01",
            width=12,
        ),
        Column(
            "employed",
            gettext_lazy("Employed"),
            "是否就业",
            ("就业", "就业情况"),
            required=True,
            help=gettext_lazy("Yes or no (是/否)."),
            example="是",
            width=10,
        ),
        Column(
            "employer",
            gettext_lazy("Zone employer"),
            "区内企业",
            ("就业单位", "企业"),
            help=gettext_lazy("Name or credit code of a zone enterprise."),
            example="煤化工企业一",
            width=24,
        ),
        Column(
            "employer_name",
            gettext_lazy("Employer outside the zone"),
            "区外单位",
            ("区外就业单位",),
            help=gettext_lazy("If the employer is not a zone enterprise."),
            width=24,
        ),
        Column("note", gettext_lazy("Note"), "备注", example="", width=24),
    )

    def __init__(self, *, user: Any) -> None:
        super().__init__(user=user, park=None)  # type: ignore[arg-type]

    @classmethod
    def column_rows(cls) -> list[dict[str, Any]]:
        """Describe the columns for the upload page."""
        return [{"title": c.title(), "field": c.field, "required": c.required, "help": c.help} for c in cls.columns]

    def prepare(self) -> None:
        actor = policy.actor_for(self.user)
        students = policy.restrict(Student.objects.select_related("person", "college"), self.user)
        if not actor.is_superuser:
            students = students.filter(college__in=actor.orgs(OUTCOME_EDITOR_ROLES))
        self.students: dict[str, list[Student]] = {}
        for student in students:
            self.students.setdefault(student.student_number.strip().upper(), []).append(student)
        self.employers = _Lookup(selectors.employer_choices(user=self.user))
        self.colleges = _Lookup({s.college for group in self.students.values() for s in group})

    def check(self, row: Row) -> None:
        if row.errors:
            return
        number = self.text(row, "student_number").upper()
        candidates = self.students.get(number, [])
        college_text = self.text(row, "college")
        if college_text:
            college = self.colleges.find(college_text)
            if college is None:
                self.error(row, "college", _("Not found, or not one of your colleges."))
                return
            candidates = [s for s in candidates if s.college_id == college.pk]
        if not candidates:
            self.error(row, "student_number", _("Not found among your students."))
            return
        if len(candidates) > 1:
            self.error(row, "college", _("Several of your colleges have this student number: name the college."))
            return
        student = candidates[0]
        employed_text = normalise_title(self.text(row, "employed"))
        employed = next((value for value, words in EMPLOYED_WORDS.items() if employed_text in words), None)
        if employed is None:
            self.error(row, "employed", _("Write yes or no (是/否)."))
            return
        try:
            as_of = datetime.date(*(int(part) for part in _date_text(self.text(row, "as_of")).split("-")))
        except (TypeError, ValueError):
            self.error(row, "as_of", _("Not a date; write it as YYYY-MM-DD."))
            return
        employer = None
        employer_text = self.text(row, "employer")
        if employer_text:
            employer = self.employers.find(employer_text)
            if employer is None:
                self.error(
                    row, "employer", _("Not a zone enterprise you can name; write it as an employer outside the zone.")
                )
                return
        plan = {
            "student": student,
            "as_of": as_of,
            "employed": employed,
            "employer": employer if employed else None,
            "employer_name": self.text(row, "employer_name") if employed else "",
            "note": self.text(row, "note")[:300],
        }
        claim = EmploymentClaim(source="college_survey", status="agrees", **plan)
        try:
            services.claim_validate(claim)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.error(row, name if name in {c.field for c in self.columns} else "student_number", message)
            return
        row.plan = plan

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "student_number",
            lambda r: (r.plan["student"].pk, r.plan["as_of"]) if r.plan else None,
            _("The same graduate and date are in row %(row)s already."),
        )

    def create(self, row: Row) -> None:
        services.survey_report(actor=self.user, **row.plan)


class _Lookup:
    """Organisations found by name, English name or credit code."""

    def __init__(self, organisations: Any) -> None:
        self.by_key: dict[str, Organisation] = {}
        for org in organisations:
            for key in (org.name, org.name_en, org.uscc):
                if key:
                    self.by_key.setdefault(normalise_title(key), org)

    def find(self, text: str) -> Organisation | None:
        return self.by_key.get(normalise_title(text))


def survey_import(*, user: Any, filename: str, content: bytes, dry_run: bool) -> ImportResult:
    """Check every row of a survey file, then (unless ``dry_run`` or any error) record all answers in one transaction."""
    importer = SurveyImporter(user=user)
    result = ImportResult(kind=SURVEY_KIND, dry_run=dry_run)
    try:
        table = read_table(filename, content)
    except ImportFileError as exc:
        result.errors.append(RowError(None, "", exc.message))
        return result
    rows, header_errors = importer.read_rows(table)
    result.rows = len(table.rows)
    if header_errors:
        result.errors = header_errors
        return result
    importer.prepare()
    for row in rows:
        importer.check(row)
    importer.check_file(rows)
    result.errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row or 0)
    if result.errors or dry_run:
        return result
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    importer.create(row)
                except (ValidationError, PermissionDenied, IntegrityError) as exc:
                    message = (
                        _("You are not allowed to create this row.")
                        if isinstance(exc, PermissionDenied)
                        else " ".join(getattr(exc, "messages", [str(exc)]))
                    )
                    result.errors.append(RowError(row.number, "", message))
                    raise _Rollback from exc
    except _Rollback:
        return result
    result.created = len(rows)
    return result


class _Rollback(Exception):
    """Leave the writing transaction so that it rolls back."""


def survey_template_response() -> Any:
    """Return the download of the survey upload's .xlsx template (header row and one example)."""
    import openpyxl
    from django.http import HttpResponse
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(_("Graduate survey"))[:31]
    for index, column in enumerate(SurveyImporter.columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.title() + (" *" if column.required else ""))
        header.font = Font(bold=True)
        cell = sheet.cell(row=2, column=index, value=column.example)
        cell.data_type = "s"
        cell.number_format = "@"
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{SURVEY_KIND}-template.xlsx"'
    return response
