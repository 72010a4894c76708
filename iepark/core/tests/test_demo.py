"""The demo park: ``manage.py demo_park`` builds a complete, valid, audited park, deterministically and once."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import RequestFactory

from iepark.core import audit
from iepark.core.choices import ROLE_ORGANISATION_KINDS, Industry, OrganisationKind, Role, StudentStatus
from iepark.core.demo import builder, data
from iepark.core.models import AuditEvent, Major, Membership, Organisation, Park, Person, Student, Teacher
from iepark.core.validators import national_id_birth_date, validate_national_id, validate_phone, validate_uscc

User = get_user_model()
STUDENTS = 60
MODELS = [Park, Organisation, Person, Membership, Major, Student, Teacher, AuditEvent, User]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Build one small demo park for the whole module, rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("demo_park", students=STUDENTS, stdout=out)
        yield Park.objects.get(code=data.DEFAULT_PARK_CODE), out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def park(demo, db):
    return demo[0]


@pytest.fixture
def output(demo, db):
    return demo[1]


# --- the plan (pure) ---------------------------------------------------------------------------


def test_plan_is_deterministic_for_a_seed():
    a = builder.generate_plan(seed=7, students=STUDENTS)
    b = builder.generate_plan(seed=7, students=STUDENTS)
    other = builder.generate_plan(seed=8, students=STUDENTS)
    assert a == b
    assert a.fingerprint() == b.fingerprint()
    assert other.fingerprint() != a.fingerprint()
    assert [p.national_id for p in a.people()] != [p.national_id for p in other.people()]


def test_plan_avoids_identifiers_already_taken():
    first = builder.generate_plan(seed=7, students=STUDENTS)
    second = builder.generate_plan(
        seed=7,
        students=STUDENTS,
        taken_national_ids=[p.national_id for p in first.people()],
        taken_usccs=[o.uscc for o in first.organisations],
    )
    assert not {p.national_id for p in first.people()} & {p.national_id for p in second.people()}
    assert not {o.uscc for o in first.organisations} & {o.uscc for o in second.organisations}


def test_plan_identifiers_are_valid_unique_and_consistent():
    plan = builder.generate_plan(seed=3, students=500)
    people = list(plan.people())
    assert len({p.national_id for p in people}) == len(people)
    assert len({p.phone for p in people}) == len(people)
    for p in people:
        validate_national_id(p.national_id)
        validate_phone(p.phone)
        assert national_id_birth_date(p.national_id) == p.birth_date
        assert (int(p.national_id[16]) % 2 == 1) == (p.gender == "male")
        assert p.national_id[14:17] in {"996", "997", "998", "999"}  # reserved for centenarians: fictitious
    for s in plan.students:
        age = s.cohort_year - s.person.birth_date.year
        assert 16 <= age <= 21
        assert s.cohort_year in {2023, 2024, 2025, 2026}
    for o in plan.organisations:
        validate_uscc(o.uscc)
    numbers = Counter((s.college, s.student_number) for s in plan.students)
    assert max(numbers.values()) == 1


def test_plan_needs_two_students():
    with pytest.raises(ValueError):
        builder.generate_plan(students=1)


# --- the built park -------------------------------------------------------------------------------


def test_parties_majors_and_people(park):
    kinds = Counter(park.organisations.values_list("kind", flat=True))
    assert kinds[OrganisationKind.COMMITTEE] == 1
    assert kinds[OrganisationKind.INDUSTRIAL_COLLEGE] == 1
    assert kinds[OrganisationKind.COOPERATIVE_COLLEGE] >= 4
    assert kinds[OrganisationKind.ENTERPRISE] >= 12
    assert kinds[OrganisationKind.OPERATOR] == 1
    assert kinds[OrganisationKind.EVALUATION_ORG] == 1
    industries = set(park.organisations.filter(kind=OrganisationKind.ENTERPRISE).values_list("industry", flat=True))
    assert {Industry.COAL_MINING, Industry.COAL_POWER, Industry.COAL_CHEMICAL} <= industries
    assert Major.objects.filter(park=park).count() >= 10
    assert all(
        len(code) == 6 and code.isdigit() for code in Major.objects.filter(park=park).values_list("code", flat=True)
    )

    students = Student.objects.filter(college__park=park)
    assert students.count() == STUDENTS
    assert set(students.values_list("cohort_year", flat=True)) <= {2023, 2024, 2025, 2026}
    statuses = Counter(students.values_list("status", flat=True))
    assert statuses[StudentStatus.IN_PARK] + statuses[StudentStatus.ENROLLED] > STUDENTS / 2
    for college in park.organisations.filter(kind=OrganisationKind.COOPERATIVE_COLLEGE):
        assert college.teachers.count() >= 8
        assert college.memberships.filter(role=Role.STUDENT_MANAGER).exists()
        assert college.memberships.filter(role=Role.COLLEGE_ADMIN).exists()
    # A graduated or withdrawn student's student membership has ended, as student_update does.
    for student in students.filter(status__in=[StudentStatus.GRADUATED, StudentStatus.WITHDRAWN]):
        assert not student.person.memberships.filter(role=Role.STUDENT, end_date__isnull=True).exists()


def test_identifiers_pass_the_validators_and_are_unique(park):
    people = list(Person.objects.filter(park=park))
    for person in people:
        validate_national_id(person.national_id)
        validate_phone(person.phone)
        assert person.birth_date == national_id_birth_date(person.national_id)
    assert len({p.phone for p in people}) == len(people)
    for org in park.organisations.all():
        validate_uscc(org.uscc)
        if org.phone:
            validate_phone(org.phone)


def test_memberships_fit_their_organisations(park):
    for kind, role in Membership.objects.filter(organisation__park=park).values_list("organisation__kind", "role"):
        assert kind in ROLE_ORGANISATION_KINDS[role]


def test_the_park_is_the_plan_for_its_seed(park):
    """The build writes exactly the pure plan of the seed (in a database without other parks)."""
    plan = builder.generate_plan(seed=data.DEFAULT_SEED, students=STUDENTS)
    built = set(Person.objects.filter(park=park).values_list("national_id", flat=True))
    assert built == {p.national_id for p in plan.people()}
    assert set(park.organisations.values_list("uscc", flat=True)) == {o.uscc for o in plan.organisations}


def test_every_demo_login_authenticates(park):
    request = RequestFactory().post("/accounts/login/")
    for username, role, _org in data.LOGINS:
        user = authenticate(request, username=username, password=data.DEMO_PASSWORD)
        assert user is not None, username
        person = Person.objects.get(user=user)
        assert person.park == park
        membership = person.memberships.get(role=role)
        assert membership.organisation.park == park
        if role in (Role.STUDENT, Role.TEACHER):
            assert hasattr(person, str(role))
    orgs_of = {
        (m.role, m.organisation_id) for m in Membership.objects.filter(person__user__username__in=["hr1", "hr2"])
    }
    assert len(orgs_of) == 2  # two enterprises
    colleges = Membership.objects.filter(person__user__username__in=["college1", "college2"])
    assert len({m.organisation_id for m in colleges}) == 2
    system = User.objects.get(username=data.SYSTEM_USERNAME)
    assert system.is_superuser and not system.has_usable_password()
    assert not Person.objects.filter(user=system).exists()


def test_output_lists_the_logins(output):
    assert data.DEMO_PASSWORD in output
    for username, _role, _org in data.LOGINS:
        assert f"\n{username} " in output


def test_every_object_is_audited_and_the_chain_verifies(park):
    assert audit.verify_chain() is None
    for model, qs in [
        (Organisation, park.organisations.all()),
        (Major, Major.objects.filter(park=park)),
        (Person, Person.objects.filter(park=park)),
        (Student, Student.objects.filter(college__park=park)),
        (Teacher, Teacher.objects.filter(organisation__park=park)),
        (Membership, Membership.objects.filter(organisation__park=park)),
    ]:
        ids = {str(pk) for pk in qs.values_list("pk", flat=True)}
        created = set(
            AuditEvent.objects.filter(object_type=audit.object_type_of(model), action="create").values_list(
                "object_id", flat=True
            )
        )
        assert ids <= created, model
    assert AuditEvent.objects.filter(object_type="core.park", object_id=str(park.pk), action="create").exists()
    # The demo writes as its system user, except where a step is a party's own act (an objection by a college).
    actors = set(AuditEvent.objects.values_list("actor__username", flat=True))
    assert data.SYSTEM_USERNAME in actors
    assert actors <= {data.SYSTEM_USERNAME} | {username for username, _role, _org in data.LOGINS}


def test_second_run_creates_nothing(park):
    before = {model: model.objects.count() for model in MODELS}
    out = io.StringIO()
    call_command("demo_park", students=STUDENTS, stdout=out)
    assert {model: model.objects.count() for model in MODELS} == before
    assert "exists already" in out.getvalue()
    assert "admin" in out.getvalue()
    assert audit.verify_chain() is None


def test_a_second_park_needs_a_login_prefix_and_gets_its_own_identifiers(park):
    with pytest.raises(CommandError, match="--login-prefix"):
        call_command("demo_park", students=2, park_code="second", quiet=True)
    assert not Park.objects.filter(code="second").exists()
    call_command("demo_park", students=2, park_code="second", login_prefix="b-", quiet=True)
    second = Park.objects.get(code="second")
    assert Student.objects.filter(college__park=second).count() == 2
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="b-admin", password=data.DEMO_PASSWORD).person.park == second
    assert audit.verify_chain() is None
