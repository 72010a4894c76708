"""
Bulk import of organisations, people and students from .xlsx and .csv files.

``run_import`` reads the whole file, validates every row (the model's
``full_clean``, lookups scoped by the importing user through the selectors,
duplicates inside the file) and collects every error with the row number and
column title the user sees in Excel. Only when no row has an error, and the
run is not a dry run, are the rows created through the services inside one
transaction: all or nothing.

The accepted column titles are the English field names, the Chinese titles
defined below (park staff use Chinese Excel whatever the interface language)
and the translated labels; choice values are accepted as codes, as their
Chinese or English labels, or as the common Chinese words in
``CHOICE_ALIASES``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import policy, selectors, services
from ..choices import COLLEGE_KINDS, Gender, Industry, OrganisationKind, Role, StudentStatus
from ..models import Membership, Organisation, Park, Person, Student
from ..validators import national_id_check_char, uscc_check_char

# Larger files are refused at upload: an import is one transaction and one job.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# The job's result keeps at most this many errors (the total is always reported).
MAX_REPORTED_ERRORS = 1000

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportKind(models.TextChoices):
    ORGANISATIONS = "organisations", gettext_lazy("Organisations")
    PEOPLE = "people", gettext_lazy("People")
    STUDENTS = "students", gettext_lazy("Students")
    # Kinds whose importers other apps register with ``register_importer`` (the URLs list every kind;
    # a kind whose app is not installed answers 404).
    ROOMS = "rooms", gettext_lazy("Rooms and venues")
    COURSES = "courses", gettext_lazy("Courses")
    ENROLMENTS = "enrolments", gettext_lazy("Enrolments")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, corrupt, wrong encoding, too big)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- columns and accepted values ------------------------------------------------------


def normalise_title(text: Any) -> str:
    """Return a column title or choice value in the form used for matching (no spaces, case, '*' or '(必填)')."""
    text = re.sub(r"[(（]\s*(必填|required)\s*[)）]", "", str(text), flags=re.IGNORECASE)
    return re.sub(r"[\s_*]", "", text).lower()


@dataclass(frozen=True)
class Column:
    """One column of an import or export file."""

    field: str
    label: Any  # translatable English title
    zh: str  # the Chinese title park staff type
    aliases: tuple[str, ...] = ()
    required: bool = False
    choices: type[models.TextChoices] | None = None
    help: Any = ""
    example: str = ""
    width: int = 16

    def title(self) -> str:
        """Return the title written in files for the active language."""
        if (translation.get_language() or "").startswith("zh"):
            return self.zh
        return str(self.label)

    def accepted_titles(self) -> set[str]:
        with translation.override("en"):
            english = str(self.label)
        return {normalise_title(t) for t in (self.field, self.zh, english, str(self.label), *self.aliases)}


# Everyday Chinese words for choice values, accepted besides the codes and the translated labels.
CHOICE_ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Gender: {"男": Gender.MALE, "男性": Gender.MALE, "女": Gender.FEMALE, "女性": Gender.FEMALE},
    StudentStatus: {
        "在读": StudentStatus.ENROLLED,
        "在校": StudentStatus.ENROLLED,
        "在园": StudentStatus.IN_PARK,
        "在园区": StudentStatus.IN_PARK,
        "实习": StudentStatus.ON_INTERNSHIP,
        "实习中": StudentStatus.ON_INTERNSHIP,
        "岗位实习": StudentStatus.ON_INTERNSHIP,
        "毕业": StudentStatus.GRADUATED,
        "已毕业": StudentStatus.GRADUATED,
        "退学": StudentStatus.WITHDRAWN,
        "已退学": StudentStatus.WITHDRAWN,
    },
    OrganisationKind: {
        "管委会": OrganisationKind.COMMITTEE,
        "管理委员会": OrganisationKind.COMMITTEE,
        "现代产业学院": OrganisationKind.INDUSTRIAL_COLLEGE,
        "产业学院": OrganisationKind.INDUSTRIAL_COLLEGE,
        "合作院校": OrganisationKind.COOPERATIVE_COLLEGE,
        "合作学院": OrganisationKind.COOPERATIVE_COLLEGE,
        "院校": OrganisationKind.COOPERATIVE_COLLEGE,
        "企业": OrganisationKind.ENTERPRISE,
        "运营公司": OrganisationKind.OPERATOR,
        "运营方": OrganisationKind.OPERATOR,
        "评价组织": OrganisationKind.EVALUATION_ORG,
        "培训评价组织": OrganisationKind.EVALUATION_ORG,
    },
    Industry: {
        "煤炭": Industry.COAL_MINING,
        "煤矿": Industry.COAL_MINING,
        "煤炭开采": Industry.COAL_MINING,
        "煤电": Industry.COAL_POWER,
        "煤化工": Industry.COAL_CHEMICAL,
        "其他": Industry.OTHER,
    },
    Role: {
        "园区管理员": Role.PARK_ADMIN,
        "管委会工作人员": Role.COMMITTEE_OFFICER,
        "产业学院协调员": Role.COLLEGE_COORDINATOR,
        "学院管理员": Role.COLLEGE_ADMIN,
        "教师": Role.TEACHER,
        "老师": Role.TEACHER,
        "学生管理员": Role.STUDENT_MANAGER,
        "辅导员": Role.STUDENT_MANAGER,
        "企业人事": Role.ENTERPRISE_HR,
        "企业HR": Role.ENTERPRISE_HR,
        "人力资源": Role.ENTERPRISE_HR,
        "企业导师": Role.ENTERPRISE_MENTOR,
        "运营人员": Role.OPERATOR_STAFF,
        "学生": Role.STUDENT,
    },
}


def choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Return {normalised code, label or alias: code} for a choices class."""
    lookup: dict[str, str] = {}
    for code, label in choices.choices:
        names = {code, str(label)}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.add(str(label))
        for name in names:
            lookup[normalise_title(name)] = code
    for alias, code in CHOICE_ALIASES.get(choices, {}).items():
        lookup[normalise_title(alias)] = code
    return lookup


