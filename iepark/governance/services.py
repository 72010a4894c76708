"""
Writes of governance: policy documents, programmes, versions and rules, assessment runs and objections.

Every function checks the actor through the policy, validates, writes and
records its audit event in one transaction. An assessment's lines are written
by the computation (``assessment_compute``) in bulk; the run's audit event
records the fingerprint of the inputs and the digest of the lines, so the hash
chain covers every line of every run.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from iepark.core import audit, policy
from iepark.core.attachments import attach_files, attachments_delete_all
from iepark.core.choices import AuditAction
from iepark.core.policy import Action
from iepark.core.tasks import JobCancelled, JobContext, job_start

from . import evidence, notifications, rules
from .choices import LOCKED_RUN_STATUSES, OPEN_RUN_STATUSES, Adjustment, ObjectionStatus, RunStatus
from .models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)
from .policy import PAYEE_ROLES, acts_for_committee

ASSESSMENT_TASK = "governance.assessment"


def _require(actor: Any, action: Action, obj: Any) -> None:
    if not policy.can(actor, action, obj):
        raise PermissionDenied


def _require_add(actor: Any, instance: Any) -> None:
    if not policy.can_add(actor, instance):
        raise PermissionDenied


def _require_committee(actor: Any, park_id: int) -> None:
    if not acts_for_committee(policy.actor_for(actor), park_id):
        raise PermissionDenied


def canonical_json(data: Any) -> str:
    """Return ``data`` as canonical JSON text (sorted keys, no spaces): the bytes the fingerprints hash."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- policy documents --------------------------------------------------------------------------------

POLICY_FIELDS = (
    "title",
    "title_en",
    "issuing_body",
    "document_number",
    "effective_from",
    "effective_to",
    "summary",
    "body",
    "visibility",
)


def policy_document_create(*, actor: Any, park: Any, files: Any = (), **fields: Any) -> PolicyDocument:
    """Publish a policy document (with its files: PDFs or scans), all or nothing."""
    document = PolicyDocument(park=park, **{k: v for k, v in fields.items() if k in POLICY_FIELDS})
    _require_add(actor, document)
    with transaction.atomic():
        document = audit.audited_create(actor=actor, instance=document)
        if files:
            attach_files(actor=actor, parent=document, files=files)
    return document


def policy_document_update(
    *, actor: Any, document: PolicyDocument, data: dict[str, Any], files: Any = ()
) -> PolicyDocument:
    _require(actor, Action.CHANGE, document)
    data = {k: v for k, v in data.items() if k in POLICY_FIELDS}
    with transaction.atomic():
        document = audit.audited_update(actor=actor, instance=document, data=data)
        if files:
            attach_files(actor=actor, parent=document, files=files)
    return document


def policy_document_delete(*, actor: Any, document: PolicyDocument) -> None:
    _require(actor, Action.DELETE, document)
    if document.programmes.exists():
        raise ValidationError(_("A subsidy programme implements this document; unlink it first."))
    with transaction.atomic():
        attachments_delete_all(actor=actor, parent=document)
        audit.audited_delete(actor=actor, instance=document)


# --- programmes ----------------------------------------------------------------------------------

PROGRAMME_FIELDS = ("name", "name_en", "description", "policy", "amounts_are_examples")


def programme_create(*, actor: Any, park: Any, **fields: Any) -> SubsidyProgramme:
    programme = SubsidyProgramme(park=park, **{k: v for k, v in fields.items() if k in PROGRAMME_FIELDS})
    _require_add(actor, programme)
    return audit.audited_create(actor=actor, instance=programme)


def programme_update(*, actor: Any, programme: SubsidyProgramme, data: dict[str, Any]) -> SubsidyProgramme:
    _require(actor, Action.CHANGE, programme)
    data = {k: v for k, v in data.items() if k in PROGRAMME_FIELDS}
    return audit.audited_update(actor=actor, instance=programme, data=data)


def programme_delete(*, actor: Any, programme: SubsidyProgramme) -> None:
    _require(actor, Action.DELETE, programme)
    if AssessmentRun.objects.filter(version__programme=programme).exists():
        raise ValidationError(_("The programme has assessment runs and cannot be deleted."))
    with transaction.atomic():
        for version in programme.versions.all():
            for subsidy_rule in version.rules.all():
                audit.audited_delete(actor=actor, instance=subsidy_rule)
            audit.audited_delete(actor=actor, instance=version)
        audit.audited_delete(actor=actor, instance=programme)


