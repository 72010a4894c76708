"""Human explanations of assessment lines and warnings (shared by pages, the Excel export and the API)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from .choices import RuleKind


def line_explanation(line: Any) -> str:
    """Return why ``line`` is paid, in the active language, from its rule kind and evidence."""
    e = line.evidence or {}
    kind = line.rule.kind
    if kind == RuleKind.RETENTION:
        text = _(
            "Hired on %(hired)s, still employed on %(on)s with social insurance since %(insured)s "
            "(%(months)s months insured)."
        ) % {
            "hired": e.get("hired_on"),
            "on": e.get("still_employed_on"),
            "insured": e.get("social_insurance_start"),
            "months": e.get("insured_months"),
        }
        if e.get("basis") == "order_class":
            text += " " + _("Order-class graduate hired by the sponsor: the order-class amount.")
    elif kind == RuleKind.GRADUATE_HIRE:
        text = _(
            "Graduate of %(year)s hired on %(hired)s; social insurance since %(insured)s, paid for %(months)s months by %(until)s."
        ) % {
            "year": e.get("graduation_year"),
            "hired": e.get("hired_on"),
            "insured": e.get("social_insurance_start"),
            "months": e.get("insured_months"),
            "until": e.get("insured_until_at_least"),
        }
    elif kind == RuleKind.CERTIFICATE:
        text = _("Certificate of level “%(level)s” issued on %(issued)s.") % {
            "level": e.get("level"),
            "issued": e.get("issued_on"),
        }
    else:
        text = _("Apprenticeship year %(year)s completed on %(on)s (contract of %(months)s months).") % {
            "year": e.get("year"),
            "on": e.get("year_completed_on"),
            "months": e.get("contract_months"),
        }
    if line.capped == "rule":
        text += " " + _("Reduced by the rule's cap per payee per year.")
    elif line.capped == "programme":
        text += " " + _("Reduced by the programme's cap per payee per year.")
    if line.adjustment:
        text += " " + _("Amount set by the decision on objection #%(id)s.") % {"id": line.adjustment.get("objection")}
    return text


WARNING_TEXTS = {
    "certificate_data_missing": lambda w: _(
        "No certificate data: the platform does not keep skill certificates yet, so this rule could not be assessed. "
        "Nothing was paid under it; it is not a finding that nobody qualifies."
    ),
    "apprenticeship_data_missing": lambda w: _(
        "No apprenticeship data: the platform does not keep apprenticeships and their labour contracts yet, so this "
        "rule could not be assessed. Nothing was paid under it; it is not a finding that nobody qualifies."
    ),
    "employment_without_insurance": lambda w: (
        _(
            "%(count)s employment record(s) would qualify but have no social-insurance start date: complete them in "
            "the employment records, then correct the run."
        )
        % {"count": w.get("count")}
    ),
}


def warning_text(warning: dict[str, Any]) -> str:
    func = WARNING_TEXTS.get(warning.get("code"))
    return func(warning) if func else str(warning.get("code"))
