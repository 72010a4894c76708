"""
Exports of the lists a user may see, as .xlsx or as CSV (UTF-8 with BOM, so Excel opens Chinese correctly).

Rows come from the selectors (scoped by the policy) narrowed by the same
FilterSet as the list pages and the API, and are read with ``iterator()``:
the number of queries does not depend on the number of rows. ID numbers and
phones are masked unless the row's ``pii_visible`` annotation says otherwise.
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import IO, Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import policy, selectors
from ..filtersets import OrganisationFilterSet, PersonFilterSet, StudentFilterSet, TeacherFilterSet
from ..validators import mask_national_id, mask_phone
from .importers import NAME, NAME_EN, ORGANISATION_COLUMNS, PERSON_COLUMNS, STUDENT_COLUMNS, Column

CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ExportKind(models.TextChoices):
    ORGANISATIONS = "organisations", gettext_lazy("Organisations")
    PEOPLE = "people", gettext_lazy("People")
    STUDENTS = "students", gettext_lazy("Students")
    TEACHERS = "teachers", gettext_lazy("Teachers")


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV (.csv)"


@dataclass(frozen=True)
class ExportColumn:
    """A column of an export: its title (shared with the import format where one exists) and its value."""

    column: Column
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportSpec:
    selector: Callable[..., models.QuerySet]
    filterset: type[django_filters.FilterSet]
    columns: tuple[ExportColumn, ...]


def _col(name: str, columns: tuple[Column, ...]) -> Column:
    """Return the import format's column ``name`` (exports use the same titles, so an export can be re-imported)."""
    return next(c for c in columns if c.field == name)


def _display(value: Any) -> str:
    return str(value) if value else ""


def _person_getters(path: Callable[[Any], Any]) -> tuple[ExportColumn, ...]:
    """Return the person columns, reading the person through ``path`` (masked unless ``pii_visible``)."""

    def national_id(row: Any) -> str:
        value = path(row).national_id or ""
        return value if row.pii_visible else mask_national_id(value)

    def phone(row: Any) -> str:
        value = path(row).phone or ""
        return value if row.pii_visible else mask_phone(value)

    return (
        ExportColumn(NAME, lambda r: path(r).name),
        ExportColumn(NAME_EN, lambda r: path(r).name_en),
        ExportColumn(_col("gender", PERSON_COLUMNS), lambda r: _display(path(r).get_gender_display())),
        ExportColumn(_col("national_id", PERSON_COLUMNS), national_id),
        ExportColumn(_col("phone", PERSON_COLUMNS), phone),
        ExportColumn(_col("email", PERSON_COLUMNS), lambda r: path(r).email),
    )


BIRTH_DATE = Column("birth_date", gettext_lazy("Birth date"), "出生日期", width=12)
ACTIVE = Column("is_active", gettext_lazy("Active"), "是否有效", width=8)
MAJOR_NAME = Column("major_name", gettext_lazy("Major"), "专业名称", width=20)
STAFF_NUMBER = Column("staff_number", gettext_lazy("Staff number"), "工号", width=14)
PROFESSIONAL_TITLE = Column("professional_title", gettext_lazy("Professional title"), "职称", width=14)
TEACHER_COLLEGE = Column("organisation", gettext_lazy("College"), "学院", width=20)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def _self(row: Any) -> Any:
    return row


def _person(row: Any) -> Any:
    return row.person