def _example_national_id() -> str:
    body = "65010020040517001"
    return body + national_id_check_char(body)


def _example_uscc() -> str:
    body = "91652300MA7H00001"
    return body + uscc_check_char(body)


NAME = Column("name", gettext_lazy("Name"), "姓名", ("名字",), required=True, example="张三", width=12)
NAME_EN = Column(
    "name_en", gettext_lazy("Name (pinyin or English)"), "英文名", ("拼音", "姓名拼音", "英文姓名"), example="Zhang San"
)
GENDER = Column("gender", gettext_lazy("Gender"), "性别", choices=Gender, example=Gender.MALE, width=8)
NATIONAL_ID = Column(
    "national_id",
    gettext_lazy("National ID number"),
    "身份证号",
    ("身份证号码", "身份证", "公民身份号码", "证件号码"),
    help=gettext_lazy("18 characters; format the column as text in Excel so no digit is lost."),
    example=_example_national_id(),
    width=22,
)
PHONE = Column(
    "phone", gettext_lazy("Phone"), "手机", ("手机号", "手机号码", "电话", "联系电话"), example="13912345678"
)
EMAIL = Column(
    "email", gettext_lazy("E-mail"), "邮箱", ("电子邮箱", "电子邮件", "e-mail"), example="zhangsan@example.cn"
)
PERSON_COLUMNS = (NAME, NAME_EN, GENDER, NATIONAL_ID, PHONE, EMAIL)

