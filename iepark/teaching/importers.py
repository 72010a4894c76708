"""
Bulk import of rooms, courses and enrolments, through the platform's one import
mechanism (``iepark.core.io.importers``): every row is checked first (lookups
scoped by the importing user through the selectors, the models' ``full_clean``,
the services' own rules, duplicates inside the file), every bad row is reported
with its row number, column title and reason, and only a file without errors is
written, all or nothing, through the services (so each row is audited as a form
would be).

The importers register themselves into ``IMPORTERS`` from ``TeachingConfig.ready``.
Lists inside a cell (features, teachers, cohorts) are separated by commas
(half- or full-width), 、 or semicolons.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from iepark.core import policy
from iepark.core import selectors as core_selectors
from iepark.core.choices import COLLEGE_KINDS
from iepark.core.io.importers import (
    CHOICE_ALIASES,
    Column,
    Importer,
    ImportKind,
    Row,
    _OrganisationLookup,
    register_importer,
)
from iepark.core.models import Organisation, Park, Student

from . import selectors, services
from .choices import CohortType, CourseType, RoomKind
from .models import ROOM_OWNER_KINDS, Cohort, Course, Enrolment, Room, RoomFeature, Term
from .policy import COLLEGE_MANAGER_ROLES, runs_teaching

# Everyday Chinese words for the kinds of rooms and of courses, besides the codes and labels.
CHOICE_ALIASES[RoomKind] = {
    "普通教室": RoomKind.CLASSROOM,
    "多媒体教室": RoomKind.CLASSROOM,
    "实训室": RoomKind.TRAINING_ROOM,
    "实训车间": RoomKind.TRAINING_ROOM,
    "实训基地": RoomKind.TRAINING_ROOM,
    "实验室": RoomKind.LAB,
    "机房": RoomKind.COMPUTER_ROOM,
    "计算机房": RoomKind.COMPUTER_ROOM,
    "计算机教室": RoomKind.COMPUTER_ROOM,
    "电脑室": RoomKind.COMPUTER_ROOM,
    "体育馆": RoomKind.GYMNASIUM,
    "运动场": RoomKind.SPORTS_FIELD,
    "操场": RoomKind.SPORTS_FIELD,
    "体育场": RoomKind.SPORTS_FIELD,
    "会议室": RoomKind.MEETING_ROOM,
}
CHOICE_ALIASES[CourseType] = {
    "理论": CourseType.THEORY,
    "理论课": CourseType.THEORY,
    "实践": CourseType.PRACTICAL,
    "实践课": CourseType.PRACTICAL,
    "实训": CourseType.PRACTICAL,
    "实训课": CourseType.PRACTICAL,
    "实验课": CourseType.PRACTICAL,
}

LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")
QUALIFIER_SEPARATORS = re.compile(r"[/／]")
TRUE_WORDS = {"1", "y", "yes", "true", "是", "启用", "可用", "在用", "√", "✓"}
FALSE_WORDS = {"0", "n", "no", "false", "否", "停用", "不可用", "×", "✗"}


def split_list(text: str) -> list[str]:
    """Return the names of a cell holding a list, in order, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in LIST_SEPARATORS.split(text or ""):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _teaches_in(user: Any, park: Park | None) -> bool:
    """Teaching administrators of the park, or administrators of one of its colleges (``None``: of any park)."""
    actor = policy.actor_for(user)
    if not actor.is_authenticated:
        return False
    if actor.is_superuser or runs_teaching(actor, None if park is None else park.pk):
        return True
    return any(g.role in COLLEGE_MANAGER_ROLES and (park is None or g.park_id == park.pk) for g in actor.grants)


class _FeatureLookup:
    """The park's room features, by Chinese or English name."""

    def __init__(self, features: list[RoomFeature]) -> None:
        self.features = features
        self.by_name: dict[str, RoomFeature] = {}
        for feature in features:
            if feature.name_en:
                self.by_name.setdefault(feature.name_en.strip().lower(), feature)
        for feature in features:
            self.by_name[feature.name.strip().lower()] = feature

    def find(self, importer: Importer, row: Row, name: str) -> list[RoomFeature] | None:
        """Return the features named in the cell ``name``, or None after reporting the unknown ones."""
        found, unknown = [], []
        for text in split_list(importer.text(row, name)):
            feature = self.by_name.get(text.lower())
            if feature is None:
                unknown.append(text)
            elif feature not in found:
                found.append(feature)
        if not unknown:
            return found
        if self.features:
            message = _("Unknown room features: %(names)s. The park's features are: %(known)s.") % {
                "names": "、".join(unknown),
                "known": "、".join(sorted(f.name for f in self.features)),
            }
        else:
            message = _("Unknown room features: %(names)s. The park has no room features yet: add them first.") % {
                "names": "、".join(unknown)
            }
        importer.error(row, name, message)
        return None