EXPORTS: dict[str, ExportSpec] = {
    ExportKind.ORGANISATIONS: ExportSpec(
        selector=selectors.organisation_list,
        filterset=OrganisationFilterSet,
        columns=(
            ExportColumn(_col("kind", ORGANISATION_COLUMNS), lambda r: r.get_kind_display()),
            ExportColumn(_col("name", ORGANISATION_COLUMNS), lambda r: r.name),
            ExportColumn(_col("name_en", ORGANISATION_COLUMNS), lambda r: r.name_en),
            ExportColumn(_col("uscc", ORGANISATION_COLUMNS), lambda r: r.uscc or ""),
            ExportColumn(_col("industry", ORGANISATION_COLUMNS), lambda r: _display(r.get_industry_display())),
            ExportColumn(_col("address", ORGANISATION_COLUMNS), lambda r: r.address),
            ExportColumn(_col("phone", ORGANISATION_COLUMNS), lambda r: r.phone),
            ExportColumn(_col("website", ORGANISATION_COLUMNS), lambda r: r.website),
            ExportColumn(ACTIVE, lambda r: _yes_no(r.is_active)),
        ),
    ),
    ExportKind.PEOPLE: ExportSpec(
        selector=selectors.person_list,
        filterset=PersonFilterSet,
        columns=(*_person_getters(_self), ExportColumn(BIRTH_DATE, lambda r: r.birth_date)),
    ),
    ExportKind.STUDENTS: ExportSpec(
        selector=selectors.student_list,
        filterset=StudentFilterSet,
        columns=(
            *_person_getters(_person),
            ExportColumn(_col("college", STUDENT_COLUMNS), lambda r: r.college.name),
            ExportColumn(_col("major", STUDENT_COLUMNS), lambda r: r.major.code),
            ExportColumn(MAJOR_NAME, lambda r: r.major.display_name),
            ExportColumn(_col("student_number", STUDENT_COLUMNS), lambda r: r.student_number),
            ExportColumn(_col("cohort_year", STUDENT_COLUMNS), lambda r: r.cohort_year),
            ExportColumn(_col("status", STUDENT_COLUMNS), lambda r: r.get_status_display()),
        ),
    ),
    ExportKind.TEACHERS: ExportSpec(
        selector=selectors.teacher_list,
        filterset=TeacherFilterSet,
        columns=(
            *_person_getters(_person),
            ExportColumn(TEACHER_COLLEGE, lambda r: r.organisation.name),
            ExportColumn(STAFF_NUMBER, lambda r: r.staff_number),
            ExportColumn(PROFESSIONAL_TITLE, lambda r: r.professional_title),
            ExportColumn(_col("major", STUDENT_COLUMNS), lambda r: r.major.code if r.major else ""),
        ),
    ),
}


def may_export(user: Any) -> bool:
    """Return whether ``user`` may export lists: a member of some organisation (what they get is still scoped)."""
    actor = policy.actor_for(user)
    return actor.is_authenticated and (actor.is_superuser or bool(actor.grants))


def export_queryset(*, user: Any, kind: str, params: Any) -> models.QuerySet:
    """Return the rows of ``kind`` that ``user`` may see, narrowed by the list's FilterSet over ``params``."""
    spec = EXPORTS[kind]
    # The FilterSet's relation choices are scoped by the request's user (see filtersets.scoped).
    filterset = spec.filterset(params, queryset=spec.selector(user=user), request=SimpleNamespace(user=user))
    if not filterset.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in filterset.errors.items()}, code="export_filter")
    return filterset.qs


def export_filename(kind: str, fmt: str) -> str:
    return f"{kind}-{timezone.localdate():%Y%m%d}.{fmt}"


def _rows(kind: str, queryset: models.QuerySet) -> Iterator[list[Any]]:
    columns = EXPORTS[kind].columns
    for row in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [c.value(row) for c in columns]


def _headers(kind: str) -> list[str]:
    return [c.column.title() for c in EXPORTS[kind].columns]


# A value a spreadsheet would run as a formula; numbers such as +8613912345678 or -1 are left alone.
_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_NUMBER_LIKE = re.compile(r"^[+\-]?[\d\s().\-]+$")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and _FORMULA_START.match(value) and not _NUMBER_LIKE.match(value):
        return "'" + value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else value


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for streaming a csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(*, kind: str, queryset: models.QuerySet) -> Iterator[bytes]:
    """Yield the CSV file (UTF-8 with BOM) row by row, in the language active now."""
    language = translation.get_language()

    def generate() -> Iterator[bytes]:
        # The response is streamed after the view returned: keep the request's language.
        with translation.override(language):
            writer = csv.writer(_Echo())
            yield ("\ufeff" + writer.writerow(_headers(kind))).encode("utf-8")
            for values in _rows(kind, queryset):
                yield writer.writerow([_csv_safe(v) for v in values]).encode("utf-8")

    return generate()


def xlsx_file(*, kind: str, queryset: models.QuerySet) -> IO[bytes]:
    """Return a temporary file holding the workbook (bold, frozen header; column widths), positioned at its start."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    columns = EXPORTS[kind].columns
    # Write-only mode streams rows to disk instead of holding every cell in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(ExportKind(kind).label)[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for title in _headers(kind):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for values in _rows(kind, queryset):
        sheet.append([_xlsx_cell(sheet, v) for v in values])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse streams and closes it
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text typed by a user is never a formula
        return cell
    return value


def export_response(*, user: Any, kind: str, fmt: str, params: Any) -> Any:
    """Return the download of ``kind`` as ``fmt`` for ``user`` (the one path of the HTML and API exports)."""
    from django.http import FileResponse, StreamingHttpResponse

    queryset = export_queryset(user=user, kind=kind, params=params)
    filename = export_filename(kind, fmt)
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(csv_stream(kind=kind, queryset=queryset), content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        xlsx_file(kind=kind, queryset=queryset), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
