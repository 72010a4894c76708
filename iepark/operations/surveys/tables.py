"""Tables of the survey list pages."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from iepark.core.tables import EMPTY, BooleanColumn, ChoiceColumn, Column, DateColumn, Table, TemplateColumn

from .models import Survey


def response_rate_cell(survey: Survey) -> SafeString:
    rate = survey.response_rate
    if rate is None:
        return EMPTY
    return format_html(
        '{} <span class="text-body-secondary small">({}/{})</span>',
        f"{rate:.0%}",
        survey.answered_count,
        survey.invited_count,
    )


class SurveyTable(Table):
    model = Survey
    columns = [
        Column("title", linkify=True, order_by="title"),
        Column("owner", order_by="owner__name"),
        ChoiceColumn("status", order_by="status"),
        ChoiceColumn("area", order_by="area", as_badge=False),
        ChoiceColumn("audience", as_badge=False),
        BooleanColumn("anonymous"),
        DateColumn("opens_on", order_by="opens_on"),
        DateColumn("closes_on", order_by="closes_on"),
        TemplateColumn("rate", label=_("Response rate"), render=response_rate_cell),
    ]
