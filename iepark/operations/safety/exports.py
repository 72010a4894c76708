"""The Excel export of the fire equipment register (openpyxl)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def equipment_workbook(rows) -> bytes:
    """Return the register ``rows`` (annotated by ``selectors.equipment_list``) as an .xlsx workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = _("Fire equipment")[:31]
    headers = [
        _("Code"),
        _("Kind"),
        _("Description"),
        _("Location"),
        _("Building"),
        _("Installed on"),
        _("Last checked on"),
        _("Next check due"),
        _("Expiry date"),
        _("Status"),
        _("Attention"),
        _("Note"),
    ]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    warn = PatternFill("solid", fgColor="FFE699")
    alarm = PatternFill("solid", fgColor="F4B084")
    for item in rows:
        flags = []
        if getattr(item, "is_expired", False):
            flags.append(_("expired"))
        if getattr(item, "is_overdue", False):
            flags.append(_("check overdue"))
        elif getattr(item, "is_due", False):
            flags.append(_("check due soon"))
        ws.append(
            [
                item.code,
                item.get_kind_display(),
                item.description,
                item.location,
                str(item.building) if item.building_id else "",
                item.installed_on,
                item.last_checked_on,
                item.next_check_due,
                item.expiry_date,
                item.get_status_display(),
                ", ".join(str(f) for f in flags),
                item.note,
            ]
        )
        if flags:
            fill = alarm if (getattr(item, "is_expired", False) or getattr(item, "is_overdue", False)) else warn
            for cell in ws[ws.max_row]:
                cell.fill = fill
    for row in ws.iter_rows(min_row=2):
        for cell in row[5:9]:
            cell.number_format = "yyyy-mm-dd"
    widths = [14, 16, 22, 30, 18, 12, 14, 14, 12, 14, 22, 30]
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def equipment_workbook_response(rows) -> HttpResponse:
    response = HttpResponse(equipment_workbook(rows), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="fire-equipment-{stamp}.xlsx"'
    return response
