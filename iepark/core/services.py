"""
Writes of the core models. Every write checks the policy, validates, saves and
records its audit event in one transaction; nothing else saves these models.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import policy
from .audit import audited_create, audited_delete, audited_update
from .choices import Role, StudentStatus
from .models import Major, Membership, Organisation, Park, Person, Student, Teacher
from .policy import Action

User = get_user_model()


def _require_add(actor: Any, instance: Any) -> None:
    if not policy.can_add(actor, instance):
        raise PermissionDenied


def _require(actor: Any, action: Action, instance: Any) -> None:
    policy.require(actor, action, instance)


# --- parks -------------------------------------------------------------------


def park_update(*, actor: Any, park: Park, data: dict[str, Any]) -> Park:
    _require(actor, Action.CHANGE, park)
    return audited_update(actor=actor, instance=park, data=_only(data, ["name", "name_en", "region"]))


def park_create(*, actor: Any, code: str, name: str, name_en: str = "", region: str = "") -> Park:
    """Create a park (installation superusers and the demo command only)."""
    park = Park(code=code, name=name, name_en=name_en, region=region)
    _require_add(actor, park)
    return audited_create(actor=actor, instance=park)


# --- organisations -------------------------------------------------------------

ORGANISATION_FIELDS = ["kind", "name", "name_en", "uscc", "industry", "address", "phone", "website", "is_active"]


def organisation_create(*, actor: Any, park: Park, **fields: Any) -> Organisation:
    org = Organisation(park=park, **_only(fields, ORGANISATION_FIELDS))
    _require_add(actor, org)
    return audited_create(actor=actor, instance=org)


def organisation_update(*, actor: Any, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    _require(actor, Action.CHANGE, organisation)
    allowed = ORGANISATION_FIELDS
    if not policy.actor_for(actor).has_role(Role.PARK_ADMIN, park_id=organisation.park_id) and not actor.is_superuser:
        # An organisation's own administrator edits its details, not its kind.
        allowed = [f for f in ORGANISATION_FIELDS if f not in ("kind", "is_active")]
    return audited_update(actor=actor, instance=organisation, data=_only(data, allowed))


def organisation_delete(*, actor: Any, organisation: Organisation) -> None:
    _require(actor, Action.DELETE, organisation)
    if organisation.memberships.exists() or organisation.students.exists() or organisation.teachers.exists():
        raise ValidationError(
            _(
                "This organisation still has members, students or teachers; end or move them first, or mark it inactive."
            ),
            code="organisation_in_use",
        )
    audited_delete(actor=actor, instance=organisation)


# --- people ------------------------------------------------------------------

PERSON_FIELDS = ["name", "name_en", "gender", "birth_date", "national_id", "phone", "email", "language"]


def person_create(*, actor: Any, park: Park, membership: dict[str, Any] | None = None, **fields: Any) -> Person:
    """
    Register a person, with their first membership (``organisation``, ``role``, dates) if given.

    Only a park administrator may register a person without a membership: anyone
    else registers people into their own organisation, or they would vanish from
    their view the moment they were created.
    """
    person = Person(park=park, **_only(fields, PERSON_FIELDS))
    _require_add(actor, person)
    with transaction.atomic():
        if membership:
            m = Membership(person=person, **_only(membership, ["organisation", *MEMBERSHIP_FIELDS]))
            m.start_date = m.start_date or timezone.localdate()
            _require_add(actor, m)
        elif not policy.actor_for(actor).has_role(Role.PARK_ADMIN, park_id=park.pk) and not actor.is_superuser:
            raise ValidationError(
                {"organisation": _("A new person needs a role in your organisation.")}, code="membership_required"
            )
        audited_create(actor=actor, instance=person, owner=(park.pk, m.organisation_id) if membership else None)
        if membership:
            m.person = person
            audited_create(actor=actor, instance=m)
    return person


def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    _require(actor, Action.CHANGE, person)
    return audited_update(actor=actor, instance=person, data=_only(data, PERSON_FIELDS))


def person_delete(*, actor: Any, person: Person) -> None:
    _require(actor, Action.DELETE, person)
    with transaction.atomic():
        user = person.user
        for membership in list(person.memberships.all()):
            audited_delete(actor=actor, instance=membership)
        for related in ("student", "teacher"):
            obj = getattr(person, related, None) if hasattr(person, related) else None
            if obj is not None:
                audited_delete(actor=actor, instance=obj)
        audited_delete(actor=actor, instance=person)
        if user is not None:
            user.delete()


def person_set_login(*, actor: Any, person: Person, username: str, password: str | None) -> Any:
    """Give ``person`` a login (or change its username/password)."""
    _require(actor, Action.CHANGE, person)
    from django.contrib.auth.password_validation import validate_password

    with transaction.atomic():
        user = person.user
        if User.objects.filter(username=username).exclude(pk=getattr(user, "pk", None)).exists():
            raise ValidationError({"username": _("This username is taken.")}, code="username_taken")
        created = user is None
        if created:
            user = User(username=username)
        user.username = username
        if password:
            validate_password(password, user)
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        if created:
            audited_update(actor=actor, instance=person, data={"user": user})
    return user


def user_set_language(*, user: Any, language: str) -> None:
    """Remember the user's interface language on their person record."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language.")})
    person = Person.objects.filter(user=user).first()
    if person is not None and person.language != language:
        # A person may always change their own preference.
        audited_update(actor=user, instance=person, data={"language": language})


