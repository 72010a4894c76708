"""
The generic page layer: list, detail, history, edit and delete pages declared per model.

Every app declares its pages instead of writing them (NetBox's pattern)::

    class OrganisationListView(generic.ObjectListView):
        model = Organisation
        selector = selectors.organisation_list
        filterset_class = OrganisationFilterSet      # the FilterSet the API uses
        table_class = OrganisationTable

    class OrganisationEditView(generic.ObjectEditView):
        model = Organisation
        selector = selectors.organisation_list
        form_class = OrganisationForm

        def create_object(self, form):
            return services.organisation_create(actor=self.request.user, **form.service_data())

        def update_object(self, obj, form):
            return services.organisation_update(actor=self.request.user, organisation=obj, data=form.service_data())

and wires them with ``object_urlpatterns``. The views read only through the
model's selector (so a row outside the user's scope is a 404), decide buttons
with the policy (``may_add_any``, ``can``), and write only through services:
a form validates and displays, but never saves. A service's ``ValidationError``
comes back onto the form; its ``PermissionDenied`` is a 403.

This module also keeps two small registries the shared page shell uses: the
URL name of each model's pages (``object_url``) and the navigation menu.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from . import audit, policy
from .forms import restrict_form_querysets, style_form
from .policy import Action, Actor
from .tables import Column, Table, attributes, object_type_label

PAGE_SIZE = 50

# ---------------------------------------------------------------------------
# URL names of each model's pages.
# ---------------------------------------------------------------------------

_url_prefixes: dict[str, str] = {}


def register_url_prefix(model: type[models.Model], prefix: str) -> None:
    """
    Record the URL name prefix of ``model``'s pages (``"teaching:course"`` → ``teaching:course_detail``).

    Models of apps whose URLs are not namespaced need no registration: the
    prefix defaults to the model name (``organisation_detail``).
    """
    _url_prefixes[model._meta.label_lower] = prefix


def url_name(model: type[models.Model] | models.Model, action: str) -> str:
    """Return the URL name of ``model``'s ``action`` page (list, detail, create, edit, delete, history)."""
    meta = model._meta
    return f"{_url_prefixes.get(meta.label_lower, meta.model_name)}_{action}"


def object_url(obj: models.Model, action: str = "detail") -> str:
    """Return the URL of ``obj``'s ``action`` page (raise ``NoReverseMatch`` if it has none)."""
    return reverse(url_name(obj, action), args=[obj.pk])


def object_url_for(object_type: str, object_id: Any, action: str = "detail") -> str | None:
    """Return the page of the object ``object_type`` (``app.model``) #``object_id``, or None."""
    from django.apps import apps

    try:
        model = apps.get_model(object_type)
        return reverse(url_name(model, action), args=[object_id])
    except (LookupError, ValueError, NoReverseMatch):
        return None


def model_url(model: type[models.Model], action: str) -> str | None:
    """Return the URL of ``model``'s ``list`` or ``create`` page, or None when there is none."""
    try:
        return reverse(url_name(model, action))
    except NoReverseMatch:
        return None


def object_urlpatterns(
    route: str,
    model: type[models.Model],
    *,
    list_view: type[View] | None = None,
    detail_view: type[View] | None = None,
    edit_view: type[View] | None = None,
    delete_view: type[View] | None = None,
    history_view: type[View] | None = None,
) -> list[URLPattern]:
    """
    Return the URL patterns of ``model``'s pages under ``route`` (e.g. ``"organisations"``).

    Names follow ``<model>_list``, ``_create``, ``_detail``, ``_edit``, ``_delete``
    and ``_history``; the edit view serves both create and update.
    """
    name = model._meta.model_name
    patterns = []
    if list_view:
        patterns.append(path(f"{route}/", list_view.as_view(), name=f"{name}_list"))
    if edit_view:
        patterns.append(path(f"{route}/add/", edit_view.as_view(), name=f"{name}_create"))
        if getattr(edit_view, "only", None) != "create":
            # A create-only view has no edit page, so detail pages offer no "Edit" that would 404.
            patterns.append(path(f"{route}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"))
    if detail_view:
        patterns.append(path(f"{route}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"))
    if delete_view:
        patterns.append(path(f"{route}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"))
    if history_view:
        patterns.append(path(f"{route}/<int:pk>/history/", history_view.as_view(), name=f"{name}_history"))
    return patterns


