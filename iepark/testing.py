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
    birth = birth + datetime.timedelta(days=serial // 500)
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
    # Records (persona logins of the same names are in ``users``).
    a_student: Student | None = None
    b_student: Student | None = None
    a_teacher: Teacher | None = None

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
        w.a_student = Student.objects.create(
            person=sa, college=w.college_a, major=w.major, student_number="A001", cohort_year=2024
        )
        w.b_student = Student.objects.create(
            person=sb, college=w.college_b, major=w.major, student_number="B001", cohort_year=2024
        )
        w.a_teacher = Teacher.objects.create(
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


# ---------------------------------------------------------------------------
# Generated access tests (NetBox-style): declare a model's endpoint, inherit the rest.
# ---------------------------------------------------------------------------

ACCESS_SUITES: list[type] = []
NOT_VISIBLE = (404,)
REFUSED_WRITE = (403, 404, 405)


class ApiAccessSuite:
    """
    Base of the standard access tests of one API endpoint (and its pages).

    A subclass named ``Test...`` declares the endpoint's ``basename``, the
    personas who may read, write or only read the sample object, the outsiders
    who must not see it, and the sample data; it inherits tests proving
    anonymous refusal, scoped reads, cross-party 404s, refused writes, audited
    create/update/delete, refusal of writes into another party's scope, bad
    input rejected with nothing written, and a list query count that does not
    grow with the data.
    """

    basename: str = ""
    readers: tuple[str, ...] = ()
    writer: str | None = None
    readonly: tuple[str, ...] = ()
    outsiders: tuple[str, ...] = ()
    page_list: str | None = None  # URL name of the HTML list page
    page_detail: str | None = None  # URL name of the HTML detail page
    page_edit: str | None = None  # URL name of the HTML edit page

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.basename:
            ACCESS_SUITES.append(cls)

    # --- declared by subclasses -------------------------------------------------
    def own(self, world: World) -> Any:
        raise NotImplementedError

    def create_payload(self, world: World) -> dict[str, Any] | None:
        return None

    def update_payload(self, world: World, obj: Any) -> dict[str, Any] | None:
        return None

    def foreign_payload(self, world: World) -> dict[str, Any] | None:
        """A create payload aimed at another party's scope, which ``writer`` must not write."""
        return None

    def invalid_payload(self, world: World) -> tuple[dict[str, Any], str] | None:
        """A create payload with one bad field, and that field's name."""
        return None

    def deletable(self, world: World) -> Any:
        return None

    def make_many(self, world: World, n: int, start: int) -> None:
        """Create ``n`` more rows visible to the first reader (for the query-count test)."""
        raise NotImplementedError

    # --- helpers -------------------------------------------------------------------
    def list_url(self) -> str:
        from django.urls import reverse

        return reverse(f"{self.basename}-list")

    def detail_url(self, obj: Any) -> str:
        from django.urls import reverse

        return reverse(f"{self.basename}-detail", args=[obj.pk])

    @staticmethod
    def _client(user: Any = None):
        from rest_framework.test import APIClient

        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    @staticmethod
    def _ids(response) -> set[Any]:
        data = response.json()
        rows = data["results"] if isinstance(data, dict) and "results" in data else data
        return {row["id"] for row in rows}

    @staticmethod
    def _audit_total() -> int:
        from iepark.core.models import AuditEvent

        return AuditEvent.objects.count()

    # --- the generated tests ---------------------------------------------------
    def test_anonymous_is_refused(self, world):
        obj = self.own(world)
        client = self._client()
        assert client.get(self.list_url()).status_code in (401, 403)
        assert client.get(self.detail_url(obj)).status_code in (401, 403)
        if self.create_payload(world) is not None:
            before = self._audit_total()
            assert client.post(self.list_url(), self.create_payload(world), format="json").status_code in (401, 403)
            assert self._audit_total() == before

    def test_readers_see_the_object(self, world):
        obj = self.own(world)
        for name in self.readers + self.readonly + ((self.writer,) if self.writer else ()):
            client = self._client(world.users[name])
            assert client.get(self.detail_url(obj)).status_code == 200, name
            assert obj.pk in self._ids(client.get(self.list_url(), {"page_size": 500})), name

    def test_outsiders_get_404_and_cannot_write(self, world):
        obj = self.own(world)
        update = self.update_payload(world, obj) or {}
        for name in self.outsiders:
            client = self._client(world.users[name])
            before = self._audit_total()
            assert client.get(self.detail_url(obj)).status_code in NOT_VISIBLE, name
            assert obj.pk not in self._ids(client.get(self.list_url(), {"page_size": 500})), name
            assert client.patch(self.detail_url(obj), update, format="json").status_code in REFUSED_WRITE, name
            assert client.delete(self.detail_url(obj)).status_code in REFUSED_WRITE, name
            assert type(obj)._default_manager.filter(pk=obj.pk).exists(), name
            assert self._audit_total() == before, name

    def test_readonly_personas_cannot_write(self, world):
        obj = self.own(world)
        update = self.update_payload(world, obj) or {}
        for name in self.readonly:
            client = self._client(world.users[name])
            before = self._audit_total()
            assert client.patch(self.detail_url(obj), update, format="json").status_code in (403, 405), name
            assert client.delete(self.detail_url(obj)).status_code in (403, 405), name
            assert self._audit_total() == before, name

    def test_writer_creates_with_audit(self, world):
        payload = self.create_payload(world)
        if payload is None or self.writer is None:
            return
        from iepark.core.models import AuditEvent

        client = self._client(world.users[self.writer])
        response = client.post(self.list_url(), payload, format="json")
        assert response.status_code == 201, response.content
        new_id = response.json()["id"]
        assert client.get(self.detail_url(type("R", (), {"pk": new_id}))).status_code == 200
        assert AuditEvent.objects.filter(
            action="create", object_id=str(new_id), actor=world.users[self.writer]
        ).exists()

    def test_writer_updates_with_audit(self, world):
        obj = self.own(world)
        payload = self.update_payload(world, obj)
        if payload is None or self.writer is None:
            return
        from iepark.core.models import AuditEvent

        client = self._client(world.users[self.writer])
        response = client.patch(self.detail_url(obj), payload, format="json")
        assert response.status_code == 200, response.content
        event = AuditEvent.objects.filter(action="update", object_id=str(obj.pk)).first()
        assert event is not None and event.actor == world.users[self.writer]
        assert event.changes, "an update event records what changed"

    def test_writer_deletes_with_audit(self, world):
        obj = self.deletable(world)
        if obj is None or self.writer is None:
            return
        from iepark.core.models import AuditEvent

        client = self._client(world.users[self.writer])
        response = client.delete(self.detail_url(obj))
        assert response.status_code == 204, response.content
        assert not type(obj)._default_manager.filter(pk=obj.pk).exists()
        assert AuditEvent.objects.filter(action="delete", object_id=str(obj.pk)).exists()

    def test_writer_cannot_write_into_another_partys_scope(self, world):
        payload = self.foreign_payload(world)
        if payload is None or self.writer is None:
            return
        client = self._client(world.users[self.writer])
        before = self._audit_total()
        response = client.post(self.list_url(), payload, format="json")
        assert response.status_code in (400, 403), response.content
        assert self._audit_total() == before

    def test_bad_input_is_rejected_and_nothing_written(self, world):
        bad = self.invalid_payload(world)
        if bad is None or self.writer is None:
            return
        payload, field_name = bad
        client = self._client(world.users[self.writer])
        before = self._audit_total()
        response = client.post(self.list_url(), payload, format="json")
        assert response.status_code == 400, response.content
        assert field_name in response.json(), response.json()
        assert self._audit_total() == before

    def test_list_query_count_does_not_grow(self, world):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        name = (self.readers + self.readonly + ((self.writer,) if self.writer else ()))[0]
        client = self._client(world.users[name])
        client.get(self.list_url())  # warm caches (content types, sessions)

        def count() -> int:
            user = world.users[name]
            if hasattr(user, "_iepark_actor"):
                del user._iepark_actor
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(self.list_url(), {"page_size": 500}).status_code == 200
            return len(ctx.captured_queries)

        self.make_many(world, 3, 100)
        small = count()
        self.make_many(world, 12, 200)
        assert count() == small

    def test_pages_follow_the_same_scope(self, world):
        from django.test import Client
        from django.urls import NoReverseMatch, reverse

        obj = self.own(world)
        try:
            detail = reverse(self.page_detail, args=[obj.pk]) if self.page_detail else None
            listing = reverse(self.page_list) if self.page_list else None
            edit = reverse(self.page_edit, args=[obj.pk]) if self.page_edit else None
        except NoReverseMatch:
            raise AssertionError(f"page URL names of {self.basename} do not resolve") from None

        def client_for(name: str) -> Client:
            c = Client()
            c.force_login(world.users[name], backend="django.contrib.auth.backends.ModelBackend")
            return c

        anonymous = Client()
        for url in filter(None, (detail, listing, edit)):
            assert anonymous.get(url).status_code in (302, 403), url
        for name in self.readers + self.readonly:
            if detail:
                assert client_for(name).get(detail).status_code == 200, name
            if listing:
                assert client_for(name).get(listing).status_code == 200, name
        for name in self.outsiders:
            if detail:
                assert client_for(name).get(detail).status_code == 404, name
            if edit:
                assert client_for(name).get(edit).status_code in REFUSED_WRITE, name
                assert client_for(name).post(edit, {}).status_code in REFUSED_WRITE, name
        for name in self.readonly:
            if edit:
                assert client_for(name).get(edit).status_code == 403, name