ORGANISATION_COLUMNS = (
    Column(
        "kind",
        gettext_lazy("Kind"),
        "类型",
        ("机构类型", "单位类型"),
        required=True,
        choices=OrganisationKind,
        example=OrganisationKind.ENTERPRISE,
        width=14,
    ),
    Column(
        "name",
        gettext_lazy("Name (Chinese)"),
        "名称",
        ("单位名称", "机构名称", "中文名称"),
        required=True,
        example="准东煤化工有限公司",
        width=24,
    ),
    Column("name_en", gettext_lazy("Name (English)"), "英文名称", example="Zhundong Coal Chemical Co., Ltd.", width=24),
    Column(
        "uscc",
        gettext_lazy("Unified social credit code"),
        "统一社会信用代码",
        ("信用代码", "社会信用代码"),
        help=gettext_lazy("Required for enterprises."),
        example=_example_uscc(),
        width=22,
    ),
    Column(
        "industry",
        gettext_lazy("Industry"),
        "行业",
        ("所属行业",),
        choices=Industry,
        help=gettext_lazy("Enterprises only."),
        example=Industry.COAL_CHEMICAL,
    ),
    Column("address", gettext_lazy("Address"), "地址", ("单位地址",), example="准东经济技术开发区", width=28),
    Column("phone", gettext_lazy("Phone"), "电话", ("联系电话",), example="0994-1234567"),
    Column("website", gettext_lazy("Website"), "网址", ("网站", "官网"), example="https://example.cn", width=24),
)

PEOPLE_COLUMNS = (
    *PERSON_COLUMNS,
    Column(
        "organisation",
        gettext_lazy("Organisation"),
        "单位",
        ("所在单位", "工作单位", "机构"),
        help=gettext_lazy("Name or unified social credit code; with a role, the person becomes a member."),
        example="煤化工企业一",
        width=20,
    ),
    Column("role", gettext_lazy("Role"), "角色", ("岗位角色",), choices=Role, example=Role.ENTERPRISE_MENTOR, width=14),
    Column(
        "start_date",
        gettext_lazy("Start date"),
        "开始日期",
        ("入职日期", "起始日期"),
        help=gettext_lazy("YYYY-MM-DD; today if empty."),
        example="2025-09-01",
        width=12,
    ),
)

STUDENT_COLUMNS = (
    *PERSON_COLUMNS,
    Column(
        "college",
        gettext_lazy("College"),
        "学院",
        ("院校", "所属学院", "学校"),
        required=True,
        help=gettext_lazy("Name or unified social credit code of the home college."),
        example="合作学院甲",
        width=20,
    ),
    Column("major", gettext_lazy("Major code"), "专业代码", ("专业",), required=True, example="430101", width=10),
    Column("student_number", gettext_lazy("Student number"), "学号", required=True, example="A2025001", width=14),
    Column(
        "cohort_year",
        gettext_lazy("Cohort year"),
        "入学年份",
        ("年级", "入学年"),
        required=True,
        example="2025",
        width=10,
    ),
    Column(
        "status",
        gettext_lazy("Status"),
        "状态",
        ("学籍状态",),
        choices=StudentStatus,
        help=gettext_lazy("Enrolled if empty."),
        example=StudentStatus.ENROLLED,
        width=10,
    ),
)


# --- reading files ---------------------------------------------------------------------


@dataclass
class Table:
    """The cells of a file: the header row and the data rows with their row numbers."""

    headers: list[Any]
    rows: list[tuple[int, list[Any]]]


def file_format(filename: str) -> str:
    """Return "xlsx" or "csv" for an accepted file name; raise ImportFileError otherwise."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xls"):
        raise ImportFileError(_("Old Excel files (.xls) cannot be read; save the file as .xlsx or .csv."))
    raise ImportFileError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def check_size(size: int) -> None:
    """Refuse a file larger than ``MAX_UPLOAD_BYTES`` (before reading it)."""
    if size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            _("The file is larger than %(size)s MB; split it into several imports.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )


def check_upload(filename: str, content: bytes) -> None:
    """Refuse, before any job starts, a file that is empty, too big, of another type or plainly not a workbook."""
    fmt = file_format(filename)
    if not content:
        raise ImportFileError(_("The file is empty."))
    check_size(len(content))
    if fmt == "xlsx" and not zipfile.is_zipfile(io.BytesIO(content)):
        raise ImportFileError(_("The file could not be read as an Excel workbook (.xlsx)."))


def read_table(filename: str, content: bytes) -> Table:
    """Return the cells of the first sheet of an .xlsx or of a CSV file."""
    check_upload(filename, content)
    rows = _read_xlsx(content) if file_format(filename) == "xlsx" else iter(_read_csv(content))
    try:
        return _collect(rows)
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # closes the workbook when reading stopped early


def _collect(rows: Iterator[Any]) -> Table:
    table: Table | None = None
    data_rows = 0
    for number, cells in enumerate(rows, start=1):
        if table is None:
            if not any(_cell_text(c) for c in cells):
                raise ImportFileError(_("The first row must hold the column titles."))
            table = Table(headers=list(cells), rows=[])
            continue
        if not any(_cell_text(c) for c in cells):
            continue  # blank lines and formatted but empty Excel rows
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into several imports.") % {"max": MAX_ROWS}
            )
        table.rows.append((number, list(cells)))
    if table is None:
        raise ImportFileError(_("The file is empty."))
    return table


def _read_xlsx(content: bytes) -> Iterator[tuple[Any, ...]]:
    import openpyxl

    unreadable = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error on a corrupt file
        raise ImportFileError(unreadable) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        # The stored dimensions are often wrong in files written by other tools; read what is there.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a damaged sheet fails while its rows are read
        raise ImportFileError(unreadable) from None
    finally:
        workbook.close()


def decode_csv(content: bytes) -> str:
    """Return the text of a CSV file in UTF-8 (with or without BOM) or, as Chinese Excel saves it, GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ImportFileError(_("The CSV file could not be read: save it as UTF-8 or GB18030 text."))