def object_urlpatterns_from(route: str, model: type[models.Model], module: Any) -> list[URLPattern]:
    """
    Return ``object_urlpatterns`` with the views found in ``module`` by their conventional names.

    For ``Person`` these are ``PersonListView``, ``PersonDetailView``, ``PersonEditView``,
    ``PersonDeleteView`` and ``PersonHistoryView``; a missing one means no such page.
    """
    stem = model.__name__
    return object_urlpatterns(
        route,
        model,
        **{f"{kind}_view": getattr(module, f"{stem}{kind.capitalize()}View", None) for kind in PAGE_KINDS},
    )


PAGE_KINDS = ("list", "detail", "edit", "delete", "history")


def safe_return_url(request: HttpRequest, fallback: str) -> str:
    """Return the ``return_url`` parameter if it points into this site, else ``fallback``."""
    candidate = request.POST.get("return_url") or request.GET.get("return_url") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


# ---------------------------------------------------------------------------
# The navigation menu: apps register groups of links, each shown by a role test.
# ---------------------------------------------------------------------------


def _everybody(actor: Actor) -> bool:
    return actor.is_authenticated


@dataclass(frozen=True)
class MenuItem:
    """One link of the menu; ``add_model`` adds a "+" shortcut when the user may add such rows."""

    label: Any
    url_name: str
    icon: str = "circle"
    visible: Callable[[Actor], bool] = _everybody
    add_model: type[models.Model] | None = None


@dataclass
class MenuGroup:
    label: Any
    items: list[MenuItem] = field(default_factory=list)
    weight: int = 100


_menu: dict[str, MenuGroup] = {}


def register_menu_items(group_key: str, group_label: Any, items: Sequence[MenuItem], *, weight: int = 100) -> None:
    """Add ``items`` to the menu group ``group_key`` (created with ``group_label`` and ``weight``)."""
    group = _menu.setdefault(group_key, MenuGroup(label=group_label, weight=weight))
    known = {item.url_name for item in group.items}
    group.items.extend(item for item in items if item.url_name not in known)


@dataclass
class MenuLink:
    label: Any
    url: str
    icon: str
    active: bool
    add_url: str | None


def menu_for(request: HttpRequest) -> list[tuple[Any, list[MenuLink]]]:
    """Return the menu groups and links the requesting user may use (no database queries)."""
    user = getattr(request, "user", None)
    actor = policy.actor_for(user)
    if not actor.is_authenticated:
        return []
    result = []
    for group in sorted(_menu.values(), key=lambda g: g.weight):
        links = []
        for item in group.items:
            if not (actor.is_superuser or item.visible(actor)):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            add_url = None
            if item.add_model is not None and policy.may_add_any(user, item.add_model):
                add_url = model_url(item.add_model, "create")
            active = url != "/" and request.path.startswith(url)
            links.append(MenuLink(label=item.label, url=url, icon=item.icon, active=active, add_url=add_url))
        if links:
            result.append((group.label, links))
    return result


# ---------------------------------------------------------------------------
# Forms: scoped choices and service errors.
# ---------------------------------------------------------------------------