class _CollegeThings:
    """Records of colleges (teachers by staff number, cohorts by name), found preferably in a given college.

    Staff numbers and cohort names are unique per college only: a name is taken from the row's own
    college when it has one of that name, else from the only college that does; otherwise it may be
    written as ``college/name``.
    """

    def __init__(self, items: list[Any], key: Any, college_of: Any, colleges: _OrganisationLookup) -> None:
        self.colleges = colleges
        self.college_of = college_of  # item -> its college (an Organisation)
        self.by_key: dict[str, list[Any]] = {}
        for item in items:
            self.by_key.setdefault(key(item).strip().upper(), []).append(item)

    def in_college(self, text: str, college: Organisation) -> Any | None:
        """Return the item named ``text`` of ``college``, if any."""
        return next((i for i in self.by_key.get(text.strip().upper(), []) if self.college_of(i).pk == college.pk), None)

    def find(self, text: str, college: Organisation | None) -> tuple[Any | None, list[Organisation]]:
        """Return the item named ``text`` (None if unknown or ambiguous) and, when ambiguous, the candidates' colleges."""
        candidates = self.by_key.get(text.strip().upper(), [])
        if not candidates:
            parts = QUALIFIER_SEPARATORS.split(text, maxsplit=1)
            named = self.colleges.find(parts[0]) if len(parts) == 2 else None
            return (self.in_college(parts[1], named) if named is not None else None), []
        if college is not None:
            own = self.in_college(text, college)
            if own is not None:
                return own, []
        if len(candidates) == 1:
            return candidates[0], []
        return None, [self.college_of(c) for c in candidates]


def _names(orgs: list[Organisation]) -> str:
    return "、".join(sorted({o.name for o in orgs}))


# --- rooms -------------------------------------------------------------------------------------------------

ROOM_COLUMNS = (
    Column(
        "building",
        gettext_lazy("Building"),
        "楼宇",
        ("教学楼", "楼栋", "建筑", "楼号"),
        required=True,
        example="实训楼",
    ),
    Column(
        "number",
        gettext_lazy("Room number or name"),
        "房间号",
        ("房号", "门牌号", "编号", "房间编号"),
        required=True,
        example="S101",
        width=12,
    ),
    Column("name", gettext_lazy("Name"), "名称", ("房间名称", "场地名称"), example="煤化工仿真实训室", width=22),
    Column(
        "room_kind",
        gettext_lazy("Kind"),
        "类型",
        ("房间类型", "场地类型", "教室类型"),
        required=True,
        choices=RoomKind,
        example=RoomKind.TRAINING_ROOM,
        width=12,
    ),
    Column(
        "capacity",
        gettext_lazy("Capacity"),
        "容量",
        ("座位数", "容纳人数", "人数"),
        required=True,
        example="40",
        width=8,
    ),
    Column(
        "features",
        gettext_lazy("Features"),
        "设施",
        ("设备", "特色设施", "设施设备"),
        help=gettext_lazy("Names of the park's room features, separated by commas or 、."),
        example="煤化工仿真系统",
        width=24,
    ),
    Column(
        "owner",
        gettext_lazy("Owner"),
        "所属单位",
        ("产权单位", "归属单位", "所有者", "管理单位"),
        required=True,
        help=gettext_lazy("Name or unified social credit code of the operating company, a college or an enterprise."),
        example="园区运营公司",
        width=20,
    ),
    Column(
        "is_active",
        gettext_lazy("Active"),
        "是否启用",
        ("启用", "可用", "active"),
        help=gettext_lazy("Yes or no (是/否); yes if empty."),
        example="是",
        width=10,
    ),
)


def _whole_numbers(importer: Importer, row: Row, fields: dict[str, Any], names: list[str]) -> list[str]:
    """Turn the cells ``names`` of ``fields`` into integers; report, drop and return those that are not whole numbers.

    (The models' ``clean`` compares these numbers: they must not see text.)
    """
    bad = []
    for name in names:
        if name not in fields:
            continue
        try:
            number = float(str(fields[name]).strip())
            if not number.is_integer():
                raise ValueError
            fields[name] = int(number)
        except (ValueError, OverflowError):
            importer.error(row, name, _("Write a whole number, not %(value)s.") % {"value": fields.pop(name)})
            bad.append(name)
    return bad


