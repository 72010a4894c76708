"""
Subsidy rules as data: the parameter schema of each rule kind, and the computation of an assessment.

A rule is a kind (``RuleKind``), a payee and a dict of parameters; nothing here
evaluates code. ``validate_params`` checks a rule's parameters against its
kind's schema and returns them in canonical form (or raises ``ValidationError``
naming the parameter). ``compute`` turns the facts of a period (employment
records, certificates, apprenticeships, earlier payments) into payment lines;
it is a pure function of its inputs, so the same inputs give the same lines,
which is what makes a run reproducible (see ``services.assessment_fingerprint``).
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Adjustment, CertificateLevel, Payee, RuleKind

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("10000000")

# The employment contract types counted by default (flexible work, internships and dispatch are not hires).
EMPLOYMENT_CONTRACTS = ("open_ended", "fixed_term", "apprenticeship")
ALL_CONTRACTS = ("open_ended", "fixed_term", "apprenticeship", "dispatch", "internship", "flexible")


# ---------------------------------------------------------------------------
# Parameter schemas.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: its type, bounds, default and label (shown in the rule editor)."""

    name: str
    type: str  # "int", "money", "bool" or "contracts"
    label: Any
    required: bool = False
    default: Any = None
    min: int | None = None
    max: int | None = None
    help: Any = ""


CAP = Param(
    "cap_per_payee_per_year",
    "money",
    gettext_lazy("Cap per payee per year (¥)"),
    help=gettext_lazy("Empty: no cap. Counts this rule's payments to one payee in the calendar year."),
)

SCHEMAS: dict[str, list[Param]] = {
    RuleKind.RETENTION: [
        Param("months", "int", gettext_lazy("Months still employed after the hire"), required=True, min=1, max=60),
        Param("amount", "money", gettext_lazy("Amount per graduate (¥)"), required=True),
        Param(
            "order_class_amount",
            "money",
            gettext_lazy("Amount per order-class graduate hired by the sponsor (¥)"),
            help=gettext_lazy("Empty: the same amount. Must not be smaller than the amount."),
        ),
        Param(
            "min_insured_months",
            "int",
            gettext_lazy("Months of social insurance needed by then"),
            min=0,
            max=60,
            help=gettext_lazy("Empty: as many as the months employed."),
        ),
        Param(
            "contract_types", "contracts", gettext_lazy("Contract types counted"), default=list(EMPLOYMENT_CONTRACTS)
        ),
        CAP,
    ],
    RuleKind.CERTIFICATE: [
        Param("amount_junior", "money", gettext_lazy("Amount for a junior certificate (初级/五级, ¥)"), default="0"),
        Param(
            "amount_intermediate",
            "money",
            gettext_lazy("Amount for an intermediate certificate (中级/四级, ¥)"),
            default="0",
        ),
        Param("amount_senior", "money", gettext_lazy("Amount for a senior certificate (高级/三级, ¥)"), default="0"),
        Param(
            "require_zone_employment",
            "bool",
            gettext_lazy("Only graduates employed in a zone enterprise"),
            default=True,
        ),
        CAP,
    ],
    RuleKind.GRADUATE_HIRE: [
        Param("amount", "money", gettext_lazy("Amount per hire (¥)"), required=True),
        Param(
            "min_insured_months",
            "int",
            gettext_lazy("Months of social insurance paid"),
            required=True,
            min=1,
            max=24,
        ),
        Param(
            "years_after_graduation",
            "int",
            gettext_lazy("Years after graduation still counted"),
            default=0,
            min=0,
            max=2,
            help=gettext_lazy("0: graduates hired in their graduation year only."),
        ),
        Param(
            "contract_types", "contracts", gettext_lazy("Contract types counted"), default=list(EMPLOYMENT_CONTRACTS)
        ),
        CAP,
    ],
    RuleKind.APPRENTICE: [
        Param("amount_per_year", "money", gettext_lazy("Amount per apprentice per year (¥)"), required=True),
        Param(
            "min_contract_months",
            "int",
            gettext_lazy("Shortest labour contract (months)"),
            default=12,
            min=12,
            max=120,
        ),
        Param("max_years", "int", gettext_lazy("Years of apprenticeship paid at most"), default=3, min=1, max=3),
        CAP,
    ],
}

