"""
Tables of the HTML list pages: declared columns, rendered cells, sortable headers.

A table is a list of ``Column`` objects over a model. A column reads a value
through a dotted accessor (``"person.name"``), takes its header from the model
field's verbose name unless given one, and renders the value as safe HTML. The
same columns describe the attributes panel of a detail page, so one declaration
serves both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, JobStatus, OrganisationKind, Role, StudentStatus
from .validators import mask_national_id, mask_phone

EMPTY = mark_safe('<span class="text-body-tertiary">—</span>')

# Bootstrap colour of the badge shown for each choice value.
BADGE_COLOURS: dict[str, str] = {
    StudentStatus.ENROLLED: "secondary",
    StudentStatus.IN_PARK: "primary",
    StudentStatus.ON_INTERNSHIP: "info",
    StudentStatus.GRADUATED: "success",
    StudentStatus.WITHDRAWN: "dark",
    AuditAction.CREATE: "success",
    AuditAction.UPDATE: "primary",
    AuditAction.DELETE: "danger",
    JobStatus.QUEUED: "secondary",
    JobStatus.RUNNING: "primary",
    JobStatus.SUCCEEDED: "success",
    JobStatus.FAILED: "danger",
    JobStatus.CANCELLED: "warning",
    OrganisationKind.COMMITTEE: "danger",
    OrganisationKind.INDUSTRIAL_COLLEGE: "primary",
    OrganisationKind.COOPERATIVE_COLLEGE: "info",
    OrganisationKind.ENTERPRISE: "success",
    OrganisationKind.OPERATOR: "warning",
    OrganisationKind.EVALUATION_ORG: "secondary",
    Role.PARK_ADMIN: "danger",
    Role.COMMITTEE_OFFICER: "danger",
    Role.STUDENT: "secondary",
}


def badge(value: Any, label: Any) -> SafeString:
    """Return a soft Bootstrap badge for a choice ``value`` shown as ``label``."""
    colour = BADGE_COLOURS.get(str(value), "secondary")
    return format_html(
        '<span class="badge rounded-pill text-bg-{} bg-opacity-75 badge-choice">{}</span>', colour, label
    )


def resolve(obj: Any, accessor: str) -> Any:
    """Return the value at the dotted ``accessor`` of ``obj`` (None if a step is missing)."""
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        try:
            value = getattr(value, part)
        except models.ObjectDoesNotExist:
            return None
    return value


def model_field(model: type[models.Model], accessor: str) -> models.Field | None:
    """Return the model field at the end of the dotted ``accessor``, following relations."""
    field = None
    current = model
    for part in accessor.split("."):
        if current is None:
            return None
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        current = field.related_model if field.is_relation else None
    return field


# The user the current request renders for, and which objects they may open: links go only where the reader
# may go (a related row outside their scope is shown as text, not as a link to a 404). Set per request by
# ``LinkScopeMiddleware``; without a reader (exports, e-mails, the shell) every object with a page is linked.
_reader: ContextVar[Any] = ContextVar("iepark_link_reader", default=None)
_visible: ContextVar[dict[tuple[type, Any], bool] | None] = ContextVar("iepark_link_visible", default=None)


@contextmanager
def links_for(user: Any) -> Iterator[None]:
    """Render links for ``user`` inside the block (remembering which objects they may open)."""
    reader, visible = _reader.set(user), _visible.set({})
    try:
        yield
    finally:
        _reader.reset(reader)
        _visible.reset(visible)


def _reader_scope() -> tuple[Any, dict[tuple[type, Any], bool]] | None:
    user, cache = _reader.get(), _visible.get()
    if user is None or cache is None or getattr(user, "is_superuser", False):
        return None
    return user, cache


def note_visible(objects: Iterable[Any]) -> None:
    """Find out, in one query per model, which of ``objects`` the reader may open (before rendering a page of rows)."""
    scope = _reader_scope()
    if scope is None:
        return
    user, cache = scope
    from collections import defaultdict

    from . import policy

    wanted: dict[type, set[Any]] = defaultdict(set)
    for obj in objects:
        if isinstance(obj, models.Model) and obj.pk is not None and (type(obj), obj.pk) not in cache:
            wanted[type(obj)].add(obj.pk)
    for model, pks in wanted.items():
        try:
            seen = set(policy.restrict(model._default_manager.filter(pk__in=pks), user).values_list("pk", flat=True))
        except LookupError:  # a model without a policy rule (login accounts): no page to guard
            seen = pks
        for pk in pks:
            cache[(model, pk)] = pk in seen


def mark_visible(objects: Iterable[Any]) -> None:
    """Record that the reader may open ``objects`` (rows their selector returned)."""
    scope = _reader_scope()
    if scope is None:
        return
    cache = scope[1]
    for obj in objects:
        if isinstance(obj, models.Model):
            cache[(type(obj), obj.pk)] = True


def may_link(obj: models.Model) -> bool:
    """Return whether the reader may open ``obj``'s page (always True outside a request)."""
    scope = _reader_scope()
    if scope is None:
        return True
    cache = scope[1]
    key = (type(obj), obj.pk)
    if key not in cache:
        note_visible([obj])
    return cache.get(key, True)