def _boolean(importer: Importer, row: Row, name: str) -> bool | None:
    """Return the yes/no of a cell (True when empty), or None after reporting a value that is neither."""
    text = importer.text(row, name).strip().lower()
    if not text or text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    importer.error(row, name, _("Write yes or no (是 or 否), not %(value)s.") % {"value": importer.text(row, name)})
    return None


class RoomImporter(Importer):
    kind = ImportKind.ROOMS
    model = Room
    columns = ROOM_COLUMNS

    def prepare(self) -> None:
        features = list(selectors.room_feature_list(user=self.user).filter(park=self.park).order_by("name", "pk"))
        self.features = _FeatureLookup(features)
        owners = core_selectors.organisation_list(user=self.user).filter(
            park=self.park, kind__in=list(ROOM_OWNER_KINDS)
        )
        self.owners = _OrganisationLookup(owners)

    def check(self, row: Row) -> None:
        valid = True
        owner = self.owners.find(self.text(row, "owner")) if self.text(row, "owner") else None
        if owner is None and self.text(row, "owner"):
            self.error(
                row, "owner", _("No operating company, college or enterprise of this park has this name or code.")
            )
            valid = False
        features = self.features.find(self, row, "features")
        active = _boolean(self, row, "is_active")
        fields = self.given(row, ["building", "number", "name", "room_kind", "capacity"])
        exclude = _whole_numbers(self, row, fields, ["capacity"])
        valid = valid and not exclude
        room = Room(park=self.park, owner=owner, is_active=bool(active), **fields)
        if owner is None:
            exclude.append("owner")
        valid = self.full_clean(row, room, exclude=exclude, whole_row="number") and valid
        if valid and not policy.can_add(self.user, room):
            self.error(row, "building", _("You may not add rooms to this park."))
            valid = False
        if valid and features is not None and active is not None:
            row.plan = {
                "fields": {name: getattr(room, name) for name in services.ROOM_FIELDS},
                "features": features,
            }

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "number",
            lambda r: (self.text(r, "building"), self.text(r, "number")) if self.text(r, "number") else None,
            _("The same building and room number are already in row %(row)s."),
        )

    def create(self, row: Row) -> None:
        services.room_create(actor=self.user, park=self.park, features=row.plan["features"], **row.plan["fields"])


# --- courses -----------------------------------------------------------------------------------------------

COURSE_COLUMNS = (
    Column(
        "term",
        gettext_lazy("Term"),
        "学期",
        ("学年学期",),
        required=True,
        help=gettext_lazy("The name of a term of the park."),
        example="2025–2026 第一学期",
        width=20,
    ),
    Column(
        "college",
        gettext_lazy("Organising college"),
        "开课学院",
        ("学院", "组织学院", "院校"),
        required=True,
        help=gettext_lazy("Name or unified social credit code; the industrial college for shared courses."),
        example="合作学院甲",
        width=18,
    ),
    Column("code", gettext_lazy("Course code"), "课程代码", ("课程编号", "课程号"), required=True, example="HG201"),
    Column(
        "name",
        gettext_lazy("Name (Chinese)"),
        "课程名称",
        ("课程名", "中文名称"),
        required=True,
        example="煤化工工艺仿真实训",
        width=22,
    ),
    Column(
        "name_en",
        gettext_lazy("Name (English)"),
        "英文名称",
        ("课程英文名称",),
        example="Coal chemical process simulation",
        width=24,
    ),
    Column(
        "course_type",
        gettext_lazy("Type"),
        "课程类型",
        ("类型", "课程性质"),
        choices=CourseType,
        help=gettext_lazy("Theory if empty."),
        example=CourseType.PRACTICAL,
        width=10,
    ),
    Column(
        "lectures_per_week",
        gettext_lazy("Lectures per week"),
        "周课次",
        ("每周课次", "周学时", "每周节数"),
        required=True,
        help=gettext_lazy("At most the term's teaching days × periods per day."),
        example="4",
        width=8,
    ),
    Column(
        "min_working_days",
        gettext_lazy("Minimum working days"),
        "最少上课天数",
        ("最少天数", "分布天数"),
        help=gettext_lazy("1 if empty."),
        example="2",
        width=8,
    ),
    Column(
        "teachers",
        gettext_lazy("Teachers (staff numbers)"),
        "任课教师工号",
        ("教师工号", "任课教师", "教师", "工号"),
        required=True,
        help=gettext_lazy(
            "Staff numbers separated by commas; write college/number when several colleges use the number."
        ),
        example="T001",
        width=16,
    ),
    Column(
        "cohorts",
        gettext_lazy("Cohorts"),
        "上课班级",
        ("班级", "授课班级"),
        required=True,
        help=gettext_lazy("Cohort names separated by commas; write college/name when several colleges use the name."),
        example="煤化工2401班",
        width=20,
    ),
    Column(
        "required_room_kind",
        gettext_lazy("Required room kind"),
        "教室类型要求",
        ("所需教室类型", "教室类型", "场地要求"),
        choices=RoomKind,
        help=gettext_lazy("Required for practical courses."),
        example=RoomKind.TRAINING_ROOM,
        width=12,
    ),
    Column(
        "required_features",
        gettext_lazy("Required features"),
        "所需设施",
        ("设施要求", "所需设备"),
        help=gettext_lazy("Names of the park's room features, separated by commas or 、."),
        example="煤化工仿真系统",
        width=22,
    ),
)