def _read_csv(content: bytes) -> list[list[str]]:
    text = decode_csv(content)
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error:
        raise ImportFileError(_("The CSV file could not be read: its quoting is broken.")) from None


def _cell_text(value: Any) -> str:
    """Return a cell as the text the user typed (numbers without '.0', dates as YYYY-MM-DD)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date_text(text: str) -> str:
    """Return a date typed as 2025/9/1, 2025.9.1 or 2025年9月1日 in the ISO form the model reads."""
    text = re.sub(r"[/.年月]", "-", text).replace("日", "").strip()
    return text


# --- rows, errors and results --------------------------------------------------------


@dataclass
class RowError:
    """One problem: the row as numbered in Excel (header = 1; None for the whole file), the column title, the reason."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Row:
    number: int
    values: dict[str, str]  # by field name, as text
    raw: dict[str, Any]  # by field name, as read (to spot IDs Excel turned into numbers)
    errors: list[RowError] = field(default_factory=list)
    plan: dict[str, Any] | None = None  # what to create, once the row is valid


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def would_create(self) -> int:
        return self.rows if self.ok else 0

    def summary(self) -> str:
        """Return one translated sentence for the job's message."""
        if self.errors:
            return ngettext(
                "%(count)s error found; nothing was written.",
                "%(count)s errors found; nothing was written.",
                len(self.errors),
            ) % {"count": len(self.errors)}
        if self.dry_run:
            return ngettext(
                "Dry run: %(count)s row checked without errors; nothing was written.",
                "Dry run: %(count)s rows checked without errors; nothing was written.",
                self.rows,
            ) % {"count": self.rows}
        return ngettext("%(count)s row imported.", "%(count)s rows imported.", self.created) % {"count": self.created}

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": self.rows,
            "created": self.created,
            "would_create": self.would_create,
            "error_count": len(self.errors),
            "errors": [e.as_dict() for e in self.errors[:MAX_REPORTED_ERRORS]],
            "errors_truncated": len(self.errors) > MAX_REPORTED_ERRORS,
        }


class _Rollback(Exception):
    """Leave the writing transaction so that it rolls back."""


# --- importers -------------------------------------------------------------------------