def _model_of(object_type: str) -> type[models.Model] | None:
    from django.apps import apps

    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def note_visible_events(events: Iterable[Any]) -> None:
    """Find out, in one query per kind of object, which objects of these audit events the reader may open."""
    scope = _reader_scope()
    if scope is None:
        return
    from collections import defaultdict

    wanted: dict[type[models.Model], list[Any]] = defaultdict(list)
    for event in events:
        model = _model_of(event.object_type)
        if model is not None:
            try:
                wanted[model].append(model(pk=model._meta.pk.to_python(event.object_id)))
            except ValidationError:
                continue
    for objects in wanted.values():
        note_visible(objects)


def may_open(object_type: str, object_id: Any) -> bool:
    """Return whether the reader may open the object ``object_type`` #``object_id`` (True outside a request)."""
    model = _model_of(object_type)
    if model is None or _reader_scope() is None:
        return True
    try:
        return may_link(model(pk=model._meta.pk.to_python(object_id)))
    except ValidationError:
        return False


def object_link(obj: models.Model, text: Any = None) -> SafeString:
    """Return a link to ``obj``'s detail page, or its text if the model has no page or the reader may not open it."""
    from .generic_views import object_url

    if obj is None:
        return EMPTY
    try:
        url = object_url(obj) if may_link(obj) else None
    except NoReverseMatch:
        url = None
    label = text if text is not None else str(obj)
    return format_html('<a href="{}">{}</a>', url, label) if url else format_html("{}", label)


class Column:
    """One column of a table (or one attribute of a detail panel)."""

    def __init__(
        self,
        accessor: str,
        *,
        label: Any = None,
        order_by: str | Sequence[str] | None = None,
        linkify: bool | str = False,
        css_class: str = "",
    ) -> None:
        """
        Declare a column reading ``accessor`` from each row.

        ``linkify=True`` links the cell to the row's detail page; a string links
        it to the detail page of the related object at that accessor instead.
        ``order_by`` names the ORM ordering used when the header is clicked.
        """
        self.accessor = accessor
        self._label = label
        self.order_by = [order_by] if isinstance(order_by, str) else list(order_by or [])
        self.linkify = linkify
        self.css_class = css_class
        self.name = accessor.replace(".", "__")
        self.model: type[models.Model] | None = None

    def bind(self, model: type[models.Model]) -> Column:
        self.model = model
        return self

    @property
    def label(self) -> str:
        if self._label is not None:
            return self._label
        field = model_field(self.model, self.accessor) if self.model else None
        verbose = getattr(field, "verbose_name", None)
        return capfirst(verbose) if verbose else capfirst(self.accessor.rsplit(".", 1)[-1].replace("_", " "))

    @property
    def orderable(self) -> bool:
        return bool(self.order_by)

    def value(self, row: Any) -> Any:
        return resolve(row, self.accessor)

    def render_value(self, value: Any, row: Any) -> SafeString:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, models.Model):
            return object_link(value)
        return format_html("{}", value)

    def render(self, row: Any) -> SafeString:
        value = self.value(row)
        if self.linkify and isinstance(value, models.Model):
            # The cell links elsewhere already: the related object is named, not linked (no link in a link).
            html = format_html("{}", value)
        else:
            html = self.render_value(value, row)
        if self.linkify is True:
            return object_link(row, html)
        if self.linkify:
            target = resolve(row, self.linkify)
            return object_link(target, html) if target is not None else html
        return html


class ChoiceColumn(Column):
    """A choice field shown with its translated label, as a coloured badge unless ``as_badge=False``."""

    def __init__(self, accessor: str, *, as_badge: bool = True, **kwargs: Any) -> None:
        super().__init__(accessor, **kwargs)
        self.as_badge = as_badge

    def render_value(self, value: Any, row: Any) -> SafeString:
        if value in (None, ""):
            return EMPTY
        field = model_field(self.model, self.accessor) if self.model else None
        choices = dict(field.choices) if field is not None and field.choices else {}
        label = choices.get(value, value)
        return badge(value, label) if self.as_badge else format_html("{}", label)


