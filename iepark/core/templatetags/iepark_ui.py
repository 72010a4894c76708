"""Template helpers of the page shell: menu, badges, form fields, audit changes."""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from .. import generic_views, tables

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_menu(context: template.Context) -> list:
    """Return the menu groups the requesting user may use."""
    request = context.get("request")
    return generic_views.menu_for(request) if request is not None else []


@register.simple_tag
def badge(value: Any, label: Any = None) -> SafeString:
    """Render a choice ``value`` as a coloured badge labelled ``label`` (the value itself by default)."""
    return tables.badge(value, value if label is None else label)


@register.filter
def choice_badge(obj: Any, field_name: str) -> SafeString:
    """Render ``obj``'s choice field ``field_name`` as a badge with its translated label."""
    value = getattr(obj, field_name, "")
    if not value:
        return tables.EMPTY
    label = getattr(obj, f"get_{field_name}_display")()
    return tables.badge(value, label)


@register.filter
def object_link(obj: Any) -> SafeString:
    """Link ``obj`` to its detail page."""
    return tables.object_link(obj)


@register.filter
def change_rows(event: Any) -> list:
    """Return an audit event's changes as rows with field labels."""
    return generic_views.change_rows(event)


@register.filter
def audit_value(value: Any) -> SafeString:
    """Render a value recorded in an audit event."""
    if value is None or value == "":
        return tables.EMPTY
    if isinstance(value, bool):
        return tables.BooleanColumn("x").render_value(value, None)
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return format_html('<span class="audit-value">{}</span>', value)


@register.filter
def object_type_label(object_type: str) -> str:
    return tables.object_type_label(object_type)


@register.filter
def widget(bound_field: forms.BoundField) -> SafeString:
    """Render a field's widget, marked invalid when the field has errors."""
    attrs = {}
    if bound_field.errors:
        css = bound_field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{css} is-invalid".strip()
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(bound_field: forms.BoundField) -> bool:
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def message_level(tag: str) -> str:
    """Map a messages tag to a Bootstrap alert colour."""
    return {"error": "danger", "debug": "secondary"}.get(tag, tag or "info")


@register.filter
def role_label(value: str) -> Any:
    """Return the translated label of a role value."""
    from ..choices import Role

    try:
        return Role(value).label
    except ValueError:
        return value


@register.simple_tag
def elided_page_range(page_obj: Any) -> list:
    """Return the page numbers to show around the current page, with ellipses."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))


@register.filter
def minutes(value: Any) -> int:
    """Return a timedelta in whole minutes (at least one)."""
    try:
        return max(1, round(value.total_seconds() / 60))
    except AttributeError:
        return 1


@register.filter
def audit_object_url(event: Any) -> str | None:
    """Return the page of the object an audit event is about (None once deleted or without a page)."""
    if event.action == "delete" or not tables.may_open(event.object_type, event.object_id):
        return None
    return generic_views.object_url_for(event.object_type, event.object_id)