class Importer:
    """
    The format and rules of one kind of import.

    A subclass declares its ``model`` and ``columns`` and implements
    ``check`` (validate one row and set ``row.plan``), ``check_file``
    (duplicates across rows) and ``create`` (write one planned row through the
    services).
    """

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]

    def __init__(self, *, user: Any, park: Park) -> None:
        self.user = user
        self.park = park
        self.titles: dict[str, str] = {}  # field -> the column title as written in the file
        self._choices: dict[type[models.TextChoices], dict[str, str]] = {}

    @classmethod
    def may_import(cls, user: Any, park: Park | None = None) -> bool:
        """Return whether ``user`` may add rows of this kind (into ``park`` when given): the service's own rule."""
        if park is None:
            return policy.may_add_any(user, cls.model)
        return policy.can_add(user, cls.model(park=park))

    @classmethod
    def column(cls, name: str) -> Column:
        return next(c for c in cls.columns if c.field == name)

    def prepare(self) -> None:
        """Load what the rows are looked up against, in a fixed number of queries."""

    def check(self, row: Row) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def check_file(self, rows: list[Row]) -> None:
        """Add the errors that only show across rows (duplicates inside the file)."""

    def create(self, row: Row) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    # --- reading the rows -------------------------------------------------------------
    def read_rows(self, table: Table) -> tuple[list[Row], list[RowError]]:
        """Map the header to columns and return the data rows, or the header's errors."""
        from openpyxl.utils import get_column_letter

        by_title: dict[str, Column] = {}
        for column in self.columns:
            for title in column.accepted_titles():
                by_title.setdefault(title, column)
        errors: list[RowError] = []
        positions: dict[int, Column] = {}
        for index, header in enumerate(table.headers):
            text = _cell_text(header)
            if not text:
                continue
            column = by_title.get(normalise_title(text))
            if column is None:
                errors.append(RowError(1, text, _("Unknown column; use the titles of the template.")))
            elif column.field in self.titles:
                errors.append(RowError(1, text, _("This column appears twice.")))
            else:
                positions[index] = column
                self.titles[column.field] = text
        for column in self.columns:
            if column.required and column.field not in self.titles:
                errors.append(RowError(1, column.title(), _("This column is required but missing.")))
        if errors:
            return [], errors
        rows = []
        for number, cells in table.rows:
            row = Row(number=number, values={}, raw={})
            for index, value in enumerate(cells):
                column = positions.get(index)
                if column is None:
                    if _cell_text(value):
                        row.errors.append(
                            RowError(
                                number, get_column_letter(index + 1), _("This value is in a column without a title.")
                            )
                        )
                    continue
                row.raw[column.field] = value
                row.values[column.field] = _cell_text(value)
            rows.append(row)
        return rows, []

    # --- helpers for subclasses -------------------------------------------------------
    def title(self, name: str) -> str:
        """Return the title of a column as written in the file (or as the template writes it)."""
        if name in self.titles:
            return self.titles[name]
        try:
            return self.column(name).title()
        except StopIteration:
            return name

    def error(self, row: Row, name: str, message: Any) -> None:
        row.errors.append(RowError(row.number, self.title(name), str(message)))

    def text(self, row: Row, name: str) -> str:
        return row.values.get(name, "")

    def value(self, row: Row, name: str) -> str:
        """Return a cell's value for the model: choices as codes, dates in ISO form."""
        text = self.text(row, name)
        column = self.column(name)
        if text and column.choices is not None:
            lookup = self._choices.setdefault(column.choices, choice_lookup(column.choices))
            return lookup.get(normalise_title(text), text)
        if text and name.endswith("_date"):
            return _date_text(text)
        return text

    def given(self, row: Row, names: Iterable[str]) -> dict[str, Any]:
        """Return the model values of the non-empty cells among ``names`` (empty cells keep the model's default)."""
        return {name: self.value(row, name) for name in names if self.text(row, name)}

    def full_clean(
        self,
        row: Row,
        instance: models.Model,
        *,
        exclude: Iterable[str] = (),
        whole_row: str = "name",
    ) -> bool:
        """
        Run ``instance.full_clean`` and add its errors to the row; return whether it passed.

        Field errors go to the column of the same name (the columns are named
        after the model fields); errors of the whole instance, such as a
        unique constraint over several fields, go to the column ``whole_row``.
        """
        try:
            instance.full_clean(exclude=list(exclude))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                target = whole_row if name == NON_FIELD_ERRORS else name
                for message in messages:
                    self.error(row, target, message)
            return False
        return True

    def person_values(self, row: Row) -> tuple[dict[str, Any], bool]:
        """Return the person's fields of a row and whether they are usable (an ID Excel turned into a number is not)."""
        values = self.given(row, [c.field for c in PERSON_COLUMNS])
        if isinstance(row.raw.get("national_id"), float):
            self.error(
                row,
                "national_id",
                _(
                    "Excel stored this ID number as a number and lost digits; format the column as text and type it again."
                ),
            )
            values.pop("national_id", None)
            return values, False
        return values, True

    def flag_duplicates(self, rows: list[Row], name: str, key: Callable[[Row], Any], message: str) -> None:
        """Report rows whose ``key`` repeats an earlier row's ("%(row)s" in ``message`` is that row)."""
        first: dict[Any, int] = {}
        for row in rows:
            k = key(row)
            if not k:
                continue
            if k in first:
                self.error(row, name, message % {"row": first[k]})
            else:
                first[k] = row.number