class BooleanColumn(Column):
    def render_value(self, value: Any, row: Any) -> SafeString:
        if value:
            return mark_safe('<i class="bi bi-check-circle-fill text-success" aria-hidden="true"></i>')
        return mark_safe('<i class="bi bi-dash-circle text-body-tertiary" aria-hidden="true"></i>')


class DateTimeColumn(Column):
    def __init__(self, accessor: str, *, fmt: str = "Y-m-d H:i", **kwargs: Any) -> None:
        super().__init__(accessor, **kwargs)
        self.fmt = fmt

    def render_value(self, value: Any, row: Any) -> SafeString:
        if value is None:
            return EMPTY
        if hasattr(value, "tzinfo") and timezone.is_aware(value):
            value = timezone.localtime(value)
        return format_html('<span class="text-nowrap">{}</span>', date_filter(value, self.fmt))


class DateColumn(DateTimeColumn):
    def __init__(self, accessor: str, **kwargs: Any) -> None:
        super().__init__(accessor, fmt="Y-m-d", **kwargs)


class PersonalDataColumn(Column):
    """
    A national ID number or phone, masked unless the row may show it.

    The selectors annotate each row with ``pii_visible`` (one query for the page);
    ``visible_attr`` names that annotation on the row.
    """

    MASKS: dict[str, Callable[[str], str]] = {"national_id": mask_national_id, "phone": mask_phone}

    def __init__(self, accessor: str, *, visible_attr: str = "pii_visible", **kwargs: Any) -> None:
        super().__init__(accessor, **kwargs)
        self.visible_attr = visible_attr
        self.mask = self.MASKS.get(accessor.rsplit(".", 1)[-1], mask_phone)

    def render_value(self, value: Any, row: Any) -> SafeString:
        if not value:
            return EMPTY
        if getattr(row, self.visible_attr, False):
            return format_html('<span class="font-monospace">{}</span>', value)
        return format_html(
            '<span class="font-monospace text-body-secondary" title="{}">{}</span>',
            _("Masked: your role does not need this number."),
            self.mask(value),
        )


class TemplateColumn(Column):
    """A column rendered by a function of the row (for cells that combine several values)."""

    def __init__(self, accessor: str, *, render: Callable[[Any], SafeString], **kwargs: Any) -> None:
        super().__init__(accessor, **kwargs)
        self._render = render

    def render(self, row: Any) -> SafeString:
        return self._render(row)


@dataclass
class Cell:
    html: SafeString
    css_class: str = ""


@dataclass
class Header:
    label: str
    sort_key: str | None
    direction: str  # "asc", "desc" or "" when not sorted by this column

    @property
    def next_sort(self) -> str | None:
        if self.sort_key is None:
            return None
        return f"-{self.sort_key}" if self.direction == "asc" else self.sort_key


class Table:
    """A list of columns bound to a model; subclasses set ``model`` and ``columns``."""

    model: type[models.Model]
    columns: Sequence[Column] = ()
    empty_text = _("Nothing to show here yet.")

    def __init__(self, rows: Iterable[Any] = (), *, sort: str = "") -> None:
        self.bound_columns = [column.bind(self.model) for column in self.columns]
        self.rows_source = rows
        self.sort = sort

    @classmethod
    def ordering_for(cls, sort: str) -> list[str] | None:
        """Return the ORM ordering for the ``sort`` parameter, or None if no column sorts by it."""
        key = sort.removeprefix("-")
        for column in cls.columns:
            if column.orderable and column.name == key:
                if sort.startswith("-"):
                    return [f"-{f}" for f in column.order_by]
                return list(column.order_by)
        return None

    @property
    def headers(self) -> list[Header]:
        key = self.sort.removeprefix("-")
        headers = []
        for column in self.bound_columns:
            direction = ""
            if column.orderable and column.name == key:
                direction = "desc" if self.sort.startswith("-") else "asc"
            headers.append(
                Header(label=column.label, sort_key=column.name if column.orderable else None, direction=direction)
            )
        return headers

    @property
    def rows(self) -> list[list[Cell]]:
        rows = list(self.rows_source)
        self.note_linked_objects(rows)
        return [[Cell(column.render(row), column.css_class) for column in self.bound_columns] for row in rows]

    def note_linked_objects(self, rows: list[Any]) -> None:
        """Check in one query per related model which linked objects of the page the reader may open."""
        mark_visible(rows)  # the page's rows came through the reader's selector
        linked: list[Any] = []
        for column in self.bound_columns:
            if isinstance(column.linkify, str) and column.linkify:
                linked.extend(resolve(row, column.linkify) for row in rows)
            for row in rows:
                try:
                    value = column.value(row)
                except AttributeError:  # a template column's accessor may name no attribute
                    break
                if isinstance(value, models.Model):
                    linked.append(value)
        note_visible(linked)