class CourseImporter(Importer):
    kind = ImportKind.COURSES
    model = Course
    columns = COURSE_COLUMNS

    @classmethod
    def may_import(cls, user: Any, park: Park | None = None) -> bool:
        # College administrators import their college's courses: each row's college is checked.
        return _teaches_in(user, park)

    def prepare(self) -> None:
        self.terms = {t.name.strip(): t for t in selectors.term_list(user=self.user).filter(park=self.park)}
        colleges = core_selectors.organisation_list(user=self.user).filter(park=self.park, kind__in=list(COLLEGE_KINDS))
        self.colleges = _OrganisationLookup(colleges)
        teachers = core_selectors.teacher_list(user=self.user).filter(organisation__park=self.park)
        self.teachers = _CollegeThings(
            list(teachers), lambda t: t.staff_number, lambda t: t.organisation, self.colleges
        )
        cohorts = selectors.cohort_list(user=self.user).filter(college__park=self.park)
        self.cohorts = _CollegeThings(list(cohorts), lambda c: c.name, lambda c: c.college, self.colleges)
        features = list(selectors.room_feature_list(user=self.user).filter(park=self.park).order_by("name", "pk"))
        self.features = _FeatureLookup(features)

    def check(self, row: Row) -> None:
        valid = True
        term = self.terms.get(self.text(row, "term").strip()) if self.text(row, "term") else None
        if term is None and self.text(row, "term"):
            self.error(row, "term", _("No term named %(name)s in this park.") % {"name": self.text(row, "term")})
            valid = False
        college = self.colleges.find(self.text(row, "college")) if self.text(row, "college") else None
        if college is not None and not policy.can_add(
            self.user, Course(term=term or Term(park=self.park), college=college)
        ):
            college = None  # visible but not the user's: the same answer as unknown
        if college is None and self.text(row, "college"):
            self.error(row, "college", _("College not found, or not yours."))
            valid = False
        teachers = self._find_all(
            row,
            "teachers",
            self.teachers,
            college,
            _("No teacher with staff number %(name)s in this park, or not yours."),
        )
        cohorts = self._find_all(row, "cohorts", self.cohorts, college, _("No cohort named %(name)s, or not yours."))
        features = self.features.find(self, row, "required_features")

        fields = self.given(row, services.COURSE_FIELDS)
        exclude = _whole_numbers(self, row, fields, ["lectures_per_week", "min_working_days"])
        valid = valid and not exclude
        exclude += [name for name, found in (("term", term), ("college", college)) if found is None]
        course = Course(term=term, college=college, **fields)
        valid = self.full_clean(row, course, exclude=exclude, whole_row="code") and valid
        if not valid or teachers is None or cohorts is None or features is None:
            return
        try:
            # The service's own rules on teachers, cohorts and suitable rooms, before anything is written.
            services._check_course_relations(course, teachers, cohorts, features)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
            for name, messages in errors.items():
                for message in messages:
                    self.error(row, "code" if name == NON_FIELD_ERRORS else name, message)
            return
        row.plan = {
            "term": term,
            "college": college,
            "teachers": teachers,
            "cohorts": cohorts,
            "required_features": features,
            "fields": {name: getattr(course, name) for name in services.COURSE_FIELDS},
        }

    def _find_all(
        self, row: Row, name: str, things: _CollegeThings, college: Organisation | None, unknown: str
    ) -> list[Any] | None:
        """Return the records named in a list cell, or None after reporting each name not found."""
        found, ok = [], True
        for text in split_list(self.text(row, name)):
            item, ambiguous = things.find(text, college)
            if item is not None:
                if item not in found:
                    found.append(item)
                continue
            ok = False
            if ambiguous:
                self.error(
                    row,
                    name,
                    _("%(name)s is used by several colleges (%(colleges)s): write it as college/%(name)s.")
                    % {"name": text, "colleges": _names(ambiguous)},
                )
            else:
                self.error(row, name, unknown % {"name": text})
        return found if ok else None

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "code",
            lambda r: (self.text(r, "term").strip(), self.text(r, "code").strip()) if self.text(r, "code") else None,
            _("The same course code of this term is already in row %(row)s."),
        )

    def create(self, row: Row) -> None:
        plan = row.plan
        services.course_create(
            actor=self.user,
            term=plan["term"],
            college=plan["college"],
            teachers=plan["teachers"],
            cohorts=plan["cohorts"],
            required_features=plan["required_features"],
            **plan["fields"],
        )


