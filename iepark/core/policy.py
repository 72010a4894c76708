"""
The one authorization policy of iepark.

Every read is scoped here: ``restrict(queryset, user, action)`` returns only the
rows ``user`` may see (``Action.VIEW``) or change (``CHANGE``/``DELETE``).
HTML views, API views, exports, imports and services all go through it; no
other module filters by organisation or park by hand.

Rules are registered per model with ``@rule(Model)``: a function that takes the
actor and the action and returns a ``Q`` over that model (or ``NOTHING``).
Adding a row is checked with ``can_add(user, instance)``, a predicate on the
unsaved instance registered with ``@add_rule(Model)``. Later capabilities add
their rules to this module's registry from their own ``policy`` modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from .choices import COLLEGE_KINDS, Role

NOTHING = Q(pk__in=[])
EVERYTHING = Q()


class Action(StrEnum):
    VIEW = "view"
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


# Roles whose holders work for a college and see its students and staff.
COLLEGE_STAFF_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER, Role.TEACHER})
# Roles that may change a college's students.
STUDENT_EDITOR_ROLES = frozenset({Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER})
PARK_WIDE_READ_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER})


@dataclass(frozen=True)
class MembershipGrant:
    role: str
    organisation_id: int
    organisation_kind: str
    park_id: int


@dataclass
class Actor:
    """What the policy knows about a user: their person, active memberships and parks."""

    user: Any
    person_id: int | None = None
    person_park_id: int | None = None
    grants: list[MembershipGrant] = field(default_factory=list)
    is_superuser: bool = False

    def orgs(self, roles: Iterable[str]) -> set[int]:
        """Return ids of organisations where the actor holds any of ``roles``."""
        roles = set(roles)
        return {g.organisation_id for g in self.grants if g.role in roles}

    def parks(self, roles: Iterable[str] | None = None) -> set[int]:
        """Return ids of parks where the actor holds any of ``roles`` (any role if None)."""
        if roles is None:
            return {g.park_id for g in self.grants}
        roles = set(roles)
        return {g.park_id for g in self.grants if g.role in roles}

    def has_role(self, role: str, *, park_id: int | None = None, organisation_id: int | None = None) -> bool:
        return any(
            g.role == role
            and (park_id is None or g.park_id == park_id)
            and (organisation_id is None or g.organisation_id == organisation_id)
            for g in self.grants
        )

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))


def actor_for(user: Any) -> Actor:
    """Return the user's ``Actor``, computed once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user=user)
    cached = getattr(user, "_iepark_actor", None)
    if cached is not None:
        return cached
    from .models import Membership, Person

    actor = Actor(user=user, is_superuser=bool(user.is_superuser))
    person = Person.objects.filter(user=user).only("id", "park_id").first()
    if person is not None:
        actor.person_id = person.id
        actor.person_park_id = person.park_id
        today = timezone.localdate()
        rows = (
            Membership.objects.filter(person=person, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values_list("role", "organisation_id", "organisation__kind", "organisation__park_id")
        )
        actor.grants = [MembershipGrant(*row) for row in rows]
    user._iepark_actor = actor
    return actor


def forget_actor(user: Any) -> None:
    """Drop the cached actor (after the user's memberships changed)."""
    if user is not None and hasattr(user, "_iepark_actor"):
        del user._iepark_actor


ScopeRule = Callable[[Actor, Action], Q]
AddRule = Callable[[Actor, Any], bool]
_scope_rules: dict[type[models.Model], ScopeRule] = {}
_add_rules: dict[type[models.Model], AddRule] = {}


def rule(model: type[models.Model]) -> Callable[[ScopeRule], ScopeRule]:
    """Register the scope rule of ``model``."""

    def register(func: ScopeRule) -> ScopeRule:
        _scope_rules[model] = func
        return func

    return register


def add_rule(model: type[models.Model]) -> Callable[[AddRule], AddRule]:
    """Register the rule deciding whether an actor may add an (unsaved) instance of ``model``."""

    def register(func: AddRule) -> AddRule:
        _add_rules[model] = func
        return func

    return register


def registered_models() -> list[type[models.Model]]:
    return list(_scope_rules)


_extensions: dict[type[models.Model], list[ScopeRule]] = {}


def extend_rule(model: type[models.Model]) -> Callable[[ScopeRule], ScopeRule]:
    """
    Register more rows of ``model`` an actor may act on, granted by another app (OR-ed with the rule).

    E.g. the careers app lets an enterprise's HR see the student records of its applicants and employees,
    which the core rule of students cannot know about.
    """

    def register(func: ScopeRule) -> ScopeRule:
        _extensions.setdefault(model, []).append(func)
        return func

    return register


def scope(user: Any, model: type[models.Model], action: Action = Action.VIEW) -> Q:
    """Return the ``Q`` selecting the rows of ``model`` that ``user`` may act on."""
    actor = actor_for(user)
    if not actor.is_authenticated:
        return NOTHING
    if actor.is_superuser:
        return EVERYTHING
    try:
        func = _scope_rules[model]
    except KeyError:
        raise LookupError(f"No policy rule for {model.__name__}; add one to the policy module.") from None
    action = Action(action)
    q = func(actor, action)
    for extension in _extensions.get(model, ()):
        extra = extension(actor, action)
        if extra is not NOTHING:
            q = extra if q is NOTHING else q | extra
    return q


def restrict(queryset: QuerySet, user: Any, action: Action = Action.VIEW) -> QuerySet:
    """Return ``queryset`` narrowed to what ``user`` may do ``action`` on."""
    q = scope(user, queryset.model, action)
    if q is NOTHING:
        return queryset.none()
    return queryset.filter(q)


def can(user: Any, action: Action, obj: models.Model) -> bool:
    """Return whether ``user`` may do ``action`` on the saved object ``obj``."""
    if action == Action.ADD:
        return can_add(user, obj)
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


def can_add(user: Any, instance: models.Model) -> bool:
    """Return whether ``user`` may create ``instance`` (not yet saved)."""
    actor = actor_for(user)
    if not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    func = _add_rules.get(type(instance))
    return bool(func and func(actor, instance))


def may_add_any(user: Any, model: type[models.Model]) -> bool:
    """Return whether ``user`` could add some ``model`` row (to show or hide "Add" buttons)."""
    actor = actor_for(user)
    if actor.is_superuser:
        return True
    func = _add_rules.get(model)
    return bool(func and func(actor, None))


_public_rules: dict[type[models.Model], Callable[[], Q]] = {}


def public_rule(model: type[models.Model]) -> Callable[[Callable[[], Q]], Callable[[], Q]]:
    """Register what anybody, signed in or not, may see of ``model`` (the public portal)."""

    def register(func: Callable[[], Q]) -> Callable[[], Q]:
        _public_rules[model] = func
        return func

    return register


def public(queryset: QuerySet) -> QuerySet:
    """Return ``queryset`` narrowed to what the public may see (nothing for a model without a public rule)."""
    func = _public_rules.get(queryset.model)
    return queryset.filter(func()) if func is not None else queryset.none()


def require(user: Any, action: Action, obj: models.Model) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may do ``action`` on ``obj``."""
    if not can(user, action, obj):
        raise PermissionDenied


# ---------------------------------------------------------------------------
# Rules of the core models.
# ---------------------------------------------------------------------------
from .models import AuditEvent, Job, Major, Membership, Organisation, Park, Person, Student, Teacher  # noqa: E402


def _in_parks(actor: Actor, roles: Iterable[str], lookup: str) -> Q:
    parks = actor.parks(roles)
    return Q(**{f"{lookup}__in": parks}) if parks else NOTHING


def _in_orgs(actor: Actor, roles: Iterable[str], lookup: str) -> Q:
    orgs = actor.orgs(roles)
    return Q(**{f"{lookup}__in": orgs}) if orgs else NOTHING


def _coordinator_colleges(actor: Actor, prefix: str) -> Q:
    """Rows whose college is in a park the actor coordinates (the "1 + N" register)."""
    parks = actor.parks([Role.COLLEGE_COORDINATOR])
    if not parks:
        return NOTHING
    return Q(**{f"{prefix}park__in": parks, f"{prefix}kind__in": list(COLLEGE_KINDS)})


def _park_members(actor: Actor) -> Q:
    return _in_parks(actor, Role.values, "park")


@rule(Park)
def park_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return Q(pk__in=actor.parks()) if actor.grants else NOTHING
    if action == Action.CHANGE:
        return Q(pk__in=actor.parks([Role.PARK_ADMIN]))
    return NOTHING


@public_rule(Park)
def park_public() -> Q:
    # Each park has its own public pages (the careers portal): its name, region and code are public.
    return Q()


@add_rule(Park)
def park_add(actor: Actor, instance: Park | None) -> bool:
    return False  # parks are created by the installation's superuser


@rule(Organisation)
def organisation_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return (
            _in_parks(actor, PARK_WIDE_READ_ROLES, "park")
            | _coordinator_colleges(actor, "")
            | Q(pk__in=actor.orgs(Role.values))
        )
    if action == Action.CHANGE:
        return _in_parks(actor, [Role.PARK_ADMIN], "park") | _in_orgs(
            actor, [Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR], "pk"
        )
    return _in_parks(actor, [Role.PARK_ADMIN], "park")


@add_rule(Organisation)
def organisation_add(actor: Actor, instance: Organisation | None) -> bool:
    if instance is None:
        return bool(actor.parks([Role.PARK_ADMIN]))
    return actor.has_role(Role.PARK_ADMIN, park_id=instance.park_id)


def _members_of(prefix: str, **membership_filter: Any) -> Q:
    """Return people holding a membership matching ``membership_filter`` (a subquery: no duplicate rows)."""
    return Q(**{f"{prefix}pk__in": Membership.objects.filter(**membership_filter).values("person_id")})


def person_scope_q(actor: Actor, action: Action, prefix: str = "") -> Q:
    """Return the rule for people, with lookups under ``prefix`` (e.g. ``"person__"``)."""
    p = prefix
    if action == Action.VIEW:
        college_orgs = actor.orgs(COLLEGE_STAFF_ROLES)
        q = _in_parks(actor, PARK_WIDE_READ_ROLES, f"{p}park")
        coordinated = actor.parks([Role.COLLEGE_COORDINATOR])
        if coordinated:
            q |= Q(**{f"{p}student__college__park__in": coordinated}) | _members_of(
                p, organisation__park__in=coordinated, organisation__kind__in=list(COLLEGE_KINDS)
            )
        if college_orgs:
            q |= Q(**{f"{p}student__college__in": college_orgs}) | _members_of(p, organisation__in=college_orgs)
        hr_orgs = actor.orgs([Role.ENTERPRISE_HR, Role.OPERATOR_STAFF])
        if hr_orgs:
            q |= _members_of(p, organisation__in=hr_orgs)
    elif action == Action.CHANGE:
        q = _in_parks(actor, [Role.PARK_ADMIN], f"{p}park")
        college_orgs = actor.orgs(STUDENT_EDITOR_ROLES)
        if college_orgs:
            q |= Q(**{f"{p}student__college__in": college_orgs}) | _members_of(
                p, organisation__in=actor.orgs([Role.COLLEGE_ADMIN])
            )
        hr_orgs = actor.orgs([Role.ENTERPRISE_HR])
        if hr_orgs:
            q |= _members_of(p, organisation__in=hr_orgs)
    else:
        q = _in_parks(actor, [Role.PARK_ADMIN], f"{p}park")
    if actor.person_id:
        if action == Action.VIEW:
            q |= Q(**{f"{p}pk": actor.person_id})
    return q


def personal_data_q(actor: Actor, prefix: str = "") -> Q:
    """Return the rule for seeing a person's unmasked ID number and phone."""
    p = prefix
    q = _in_parks(actor, [Role.PARK_ADMIN], f"{p}park")
    if actor.person_id:
        q |= Q(**{f"{p}pk": actor.person_id})
    editor_orgs = actor.orgs(STUDENT_EDITOR_ROLES)
    if editor_orgs:
        q |= Q(**{f"{p}student__college__in": editor_orgs})
    coordinated = actor.parks([Role.COLLEGE_COORDINATOR])
    if coordinated:
        q |= Q(**{f"{p}student__college__park__in": coordinated})
    hr_orgs = actor.orgs([Role.ENTERPRISE_HR, Role.COLLEGE_ADMIN])
    if hr_orgs:
        q |= _members_of(p, organisation__in=hr_orgs)
    return q


def can_see_personal_data(user: Any, person: Person) -> bool:
    """Return whether ``user`` may see ``person``'s national ID number and phone unmasked."""
    actor = actor_for(user)
    if actor.is_superuser:
        return True
    if not actor.is_authenticated:
        return False
    if actor.person_id == person.pk:
        return True
    return Person.objects.filter(pk=person.pk).filter(personal_data_q(actor)).exists()


def annotate_personal_data(queryset: QuerySet, user: Any, prefix: str = "") -> QuerySet:
    """Annotate each row with ``pii_visible`` (one query for the whole list, no per-row checks)."""
    from django.db.models import BooleanField, Exists, OuterRef, Value

    actor = actor_for(user)
    if actor.is_superuser:
        return queryset.annotate(pii_visible=Value(True, output_field=BooleanField()))
    if not actor.is_authenticated:
        return queryset.annotate(pii_visible=Value(False, output_field=BooleanField()))
    person_ref = f"{prefix}pk" if prefix else "pk"
    if prefix:
        person_ref = prefix.removesuffix("__")
    visible = Person.objects.filter(personal_data_q(actor)).filter(pk=OuterRef(person_ref))
    return queryset.annotate(pii_visible=Exists(visible))


@rule(Person)
def person_scope(actor: Actor, action: Action) -> Q:
    return person_scope_q(actor, action)


@add_rule(Person)
def person_add(actor: Actor, instance: Person | None) -> bool:
    editors = {Role.PARK_ADMIN, Role.COLLEGE_ADMIN, Role.STUDENT_MANAGER, Role.ENTERPRISE_HR}
    if instance is None:
        return bool(actor.roles & editors)
    return instance.park_id in actor.parks(editors)


@rule(Membership)
def membership_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        q = _in_parks(actor, PARK_WIDE_READ_ROLES, "organisation__park") | _coordinator_colleges(
            actor, "organisation__"
        )
        q |= _in_orgs(actor, COLLEGE_STAFF_ROLES | {Role.ENTERPRISE_HR, Role.OPERATOR_STAFF}, "organisation")
        if actor.person_id:
            q |= Q(person_id=actor.person_id)
        return q
    return _in_parks(actor, [Role.PARK_ADMIN], "organisation__park") | _in_orgs(
        actor, [Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR], "organisation"
    )


# Roles only a park administrator may grant: they open the whole park.
PARK_LEVEL_ROLES = frozenset({Role.PARK_ADMIN, Role.COMMITTEE_OFFICER, Role.COLLEGE_COORDINATOR})


@add_rule(Membership)
def membership_add(actor: Actor, instance: Membership | None) -> bool:
    if instance is None:
        return bool(actor.roles & {Role.PARK_ADMIN, Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR})
    org = instance.organisation
    if actor.has_role(Role.PARK_ADMIN, park_id=org.park_id):
        return True
    if instance.role in PARK_LEVEL_ROLES:
        return False
    return bool(actor.orgs([Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR]) & {org.pk})


@rule(Major)
def major_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        return _park_members(actor)
    return _in_parks(actor, [Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR], "park")


@add_rule(Major)
def major_add(actor: Actor, instance: Major | None) -> bool:
    roles = [Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR]
    if instance is None:
        return bool(actor.parks(roles))
    return instance.park_id in actor.parks(roles)


@rule(Student)
def student_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        q = _in_parks(actor, PARK_WIDE_READ_ROLES | {Role.COLLEGE_COORDINATOR}, "college__park")
        q |= _in_orgs(actor, COLLEGE_STAFF_ROLES, "college")
        if actor.person_id:
            q |= Q(person_id=actor.person_id)
        return q
    if action == Action.CHANGE:
        return _in_parks(actor, [Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR], "college__park") | _in_orgs(
            actor, STUDENT_EDITOR_ROLES, "college"
        )
    return _in_parks(actor, [Role.PARK_ADMIN], "college__park") | _in_orgs(actor, [Role.COLLEGE_ADMIN], "college")


@add_rule(Student)
def student_add(actor: Actor, instance: Student | None) -> bool:
    if instance is None:
        return bool(actor.roles & (STUDENT_EDITOR_ROLES | {Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR}))
    college = instance.college
    return college.park_id in actor.parks([Role.PARK_ADMIN, Role.COLLEGE_COORDINATOR]) or college.pk in actor.orgs(
        STUDENT_EDITOR_ROLES
    )


@rule(Teacher)
def teacher_scope(actor: Actor, action: Action) -> Q:
    if action == Action.VIEW:
        q = _in_parks(actor, PARK_WIDE_READ_ROLES | {Role.COLLEGE_COORDINATOR}, "organisation__park")
        q |= _in_orgs(actor, COLLEGE_STAFF_ROLES, "organisation")
        if actor.person_id:
            q |= Q(person_id=actor.person_id)
        return q
    return _in_parks(actor, [Role.PARK_ADMIN], "organisation__park") | _in_orgs(
        actor, [Role.COLLEGE_ADMIN], "organisation"
    )


@add_rule(Teacher)
def teacher_add(actor: Actor, instance: Teacher | None) -> bool:
    if instance is None:
        return bool(actor.roles & {Role.PARK_ADMIN, Role.COLLEGE_ADMIN})
    org = instance.organisation
    return org.park_id in actor.parks([Role.PARK_ADMIN]) or org.pk in actor.orgs([Role.COLLEGE_ADMIN])


@rule(AuditEvent)
def audit_event_scope(actor: Actor, action: Action) -> Q:
    if action != Action.VIEW:
        return NOTHING  # append-only, for everybody
    q = _in_parks(actor, PARK_WIDE_READ_ROLES, "park")
    q |= _in_orgs(actor, [Role.COLLEGE_ADMIN, Role.ENTERPRISE_HR], "organisation_id")
    q |= Q(actor_id=actor.user.pk)
    return q


@rule(Job)
def job_scope(actor: Actor, action: Action) -> Q:
    q = Q(created_by_id=actor.user.pk)
    if action == Action.VIEW:
        q |= _in_parks(actor, [Role.PARK_ADMIN], "park")
    return q


@add_rule(Job)
def job_add(actor: Actor, instance: Job | None) -> bool:
    return actor.is_authenticated


def object_history_visible(user: Any, obj: models.Model) -> bool:
    """Return whether ``user`` may read the audit history of ``obj`` (whoever may see it)."""
    return can(user, Action.VIEW, obj)