class OrganisationImporter(Importer):
    kind = ImportKind.ORGANISATIONS
    model = Organisation
    columns = ORGANISATION_COLUMNS

    def check(self, row: Row) -> None:
        org = Organisation(park=self.park, **self.given(row, [c.field for c in self.columns]))
        if not self.full_clean(row, org):
            return
        if not policy.can_add(self.user, org):
            self.error(row, "name", _("You may not add organisations to this park."))
            return
        row.plan = {c.field: getattr(org, c.field) for c in self.columns}

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows, "uscc", lambda r: self.text(r, "uscc").upper(), _("The same credit code is already in row %(row)s.")
        )
        self.flag_duplicates(
            rows, "name", lambda r: self.text(r, "name"), _("The same name is already in row %(row)s.")
        )

    def create(self, row: Row) -> None:
        services.organisation_create(actor=self.user, park=self.park, **row.plan)


class _OrganisationLookup:
    """Organisations the importing user may see in the park, found by name, English name or credit code."""

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self.by_key: dict[str, Organisation] = {}
        english: dict[str, list[Organisation]] = {}
        for org in organisations:
            self.by_key[org.name.strip()] = org
            if org.uscc:
                self.by_key[org.uscc.upper()] = org
            if org.name_en:
                english.setdefault(org.name_en.strip().lower(), []).append(org)
        for name, orgs in english.items():
            if len(orgs) == 1:  # an English name is not unique; only an unambiguous one is used
                self.by_key.setdefault(name, orgs[0])

    def find(self, text: str) -> Organisation | None:
        text = text.strip()
        return self.by_key.get(text) or self.by_key.get(text.upper()) or self.by_key.get(text.lower())


class PeopleImporter(Importer):
    kind = ImportKind.PEOPLE
    model = Person
    columns = PEOPLE_COLUMNS

    def prepare(self) -> None:
        self.organisations = _OrganisationLookup(selectors.organisation_list(user=self.user).filter(park=self.park))

    def check(self, row: Row) -> None:
        values, usable = self.person_values(row)
        person = Person(park=self.park, **values)
        valid = self.full_clean(row, person) and usable
        if valid and not policy.can_add(self.user, person):
            self.error(row, "name", _("You may not add people to this park."))
            valid = False
        membership = self._check_membership(row)
        if valid and membership is not False:
            row.plan = {"person": {c.field: getattr(person, c.field) for c in PERSON_COLUMNS}, "membership": membership}

    def _check_membership(self, row: Row) -> dict[str, Any] | None | bool:
        """Return the membership to create (None when the row names none), or False when it is invalid."""
        org_text, role = self.text(row, "organisation"), self.value(row, "role")
        if not (org_text or role or self.text(row, "start_date")):
            return None
        valid = True
        organisation = self.organisations.find(org_text) if org_text else None
        if not org_text:
            self.error(row, "organisation", _("Give the organisation in which the role is held."))
            valid = False
        elif organisation is None:
            self.error(row, "organisation", _("Organisation not found, or not yours."))
            valid = False
        if not role:
            self.error(row, "role", _("Give the role held in the organisation."))
            valid = False
        elif role not in Role.values:
            self.error(row, "role", _("Unknown role %(role)s.") % {"role": role})
            valid = False
        if not valid:
            return False
        membership = Membership(
            organisation=organisation,
            role=role,
            start_date=self.value(row, "start_date") or timezone.localdate(),
        )
        if not self.full_clean(row, membership, exclude=["person"], whole_row="role"):
            return False
        if not policy.can_add(self.user, membership):
            self.error(row, "role", _("You may not grant this role in this organisation."))
            return False
        return {"organisation": organisation, "role": membership.role, "start_date": membership.start_date}

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "national_id",
            lambda r: self.text(r, "national_id").upper(),
            _("The same ID number is already in row %(row)s."),
        )

    def create(self, row: Row) -> None:
        services.person_create(
            actor=self.user, park=self.park, membership=row.plan["membership"] or None, **row.plan["person"]
        )