# --- memberships -----------------------------------------------------------------

MEMBERSHIP_FIELDS = ["role", "title", "start_date", "end_date"]


def membership_create(*, actor: Any, person: Person, organisation: Organisation, **fields: Any) -> Membership:
    fields.setdefault("start_date", timezone.localdate())
    membership = Membership(person=person, organisation=organisation, **_only(fields, MEMBERSHIP_FIELDS))
    _require_add(actor, membership)
    _require(actor, Action.VIEW, person)
    result = audited_create(actor=actor, instance=membership)
    policy.forget_actor(person.user)
    return result


def membership_update(*, actor: Any, membership: Membership, data: dict[str, Any]) -> Membership:
    _require(actor, Action.CHANGE, membership)
    data = _only(data, MEMBERSHIP_FIELDS)
    if "role" in data and data["role"] != membership.role:
        probe = Membership(person=membership.person, organisation=membership.organisation, role=data["role"])
        _require_add(actor, probe)
    return audited_update(actor=actor, instance=membership, data=data)


def membership_end(*, actor: Any, membership: Membership, end_date: datetime.date | None = None) -> Membership:
    return membership_update(actor=actor, membership=membership, data={"end_date": end_date or timezone.localdate()})


def membership_delete(*, actor: Any, membership: Membership) -> None:
    _require(actor, Action.DELETE, membership)
    audited_delete(actor=actor, instance=membership)


# --- majors ------------------------------------------------------------------

MAJOR_FIELDS = ["code", "name", "name_en"]


def major_create(*, actor: Any, park: Park, **fields: Any) -> Major:
    major = Major(park=park, **_only(fields, MAJOR_FIELDS))
    _require_add(actor, major)
    return audited_create(actor=actor, instance=major)


def major_update(*, actor: Any, major: Major, data: dict[str, Any]) -> Major:
    _require(actor, Action.CHANGE, major)
    return audited_update(actor=actor, instance=major, data=_only(data, MAJOR_FIELDS))


def major_delete(*, actor: Any, major: Major) -> None:
    _require(actor, Action.DELETE, major)
    if major.students.exists() or major.teachers.exists():
        raise ValidationError(_("This major still has students or teachers."), code="major_in_use")
    audited_delete(actor=actor, instance=major)


# --- students -------------------------------------------------------------------

STUDENT_FIELDS = ["college", "major", "student_number", "cohort_year", "status"]


def student_create(
    *, actor: Any, person: Person | None = None, person_fields: dict[str, Any] | None = None, **fields: Any
) -> Student:
    """Register a student: the person (new or existing), the student record and the student membership."""
    with transaction.atomic():
        college = fields["college"]
        probe = Student(**_only(fields, STUDENT_FIELDS))
        _require_add(actor, probe)
        if person is None:
            person = Person(park=college.park, **_only(person_fields or {}, PERSON_FIELDS))
            # Adding the student is the permission that matters; the person comes with it.
            audited_create(actor=actor, instance=person, owner=(college.park_id, college.pk))
        student = Student(person=person, **_only(fields, STUDENT_FIELDS))
        audited_create(actor=actor, instance=student)
        membership = Membership(person=person, organisation=college, role=Role.STUDENT, start_date=timezone.localdate())
        audited_create(actor=actor, instance=membership)
    return student