# --- enrolments --------------------------------------------------------------------------------------------

ENROLMENT_COLUMNS = (
    Column(
        "cohort",
        pgettext_lazy("teaching", "Cohort"),
        "班级",
        ("班级名称", "所在班级"),
        required=True,
        example="煤化工2401班",
        width=20,
    ),
    Column(
        "college",
        gettext_lazy("College"),
        "学院",
        ("院校", "所属学院"),
        help=gettext_lazy("Needed only when several colleges have a cohort of this name."),
        example="合作学院甲",
        width=18,
    ),
    Column(
        "student_number",
        gettext_lazy("Student number"),
        "学号",
        help=gettext_lazy("The student number or the ID number identifies the student; give at least one."),
        example="A001",
        width=14,
    ),
    Column(
        "national_id",
        gettext_lazy("National ID number"),
        "身份证号",
        ("身份证号码", "身份证", "公民身份号码", "证件号码"),
        help=gettext_lazy("Format the column as text in Excel so no digit is lost."),
        width=22,
    ),
    Column(
        "name",
        gettext_lazy("Name"),
        "姓名",
        ("学生姓名",),
        help=gettext_lazy("Optional: checked against the student found."),
        example="张三",
        width=12,
    ),
    Column(
        "start_date",
        gettext_lazy("Joined on"),
        "入班日期",
        ("开始日期", "加入日期"),
        help=gettext_lazy("YYYY-MM-DD; today if empty."),
        example="2025-09-01",
        width=12,
    ),
)