class StudentImporter(Importer):
    kind = ImportKind.STUDENTS
    model = Student
    columns = STUDENT_COLUMNS

    @classmethod
    def may_import(cls, user: Any, park: Park | None = None) -> bool:
        # A student's permission depends on their college, which each row names: checked per row.
        return policy.may_add_any(user, Student)

    def prepare(self) -> None:
        colleges = selectors.organisation_list(user=self.user).filter(park=self.park, kind__in=list(COLLEGE_KINDS))
        self.colleges = _OrganisationLookup(colleges)
        self.majors = {m.code.strip().upper(): m for m in selectors.major_list(user=self.user).filter(park=self.park)}

    def check(self, row: Row) -> None:
        values, usable = self.person_values(row)
        person = Person(park=self.park, **values)
        valid = self.full_clean(row, person) and usable

        college = self.colleges.find(self.text(row, "college")) if self.text(row, "college") else None
        if college is not None and not policy.can_add(self.user, Student(college=college)):
            college = None  # visible but not the user's to add students to: the same answer as unknown
        if college is None and self.text(row, "college"):
            self.error(row, "college", _("College not found, or not yours."))
            valid = False
        major = self.majors.get(self.text(row, "major").upper()) if self.text(row, "major") else None
        if major is None and self.text(row, "major"):
            self.error(row, "major", _("No major with code %(code)s in this park.") % {"code": self.text(row, "major")})
            valid = False

        fields = self.given(row, ["student_number", "cohort_year", "status"])
        exclude = ["person"]
        if college is not None:
            fields["college"] = college
        elif self.text(row, "college"):
            exclude.append("college")  # already reported
        if major is not None:
            fields["major"] = major
        elif self.text(row, "major"):
            exclude.append("major")
        student = Student(**fields)
        valid = self.full_clean(row, student, exclude=exclude, whole_row="student_number") and valid
        if valid:
            row.plan = {
                "person_fields": {c.field: getattr(person, c.field) for c in PERSON_COLUMNS},
                "college": college,
                "major": major,
                "student_number": student.student_number,
                "cohort_year": student.cohort_year,
                "status": student.status,
            }

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "national_id",
            lambda r: self.text(r, "national_id").upper(),
            _("The same ID number is already in row %(row)s."),
        )

        def college_and_number(row: Row) -> tuple[str, str] | None:
            number = self.text(row, "student_number")
            if not number:
                return None
            college = self.colleges.find(self.text(row, "college"))
            return (str(college.pk) if college else self.text(row, "college"), number)

        self.flag_duplicates(
            rows,
            "student_number",
            college_and_number,
            _("The same student number of this college is already in row %(row)s."),
        )

    def create(self, row: Row) -> None:
        services.student_create(actor=self.user, **row.plan)


IMPORTERS: dict[str, type[Importer]] = {
    ImportKind.ORGANISATIONS: OrganisationImporter,
    ImportKind.PEOPLE: PeopleImporter,
    ImportKind.STUDENTS: StudentImporter,
}


def register_importer(importer: type[Importer]) -> type[Importer]:
    """Add an app's importer of one of the ``ImportKind`` kinds (called from the app's ``ready()``)."""
    if importer.kind not in ImportKind.values:
        raise ValueError(f"{importer.kind!r} is not an ImportKind")
    IMPORTERS[importer.kind] = importer
    return importer


def importer_class(kind: str) -> type[Importer]:
    """Return the importer of ``kind`` (raise ValidationError for an unknown kind)."""
    try:
        return IMPORTERS[kind]
    except KeyError:
        raise ValidationError({"kind": _("Unknown kind of import.")}, code="import_kind") from None


