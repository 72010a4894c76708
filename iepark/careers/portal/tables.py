"""Tables of the portal area's management pages."""

from __future__ import annotations

from django.utils.html import format_html

from iepark.careers.models import LivingSection
from iepark.core.tables import Column, Table, TemplateColumn


def icon_cell(section: LivingSection):
    return format_html('<i class="bi bi-{} fs-5" aria-hidden="true"></i> <code>{}</code>', section.icon, section.icon)


class LivingSectionTable(Table):
    model = LivingSection
    columns = [
        Column("order", order_by=["order", "pk"]),
        TemplateColumn("icon", render=icon_cell),
        Column("title", linkify=True, order_by="title"),
        Column("title_en", order_by="title_en"),
        Column("park", order_by="park__code"),
    ]
