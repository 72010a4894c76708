"""
Shared test base: a small two-park world with named personas, and API helpers.

Personas (usernames equal the attribute names) hold one role each:

==================  ====================================================
park_admin          park administrator of park P (works for the committee)
committee           committee officer of park P (reads the park)
coordinator         industrial-college coordinator of park P
college_a_admin     administrator of cooperative college A
college_b_admin     administrator of cooperative college B
manager_a           student manager of college A
teacher_a           teacher of college A (also a Teacher record)
student_a           student of college A (also a Student record)
student_b           student of college B (also a Student record)
hr_e1, hr_e2        HR of enterprises E1 and E2
mentor_e1           enterprise mentor at E1
operator            operator staff of the operating company
other_admin         park administrator of another park Q
outsider            a login with no membership at all
==================  ====================================================
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from iepark.core import audit
from iepark.core.choices import Industry, OrganisationKind, Role
from iepark.core.models import Major, Membership, Organisation, Park, Person, Student, Teacher
from iepark.core.validators import USCC_ALPHABET, national_id_check_char, uscc_check_char

User = get_user_model()
PASSWORD = "test-password-1"


def make_national_id(serial: int, *, birth: datetime.date = datetime.date(2004, 5, 17), female: bool = False) -> str:
    """Return a checksum-valid (fictitious) national ID number."""
    seq = (serial % 500) * 2 + (0 if female else 1)
    body = f"650100{birth:%Y%m%d}{seq:03d}"
    return body + national_id_check_char(body)


def make_uscc(serial: int) -> str:
    """Return a checksum-valid (fictitious) unified social credit code."""
    digits = f"{serial:09d}"
    body = "91" + "652300" + "".join(USCC_ALPHABET[int(d)] for d in digits)
    return body + uscc_check_char(body)


@dataclass
class World:
    """The objects and personas of the test park."""

    park: Park
    other_park: Park
    committee: Organisation
    industrial_college: Organisation
    college_a: Organisation
    college_b: Organisation
    enterprise_1: Organisation
    enterprise_2: Organisation
    operator_org: Organisation
    other_college: Organisation
    major: Major
    other_major: Major
    users: dict[str, Any] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    student_a: Student | None = None
    student_b: Student | None = None
    teacher_a: Teacher | None = None

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)


def _org(park: Park, kind: str, name: str, serial: int, **extra: Any) -> Organisation:
    org = Organisation(
        park=park, kind=kind, name=name, name_en=extra.pop("name_en", name), uscc=make_uscc(serial), **extra
    )
    org.full_clean()
    org.save()
    return org


def _persona(world: World, username: str, park: Park, org: Organisation, role: str, serial: int) -> Person:
    user = User.objects.create_user(username=username, password=PASSWORD)
    person = Person.objects.create(
        park=park,
        user=user,
        name=f"测试{username}",
        name_en=username,
        national_id=make_national_id(serial),
        phone=f"139{serial:08d}",
    )
    Membership.objects.create(person=person, organisation=org, role=role, start_date=datetime.date(2020, 1, 1))
    world.users[username] = user
    world.persons[username] = person
    return person


def build_world() -> World:
    """Build the test world directly (fixtures bypass services; tests of services use services)."""
    with transaction.atomic():
        park = Park.objects.create(code="p", name="准东产教融合园", name_en="Zhundong Park")
        other_park = Park.objects.create(code="q", name="另一园区", name_en="Other Park")
        w = World(
            park=park,
            other_park=other_park,
            committee=_org(park, OrganisationKind.COMMITTEE, "管委会", 1, name_en="Management Committee"),
            industrial_college=_org(park, OrganisationKind.INDUSTRIAL_COLLEGE, "现代产业学院", 2),
            college_a=_org(park, OrganisationKind.COOPERATIVE_COLLEGE, "合作学院甲", 3, name_en="College A"),
            college_b=_org(park, OrganisationKind.COOPERATIVE_COLLEGE, "合作学院乙", 4, name_en="College B"),
            enterprise_1=_org(park, OrganisationKind.ENTERPRISE, "煤化工企业一", 5, industry=Industry.COAL_CHEMICAL),
            enterprise_2=_org(park, OrganisationKind.ENTERPRISE, "煤电企业二", 6, industry=Industry.COAL_POWER),
            operator_org=_org(park, OrganisationKind.OPERATOR, "园区运营公司", 7),
            other_college=_org(other_park, OrganisationKind.COOPERATIVE_COLLEGE, "外园学院", 8),
            major=Major.objects.create(park=park, code="430101", name="煤化工技术", name_en="Coal chemical technology"),
            other_major=Major.objects.create(
                park=other_park, code="430101", name="煤化工技术", name_en="Coal chemical technology"
            ),
        )
        _persona(w, "park_admin", park, w.committee, Role.PARK_ADMIN, 1)
        _persona(w, "committee", park, w.committee, Role.COMMITTEE_OFFICER, 2)
        _persona(w, "coordinator", park, w.industrial_college, Role.COLLEGE_COORDINATOR, 3)
        _persona(w, "college_a_admin", park, w.college_a, Role.COLLEGE_ADMIN, 4)
        _persona(w, "college_b_admin", park, w.college_b, Role.COLLEGE_ADMIN, 5)
        _persona(w, "manager_a", park, w.college_a, Role.STUDENT_MANAGER, 6)
        teacher = _persona(w, "teacher_a", park, w.college_a, Role.TEACHER, 7)
        sa = _persona(w, "student_a", park, w.college_a, Role.STUDENT, 8)
        sb = _persona(w, "student_b", park, w.college_b, Role.STUDENT, 9)
        _persona(w, "hr_e1", park, w.enterprise_1, Role.ENTERPRISE_HR, 10)
        _persona(w, "hr_e2", park, w.enterprise_2, Role.ENTERPRISE_HR, 11)
        _persona(w, "mentor_e1", park, w.enterprise_1, Role.ENTERPRISE_MENTOR, 12)
        _persona(w, "operator", park, w.operator_org, Role.OPERATOR_STAFF, 13)
        _persona(w, "other_admin", other_park, w.other_college, Role.COLLEGE_ADMIN, 14)
        Membership.objects.filter(person=w.persons["other_admin"]).delete()
        other_committee = _org(other_park, OrganisationKind.COMMITTEE, "另一管委会", 9)
        Membership.objects.create(
            person=w.persons["other_admin"],
            organisation=other_committee,
            role=Role.PARK_ADMIN,
            start_date=datetime.date(2020, 1, 1),
        )
        w.users["outsider"] = User.objects.create_user(username="outsider", password=PASSWORD)
        w.student_a = Student.objects.create(
            person=sa, college=w.college_a, major=w.major, student_number="A001", cohort_year=2024
        )
        w.student_b = Student.objects.create(
            person=sb, college=w.college_b, major=w.major, student_number="B001", cohort_year=2024
        )
        w.teacher_a = Teacher.objects.create(
            person=teacher, organisation=w.college_a, staff_number="T001", major=w.major
        )
    return w


def audit_count(instance_or_model: Any, action: str | None = None, object_id: Any = None) -> int:
    """Return how many audit events exist for a model (or one object), optionally of one action."""
    from iepark.core.models import AuditEvent

    qs = AuditEvent.objects.filter(object_type=audit.object_type_of(instance_or_model))
    if object_id is not None:
        qs = qs.filter(object_id=str(object_id))
    if action:
        qs = qs.filter(action=action)
    return qs.count()