def may_import(user: Any, kind: str | None = None, park: Park | None = None) -> bool:
    """Return whether ``user`` may import ``kind`` (any kind if None), into ``park`` if given."""
    if not getattr(user, "is_authenticated", False):
        return False
    kinds = [kind] if kind else list(IMPORTERS)
    return any(kind in IMPORTERS and IMPORTERS[kind].may_import(user, park) for kind in kinds)


def import_park(*, user: Any, park_id: int | None = None) -> Park:
    """Return the park to import into: the one asked for, else the user's own, else their only park."""
    parks = selectors.park_list(user=user)
    if park_id is not None:
        park = parks.filter(pk=park_id).first()
        if park is None:
            raise ValidationError({"park": _("Park not found.")}, code="park_not_found")
        return park
    own = policy.actor_for(user).person_park_id
    if own is not None:
        park = parks.filter(pk=own).first()
        if park is not None:
            return park
    candidates = list(parks[:2])
    if len(candidates) == 1:
        return candidates[0]
    raise ValidationError({"park": _("Choose the park to import into.")}, code="park_required")


# --- the run ---------------------------------------------------------------------------


def _no_progress(done: int, total: int | None = None, message: str = "") -> None:
    pass


def _not_cancelled() -> None:
    pass


def run_import(
    *,
    user: Any,
    park: Park,
    kind: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    progress: Callable[..., None] = _no_progress,
    check_cancelled: Callable[[], None] = _not_cancelled,
) -> ImportResult:
    """
    Validate every row of the file, then (unless ``dry_run`` or any error) create all rows in one transaction.

    ``progress(done, total, message)`` is called after each row of each phase;
    ``check_cancelled()`` before each row, and raises to stop: raised while
    writing, it rolls back every row written so far.
    """
    importer = importer_class(kind)(user=user, park=park)
    result = ImportResult(kind=kind, dry_run=dry_run)
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

    total = len(rows) if dry_run else 2 * len(rows)
    importer.prepare()
    for done, row in enumerate(rows, start=1):
        check_cancelled()
        importer.check(row)
        progress(done, total, _("Checking row %(row)s of %(rows)s") % {"row": done, "rows": len(rows)})
    importer.check_file(rows)
    result.errors = sorted((e for row in rows for e in row.errors), key=lambda e: e.row or 0)
    if result.errors or dry_run:
        if total:
            progress(total, total, result.summary())  # no writing phase follows: the job is done
        return result

    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                check_cancelled()
                try:
                    importer.create(row)
                except (ValidationError, PermissionDenied, IntegrityError) as exc:
                    # Validation predicts the services; should they still refuse, report the row and undo all.
                    result.errors.append(RowError(row.number, "", _describe(exc)))
                    raise _Rollback from exc
                progress(
                    len(rows) + done, total, _("Writing row %(row)s of %(rows)s") % {"row": done, "rows": len(rows)}
                )
    except _Rollback:
        return result
    result.created = len(rows)
    return result


def _describe(exc: Exception) -> str:
    if isinstance(exc, PermissionDenied):
        return _("You are not allowed to create this row.")
    if isinstance(exc, ValidationError):
        return " ".join(str(m) for m in exc.messages)
    return _("The row conflicts with existing data (a duplicate).")


# --- templates -------------------------------------------------------------------------


def template_workbook(kind: str) -> bytes:
    """Return an .xlsx with the header row (required titles marked '*') and one example row."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    importer = importer_class(kind)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(ImportKind(kind).label)[:31]
    for index, column in enumerate(importer.columns, start=1):
        header = sheet.cell(row=1, column=index, value=column.title() + (" *" if column.required else ""))
        header.font = Font(bold=True)
        example = column.example
        if column.choices is not None and example:
            example = str(column.choices(example).label)
        cell = sheet.cell(row=2, column=index, value=example)
        cell.data_type = "s"
        cell.number_format = "@"  # text, so long ID numbers keep every digit
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_response(kind: str) -> Any:
    """Return the download of the template of ``kind`` (the one path of the HTML and API downloads)."""
    from django.http import HttpResponse

    response = HttpResponse(template_workbook(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response
