"""The Excel workbook of an assessment run, for finance: totals per payee and per rule, and every line."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import selectors
from .explain import line_explanation, warning_text
from .models import AssessmentRun


def run_workbook(run: AssessmentRun, lines: Any) -> bytes:
    """Return the .xlsx bytes of ``run`` over ``lines`` (the lines the user may see)."""
    wb = Workbook()
    bold = Font(bold=True)
    summary = wb.active
    summary.title = _("Summary")[:31]
    rows = [
        (_("Run"), str(run)),
        (_("Status"), str(run.get_status_display())),
        (_("Period"), f"{run.period_start.isoformat()} – {run.period_end.isoformat()}"),
        (_("Programme version"), str(run.version)),
        (_("Input fingerprint (SHA-256)"), run.fingerprint),
        (_("Lines fingerprint (SHA-256)"), run.lines_digest),
    ]
    for row in rows:
        summary.append(list(row))
    summary.append([])
    summary.append([_("Payee"), _("Lines"), _("Amount (¥)")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for total in selectors.totals_by_payee(lines):
        summary.append([total["name"], total["lines"], float(total["amount"])])
    summary.append([])
    summary.append([_("Rule"), _("Lines"), _("Amount (¥)")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for total in selectors.totals_by_rule(lines):
        summary.append([total["name"], total["lines"], float(total["amount"])])
    if run.warnings:
        summary.append([])
        summary.append([_("Missing data")])
        for warning in run.warnings:
            summary.append([warning_text(warning)])
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 70

    sheet = wb.create_sheet(_("Lines")[:31])
    header = [
        _("Line"),
        _("Payee"),
        _("Rule"),
        _("Graduate"),
        _("Student number"),
        _("College"),
        _("Qualifying date"),
        _("Amount before caps (¥)"),
        _("Amount (¥)"),
        _("Employment records"),
        _("Social insurance from"),
        _("Why"),
    ]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = bold
    for line in lines.order_by(
        "payee_organisation__name", "payee_person__name", "rule__position", "qualifying_date", "pk"
    ):
        e = line.evidence or {}
        sheet.append(
            [
                line.pk,
                str(line.payee),
                line.rule.name,
                line.student.person.name,
                line.student.student_number,
                line.student.college.name,
                line.qualifying_date,
                float(line.base_amount),
                float(line.amount),
                ", ".join(str(i) for i in e.get("employment_records", [])),
                e.get("social_insurance_start") or "",
                line_explanation(line),
            ]
        )
    for letter, width in zip("ABCDEFGHIJKL", (8, 30, 24, 14, 14, 24, 14, 14, 12, 16, 14, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
