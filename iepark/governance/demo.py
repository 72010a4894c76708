"""
The governance part of the demo park, written through this app's services.

Three policy documents (two public), an example subsidy programme with one rule
of each kind (the amounts are examples, and the programme says so), one
approved assessment run over last calendar year and a draft run over this year
so far, with an objection by a college administrator to one of its lines.
The runs are computed synchronously from the careers demo's employment
records; everything is relative to today, like the careers demo, and the same
for a given day and seed.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import Membership, Organisation

from . import services
from .choices import PolicyVisibility
from .models import AssessmentLine, PolicyDocument

RETENTION_NOTE = "社保缴费记录、劳动合同"


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's policies, example programme and assessment runs (once per park)."""
    say = say or (lambda message: None)
    if PolicyDocument.objects.filter(park=park).exists():
        return
    today = timezone.localdate()
    last_year = today.year - 1
    committee = Organisation.objects.filter(park=park, kind=OrganisationKind.COMMITTEE).order_by("pk").first()
    issuer = committee.name if committee else "管委会"
    retention_doc = services.policy_document_create(
        actor=actor,
        park=park,
        title="园区毕业生留用补贴管理办法（示例）",
        title_en="Measures on subsidies for graduates retained in the zone (example)",
        issuing_body=issuer,
        document_number=f"准管发〔{last_year}〕12号",
        effective_from=datetime.date(last_year, 1, 1),
        visibility=PolicyVisibility.PUBLIC,
        summary="管委会按合作院校输送并留在园区企业就业的毕业生向院校拨付补贴；金额为示例。",
        body=(
            "第一条　为鼓励合作院校向园区企业输送毕业生，制定本办法。\n"
            "第二条　毕业生被园区企业录用，连续在岗并缴纳社会保险满12个月的，向输送院校拨付留用补贴；"
            "订单班毕业生被订单企业录用的，适用较高标准。\n"
            "第三条　补贴金额、上限以管委会公布的补贴项目版本为准（本示例中的金额仅为演示）。\n"
            "第四条　院校对核定结果有异议的，应在公示期内提出并附证明材料。"
        ),
    )
    services.policy_document_create(
        actor=actor,
        park=park,
        title="关于做好一次性扩岗补助发放工作的通知",
        title_en="Notice on the one-off job-expansion subsidy",
        issuing_body=issuer,
        document_number=f"准管办〔{last_year}〕5号",
        effective_from=datetime.date(last_year, 3, 1),
        effective_to=datetime.date(today.year, 12, 31),
        visibility=PolicyVisibility.PUBLIC,
        summary="企业招用当年毕业生、签订劳动合同并缴纳社会保险满3个月的，按每人1500元给予一次性扩岗补助（示例）。",
    )
    services.policy_document_create(
        actor=actor,
        park=park,
        title="补贴资金核定与拨付内部操作规程",
        title_en="Internal procedure for assessing and paying subsidies",
        issuing_body=issuer,
        effective_from=datetime.date(last_year, 1, 1),
        visibility=PolicyVisibility.INTERNAL,
        body="核定批次须经复核、审批两道程序；审批后的批次不得修改，如需更正须另行生成更正批次。",
    )

    programme = services.programme_create(
        actor=actor,
        park=park,
        name="产教融合就业补贴（示例）",
        name_en="Industry-education employment subsidies (example)",
        description="由四类规则组成的示例补贴项目：留用补贴、技能证书补贴、一次性扩岗补助、新型学徒制补贴。金额均为示例。",
        policy=retention_doc,
        amounts_are_examples=True,
    )
    version = services.version_create(
        actor=actor, programme=programme, effective_from=datetime.date(last_year, 1, 1), note="首个版本（示例金额）"
    )
    rules = [
        (
            "retention",
            "毕业生留用补贴",
            "college",
            {
                "months": 12,
                "amount": "2000",
                "order_class_amount": "3000",
                "min_insured_months": 11,
                "cap_per_payee_per_year": "300000",
            },
            RETENTION_NOTE,
        ),
        (
            "certificate",
            "技能等级证书补贴",
            "graduate",
            {"amount_junior": "1000", "amount_intermediate": "1500", "amount_senior": "2000"},
            "职业技能等级证书",
        ),
        (
            "graduate_hire",
            "一次性扩岗补助",
            "employer",
            {"amount": "1500", "min_insured_months": 3},
            "劳动合同、社保缴费记录",
        ),
        (
            "apprentice",
            "企业新型学徒制补贴",
            "employer",
            {"amount_per_year": "5000"},
            "学徒培养协议、劳动合同（一年以上）",
        ),
    ]
    for position, (kind, name, payee, params, note) in enumerate(rules, start=1):
        services.rule_create(
            actor=actor,
            version=version,
            kind=kind,
            name=name,
            payee=payee,
            params=params,
            evidence_note=note,
            position=position,
        )

    approved = services.assessment_start(
        actor=actor,
        version=version,
        period_start=datetime.date(last_year, 1, 1),
        period_end=datetime.date(last_year, 12, 31),
        note="上年度核定",
        run_now=True,
    )
    services.run_review(actor=actor, run=approved)
    approved = services.run_approve(actor=actor, run=approved)
    draft = services.assessment_start(
        actor=actor,
        version=version,
        period_start=datetime.date(today.year, 1, 1),
        period_end=today,
        note="本年度至今（草稿）",
        run_now=True,
    )
    objected = _object_to_a_line(draft)
    say(
        f"3 policy documents, 1 example programme, runs: approved ¥{approved.total} ({approved.line_count} lines), "
        f"draft ¥{draft.total} ({draft.line_count} lines){', 1 objection' if objected else ''}"
    )


def _object_to_a_line(run: Any) -> bool:
    """Have a college administrator with a login object to the first line paid to their college."""
    admins = Membership.objects.filter(
        role=Role.COLLEGE_ADMIN, person__user__isnull=False, organisation__park=run.park
    ).select_related("person__user")
    by_college = {}
    for membership in admins.order_by("pk"):
        by_college.setdefault(membership.organisation_id, membership.person.user)
    line = (
        AssessmentLine.objects.filter(run=run, payee_organisation_id__in=list(by_college), evidence__basis="standard")
        .order_by("payee_organisation_id", "qualifying_date", "pk")
        .first()
    )
    if line is None:
        return False
    services.objection_raise(
        actor=by_college[line.payee_organisation_id],
        line=line,
        reason="该生系订单班学生，由订单企业录用，应按订单班标准核定。",
        proposed_amount=line.amount + 1000,
    )
    return True