def student_update(
    *, actor: Any, student: Student, data: dict[str, Any], person_data: dict[str, Any] | None = None
) -> Student:
    _require(actor, Action.CHANGE, student)
    data = _only(data, STUDENT_FIELDS)
    with transaction.atomic():
        if "college" in data and data["college"] != student.college:
            _require_add(actor, Student(college=data["college"]))
        audited_update(actor=actor, instance=student, data=data)
        if person_data:
            audited_update(actor=actor, instance=student.person, data=_only(person_data, PERSON_FIELDS))
        if data.get("status") in (StudentStatus.GRADUATED, StudentStatus.WITHDRAWN):
            for membership in student.person.memberships.filter(role=Role.STUDENT, end_date__isnull=True):
                audited_update(actor=actor, instance=membership, data={"end_date": timezone.localdate()})
    return student


def student_delete(*, actor: Any, student: Student) -> None:
    _require(actor, Action.DELETE, student)
    audited_delete(actor=actor, instance=student)


# --- teachers -------------------------------------------------------------------

TEACHER_FIELDS = ["organisation", "staff_number", "professional_title", "major"]


def teacher_create(
    *, actor: Any, person: Person | None = None, person_fields: dict[str, Any] | None = None, **fields: Any
) -> Teacher:
    """Register a teacher: the person (new or existing), the teacher record and the teacher membership."""
    with transaction.atomic():
        org = fields["organisation"]
        _require_add(actor, Teacher(**_only(fields, TEACHER_FIELDS)))
        if person is None:
            person = Person(park=org.park, **_only(person_fields or {}, PERSON_FIELDS))
            audited_create(actor=actor, instance=person, owner=(org.park_id, org.pk))
        teacher = Teacher(person=person, **_only(fields, TEACHER_FIELDS))
        audited_create(actor=actor, instance=teacher)
        audited_create(
            actor=actor,
            instance=Membership(person=person, organisation=org, role=Role.TEACHER, start_date=timezone.localdate()),
        )
    return teacher


def teacher_update(
    *, actor: Any, teacher: Teacher, data: dict[str, Any], person_data: dict[str, Any] | None = None
) -> Teacher:
    _require(actor, Action.CHANGE, teacher)
    with transaction.atomic():
        audited_update(actor=actor, instance=teacher, data=_only(data, TEACHER_FIELDS))
        if person_data:
            audited_update(actor=actor, instance=teacher.person, data=_only(person_data, PERSON_FIELDS))
    return teacher


def teacher_delete(*, actor: Any, teacher: Teacher) -> None:
    _require(actor, Action.DELETE, teacher)
    audited_delete(actor=actor, instance=teacher)


def _only(data: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Return the items of ``data`` whose keys are in ``names`` (services never take unknown fields)."""
    return {k: v for k, v in data.items() if k in names}


# --- personal data: export and erasure ------------------------------------------------


def person_export(*, actor: Any, person: Person) -> dict[str, Any]:
    """Return everything the platform holds about ``person`` (for a data-subject request)."""
    from .audit import history_for, snapshot

    actor_person = policy.actor_for(actor).person_id
    if actor_person != person.pk:
        _require(actor, Action.CHANGE, person)
    data: dict[str, Any] = {
        "person": {
            f.name: getattr(person, f.attname)
            for f in Person._meta.concrete_fields
            if f.name not in ("user", "park", "created_at", "updated_at")
        },
        "park": person.park.code,
        "username": person.user.get_username() if person.user else None,
        "memberships": [snapshot(m) for m in person.memberships.all()],
        "student": snapshot(person.student) if hasattr(person, "student") else None,
        "teacher": snapshot(person.teacher) if hasattr(person, "teacher") else None,
        "history": [
            {"time": e.timestamp.isoformat(), "action": e.action, "actor": e.actor_label, "changes": e.changes}
            for e in history_for(person)
        ],
    }
    data["person"]["birth_date"] = person.birth_date.isoformat() if person.birth_date else None
    return data


ERASED_NAME = "—"


def person_erase(*, actor: Any, person: Person) -> Person:
    """Erase a person's identifying data, keeping anonymous records that statistics rely on."""
    _require(actor, Action.DELETE, person)
    with transaction.atomic():
        audited_update(
            actor=actor,
            instance=person,
            data={
                "name": ERASED_NAME,
                "name_en": "",
                "national_id": None,
                "phone": "",
                "email": "",
                "birth_date": None,
            },
        )
        user = person.user
        if user is not None:
            audited_update(actor=actor, instance=person, data={"user": None})
            user.delete()
    return person
