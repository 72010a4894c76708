"""
The demo park: a pure, seeded plan (``generate_plan``) and its construction through the services (``build_park``).

``generate_plan`` draws everything from ``random.Random(seed)``: the same seed
(and the same identifiers already taken in the database, none in a fresh one)
gives the same plan. ``build_park`` writes the plan through
``iepark.core.services`` only, so every object gets its audit event, in one
transaction: a park exists completely or not at all.

Identifiers are checksum-valid yet recognisably fictitious:

- national ID numbers (GB 11643) use the sequence codes 996-999, which are
  given only to people aged 100 or more, on people born 1968-2009, with
  Xinjiang division codes (most from Changji, 6523xx; a quarter of the
  staff come from other provinces), birth dates that fit the cohort, and a
  sequence code whose parity is the person's gender (odd: male). Only if a (division, birth date) has no such code left after many
  draws does the generator use other 9xx codes;
- credit codes (GB 32100) have an organisation code starting with ``DEM``;
- phone numbers are unique 11-digit mobiles; the organisations' are landlines.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from iepark.core import services
from iepark.core.choices import Gender, OrganisationKind, Role, StudentStatus
from iepark.core.models import Membership, Organisation, Park, Person
from iepark.core.validators import USCC_ALPHABET, national_id_check_char, uscc_check_char

from . import data

# --- the plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSpec:
    key: str
    kind: str
    name: str
    name_en: str
    industry: str
    uscc: str
    address: str
    phone: str

    def fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "name_en": self.name_en,
            "industry": self.industry,
            "uscc": self.uscc,
            "address": self.address,
            "phone": self.phone,
        }


@dataclass(frozen=True)
class MajorSpec:
    code: str
    name: str
    name_en: str


@dataclass(frozen=True)
class PersonSpec:
    name: str
    name_en: str
    gender: str
    birth_date: datetime.date
    national_id: str
    phone: str
    email: str = ""

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "name_en": self.name_en,
            "gender": self.gender,
            "birth_date": self.birth_date,
            "national_id": self.national_id,
            "phone": self.phone,
            "email": self.email,
        }


@dataclass(frozen=True)
class StaffSpec:
    """A person holding one membership (not a teacher or a student)."""

    person: PersonSpec
    organisation: str
    role: str
    title: str
    start_date: datetime.date
    login: str = ""


@dataclass(frozen=True)
class TeacherSpec:
    person: PersonSpec
    organisation: str
    staff_number: str
    professional_title: str
    major: str
    login: str = ""


@dataclass(frozen=True)
class StudentSpec:
    person: PersonSpec
    college: str
    major: str
    student_number: str
    cohort_year: int
    status: str
    login: str = ""


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: str
    organisation: str


@dataclass(frozen=True)
class ParkPlan:
    seed: int
    code: str
    name: str
    name_en: str
    region: str
    organisations: tuple[OrganisationSpec, ...]
    majors: tuple[MajorSpec, ...]
    staff: tuple[StaffSpec, ...]
    teachers: tuple[TeacherSpec, ...]
    students: tuple[StudentSpec, ...]
    logins: tuple[LoginSpec, ...]

    def people(self) -> Iterable[PersonSpec]:
        for group in (self.staff, self.teachers, self.students):
            for spec in group:
                yield spec.person

    def fingerprint(self) -> str:
        """Return a digest of the whole plan (equal plans, equal digests)."""
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()


def login_usernames(prefix: str = "") -> list[str]:
    """Return the usernames of the demo logins (with ``prefix``)."""
    return [prefix + username for username, _role, _org in data.LOGINS]


# --- generation ------------------------------------------------------------------------------

_MALE_CENTENARIAN = ("997", "999")
_FEMALE_CENTENARIAN = ("996", "998")
_MALE_FALLBACK = tuple(f"9{n:02d}" for n in range(1, 96, 2))
_FEMALE_FALLBACK = tuple(f"9{n:02d}" for n in range(0, 96, 2))


class _Generator:
    """Draws the plan's people and identifiers from one ``random.Random``."""

    def __init__(self, seed: int, taken_national_ids: Iterable[str], taken_usccs: Iterable[str]) -> None:
        self.rng = random.Random(seed)
        self.national_ids: set[str] = {v.upper() for v in taken_national_ids if v}
        self.usccs: set[str] = {v.upper() for v in taken_usccs if v}
        self.phones: set[str] = set()
        self.landlines: set[str] = set()

    def weighted(self, pairs: Sequence[tuple[Any, int]]) -> Any:
        values = [p[0] for p in pairs]
        weights = [p[1] for p in pairs]
        return self.rng.choices(values, weights=weights, k=1)[0]

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    # identifiers

    def national_id(self, regions: Sequence[tuple[str, int]], born: tuple[datetime.date, datetime.date], male: bool):
        """Return an unused ID number of a person born in ``born`` in one of ``regions``."""
        preferred = _MALE_CENTENARIAN if male else _FEMALE_CENTENARIAN
        fallback = _MALE_FALLBACK if male else _FEMALE_FALLBACK
        for attempt in range(400):
            region = self.weighted(regions)
            birth = self.date_between(*born)
            codes = preferred if attempt < 40 else fallback
            for seq in codes:
                body = f"{region}{birth:%Y%m%d}{seq}"
                value = body + national_id_check_char(body)
                if value not in self.national_ids:
                    self.national_ids.add(value)
                    return value
        raise RuntimeError("No free national ID number left for the demo; use fewer people.")

    def mobile(self) -> str:
        while True:
            value = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def landline(self, area_code: str) -> str:
        while True:
            value = f"{area_code}-{self.rng.randint(5_000_000, 8_999_999)}"
            if value not in self.landlines:
                self.landlines.add(value)
                return value

    def uscc(self, kind_code: str, region: str) -> str:
        while True:
            tail = "".join(self.rng.choice(USCC_ALPHABET) for _ in range(6))
            body = f"{kind_code}{region}{data.USCC_MARKER}{tail}"
            value = body + uscc_check_char(body)
            if value not in self.usccs:
                self.usccs.add(value)
                return value

    # names

    def han_name(self, male: bool, two_chars_pct: int) -> tuple[str, str]:
        surname, surname_py, _weight = self.rng.choices(data.SURNAMES, weights=[s[2] for s in data.SURNAMES])[0]
        gendered = data.GIVEN_MALE if male else data.GIVEN_FEMALE
        if self.rng.randrange(100) < two_chars_pct:
            chars = [self.rng.choice(gendered + data.GIVEN_NEUTRAL), self.rng.choice(gendered)]
        else:
            chars = [self.rng.choice(gendered)]
        given = "".join(c for c, _ in chars)
        syllables = [py for _, py in chars]
        given_py = syllables[0] + "".join(("'" + s if s[0] in "aeo" else s) for s in syllables[1:])
        return surname + given, f"{surname_py} {given_py.capitalize()}"

    def minority_name(self, male: bool, males: Sequence[tuple[str, str]], females: Sequence[tuple[str, str]]):
        given, given_en = self.rng.choice(males if male else females)
        while True:
            father, father_en = self.rng.choice(males)
            if father != given:
                return f"{given}·{father}", f"{given_en} {father_en}"

    def person(
        self,
        *,
        born: tuple[datetime.date, datetime.date],
        female_pct: int,
        ethnicity: Sequence[tuple[str, int]],
        outside_pct: int = 0,
        two_chars_pct: int = 80,
    ) -> PersonSpec:
        male = self.rng.randrange(100) >= female_pct
        group = self.weighted(ethnicity)
        if group == "uyghur":
            name, name_en = self.minority_name(male, data.UYGHUR_MALE, data.UYGHUR_FEMALE)
            regions = data.UYGHUR_REGIONS
        elif group == "kazakh":
            name, name_en = self.minority_name(male, data.KAZAKH_MALE, data.KAZAKH_FEMALE)
            regions = data.KAZAKH_REGIONS
        else:
            name, name_en = self.han_name(male, two_chars_pct)
            regions = data.OUTSIDE_REGIONS if self.rng.randrange(100) < outside_pct else data.HAN_REGIONS
        national_id = self.national_id(regions, born, male)
        birth = datetime.date(int(national_id[6:10]), int(national_id[10:12]), int(national_id[12:14]))
        return PersonSpec(
            name=name,
            name_en=name_en,
            gender=str(Gender.MALE if male else Gender.FEMALE),
            birth_date=birth,
            national_id=national_id,
            phone=self.mobile(),
        )

    def staff_person(self, female_pct: int = 35) -> PersonSpec:
        return self.person(
            born=(datetime.date(1968, 1, 1), datetime.date(2001, 12, 31)),
            female_pct=female_pct,
            ethnicity=data.STAFF_ETHNICITY,
            outside_pct=25,
            two_chars_pct=60,
        )