def apply_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` onto ``form``: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def label_yes_no_filters(form: forms.BaseForm) -> None:
    """Show "any" rather than "unknown" as the unset choice of yes/no filters."""
    for form_field in form.fields.values():
        if isinstance(form_field.widget, forms.NullBooleanSelect):
            form_field.widget.choices = [("unknown", "---------"), ("true", _("Yes")), ("false", _("No"))]


def error_text(error: ValidationError) -> str:
    """Return the messages of ``error`` as one sentence list."""
    return " ".join(str(m) for m in error.messages)


# ---------------------------------------------------------------------------
# The views.
# ---------------------------------------------------------------------------


class ObjectViewMixin(LoginRequiredMixin):
    """What every object page knows: its model and the selector that scopes its rows."""

    model: ClassVar[type[models.Model]]
    # ``selector(user=...)`` returns the rows the user may see (see ``<app>.selectors``).
    selector: ClassVar[Callable[..., models.QuerySet]]
    template_kind: ClassVar[str] = ""
    generic_template: ClassVar[str] = ""
    template_name: ClassVar[str | None] = None
    request: HttpRequest

    def get_queryset(self) -> models.QuerySet:
        return type(self).selector(user=self.request.user)

    def get_object(self, pk: Any) -> models.Model:
        """Return the row ``pk`` if the user may see it; 404 otherwise (hiding that it exists)."""
        obj = self.get_queryset().filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def get_object_for(self, pk: Any, action: Action) -> models.Model:
        """Return the row if the user may do ``action`` on it: 404 when not visible, 403 when only visible."""
        obj = self.get_object(pk)
        if not policy.can(self.request.user, action, obj):
            raise PermissionDenied
        return obj

    def get_template_names(self) -> list[str]:
        if self.template_name:
            return [self.template_name]
        meta = self.model._meta
        return [f"{meta.app_label}/{meta.model_name}_{self.template_kind}.html", self.generic_template]

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": model_url(self.model, "list"),
        }

    def render(self, context: dict[str, Any], status: int = 200) -> HttpResponse:
        return render(self.request, self.get_template_names(), {**self.base_context(), **context}, status=status)


class ObjectListView(ObjectViewMixin, View):
    """A paginated, filtered, sortable table of the rows the user may see."""

    filterset_class: ClassVar[type | None] = None
    # Filters shown in the filter bar (None: all of the FilterSet's); others still work from the URL.
    filter_fields: ClassVar[Sequence[str] | None] = None
    table_class: ClassVar[type[Table]]
    paginate_by: ClassVar[int] = PAGE_SIZE
    # The kind name of the list's Excel/CSV export and bulk import (core.io), if it has them.
    export_kind: ClassVar[str | None] = None
    import_kind: ClassVar[str | None] = None
    template_kind = "list"
    generic_template = "core/generic/object_list.html"
    table_template = "core/generic/includes/object_table.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            data = request.GET.copy()
            for key in ("page", "sort"):
                data.pop(key, None)
            filterset = self.filterset_class(data or None, queryset=queryset, request=request)
            restrict_form_querysets(filterset.form, request.user)
            style_form(filterset.form)
            label_yes_no_filters(filterset.form)
            self.customize_filter_form(filterset.form)
            queryset = filterset.qs
        sort = request.GET.get("sort", "")
        ordering = self.table_class.ordering_for(sort) if sort else None
        if ordering:
            queryset = queryset.order_by(*ordering, "pk")
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        self.prepare_rows(page.object_list)
        table = self.table_class(page.object_list, sort=sort if ordering else "")
        context = {
            "table": table,
            "table_template": self.table_template,
            "page_obj": page,
            "filter_form": filterset.form if filterset is not None else None,
            "shown_filters": self.shown_filters(filterset),
            "hidden_filters": self.hidden_filters(filterset),
            "active_filter_count": self.active_filter_count(filterset),
            "can_add": policy.may_add_any(request.user, self.model),
            "add_url": model_url(self.model, "create"),
            **self.io_context(),
            **self.extra_context(),
        }
        if getattr(request, "htmx", False) and request.htmx.target == "object-table":
            response = render(request, self.table_template, {**self.base_context(), **context})
        else:
            response = self.render(context)
        # The same URL answers with the whole page or only the table (htmx): caches must tell them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response

    def customize_filter_form(self, form: forms.Form) -> None:
        """Adjust the filter form's fields for the page (the FilterSet stays shared with the API)."""

    def extra_context(self) -> dict[str, Any]:
        return {}

    def prepare_rows(self, rows: Any) -> None:
        """Annotate the page's rows before they render (a fixed number of queries per page)."""

    def io_context(self) -> dict[str, Any]:
        """Return the export and import links' context (kinds, and whether the user may import)."""
        return {
            "export_kind": self.export_kind,
            "import_kind": self.import_kind
            if self.import_kind and policy.may_add_any(self.request.user, self.model)
            else None,
        }

    def shown_filters(self, filterset: Any) -> list[forms.BoundField]:
        if filterset is None:
            return []
        names = self.filter_fields if self.filter_fields is not None else list(filterset.form.fields)
        return [filterset.form[name] for name in names if name in filterset.form.fields]

    def hidden_filters(self, filterset: Any) -> list[tuple[str, str]]:
        """Return active filters not shown in the bar, kept as hidden inputs so they survive a new search."""
        if filterset is None or self.filter_fields is None:
            return []
        shown = set(self.filter_fields)
        return [
            (key, value)
            for key in filterset.form.fields
            if key not in shown
            for value in self.request.GET.getlist(key)
            if value
        ]

    def active_filter_count(self, filterset: Any) -> int:
        if filterset is None:
            return 0
        return sum(1 for key in filterset.form.fields if any(self.request.GET.getlist(key)))


class ObjectDetailView(ObjectViewMixin, View):
    """One row's attributes, with edit/delete buttons when the policy allows them, and a history tab."""

    detail_fields: ClassVar[Sequence[Column]] = ()
    template_kind = "detail"
    generic_template = "core/generic/object_detail.html"
    active_tab = "details"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        return self.render(self.get_context_data(obj))

    def get_context_data(self, obj: models.Model) -> dict[str, Any]:
        user = self.request.user
        edit_url = self.object_page(obj, "edit")
        delete_url = self.object_page(obj, "delete")
        return {
            "object": obj,
            "attributes": attributes(obj, self.detail_fields),
            "can_change": edit_url is not None and policy.can(user, Action.CHANGE, obj),
            "can_delete": delete_url is not None and policy.can(user, Action.DELETE, obj),
            "edit_url": edit_url,
            "delete_url": delete_url,
            "tabs": self.get_tabs(obj),
            "active_tab": self.active_tab,
        }

    @staticmethod
    def object_page(obj: models.Model, action: str) -> str | None:
        try:
            return object_url(obj, action)
        except NoReverseMatch:
            return None

    def get_tabs(self, obj: models.Model) -> list[tuple[str, Any, str | None]]:
        """Return ``(key, label, url)`` of the page's tabs; apps may add their own."""
        return [
            ("details", gettext_lazy("Details"), self.object_page(obj, "detail")),
            ("history", gettext_lazy("History"), self.object_page(obj, "history")),
        ]


@dataclass
class ChangeRow:
    label: str
    before: Any
    after: Any


def attach_relation_labels(events: Any, user: Any) -> None:
    """
    Let the events' changes name the related rows they point to, instead of ``#id``.

    One query per related model for the whole page, through the policy: a row the
    user may not see stays ``#id``.
    """
    from collections import defaultdict

    from django.apps import apps

    events = list(events)
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for event in events:
        try:
            model = apps.get_model(event.object_type)
        except (LookupError, ValueError):
            continue
        for name, pair in (event.changes or {}).items():
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if model_field.many_to_one and isinstance(pair, list):
                wanted[model_field.related_model].update(v for v in pair if v not in (None, ""))
            elif model_field.many_to_many and isinstance(pair, list):
                # Many-to-many changes record the before and after lists of ids.
                wanted[model_field.related_model].update(
                    v for side in pair if isinstance(side, list) for v in side if v not in (None, "")
                )
    labels: dict[type[models.Model], dict[Any, str]] = {}
    for related_model, ids in wanted.items():
        try:
            rows = policy.restrict(related_model._default_manager.filter(pk__in=ids), user)
        except LookupError:  # a model without a policy rule (e.g. login accounts) stays as ids
            continue
        labels[related_model] = {row.pk: str(row) for row in rows}
    for event in events:
        event.relation_labels = labels


def change_rows(event: Any) -> list[ChangeRow]:
    """Return an audit event's changes with field labels resolved from its model when possible."""
    from django.apps import apps

    try:
        model = apps.get_model(event.object_type)
    except (LookupError, ValueError):
        model = None
    rows = []
    for name, pair in sorted((event.changes or {}).items()):
        label, choices, is_relation, names = name, {}, False, {}
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                model_field = None
            if model_field is not None:
                label = capfirst(getattr(model_field, "verbose_name", name))
                choices = dict(model_field.choices or ()) if getattr(model_field, "choices", None) else {}
                is_relation = model_field.is_relation
                if is_relation:
                    names = getattr(event, "relation_labels", {}).get(model_field.related_model, {})
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        rows.append(
            ChangeRow(
                label=str(label),
                before=_change_value(before, choices, is_relation, names),
                after=_change_value(after, choices, is_relation, names),
            )
        )
    return rows


def _change_value(value: Any, choices: dict[Any, Any], is_relation: bool, names: dict[Any, str]) -> Any:
    """Show a recorded value with its choice label, and a related row by name (or ``#id`` if not visible)."""
    if value is None or value == "":
        return value
    if isinstance(value, list):  # a many-to-many field's ids
        return ", ".join(str(_change_value(v, choices, is_relation, names)) for v in value) or "—"
    if choices and value in choices:
        return choices[value]
    if is_relation:
        return names.get(value, f"#{value}")
    return value


class ObjectHistoryView(ObjectDetailView):
    """The audit trail of one row: time, actor, action and each change before → after."""

    template_kind = "history"
    generic_template = "core/generic/object_history.html"
    active_tab = "history"

    def get_context_data(self, obj: models.Model) -> dict[str, Any]:
        context = super().get_context_data(obj)
        if not policy.object_history_visible(self.request.user, obj):
            raise Http404
        page = Paginator(audit.history_for(obj), PAGE_SIZE).get_page(self.request.GET.get("page"))
        attach_relation_labels(page.object_list, self.request.user)
        context.update({"page_obj": page, "events": page.object_list, "object_type_label": object_type_label})
        return context


class ObjectEditView(ObjectViewMixin, View):
    """
    Create (no ``pk``) or update a row: the form validates, the service writes.

    Subclasses implement ``create_object(form)`` and ``update_object(obj, form)``
    by calling the model's services; they never call ``form.save()``.
    """

    form_class: ClassVar[type[forms.BaseForm]]
    template_kind = "edit"
    generic_template = "core/generic/object_edit.html"
    # A page that only creates ("create": no pk) or only updates ("update": a pk, rows made elsewhere).
    only: ClassVar[str | None] = None

    def refuse_other_job(self, pk: int | None) -> None:
        """404 for the job this page does not do."""
        if (self.only == "create" and pk is not None) or (self.only == "update" and pk is None):
            raise Http404

    def check_may_add(self) -> None:
        if not policy.may_add_any(self.request.user, self.model):
            raise PermissionDenied

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form(self, obj: models.Model | None, data: Any = None) -> forms.BaseForm:
        kwargs: dict[str, Any] = {"user": self.request.user, "initial": self.get_initial()}
        if issubclass(self.form_class, forms.BaseModelForm):
            kwargs["instance"] = obj
        return self.form_class(data, **kwargs)

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.refuse_other_job(pk)
        obj = self.get_object_for(pk, Action.CHANGE) if pk is not None else None
        if obj is None:
            self.check_may_add()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        self.refuse_other_job(pk)
        obj = self.get_object_for(pk, Action.CHANGE) if pk is not None else None
        if obj is None:
            self.check_may_add()
        form = self.get_form(obj, data=request.POST)
        if form.is_valid():
            try:
                if obj is None:
                    saved = self.create_object(form)
                else:
                    # The form's model validation changed ``obj`` in memory; the service gets a fresh row
                    # so its audit record compares the stored values with the new ones.
                    saved = self.update_object(self.get_object_for(pk, Action.CHANGE), form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except IntegrityError:
                form.add_error(None, _("The change conflicts with existing data (a duplicate or a reference in use)."))
            else:
                message = _("Created %(model)s “%(object)s”.") if obj is None else _("Saved %(model)s “%(object)s”.")
                messages.success(request, message % {"model": self.model._meta.verbose_name, "object": saved})
                return HttpResponseRedirect(self.get_success_url(saved))
        return self.render_form(form, obj)

    def render_form(self, form: forms.BaseForm, obj: models.Model | None) -> HttpResponse:
        if obj is None:
            cancel_url = model_url(self.model, "list") or "/"
        else:
            cancel_url = ObjectDetailView.object_page(obj, "detail") or "/"
        return self.render(
            {
                "form": form,
                "object": obj,
                "is_create": obj is None,
                "cancel_url": safe_return_url(self.request, cancel_url),
                "return_url": safe_return_url(self.request, ""),
            }
        )

    def get_success_url(self, obj: models.Model) -> str:
        try:
            fallback = object_url(obj)
        except NoReverseMatch:
            fallback = model_url(self.model, "list") or "/"
        return safe_return_url(self.request, fallback)

    def create_object(self, form: forms.BaseForm) -> models.Model:  # pragma: no cover - overridden
        raise NotImplementedError

    def update_object(self, obj: models.Model, form: forms.BaseForm) -> models.Model:  # pragma: no cover
        raise NotImplementedError


class ObjectDeleteView(ObjectViewMixin, View):
    """Confirm, then delete through the service; a service refusal is shown and nothing is deleted."""

    template_kind = "delete"
    generic_template = "core/generic/object_delete.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object_for(pk, Action.DELETE)
        return self.render(
            {
                "object": obj,
                "cancel_url": safe_return_url(request, ObjectDetailView.object_page(obj, "detail") or "/"),
                "return_url": safe_return_url(request, ""),
            }
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object_for(pk, Action.DELETE)
        label = str(obj)
        detail_url = ObjectDetailView.object_page(obj, "detail") or "/"
        try:
            self.delete_object(obj)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return HttpResponseRedirect(detail_url)
        except IntegrityError:
            messages.error(request, _("This object is still referenced by other records and cannot be deleted."))
            return HttpResponseRedirect(detail_url)
        messages.success(
            request, _("Deleted %(model)s “%(object)s”.") % {"model": self.model._meta.verbose_name, "object": label}
        )
        fallback = model_url(self.model, "list") or "/"
        target = safe_return_url(request, fallback)
        return HttpResponseRedirect(fallback if target == detail_url else target)

    def delete_object(self, obj: models.Model) -> None:  # pragma: no cover - overridden
        raise NotImplementedError