class EnrolmentImporter(Importer):
    kind = ImportKind.ENROLMENTS
    model = Enrolment
    columns = ENROLMENT_COLUMNS

    @classmethod
    def may_import(cls, user: Any, park: Park | None = None) -> bool:
        # College administrators enrol students in their college's cohorts: each row's cohort is checked.
        return _teaches_in(user, park)

    def prepare(self) -> None:
        colleges = core_selectors.organisation_list(user=self.user).filter(park=self.park, kind__in=list(COLLEGE_KINDS))
        self.colleges = _OrganisationLookup(colleges)
        cohorts = selectors.cohort_list(user=self.user).filter(college__park=self.park)
        self.cohorts = _CollegeThings(list(cohorts), lambda c: c.name, lambda c: c.college, self.colleges)
        students = core_selectors.student_list(user=self.user).filter(college__park=self.park)
        self.by_number: dict[tuple[int, str], Student] = {}
        self.by_national_id: dict[str, Student] = {}
        for student in students:
            self.by_number[(student.college_id, student.student_number.strip().upper())] = student
            if student.person.national_id:
                self.by_national_id[student.person.national_id.strip().upper()] = student

    def check(self, row: Row) -> None:
        valid = True
        college = None
        if self.text(row, "college"):
            college = self.colleges.find(self.text(row, "college"))
            if college is None:
                self.error(row, "college", _("College not found, or not yours."))
                valid = False
        cohort = self._cohort(row, college) if valid else None
        student = self._student(row, cohort)
        if cohort is None or student is None:
            return
        if not policy.can_add(self.user, Enrolment(cohort=cohort, student=student)):
            self.error(row, "cohort", _("You may not enrol students in %(cohort)s.") % {"cohort": cohort.name})
            return
        if not cohort.is_active:
            self.error(row, "cohort", _("The cohort %(cohort)s is no longer active.") % {"cohort": cohort.name})
            valid = False
        if student.college_id != cohort.college_id:
            self.error(
                row,
                self._student_column(row),
                _("%(student)s is a student of %(college)s: only students of the cohort's college can join it.")
                % {"student": student, "college": student.college.name},
            )
            valid = False
        enrolment = Enrolment(cohort=cohort, student=student, **self.given(row, ["start_date"]))
        if not enrolment.start_date:
            enrolment.start_date = timezone.localdate()
        valid = self.full_clean(row, enrolment, whole_row=self._student_column(row)) and valid
        if valid:
            row.plan = {"cohort": cohort, "student": student, "start_date": enrolment.start_date}

    def _cohort(self, row: Row, college: Organisation | None) -> Cohort | None:
        text = self.text(row, "cohort")
        if not text:
            return None
        if college is not None:
            cohort, ambiguous = self.cohorts.in_college(text, college), []
        else:
            cohort, ambiguous = self.cohorts.find(text, None)
        if cohort is not None:
            return cohort
        if ambiguous:
            self.error(
                row,
                "cohort",
                _("Several colleges have a cohort named %(name)s (%(colleges)s): give the college.")
                % {"name": text, "colleges": _names(ambiguous)},
            )
        else:
            self.error(row, "cohort", _("No cohort named %(name)s, or not yours.") % {"name": self.text(row, "cohort")})
        return None

    def _student_column(self, row: Row) -> str:
        return "student_number" if self.text(row, "student_number") else "national_id"

    def _student(self, row: Row, cohort: Cohort | None) -> Student | None:
        number, national_id = self.text(row, "student_number"), self.text(row, "national_id").upper()
        if isinstance(row.raw.get("national_id"), float):
            self.error(
                row,
                "national_id",
                _(
                    "Excel stored this ID number as a number and lost digits; format the column as text and type it again."
                ),
            )
            return None
        if not number and not national_id:
            self.error(row, "student_number", _("Give the student number or the ID number of the student."))
            return None
        student = None
        if national_id:
            student = self.by_national_id.get(national_id)
            if student is None:
                self.error(row, "national_id", _("No student of yours has this ID number."))
                return None
        if number and cohort is not None:
            by_number = self.by_number.get((cohort.college_id, number.upper()))
            if by_number is None and student is None:
                self.error(
                    row,
                    "student_number",
                    _("No student numbered %(number)s in %(college)s, or not yours.")
                    % {"number": number, "college": cohort.college.name},
                )
                return None
            if student is not None and by_number != student:
                self.error(
                    row,
                    "student_number",
                    _("The ID number is that of %(student)s, whose student number is %(number)s.")
                    % {"student": student.person.name, "number": student.student_number},
                )
                return None
            student = by_number
        if student is not None and self.text(row, "name") and self.text(row, "name") != student.person.name:
            self.error(
                row,
                "name",
                _("The student found is %(name)s (%(number)s), not %(given)s.")
                % {"name": student.person.name, "number": student.student_number, "given": self.text(row, "name")},
            )
            return None
        return student

    def check_file(self, rows: list[Row]) -> None:
        self.flag_duplicates(
            rows,
            "cohort",
            lambda r: (r.plan["cohort"].pk, r.plan["student"].pk) if r.plan else None,
            _("The same student is already enrolled in this cohort in row %(row)s."),
        )
        # An order class never exceeds its seats: count the students already in it, then the file's rows.
        taken: Counter[int] = Counter()
        for row in rows:
            if not row.plan or row.errors:
                continue
            cohort = row.plan["cohort"]
            if cohort.cohort_type != CohortType.ORDER_CLASS:
                continue
            enrolled = getattr(cohort, "enrolled", 0) or 0
            taken[cohort.pk] += 1
            if enrolled + taken[cohort.pk] > (cohort.seats or 0):
                self.error(
                    row,
                    "cohort",
                    _(
                        "The order class %(cohort)s is full (%(seats)s seats; taken before this file: %(enrolled)s; "
                        "by earlier rows of this file: %(earlier)s)."
                    )
                    % {
                        "cohort": cohort.name,
                        "seats": cohort.seats,
                        "enrolled": enrolled,
                        "earlier": taken[cohort.pk] - 1,
                    },
                )
                row.plan = None

    def create(self, row: Row) -> None:
        services.enrol(actor=self.user, **row.plan)


for _importer in (RoomImporter, CourseImporter, EnrolmentImporter):
    register_importer(_importer)