def attributes(obj: Any, columns: Sequence[Column]) -> list[tuple[str, SafeString]]:
    """Return ``(label, html)`` pairs of ``obj`` for a detail page's attributes panel."""
    model = type(obj)
    return [(column.bind(model).label, column.render(obj)) for column in columns]


# ---------------------------------------------------------------------------
# The tables of the core models.
# ---------------------------------------------------------------------------
from .models import AuditEvent, Major, Membership, Organisation, Person, Student, Teacher  # noqa: E402


def _memberships_cell(person: Person) -> SafeString:
    rows = getattr(person, "current_memberships", None)
    if rows is None:
        return EMPTY
    if not rows:
        return EMPTY
    return format_html_join(
        " ",
        '<span class="badge text-bg-light border fw-normal">{} · {}</span>',
        ((m.get_role_display(), m.organisation) for m in rows),
    )


class OrganisationTable(Table):
    model = Organisation
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        ChoiceColumn("kind", order_by="kind"),
        ChoiceColumn("industry", order_by="industry", as_badge=False),
        Column("uscc", css_class="font-monospace small"),
        Column("phone"),
        BooleanColumn("is_active", order_by="is_active"),
    ]


class PersonTable(Table):
    model = Person
    columns = [
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        ChoiceColumn("gender", order_by="gender", as_badge=False),
        PersonalDataColumn("national_id"),
        PersonalDataColumn("phone"),
        TemplateColumn("memberships", label=_("Current roles"), render=_memberships_cell),
        Column("user.username", label=_("Login account")),
    ]


class MembershipTable(Table):
    model = Membership
    columns = [
        Column("person", order_by="person__name"),
        Column("organisation", order_by="organisation__name"),
        ChoiceColumn("role", order_by="role"),
        Column("title"),
        DateColumn("start_date", order_by="start_date"),
        DateColumn("end_date", order_by="end_date"),
        TemplateColumn(
            "pk",
            label="",
            render=lambda m: object_link(m, mark_safe('<i class="bi bi-box-arrow-up-right"></i>')),
        ),
    ]


class MajorTable(Table):
    model = Major
    columns = [
        Column("code", linkify=True, order_by="code", css_class="font-monospace"),
        Column("name", linkify=True, order_by="name"),
        Column("name_en", order_by="name_en"),
        Column("park"),
    ]


class StudentTable(Table):
    model = Student
    columns = [
        Column("student_number", linkify=True, order_by="student_number", css_class="font-monospace"),
        Column("person.name", linkify=True, order_by="person__name"),
        Column("college", order_by=["college__name", "student_number"]),
        Column("major", order_by=["major__code", "student_number"]),
        Column("cohort_year", order_by="cohort_year"),
        ChoiceColumn("status", order_by="status"),
        PersonalDataColumn("person.national_id"),
        PersonalDataColumn("person.phone"),
    ]


class TeacherTable(Table):
    model = Teacher
    columns = [
        Column("staff_number", linkify=True, order_by="staff_number", css_class="font-monospace"),
        Column("person.name", linkify=True, order_by="person__name"),
        Column("organisation", order_by=["organisation__name", "staff_number"]),
        Column("professional_title", order_by="professional_title"),
        Column("major", order_by="major__code"),
        PersonalDataColumn("person.phone"),
    ]


def _audit_object_cell(event: AuditEvent) -> SafeString:
    from .generic_views import object_url_for

    url = None
    if event.action != AuditAction.DELETE and may_open(event.object_type, event.object_id):
        url = object_url_for(event.object_type, event.object_id)
    label = format_html(
        '{} <span class="text-body-tertiary small">{} #{}</span>',
        event.object_repr,
        object_type_label(event.object_type),
        event.object_id,
    )
    return format_html('<a href="{}">{}</a>', url, label) if url else label


def _audit_changes_cell(event: AuditEvent) -> SafeString:
    from django.template.loader import render_to_string

    return mark_safe(render_to_string("core/includes/audit_changes.html", {"event": event}))


def object_type_label(object_type: str) -> str:
    """Return the verbose name of the model labelled ``object_type`` (``app.model``)."""
    from django.apps import apps

    try:
        return capfirst(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


class AuditEventTable(Table):
    model = AuditEvent
    columns = [
        DateTimeColumn("timestamp", fmt="Y-m-d H:i:s", order_by="id"),
        Column("actor_label", order_by="actor_label"),
        ChoiceColumn("action", order_by="action"),
        TemplateColumn("object_repr", label=_("Object"), render=_audit_object_cell),
        TemplateColumn("changes", label=_("Changes"), render=_audit_changes_cell),
    ]