# --- versions ------------------------------------------------------------------------------------

VERSION_FIELDS = ("effective_from", "effective_to", "cap_per_payee_per_year", "note")


def _check_overlap(version: ProgrammeVersion) -> None:
    """Refuse two versions of a programme in force on the same day."""
    others = ProgrammeVersion.objects.filter(programme=version.programme).exclude(pk=version.pk)
    end = version.effective_to or datetime.date.max
    overlapping = others.filter(effective_from__lte=end).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=version.effective_from)
    )
    clash = overlapping.order_by("number").first()
    if clash is not None:
        raise ValidationError(
            {
                "effective_from": _(
                    "Version %(number)s is in force in the same period; end it first (set its “effective to”)."
                )
                % {"number": clash.number}
            }
        )


def version_create(
    *, actor: Any, programme: SubsidyProgramme, copy_from: ProgrammeVersion | None = None, **fields: Any
) -> ProgrammeVersion:
    """Add a version (numbered after the last), copying the rules of ``copy_from`` when given."""
    with transaction.atomic():
        SubsidyProgramme.objects.select_for_update().filter(pk=programme.pk).first()
        number = (programme.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ProgrammeVersion(
            programme=programme, number=number, **{k: v for k, v in fields.items() if k in VERSION_FIELDS}
        )
        _require_add(actor, version)
        if copy_from is not None and copy_from.programme_id != programme.pk:
            raise ValidationError({"copy_from": _("Copy the rules of a version of the same programme.")})
        version.full_clean()
        _check_overlap(version)
        audit.audited_create(actor=actor, instance=version)
        if copy_from is not None:
            for source in copy_from.rules.order_by("position", "pk"):
                audit.audited_create(
                    actor=actor,
                    instance=SubsidyRule(
                        version=version,
                        kind=source.kind,
                        name=source.name,
                        payee=source.payee,
                        params=dict(source.params),
                        evidence_note=source.evidence_note,
                        position=source.position,
                    ),
                )
    return version


def _refuse_frozen(version: ProgrammeVersion) -> None:
    if version.frozen:
        raise ValidationError(
            _("Version %(number)s was used by an approved run and is frozen: create a new version to change the rules.")
            % {"number": version.number}
        )


def version_update(*, actor: Any, version: ProgrammeVersion, data: dict[str, Any]) -> ProgrammeVersion:
    _require(actor, Action.CHANGE, version)
    with transaction.atomic():
        version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
        data = {k: v for k, v in data.items() if k in VERSION_FIELDS}
        if version.frozen:
            # A frozen version may still be ended (to make room for the next one), nothing else.
            if set(data) - {"effective_to"} and any(
                getattr(version, k) != v for k, v in data.items() if k != "effective_to"
            ):
                _refuse_frozen(version)
            used_until = version.runs.filter(status__in=LOCKED_RUN_STATUSES).aggregate(d=Max("period_end"))["d"]
            end = data.get("effective_to")
            if used_until and end is not None and end < used_until:
                raise ValidationError(
                    {"effective_to": _("An approved run used this version up to %(date)s.") % {"date": used_until}}
                )
            data = {"effective_to": data.get("effective_to", version.effective_to)}
        for name, value in data.items():
            setattr(version, name, value)
        version.full_clean()
        _check_overlap(version)
        version = ProgrammeVersion.objects.get(pk=version.pk)
        return audit.audited_update(actor=actor, instance=version, data=data)


def version_delete(*, actor: Any, version: ProgrammeVersion) -> None:
    _require(actor, Action.DELETE, version)
    _refuse_frozen(version)
    if version.runs.exists():
        raise ValidationError(_("Assessment runs used this version; it cannot be deleted."))
    with transaction.atomic():
        for subsidy_rule in version.rules.all():
            audit.audited_delete(actor=actor, instance=subsidy_rule)
        audit.audited_delete(actor=actor, instance=version)


# --- rules ------------------------------------------------------------------------------------------

RULE_FIELDS = ("kind", "name", "payee", "params", "evidence_note", "position")


def rule_create(*, actor: Any, version: ProgrammeVersion, **fields: Any) -> SubsidyRule:
    subsidy_rule = SubsidyRule(version=version, **{k: v for k, v in fields.items() if k in RULE_FIELDS})
    _require_add(actor, subsidy_rule)
    with transaction.atomic():
        version = ProgrammeVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_frozen(version)
        return audit.audited_create(actor=actor, instance=subsidy_rule)


def rule_update(*, actor: Any, rule: SubsidyRule, data: dict[str, Any]) -> SubsidyRule:
    _require(actor, Action.CHANGE, rule)
    with transaction.atomic():
        version = ProgrammeVersion.objects.select_for_update().get(pk=rule.version_id)
        _refuse_frozen(version)
        data = {k: v for k, v in data.items() if k in RULE_FIELDS}
        return audit.audited_update(actor=actor, instance=rule, data=data)


def rule_delete(*, actor: Any, rule: SubsidyRule) -> None:
    _require(actor, Action.DELETE, rule)
    with transaction.atomic():
        version = ProgrammeVersion.objects.select_for_update().get(pk=rule.version_id)
        _refuse_frozen(version)
        if rule.lines.exists():
            raise ValidationError(_("Assessment runs counted lines under this rule; it cannot be deleted."))
        audit.audited_delete(actor=actor, instance=rule)


# --- assessment runs ---------------------------------------------------------------------------------


def _check_period(version: ProgrammeVersion, start: datetime.date, end: datetime.date) -> None:
    errors: dict[str, str] = {}
    if end < start:
        errors["period_end"] = _("The period cannot end before it starts.")
    elif start.year != end.year:
        errors["period_end"] = _("A period lies within one calendar year (the caps are per year).")
    elif not version.covers(start, end):
        errors["period_start"] = _(
            "Version %(number)s is in force from %(start)s to %(end)s; the period lies outside it."
        ) % {
            "number": version.number,
            "start": version.effective_from,
            "end": version.effective_to or "…",
        }
    elif not version.rules.exists():
        errors["version"] = _("Version %(number)s has no rules yet.") % {"number": version.number}
    if errors:
        raise ValidationError(errors)
    settled = (
        AssessmentRun.objects.filter(version__programme_id=version.programme_id, status__in=LOCKED_RUN_STATUSES)
        .filter(period_start__lte=end, period_end__gte=start)
        .first()
    )
    if settled is not None:
        raise ValidationError(
            {
                "period_start": _("The approved run “%(run)s” already covers part of this period: it would pay twice.")
                % {"run": settled}
            }
        )


def assessment_start(
    *,
    actor: Any,
    version: ProgrammeVersion,
    period_start: datetime.date,
    period_end: datetime.date,
    note: str = "",
    run_now: bool = False,
) -> AssessmentRun:
    """
    Create a run of ``version`` over the period and compute it in the background (``run_now``: here and now).

    The period lies within one calendar year and within the version's effective
    dates, and must not overlap an approved run of the same programme.
    """
    park = version.programme.park
    run = AssessmentRun(
        park=park, version=version, period_start=period_start, period_end=period_end, note=note, created_by=actor
    )
    _require_add(actor, run)
    with transaction.atomic():
        _check_period(version, period_start, period_end)
        run = audit.audited_create(actor=actor, instance=run)
        AssessmentRun.objects.filter(pk=run.pk).update(series=run.pk)
        run.series = run.pk
        _start_computation(actor, run, run_now)
    return run


def _start_computation(actor: Any, run: AssessmentRun, run_now: bool) -> None:
    if run_now:
        assessment_compute(run=run)
        run.refresh_from_db()
        return
    job = job_start(actor=actor, kind=ASSESSMENT_TASK, park=run.park, params={"run": run.pk})
    AssessmentRun.objects.filter(pk=run.pk).update(job=job)
    run.job = job


def build_inputs(run: AssessmentRun) -> rules.Inputs:
    """Return the canonical inputs of ``run``: its rules, the period's facts, the year's earlier payments, adjustments."""
    version = run.version
    start, end = run.period_start, run.period_end
    rule_specs = [
        rules.RuleSpec(rule_id=r.pk, kind=r.kind, payee=r.payee, params=dict(r.params))
        for r in version.rules.order_by("pk")
    ]
    prior_lines = (
        AssessmentLine.objects.filter(
            run__version__programme_id=version.programme_id,
            run__status__in=LOCKED_RUN_STATUSES,
            run__period_end__lt=start,
            run__period_start__year=start.year,
        )
        .order_by("pk")
        .values_list("run_id", "rule__kind", "student_id", "payee_organisation_id", "payee_person_id", "amount")
    )
    prior = [
        rules.PriorPayment(
            run_id=run_id,
            rule_kind=kind,
            student_id=student_id,
            payee=f"org:{org_id}" if org_id else f"person:{person_id}",
            amount=rules.money_text(amount),
        )
        for run_id, kind, student_id, org_id, person_id, amount in prior_lines
    ]
    adjustments = [rules.AdjustmentSpec(**a) for a in run.adjustments]
    return rules.Inputs(
        period_start=start.isoformat(),
        period_end=end.isoformat(),
        rules=rule_specs,
        cap_per_payee_per_year=rules.money_text(version.cap_per_payee_per_year)
        if version.cap_per_payee_per_year is not None
        else None,
        employment=evidence.employment_facts(park=run.park, start=start, end=end),
        certificates=evidence.certificate_facts(park=run.park, start=start, end=end),
        apprenticeships=evidence.apprenticeship_facts(park=run.park, start=start, end=end),
        prior=prior,
        adjustments=adjustments,
    )


def fingerprint_of(inputs: rules.Inputs) -> str:
    """Return the SHA-256 of the canonical inputs."""
    return sha256(canonical_json(inputs.canonical()))


def lines_json(lines: list[rules.Line]) -> str:
    """Return the serialized lines (canonical JSON, in the lines' order): the bytes ``lines_digest`` hashes."""
    return canonical_json([line.canonical() for line in lines])


def stored_lines(run: AssessmentRun) -> list[rules.Line]:
    """Return the run's stored lines as the engine's ``Line`` values, in the engine's order."""
    rows = run.lines.select_related("rule", "student").order_by("pk")
    return [
        rules.Line(
            key=row.key,
            rule_id=row.rule_id,
            rule_kind=row.rule.kind,
            student_id=row.student_id,
            person_id=row.student.person_id,
            payee=f"org:{row.payee_organisation_id}" if row.payee_organisation_id else f"person:{row.payee_person_id}",
            qualifying_date=row.qualifying_date.isoformat(),
            base_amount=rules.money_text(row.base_amount),
            amount=rules.money_text(row.amount),
            capped=row.capped,
            evidence=row.evidence,
            adjustment=row.adjustment,
        )
        for row in rows
    ]


def _summary(inputs: rules.Inputs) -> dict[str, Any]:
    return {
        "employment_records": len(inputs.employment),
        "certificates": None if inputs.certificates is None else len(inputs.certificates),
        "apprenticeships": None if inputs.apprenticeships is None else len(inputs.apprenticeships),
        "prior_payments": len(inputs.prior),
        "adjustments": len(inputs.adjustments),
        "rules": len(inputs.rules),
    }


def assessment_compute(*, run: AssessmentRun, ctx: JobContext | None = None) -> AssessmentRun:
    """Compute ``run``'s lines from the current data, store them and make the run a draft (atomically)."""
    inputs = build_inputs(run)
    if ctx is not None:
        ctx.progress(0, len(inputs.rules) + 1, _("Reading the records"))
        ctx.check_cancelled()

    def progress(done: int, total: int) -> None:
        if ctx is not None:
            ctx.progress(done, total + 1, _("Rule %(done)s of %(total)s") % {"done": done, "total": total})
            ctx.check_cancelled()

    result = rules.compute(inputs, progress=progress)
    fingerprint = fingerprint_of(inputs)
    digest = sha256(lines_json(result.lines))
    total = sum((Decimal(line.amount) for line in result.lines), Decimal("0"))
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.COMPUTING:
            raise ValidationError(_("The run is not waiting for its computation."))
        AssessmentLine.objects.bulk_create(
            [
                AssessmentLine(
                    run=run,
                    key=line.key,
                    rule_id=line.rule_id,
                    student_id=line.student_id,
                    payee_organisation_id=int(line.payee[4:]) if line.payee.startswith("org:") else None,
                    payee_person_id=int(line.payee[7:]) if line.payee.startswith("person:") else None,
                    qualifying_date=datetime.date.fromisoformat(line.qualifying_date),
                    base_amount=Decimal(line.base_amount),
                    amount=Decimal(line.amount),
                    capped=line.capped,
                    evidence=line.evidence,
                    adjustment=line.adjustment,
                )
                for line in result.lines
            ]
        )
        data = {
            "status": RunStatus.DRAFT,
            "fingerprint": fingerprint,
            "lines_digest": digest,
            "inputs_summary": _summary(inputs),
            "warnings": [{"code": w.code, "rule": w.rule_id, "count": w.count} for w in result.warnings],
            "total": total,
            "line_count": len(result.lines),
            "error": "",
        }
        audit.audited_update(actor=run.created_by, instance=run, data=data)
        previous = run.previous
        if previous is not None and previous.status in OPEN_RUN_STATUSES:
            audit.audited_update(actor=run.created_by, instance=previous, data={"status": RunStatus.SUPERSEDED})
    return run


def assessment_run_job(ctx: JobContext) -> dict[str, Any]:
    """The background job of a run (``params["run"]``): compute it, or record why it failed."""
    run = AssessmentRun.objects.select_related("version__programme", "park", "created_by").get(pk=ctx.params["run"])
    try:
        run = assessment_compute(run=run, ctx=ctx)
    except JobCancelled:
        _fail(run, _("The computation was cancelled."))
        raise
    except Exception as exc:
        _fail(run, str(exc))
        raise
    return {"run": run.pk, "lines": run.line_count, "total": str(run.total), "fingerprint": run.fingerprint}


def run_reconcile(*, run: AssessmentRun) -> AssessmentRun:
    """Mark a run whose job ended without computing it (cancelled while queued, worker lost) as failed."""
    if run.status == RunStatus.COMPUTING and run.job is not None and run.job.is_finished:
        run.job.refresh_from_db()
        if run.job.status != "succeeded":
            _fail(run, run.job.message or _("The computation was cancelled."))
            run.refresh_from_db()
    return run


def _fail(run: AssessmentRun, message: str) -> None:
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.COMPUTING:
            audit.audited_update(
                actor=run.created_by, instance=run, data={"status": RunStatus.FAILED, "error": message[:300]}
            )


def _transition(
    actor: Any, run: AssessmentRun, allowed: tuple[str, ...], data: dict[str, Any], refusal: str
) -> AssessmentRun:
    _require_committee(actor, run.park_id)
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in allowed:
            raise ValidationError({"status": refusal % {"status": run.get_status_display()}})
        return data_update(actor, run, data)


def data_update(actor: Any, run: AssessmentRun, data: dict[str, Any]) -> AssessmentRun:
    before = audit.snapshot(run)
    for name, value in data.items():
        setattr(run, name, value)
    run.save(update_fields=[*data, "updated_at"])
    changes = audit.diff(before, audit.snapshot(run))
    audit.record(actor=actor, action=AuditAction.UPDATE, instance=run, changes=changes)
    return run


def run_review(*, actor: Any, run: AssessmentRun) -> AssessmentRun:
    """Mark a draft run as reviewed (checked line by line, ready for approval)."""
    return _transition(
        actor,
        run,
        (RunStatus.DRAFT,),
        {"status": RunStatus.REVIEWED, "reviewed_by": actor, "reviewed_at": timezone.now()},
        _("Only a draft run can be marked as reviewed; this one is “%(status)s”."),
    )


def run_approve(*, actor: Any, run: AssessmentRun) -> AssessmentRun:
    """
    Approve a reviewed run: from now on it is immutable and its programme version frozen.

    Refused while an objection to one of its lines is open. The audit event
    records the fingerprint, the lines' digest and the total.
    """
    _require_committee(actor, run.park_id)
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.REVIEWED:
            raise ValidationError(
                {
                    "status": _("Only a reviewed run can be approved; this one is “%(status)s”.")
                    % {"status": run.get_status_display()}
                }
            )
        open_count = Objection.objects.filter(line__run=run, status=ObjectionStatus.OPEN).count()
        if open_count:
            raise ValidationError(
                {
                    "status": _("%(count)s objection(s) to this run are still open: decide them first.")
                    % {"count": open_count}
                }
            )
        version = ProgrammeVersion.objects.select_for_update().get(pk=run.version_id)
        if not version.frozen:
            audit.audited_update(actor=actor, instance=version, data={"frozen": True})
        run = data_update(
            actor, run, {"status": RunStatus.APPROVED, "approved_by": actor, "approved_at": timezone.now()}
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=run,
            changes={
                "approved": {
                    "fingerprint": run.fingerprint,
                    "lines_digest": run.lines_digest,
                    "total": str(run.total),
                    "lines": run.line_count,
                }
            },
        )
    return run


def run_mark_paid(*, actor: Any, run: AssessmentRun, payment_reference: str = "") -> AssessmentRun:
    """Record that finance paid an approved run (with its payment reference)."""
    _require_committee(actor, run.park_id)
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status != RunStatus.APPROVED:
            raise ValidationError(
                {
                    "status": _("Only an approved run can be marked as paid; this one is “%(status)s”.")
                    % {"status": run.get_status_display()}
                }
            )
        return data_update(
            actor,
            run,
            {"status": RunStatus.PAID, "paid_at": timezone.now(), "payment_reference": payment_reference.strip()[:100]},
        )


def run_delete(*, actor: Any, run: AssessmentRun) -> None:
    """Delete a run that is not approved (a draft made by mistake, a failed computation)."""
    _require_committee(actor, run.park_id)
    if run.status in LOCKED_RUN_STATUSES:
        raise ValidationError(_("An approved run cannot be deleted."))
    if AssessmentRun.objects.filter(previous=run).exists():
        raise ValidationError(_("A correction was made from this run; it stays for the record."))
    with transaction.atomic():
        for objection in Objection.objects.filter(line__run=run):
            attachments_delete_all(actor=actor, parent=objection)
            audit.audited_delete(actor=actor, instance=objection)
        run.lines.all().delete()
        audit.audited_delete(actor=actor, instance=run)


def run_verify(*, actor: Any, run: AssessmentRun) -> dict[str, Any]:
    """
    Recompute ``run`` from the current data, without changing it, and compare.

    Return ``{"same_inputs", "same_lines", "fingerprint", "lines_digest"}``; the
    check is recorded in the audit trail.
    """
    _require_committee(actor, run.park_id)
    if run.status in (RunStatus.COMPUTING, RunStatus.FAILED):
        raise ValidationError({"status": _("The run has no computed result to verify.")})
    inputs = build_inputs(run)
    result = rules.compute(inputs)
    fingerprint = fingerprint_of(inputs)
    digest = sha256(lines_json(result.lines))
    stored_digest = sha256(lines_json(stored_lines(run)))
    outcome = {
        "same_inputs": fingerprint == run.fingerprint,
        "same_lines": digest == run.lines_digest and stored_digest == run.lines_digest,
        "fingerprint": fingerprint,
        "lines_digest": digest,
    }
    with transaction.atomic():
        audit.record(actor=actor, action=AuditAction.UPDATE, instance=run, changes={"verified": outcome})
    return outcome


def run_correct(*, actor: Any, run: AssessmentRun, note: str = "", run_now: bool = False) -> AssessmentRun:
    """
    Make a new revision of an open run: recomputed from the current data, with the accepted objections' adjustments.

    The new run replaces the old one (which becomes "superseded" once the new
    one is computed); open objections must be decided first.
    """
    _require_committee(actor, run.park_id)
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in OPEN_RUN_STATUSES:
            raise ValidationError(
                {
                    "status": _("Only a draft or reviewed run can be corrected; this one is “%(status)s”.")
                    % {"status": run.get_status_display()}
                }
            )
        if AssessmentRun.objects.filter(previous=run).exists():
            raise ValidationError({"status": _("This run already has a correction.")})
        if Objection.objects.filter(line__run=run, status=ObjectionStatus.OPEN).exists():
            raise ValidationError({"status": _("Decide the open objections before correcting the run.")})
        adjustments = {a["key"]: a for a in run.adjustments}
        accepted = Objection.objects.filter(line__run=run, status=ObjectionStatus.ACCEPTED).select_related("line")
        for objection in accepted.order_by("pk"):
            if objection.adjustment in (Adjustment.EXCLUDE, Adjustment.SET_AMOUNT):
                adjustments[objection.line.key] = {
                    "key": objection.line.key,
                    "action": objection.adjustment,
                    "amount": rules.money_text(objection.adjusted_amount)
                    if objection.adjustment == Adjustment.SET_AMOUNT
                    else None,
                    "objection_id": objection.pk,
                    "reason": objection.response[:300],
                }
        correction = AssessmentRun(
            park=run.park,
            version=run.version,
            period_start=run.period_start,
            period_end=run.period_end,
            series=run.series or run.pk,
            revision=run.revision + 1,
            previous=run,
            note=note or run.note,
            adjustments=[adjustments[k] for k in sorted(adjustments)],
            created_by=actor,
        )
        correction = audit.audited_create(actor=actor, instance=correction)
        _start_computation(actor, correction, run_now)
    return correction


# --- objections ---------------------------------------------------------------------------------------


def objection_raise(
    *, actor: Any, line: AssessmentLine, reason: str, proposed_amount: Decimal | None = None, files: Any = ()
) -> Objection:
    """Object to a line of an open run (the payee's college administrator or HR, or the graduate paid), with evidence."""
    objection = Objection(line=line, raised_by=actor, reason=(reason or "").strip(), proposed_amount=proposed_amount)
    actor_obj = policy.actor_for(actor)
    if line.payee_organisation_id and line.payee_organisation_id in actor_obj.orgs(PAYEE_ROLES):
        objection.organisation_id = line.payee_organisation_id
    _require_add(actor, objection)
    with transaction.atomic():
        run = AssessmentRun.objects.select_for_update().get(pk=line.run_id)
        if run.status not in OPEN_RUN_STATUSES:
            raise ValidationError(
                {
                    "line": _("The run is “%(status)s”: objections are taken only before approval.")
                    % {"status": run.get_status_display()}
                }
            )
        if not objection.reason:
            raise ValidationError({"reason": _("Say why the line is wrong.")})
        if line.objections.filter(status=ObjectionStatus.OPEN).exists():
            raise ValidationError({"line": _("An objection to this line is already open.")})
        objection = audit.audited_create(actor=actor, instance=objection)
        if files:
            attach_files(actor=actor, parent=objection, files=files)
        notifications.objection_step(objection, actor)
        return objection


def objection_withdraw(*, actor: Any, objection: Objection) -> Objection:
    """Withdraw an open objection: whoever raised it, or the committee (not a colleague of the raiser)."""
    _require(actor, Action.CHANGE, objection)
    if objection.raised_by_id != getattr(actor, "pk", None) and not acts_for_committee(
        policy.actor_for(actor), objection.line.run.park_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != ObjectionStatus.OPEN:
            raise ValidationError({"status": _("Only an open objection can be withdrawn.")})
        return audit.audited_update(actor=actor, instance=objection, data={"status": ObjectionStatus.WITHDRAWN})


def objection_resolve(
    *,
    actor: Any,
    objection: Objection,
    accept: bool,
    response: str,
    adjustment: str = Adjustment.NONE,
    adjusted_amount: Decimal | None = None,
) -> Objection:
    """
    Decide an objection (the committee): accept it, with what the correction does to the line, or reject it.

    Decisions are taken while the run is open; the correction (``run_correct``) applies them.
    """
    _require_committee(actor, objection.line.run.park_id)
    response = (response or "").strip()
    errors: dict[str, str] = {}
    if not response:
        errors["response"] = _("Give the reason for the decision.")
    if accept:
        if adjustment not in Adjustment.values:
            errors["adjustment"] = _("Choose what the correction does to the line.")
        elif adjustment == Adjustment.SET_AMOUNT and (adjusted_amount is None or adjusted_amount < 0):
            errors["adjusted_amount"] = _("Give the line's new amount.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        run = AssessmentRun.objects.select_for_update().get(pk=objection.line.run_id)
        if objection.status != ObjectionStatus.OPEN:
            raise ValidationError({"status": _("This objection was already decided.")})
        if run.status not in OPEN_RUN_STATUSES:
            raise ValidationError({"status": _("The run is no longer open.")})
        data = {
            "status": ObjectionStatus.ACCEPTED if accept else ObjectionStatus.REJECTED,
            "adjustment": adjustment if accept else "",
            "adjusted_amount": adjusted_amount if accept and adjustment == Adjustment.SET_AMOUNT else None,
            "response": response,
            "resolved_by": actor,
            "resolved_at": timezone.now(),
        }
        objection = audit.audited_update(actor=actor, instance=objection, data=data)
        notifications.objection_step(objection, actor)
        return objection