# Who each kind may pay (the first is the default).
PAYEES: dict[str, tuple[str, ...]] = {
    RuleKind.RETENTION: (Payee.COLLEGE,),
    RuleKind.CERTIFICATE: (Payee.COLLEGE, Payee.GRADUATE, Payee.EMPLOYER),
    RuleKind.GRADUATE_HIRE: (Payee.EMPLOYER,),
    RuleKind.APPRENTICE: (Payee.EMPLOYER,),
}

LEVEL_PARAMS = {
    CertificateLevel.JUNIOR: "amount_junior",
    CertificateLevel.INTERMEDIATE: "amount_intermediate",
    CertificateLevel.SENIOR: "amount_senior",
}
LEVEL_RANK = {CertificateLevel.JUNIOR: 1, CertificateLevel.INTERMEDIATE: 2, CertificateLevel.SENIOR: 3}


def _money(value: Any) -> Decimal:
    amount = Decimal(str(value).strip().replace(",", "").replace("¥", ""))
    if not amount.is_finite():
        raise InvalidOperation
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_text(value: Decimal) -> str:
    """Return ``value`` as the canonical text of an amount ("1500.00")."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def validate_params(kind: str, payee: str, params: dict[str, Any]) -> dict[str, Any]:
    """
    Return ``params`` checked against the schema of ``kind``, in canonical form (amounts as "1500.00").

    Raise ``ValidationError({"params": [...], "payee": [...]})`` with one message per bad
    parameter, each naming it: unknown, missing, of the wrong type, out of bounds or contradicting another.
    """
    if kind not in SCHEMAS:
        raise ValidationError({"kind": _("Unknown rule kind “%(kind)s”.") % {"kind": kind}})
    errors: list[str] = []
    payee_errors: list[str] = []
    if payee not in PAYEES[kind]:
        payee_errors.append(
            _("A rule of this kind pays %(allowed)s, not “%(payee)s”.")
            % {"allowed": ", ".join(str(Payee(p).label) for p in PAYEES[kind]), "payee": payee}
        )
    params = dict(params or {})
    schema = {p.name: p for p in SCHEMAS[kind]}
    for name in sorted(set(params) - set(schema)):
        errors.append(_("Unknown parameter “%(name)s” for this kind of rule.") % {"name": name})
    clean: dict[str, Any] = {}
    for spec in SCHEMAS[kind]:
        raw = params.get(spec.name)
        if raw is None or raw == "" or raw == []:
            if spec.required:
                errors.append(_("The parameter “%(name)s” is required.") % {"name": spec.name})
                continue
            raw = spec.default
            if raw is None:
                clean[spec.name] = None
                continue
        try:
            clean[spec.name] = _coerce(spec, raw)
        except ValueError as exc:
            errors.append(str(exc))
    if not errors:
        errors.extend(_contradictions(kind, clean))
    if errors or payee_errors:
        error_dict: dict[str, list[str]] = {}
        if errors:
            error_dict["params"] = errors
        if payee_errors:
            error_dict["payee"] = payee_errors
        raise ValidationError(error_dict)
    return {k: (money_text(v) if isinstance(v, Decimal) else v) for k, v in clean.items()}


def _coerce(spec: Param, raw: Any) -> Any:
    name = spec.name
    if spec.type == "int":
        if isinstance(raw, bool):
            raise ValueError(_("The parameter “%(name)s” must be a whole number.") % {"name": name})
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValueError(_("The parameter “%(name)s” must be a whole number.") % {"name": name}) from None
        if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
            raise ValueError(
                _("The parameter “%(name)s” must be between %(min)s and %(max)s.")
                % {"name": name, "min": spec.min, "max": spec.max}
            )
        return value
    if spec.type == "money":
        try:
            value = _money(raw)
        except (InvalidOperation, ValueError):
            raise ValueError(_("The parameter “%(name)s” must be an amount in yuan.") % {"name": name}) from None
        if value < 0 or value > MAX_AMOUNT:
            raise ValueError(
                _("The parameter “%(name)s” must be between 0 and %(max)s.") % {"name": name, "max": MAX_AMOUNT}
            )
        if spec.required and value == 0:
            raise ValueError(_("The parameter “%(name)s” must be more than zero.") % {"name": name})
        return value
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "yes", "on"):
            return True
        if str(raw).lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError(_("The parameter “%(name)s” must be true or false.") % {"name": name})
    if spec.type == "contracts":
        values = [raw] if isinstance(raw, str) else list(raw)
        bad = [v for v in values if v not in ALL_CONTRACTS]
        if bad or not values:
            raise ValueError(
                _("The parameter “%(name)s” must list contract types among %(allowed)s.")
                % {"name": name, "allowed": ", ".join(ALL_CONTRACTS)}
            )
        return sorted(set(values))
    raise ValueError(name)  # pragma: no cover - schemas use the types above


def _contradictions(kind: str, p: dict[str, Any]) -> list[str]:
    errors = []
    cap = p.get("cap_per_payee_per_year")
    if kind == RuleKind.RETENTION:
        if p.get("order_class_amount") is not None and p["order_class_amount"] < p["amount"]:
            errors.append(
                _("The parameter “order_class_amount” cannot be smaller than “amount”: order-class hires get more.")
            )
        if p.get("min_insured_months") is not None and p["min_insured_months"] > p["months"]:
            errors.append(
                _("The parameter “min_insured_months” cannot exceed “months”: nobody is insured longer than employed.")
            )
        smallest = p["amount"]
    elif kind == RuleKind.CERTIFICATE:
        amounts = [p[name] for name in LEVEL_PARAMS.values()]
        if not any(amounts):
            errors.append(
                _(
                    "Give an amount for at least one certificate level "
                    "(“amount_junior”, “amount_intermediate” or “amount_senior”)."
                )
            )
        smallest = min((a for a in amounts if a), default=None)
    elif kind == RuleKind.GRADUATE_HIRE:
        smallest = p["amount"]
    else:
        smallest = p["amount_per_year"]
    if cap is not None and smallest is not None:
        if cap == 0:
            errors.append(_("The parameter “cap_per_payee_per_year” must be more than zero (or empty for no cap)."))
        elif cap < smallest:
            errors.append(
                _(
                    "The parameter “cap_per_payee_per_year” is below the amount of a single payment: nothing could be paid."
                )
            )
    return errors


def param_summary(kind: str, params: dict[str, Any]) -> list[tuple[Any, Any]]:
    """Return ``(label, value)`` of each set parameter, for display."""
    rows = []
    for spec in SCHEMAS.get(kind, []):
        value = params.get(spec.name)
        if value is None:
            continue
        if spec.type == "bool":
            value = _("yes") if value else _("no")
        elif spec.type == "contracts":
            value = ", ".join(value)
        rows.append((spec.label, value))
    return rows


# ---------------------------------------------------------------------------
# Facts and inputs (built by ``evidence``; plain data, sorted, JSON-ready).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmploymentFact:
    """One employment record of a graduate of the park (careers ``EmploymentRecord``)."""

    record_id: int
    student_id: int
    person_id: int
    college_id: int
    employer_id: int | None  # None: an employer outside the zone
    start_date: str
    end_date: str | None
    insured_from: str | None
    via_order_class: bool
    contract_type: str
    graduation_year: int


@dataclass(frozen=True)
class CertificateFact:
    """One skill certificate of a graduate (from the certification capability, when it exists)."""

    certificate_id: int
    student_id: int
    person_id: int
    college_id: int
    level: str
    issue_date: str


@dataclass(frozen=True)
class ApprenticeshipFact:
    """One apprenticeship (企业新型学徒制) of an employee, under a labour contract."""

    apprenticeship_id: int
    student_id: int
    person_id: int
    college_id: int
    employer_id: int
    start_date: str
    end_date: str | None
    contract_months: int


@dataclass(frozen=True)
class PriorPayment:
    """A line of an approved or paid run of the same programme, earlier in the same year."""

    run_id: int
    rule_kind: str
    student_id: int
    payee: str  # the payee key, e.g. "org:12" or "person:40"
    amount: str


@dataclass(frozen=True)
class RuleSpec:
    rule_id: int
    kind: str
    payee: str
    params: dict[str, Any]


@dataclass(frozen=True)
class AdjustmentSpec:
    """A correction decided on an objection: remove a line or set its amount (by the line's key)."""

    key: str
    action: str
    amount: str | None
    objection_id: int
    reason: str


@dataclass
class Inputs:
    period_start: str
    period_end: str
    rules: list[RuleSpec]
    cap_per_payee_per_year: str | None
    employment: list[EmploymentFact]
    certificates: list[CertificateFact] | None  # None: no certificate data in the platform
    apprenticeships: list[ApprenticeshipFact] | None  # None: no apprenticeship data in the platform
    prior: list[PriorPayment] = field(default_factory=list)
    adjustments: list[AdjustmentSpec] = field(default_factory=list)

    def canonical(self) -> dict[str, Any]:
        """Return the inputs as plain data in a fixed order (what the fingerprint covers)."""
        return {
            "period": [self.period_start, self.period_end],
            "rules": [asdict(r) for r in sorted(self.rules, key=lambda r: r.rule_id)],
            "cap_per_payee_per_year": self.cap_per_payee_per_year,
            "employment": [asdict(f) for f in sorted(self.employment, key=lambda f: f.record_id)],
            "certificates": None
            if self.certificates is None
            else [asdict(f) for f in sorted(self.certificates, key=lambda f: f.certificate_id)],
            "apprenticeships": None
            if self.apprenticeships is None
            else [asdict(f) for f in sorted(self.apprenticeships, key=lambda f: f.apprenticeship_id)],
            "prior": [
                asdict(p) for p in sorted(self.prior, key=lambda p: (p.run_id, p.rule_kind, p.student_id, p.payee))
            ],
            "adjustments": [asdict(a) for a in sorted(self.adjustments, key=lambda a: (a.key, a.objection_id))],
        }


@dataclass
class Line:
    """One payment: a person counted under a rule for a payee, with the records that qualified it."""

    key: str
    rule_id: int
    rule_kind: str
    student_id: int
    person_id: int
    payee: str  # "org:<id>" or "person:<id>"
    qualifying_date: str
    base_amount: str
    amount: str
    capped: str = ""  # "", "rule" or "programme"
    evidence: dict[str, Any] = field(default_factory=dict)
    adjustment: dict[str, Any] | None = None

    def canonical(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Warning:
    """Something the run could not check, said instead of paying zero silently."""

    code: str
    rule_id: int | None
    count: int = 0


@dataclass
class Result:
    lines: list[Line]
    warnings: list[Warning]


# ---------------------------------------------------------------------------
# The computation.
# ---------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Return the same day ``months`` later (the month's last day when it is shorter)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Return the whole months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _current_on(start: datetime.date, end: datetime.date | None, day: datetime.date) -> bool:
    """Employed on ``day``: started by then and not yet left (the end date is the day they left)."""
    return start <= day and (end is None or end > day)


def _payee_key(payee: str, fact: Any) -> str | None:
    if payee == Payee.COLLEGE:
        return f"org:{fact.college_id}"
    if payee == Payee.EMPLOYER:
        employer = getattr(fact, "employer_id", None)
        return f"org:{employer}" if employer else None
    return f"person:{fact.person_id}"


def _candidates_retention(rule: RuleSpec, inputs: Inputs, start: datetime.date, end: datetime.date):
    p = rule.params
    months = p["months"]
    insured_needed = p["min_insured_months"] if p.get("min_insured_months") is not None else months
    uninsured = 0
    for f in inputs.employment:
        if f.employer_id is None or f.contract_type not in p["contract_types"]:
            continue
        hired = _date(f.start_date)
        milestone = add_months(hired, months)
        if not (start <= milestone <= end) or not _current_on(hired, _date(f.end_date), milestone):
            continue
        insured = _date(f.insured_from)
        if insured is None:
            uninsured += 1
            continue
        insured_months = months_between(insured, milestone)
        if insured_months < insured_needed:
            continue
        order = bool(f.via_order_class and p.get("order_class_amount") is not None)
        amount = p["order_class_amount"] if order else p["amount"]
        evidence = {
            "employment_records": [f.record_id],
            "employer": f.employer_id,
            "hired_on": f.start_date,
            "still_employed_on": milestone.isoformat(),
            "social_insurance_start": f.insured_from,
            "insured_months": insured_months,
            "via_order_class": f.via_order_class,
            "basis": "order_class" if order else "standard",
        }
        yield milestone, f, amount, evidence
    if uninsured:
        yield None, Warning("employment_without_insurance", rule.rule_id, uninsured), None, None


def _candidates_graduate_hire(rule: RuleSpec, inputs: Inputs, start: datetime.date, end: datetime.date):
    p = rule.params
    for f in inputs.employment:
        if f.employer_id is None or f.contract_type not in p["contract_types"] or not f.insured_from:
            continue
        hired = _date(f.start_date)
        if not (0 <= hired.year - f.graduation_year <= p["years_after_graduation"]):
            continue
        insured = _date(f.insured_from)
        milestone = add_months(insured, p["min_insured_months"])
        if not (start <= milestone <= end) or not _current_on(hired, _date(f.end_date), milestone):
            continue
        evidence = {
            "employment_records": [f.record_id],
            "employer": f.employer_id,
            "hired_on": f.start_date,
            "graduation_year": f.graduation_year,
            "social_insurance_start": f.insured_from,
            "insured_months": p["min_insured_months"],
            "insured_until_at_least": milestone.isoformat(),
        }
        yield milestone, f, p["amount"], evidence


def _candidates_certificate(rule: RuleSpec, inputs: Inputs, start: datetime.date, end: datetime.date):
    p = rule.params
    if inputs.certificates is None:
        yield None, Warning("certificate_data_missing", rule.rule_id), None, None
        return
    employment_by_student: dict[int, list[EmploymentFact]] = defaultdict(list)
    for f in inputs.employment:
        if f.employer_id is not None:
            employment_by_student[f.student_id].append(f)
    best: dict[int, CertificateFact] = {}
    for c in inputs.certificates:
        issued = _date(c.issue_date)
        if not (start <= issued <= end) or not p[LEVEL_PARAMS[c.level]]:
            continue
        held = best.get(c.student_id)
        if held is None or (LEVEL_RANK[c.level], c.certificate_id) > (LEVEL_RANK[held.level], held.certificate_id):
            best[c.student_id] = c
    for student_id in sorted(best):
        c = best[student_id]
        jobs = [
            f
            for f in employment_by_student.get(student_id, [])
            if _current_on(_date(f.start_date), _date(f.end_date), end)
        ]
        if p["require_zone_employment"] and not jobs:
            continue
        job = jobs[0] if jobs else None
        if rule.payee == Payee.EMPLOYER and job is None:
            continue
        fact = job if rule.payee == Payee.EMPLOYER else c
        evidence = {
            "certificates": [c.certificate_id],
            "level": c.level,
            "issued_on": c.issue_date,
            "employment_records": [job.record_id] if job else [],
            "employer": job.employer_id if job else None,
        }
        yield _date(c.issue_date), fact, p[LEVEL_PARAMS[c.level]], evidence


def _candidates_apprentice(rule: RuleSpec, inputs: Inputs, start: datetime.date, end: datetime.date):
    p = rule.params
    if inputs.apprenticeships is None:
        yield None, Warning("apprenticeship_data_missing", rule.rule_id), None, None
        return
    for a in inputs.apprenticeships:
        if a.contract_months < p["min_contract_months"]:
            continue
        began = _date(a.start_date)
        # The apprenticeship's anniversaries: year n is paid when it is completed within the period.
        for year in range(1, p["max_years"] + 1):
            completed = add_months(began, 12 * year)
            if start <= completed <= end and _current_on(
                began, _date(a.end_date), completed - datetime.timedelta(days=1)
            ):
                evidence = {
                    "apprenticeships": [a.apprenticeship_id],
                    "employer": a.employer_id,
                    "started_on": a.start_date,
                    "year": year,
                    "year_completed_on": completed.isoformat(),
                    "contract_months": a.contract_months,
                }
                yield completed, a, p["amount_per_year"], evidence
                break


CANDIDATES = {
    RuleKind.RETENTION: _candidates_retention,
    RuleKind.GRADUATE_HIRE: _candidates_graduate_hire,
    RuleKind.CERTIFICATE: _candidates_certificate,
    RuleKind.APPRENTICE: _candidates_apprentice,
}


def compute(inputs: Inputs, progress: Any = None) -> Result:
    """
    Return the lines and warnings of ``inputs``: pure and deterministic.

    Per rule, each qualifying record gives a candidate; a person counts once per
    rule (their earliest qualifying date, then the lowest record id), and not at
    all if an earlier run of the year already paid them under a rule of the same
    kind. Adjustments decided on objections then remove lines or set their
    amounts; finally the caps per payee per year (the rule's, then the
    programme's, both net of the year's earlier payments) reduce the lines in
    the order of their qualifying dates.
    """
    start, end = _date(inputs.period_start), _date(inputs.period_end)
    already = {(p.rule_kind, p.student_id) for p in inputs.prior}
    warnings: list[Warning] = []
    lines: list[Line] = []
    rules = sorted(inputs.rules, key=lambda r: r.rule_id)
    for n, rule in enumerate(rules):
        chosen: dict[int, tuple] = {}
        for milestone, fact, amount, evidence in CANDIDATES[rule.kind](rule, inputs, start, end):
            if isinstance(fact, Warning):
                warnings.append(fact)
                continue
            payee = _payee_key(rule.payee, fact)
            if payee is None or (rule.kind, fact.student_id) in already:
                continue
            order = (milestone, min(evidence.get("employment_records") or [0]), str(evidence))
            held = chosen.get(fact.student_id)
            if held is None or order < held[0]:
                chosen[fact.student_id] = (order, milestone, fact, amount, evidence, payee)
        for student_id in sorted(chosen):
            _order, milestone, fact, amount, evidence, payee = chosen[student_id]
            lines.append(
                Line(
                    key=f"{rule.rule_id}:{student_id}:{payee}",
                    rule_id=rule.rule_id,
                    rule_kind=rule.kind,
                    student_id=student_id,
                    person_id=fact.person_id,
                    payee=payee,
                    qualifying_date=milestone.isoformat(),
                    base_amount=money_text(amount),
                    amount=money_text(amount),
                    evidence=evidence,
                )
            )
        if progress:
            progress(n + 1, len(rules))
    lines = _apply_adjustments(lines, inputs.adjustments)
    _apply_caps(lines, inputs)
    lines.sort(key=lambda line: (line.payee, line.rule_id, line.qualifying_date, line.student_id))
    return Result(lines=lines, warnings=warnings)


def _apply_adjustments(lines: list[Line], adjustments: list[AdjustmentSpec]) -> list[Line]:
    by_key = {a.key: a for a in sorted(adjustments, key=lambda a: a.objection_id)}
    kept = []
    for line in lines:
        adjustment = by_key.get(line.key)
        if adjustment is None or adjustment.action == Adjustment.NONE:
            kept.append(line)
            continue
        if adjustment.action == Adjustment.EXCLUDE:
            continue
        line.base_amount = money_text(Decimal(adjustment.amount or "0"))
        line.amount = line.base_amount
        line.adjustment = {
            "objection": adjustment.objection_id,
            "action": adjustment.action,
            "reason": adjustment.reason,
        }
        kept.append(line)
    return kept


def _apply_caps(lines: list[Line], inputs: Inputs) -> None:
    caps = {r.rule_id: r.params.get("cap_per_payee_per_year") for r in inputs.rules}
    kinds = {r.rule_id: r.kind for r in inputs.rules}
    programme_cap = Decimal(inputs.cap_per_payee_per_year) if inputs.cap_per_payee_per_year else None
    used_rule: dict[tuple[str, str], Decimal] = defaultdict(Decimal)  # (rule kind, payee)
    used_all: dict[str, Decimal] = defaultdict(Decimal)
    for p in inputs.prior:
        used_rule[(p.rule_kind, p.payee)] += Decimal(p.amount)
        used_all[p.payee] += Decimal(p.amount)
    for line in sorted(lines, key=lambda x: (x.qualifying_date, x.rule_id, x.student_id)):
        amount = Decimal(line.amount)
        cap = caps.get(line.rule_id)
        if cap is not None:
            room = max(Decimal(cap) - used_rule[(kinds[line.rule_id], line.payee)], Decimal(0))
            if amount > room:
                amount, line.capped = room, "rule"
        if programme_cap is not None:
            room = max(programme_cap - used_all[line.payee], Decimal(0))
            if amount > room:
                amount, line.capped = room, "programme"
        used_rule[(kinds[line.rule_id], line.payee)] += amount
        used_all[line.payee] += amount
        line.amount = money_text(amount)