def generate_plan(
    *,
    seed: int = data.DEFAULT_SEED,
    students: int = data.DEFAULT_STUDENTS,
    park_code: str = data.DEFAULT_PARK_CODE,
    login_prefix: str = "",
    taken_national_ids: Iterable[str] = (),
    taken_usccs: Iterable[str] = (),
) -> ParkPlan:
    """
    Return the demo park for ``seed`` with ``students`` students (at least 2).

    Pure: reads no database. ``taken_*`` are identifiers already used (by other
    parks) that the plan must avoid; with none, the plan depends only on the
    arguments.
    """
    if students < 2:
        raise ValueError("The demo park needs at least 2 students (two of them are demo logins).")
    gen = _Generator(seed, taken_national_ids, taken_usccs)
    rng = gen.rng

    # Organisations.
    orgs: list[OrganisationSpec] = []

    def add_org(key, kind, name, name_en, industry, uscc_kind, *, region=data.USCC_REGION, address="", area_code=""):
        orgs.append(
            OrganisationSpec(
                key=key,
                kind=str(kind),
                name=name,
                name_en=name_en,
                industry=str(industry),
                uscc=gen.uscc(uscc_kind, region),
                address=address
                or f"{data.ZONE_ADDRESS}{rng.choice(data.ZONE_AREAS)}{rng.choice(data.ROADS)}{rng.randint(1, 199)}号",
                phone=gen.landline(area_code or data.AREA_CODE),
            )
        )

    park_address = f"{data.ZONE_ADDRESS}五彩湾园区产教路1号"
    add_org(*data.COMMITTEE, address=f"{data.ZONE_ADDRESS}五彩湾园区能源大道88号")
    add_org(*data.INDUSTRIAL_COLLEGE, address=park_address)
    for college in data.COLLEGES:
        add_org(
            college["key"],
            OrganisationKind.COOPERATIVE_COLLEGE,
            college["name"],
            college["name_en"],
            "",
            data.USCC_PUBLIC_INSTITUTION,
            region=college["region"],
            address=f"{college['city']}{rng.choice(data.CITY_ROADS)}{rng.randint(1, 399)}号",
            area_code=college["area_code"],
        )
    for key, name, name_en, industry in data.ENTERPRISES:
        add_org(key, OrganisationKind.ENTERPRISE, name, name_en, industry, data.USCC_ENTERPRISE)
    add_org(*data.OPERATOR, address=park_address)
    add_org(*data.EVALUATION_ORG)

    majors = tuple(MajorSpec(code, name, name_en) for code, name, name_en in data.MAJORS)
    college_keys = [c["key"] for c in data.COLLEGES]
    college_majors = {c["key"]: c["majors"] for c in data.COLLEGES}
    college_no = {key: i for i, key in enumerate(["industrial_college", *college_keys])}

    # Students: the first two are the demo students of the first two colleges.
    student_specs: list[StudentSpec] = []
    serials: Counter[tuple[str, int, str]] = Counter()
    for i in range(students):
        if i < 2:
            college, cohort, status = college_keys[i], 2025, str(StudentStatus.IN_PARK)
        else:
            college = gen.weighted([(c["key"], c["share"]) for c in data.COLLEGES])
            cohort = gen.weighted(data.COHORTS)
            status = gen.weighted(data.COHORT_STATUSES[cohort])
        major = rng.choice(college_majors[college])
        age = gen.weighted(data.ENTRY_AGES)
        born = (datetime.date(cohort - age - 1, 9, 2), datetime.date(cohort - age, 9, 1))
        person = gen.person(born=born, female_pct=data.MAJOR_FEMALE_SHARE[major], ethnicity=data.STUDENT_ETHNICITY)
        serials[(college, cohort, major)] += 1
        number = f"{cohort}{college_no[college]:02d}{major}{serials[(college, cohort, major)]:04d}"
        student_specs.append(StudentSpec(person, college, major, number, cohort, status))
    per_college = Counter(s.college for s in student_specs)

    # Teachers: 8-15 per college, more where there are many students.
    teacher_specs: list[TeacherSpec] = []
    all_major_codes = [m.code for m in majors]
    for college in ["industrial_college", *college_keys]:
        if college == "industrial_college":
            count, college_major_codes = rng.randint(8, 15) + students // 400, all_major_codes
        else:
            count, college_major_codes = rng.randint(8, 15) + per_college[college] // 80, college_majors[college]
        for n in range(1, count + 1):
            teacher_specs.append(
                TeacherSpec(
                    person=gen.staff_person(female_pct=42),
                    organisation=college,
                    staff_number=f"T{college_no[college]:02d}{n:04d}",
                    professional_title=gen.weighted(data.TEACHER_TITLES),
                    major=rng.choice(college_major_codes),
                )
            )

    # Staff holding one membership each.
    staff_specs: list[StaffSpec] = []

    def add_staff(org: str, role: str, count: int, female_pct: int = 35) -> None:
        for _ in range(count):
            staff_specs.append(
                StaffSpec(
                    person=gen.staff_person(female_pct),
                    organisation=org,
                    role=str(role),
                    title=rng.choice(data.ROLE_TITLES[role]),
                    start_date=gen.date_between(datetime.date(2020, 3, 1), datetime.date(2025, 9, 1)),
                )
            )

    add_staff("committee", Role.PARK_ADMIN, 2)
    add_staff("committee", Role.COMMITTEE_OFFICER, 4)
    add_staff("industrial_college", Role.COLLEGE_COORDINATOR, 3)
    add_staff("industrial_college", Role.STUDENT_MANAGER, 2 + students // 400, female_pct=50)
    for college in college_keys:
        add_staff(college, Role.COLLEGE_ADMIN, 1)
        add_staff(college, Role.STUDENT_MANAGER, max(2, per_college[college] // 150), female_pct=50)
    for key, _name, _name_en, _industry in data.ENTERPRISES:
        add_staff(key, Role.ENTERPRISE_HR, rng.randint(1, 2), female_pct=55)
        add_staff(key, Role.ENTERPRISE_MENTOR, rng.randint(2, 4), female_pct=15)
    add_staff("operator", Role.OPERATOR_STAFF, rng.randint(5, 8))

    # Demo logins: the first person of each (organisation, role) named in data.LOGINS.
    logins = []
    for username, role, org in data.LOGINS:
        full = login_prefix + username
        logins.append(LoginSpec(full, str(role), org))
        email = f"{full}@{park_code}.demo.invalid"
        if role == Role.STUDENT:
            group: list[Any] = student_specs
            i = next(i for i, s in enumerate(group) if s.college == org and not s.login)
        elif role == Role.TEACHER:
            group = teacher_specs
            i = next(i for i, s in enumerate(group) if s.organisation == org and not s.login)
        else:
            group = staff_specs
            i = next(i for i, s in enumerate(group) if s.organisation == org and s.role == role and not s.login)
        spec = group[i]
        group[i] = dataclasses.replace(spec, login=full, person=dataclasses.replace(spec.person, email=email))

    default = park_code == data.DEFAULT_PARK_CODE
    return ParkPlan(
        seed=seed,
        code=park_code,
        name=data.PARK_NAME if default else f"{data.PARK_NAME}（{park_code}）",
        name_en=data.PARK_NAME_EN if default else f"{data.PARK_NAME_EN} ({park_code})",
        region=data.PARK_REGION,
        organisations=tuple(orgs),
        majors=majors,
        staff=tuple(staff_specs),
        teachers=tuple(teacher_specs),
        students=tuple(student_specs),
        logins=tuple(logins),
    )


# --- construction ----------------------------------------------------------------------------


def system_user():
    """Return the ``system`` superuser the demo writes as (created with an unusable password)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=data.SYSTEM_USERNAME, defaults={"is_superuser": True, "is_staff": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    elif not user.is_superuser:
        raise ValueError(f"The user {data.SYSTEM_USERNAME!r} exists and is not a superuser; rename it first.")
    return user


def plan_for_database(**kwargs: Any) -> ParkPlan:
    """Return ``generate_plan(**kwargs)`` avoiding the identifiers already in the database."""
    taken_ids = Person.objects.exclude(national_id=None).values_list("national_id", flat=True)
    taken_usccs = Organisation.objects.exclude(uscc=None).values_list("uscc", flat=True)
    return generate_plan(taken_national_ids=taken_ids, taken_usccs=taken_usccs, **kwargs)


# Students whose final status is reached through an update (so their student membership ends as in real life).
_ENTRY_STATUS = {StudentStatus.GRADUATED: StudentStatus.ON_INTERNSHIP, StudentStatus.WITHDRAWN: StudentStatus.IN_PARK}


# Functions other apps register (in their ``AppConfig.ready``) to add their part of the demo park:
# each is called as ``func(park, actor=..., seed=..., say=...)`` inside the demo's transaction.
DEMO_EXTENSIONS: list[Callable[..., None]] = []


def register_demo_extension(func: Callable[..., None]) -> None:
    if func not in DEMO_EXTENSIONS:
        DEMO_EXTENSIONS.append(func)


def build_park(plan: ParkPlan, *, actor: Any, progress: Callable[[str], None] | None = None) -> Park:
    """Create the park of ``plan`` through the services, in one transaction; return it."""
    say = progress or (lambda message: None)
    started = time.monotonic()
    login_people: dict[str, Person] = {}
    with transaction.atomic():
        park = services.park_create(
            actor=actor, code=plan.code, name=plan.name, name_en=plan.name_en, region=plan.region
        )
        orgs = {
            spec.key: services.organisation_create(actor=actor, park=park, **spec.fields())
            for spec in plan.organisations
        }
        majors = {
            spec.code: services.major_create(
                actor=actor, park=park, code=spec.code, name=spec.name, name_en=spec.name_en
            )
            for spec in plan.majors
        }
        say(f"{len(orgs)} organisations and {len(majors)} majors")

        for spec in plan.staff:
            membership = {
                "organisation": orgs[spec.organisation],
                "role": spec.role,
                "title": spec.title,
                "start_date": spec.start_date,
            }
            person = services.person_create(actor=actor, park=park, membership=membership, **spec.person.fields())
            if spec.login:
                login_people[spec.login] = person
        for spec in plan.teachers:
            teacher = services.teacher_create(
                actor=actor,
                person_fields=spec.person.fields(),
                organisation=orgs[spec.organisation],
                staff_number=spec.staff_number,
                professional_title=spec.professional_title,
                major=majors[spec.major],
            )
            if spec.login:
                login_people[spec.login] = teacher.person
        say(f"{len(plan.staff)} staff and {len(plan.teachers)} teachers")

        total = len(plan.students)
        step = 1000 if total >= 5000 else max(total, 1)
        for n, spec in enumerate(plan.students, start=1):
            entry_status = _ENTRY_STATUS.get(spec.status, spec.status)
            student = services.student_create(
                actor=actor,
                person_fields=spec.person.fields(),
                college=orgs[spec.college],
                major=majors[spec.major],
                student_number=spec.student_number,
                cohort_year=spec.cohort_year,
                status=entry_status,
            )
            if entry_status != spec.status:
                services.student_update(actor=actor, student=student, data={"status": spec.status})
            if spec.login:
                login_people[spec.login] = student.person
            if n % step == 0:
                say(f"{n}/{total} students ({time.monotonic() - started:.1f} s)")

        for login in plan.logins:
            services.person_set_login(
                actor=actor, person=login_people[login.username], username=login.username, password=data.DEMO_PASSWORD
            )
        for extend in DEMO_EXTENSIONS:
            extend(park, actor=actor, seed=plan.seed, say=say)
    return park


# --- reporting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginRow:
    username: str
    role: str
    organisation: str
    exists: bool


def login_rows(park: Park, prefix: str = "") -> list[LoginRow]:
    """Return the demo logins of ``park`` as found in the database (role labels in the active language)."""
    User = get_user_model()
    usernames = login_usernames(prefix)
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    memberships: dict[tuple[str, str], Membership] = {}
    for m in Membership.objects.filter(person__user__username__in=usernames, organisation__park=park).select_related(
        "organisation", "person__user"
    ):
        memberships.setdefault((m.person.user.username, m.role), m)
    rows = []
    for username, (_name, role, _org) in zip(usernames, data.LOGINS, strict=True):
        membership = memberships.get((username, str(role)))
        rows.append(
            LoginRow(
                username=username,
                role=str(Role(role).label),
                organisation=str(membership.organisation) if membership else "",
                exists=username in users and membership is not None,
            )
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """Return a plain-text table whose columns line up in a terminal, Chinese characters included."""
    rows = [list(map(str, r)) for r in rows]
    widths = [max(_width(x) for x in col) for col in zip(headers, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=False)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def park_counts(park: Park) -> dict[str, int]:
    """Return how many of each kind of object the park holds."""
    from iepark.core.models import Major, Student, Teacher

    kinds = Counter(park.organisations.values_list("kind", flat=True))
    counts: dict[str, int] = defaultdict(int)
    counts["organisations"] = sum(kinds.values())
    for kind, n in kinds.items():
        counts[f"organisations:{kind}"] = n
    counts["majors"] = Major.objects.filter(park=park).count()
    counts["people"] = Person.objects.filter(park=park).count()
    counts["teachers"] = Teacher.objects.filter(organisation__park=park).count()
    counts["students"] = Student.objects.filter(college__park=park).count()
    counts["memberships"] = Membership.objects.filter(organisation__park=park).count()
    return dict(counts)
