"""The figures of the analytics pages as Excel workbooks (openpyxl): one sheet per figure."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import supply

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook: Any, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(str(header)) + 4))


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("="):
        return "'" + value  # text is never a formula
    return value


def _response(workbook: Any, stem: str) -> FileResponse:
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _new_workbook() -> Any:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def outcomes_response(data: dict[str, Any]) -> FileResponse:
    """Return the outcomes dashboard's figures (``figures.outcomes``) as a workbook download."""
    workbook = _new_workbook()
    placement = data["placement"]
    retention = data["retention"]
    summary = [
        (_("As of"), data["as_of"]),
        (_("Graduation year"), placement["graduation_year"]),
        (_("Graduates"), placement["graduates"]),
        (_("Placed"), placement["placed"]),
        (_("Placement rate"), placement["rate"]),
    ]
    for share in retention["retention"]:
        months = share["months"]
        summary.append((_("Retained in the zone after %(n)d months") % {"n": months}, share["in_zone_share"]))
        summary.append(
            (_("Retained by the same employer after %(n)d months") % {"n": months}, share["same_employer_share"])
        )
        summary.append((_("Hires counted at %(n)d months") % {"n": months}, share["eligible"]))
    headline = data.get("turnover_headline")
    if headline:
        summary.append((_("Zone turnover %(year)d") % {"year": headline["year"]}, headline["rate"]))
    _sheet(workbook, _("Summary"), [_("Figure"), _("Value")], summary)

    months = [share["months"] for share in retention["retention"]]
    group_headers = [_("Group"), _("People"), _("Left"), _("Median months")]
    for n in months:
        group_headers += [
            _("In zone at %(n)d months") % {"n": n},
            _("Same employer at %(n)d months") % {"n": n},
            _("Counted at %(n)d months") % {"n": n},
        ]
    group_rows = []
    for group in retention["groups"]:
        row = [group["label"], group["n"], group["left"], group["median_months"]]
        for share in group["retention"]:
            row += [share["in_zone_share"], share["same_employer_share"], share["eligible"]]
        group_rows.append(row)
    _sheet(workbook, _("Retention by group"), group_headers, group_rows)
    _sheet(
        workbook,
        _("Retention curves"),
        [_("Group"), _("Months"), _("Staying"), _("Lower 95%"), _("Upper 95%"), _("At risk"), _("Left"), _("Censored")],
        (
            [g["label"], p["months"], p["survival"], p["lower"], p["upper"], p["at_risk"], p["left"], p["censored"]]
            for g in retention["groups"]
            for p in g["points"]
        ),
    )
    risks = data["competing_risks"]
    _sheet(
        workbook,
        _("Competing risks"),
        [
            _("Months"),
            _("Still with the employer"),
            _("Left the zone"),
            _("Moved to another zone enterprise"),
            _("At risk"),
        ],
        ([p["months"], p["staying"], p["left_zone"], p["moved_in_zone"], p["at_risk"]] for p in risks["points"]),
    )
    _sheet(
        workbook,
        _("Turnover"),
        [
            _("Enterprise"),
            _("Year"),
            _("Separations"),
            _("Headcount at start"),
            _("Headcount at end"),
            _("Average headcount"),
            _("Turnover rate"),
        ],
        (
            [
                r["enterprise"],
                r["year"],
                r["separations"],
                r["headcount_start"],
                r["headcount_end"],
                r["average_headcount"],
                r["rate"],
            ]
            for r in data["turnover"]["rows"]
        ),
    )
    return _response(workbook, "outcomes")


def status_label(status: str) -> str:
    return {supply.SHORTAGE: _("Shortage"), supply.SURPLUS: _("Surplus"), supply.BALANCED: _("Balanced")}[status]


def supply_demand_response(data: dict[str, Any]) -> FileResponse:
    """Return supply against demand (``figures.supply_demand``) as a workbook download."""
    workbook = _new_workbook()
    _sheet(
        workbook,
        _("Supply and demand"),
        [
            _("Year"),
            _("Major"),
            _("Demand"),
            _("Expected graduates"),
            _("With certificates"),
            _("Gap"),
            _("Gap / demand"),
            _("Status"),
            _("Order-class seats"),
        ],
        (
            [
                r["year"],
                r["major"],
                r["demand"],
                r["expected"],
                r["certified"],
                r["gap"],
                r["gap_share"],
                status_label(r["status"]),
                r["order_class_seats"],
            ]
            for r in data["rows"]
        ),
    )
    _sheet(
        workbook,
        _("Recommendations"),
        [
            _("Major"),
            _("Average yearly demand"),
            _("Average yearly graduates"),
            _("Average yearly gap"),
            _("Status"),
            _("Order-class seats"),
            _("Change of the yearly intake"),
        ],
        (
            [
                r["major"],
                r["average_demand"],
                r["average_expected"],
                r["average_gap"],
                status_label(r["status"]),
                r["order_class_seats"],
                r["intake_change"],
            ]
            for r in data["recommendations"]
        ),
    )
    _sheet(
        workbook,
        _("Skills"),
        [_("Skill or certificate"), _("Demand"), _("Graduating students with it")],
        ([r["skill"], r["demand"], r["supply"]] for r in data["skills"]),
    )
    rates = data["rates"]
    _sheet(
        workbook,
        _("Rates used"),
        [_("Figure"), _("Value")],
        [
            (_("Placement rate (graduation year %(year)d)") % {"year": rates["placement_year"]}, rates["placement"]),
            (_("Retained in the zone 12 months after hire"), rates["retention_12"]),
            (_("Share of graduates the zone keeps"), rates["rate"]),
            (_("Share applied to intake changes"), rates["applied_rate"]),
            (_("Threshold (gap / demand)"), data["threshold"]),
        ],
    )
    return _response(workbook, "supply-demand")
