"""Standard access tests of every governance API endpoint and its pages (see iepark.testing.ApiAccessSuite)."""

from __future__ import annotations

import datetime

from iepark.core.models import Organisation
from iepark.governance import services
from iepark.governance.models import (
    AssessmentLine,
    AssessmentRun,
    Objection,
    PolicyDocument,
    ProgrammeVersion,
    SubsidyProgramme,
    SubsidyRule,
)
from iepark.testing import ApiAccessSuite

from .factories import RETENTION, make_programme, period_2025, standard_data

D = datetime.date
PARK_MEMBERS = ("college_a_admin", "hr_e1", "student_a", "teacher_a", "operator", "coordinator")
STRANGERS = ("other_admin", "outsider")
NOT_COMMITTEE = ("college_a_admin", "college_b_admin", "hr_e1", "student_a", "coordinator", "operator", "manager_a")


def _committee(world):
    return world.users["committee"]


def _version(world) -> ProgrammeVersion:
    existing = ProgrammeVersion.objects.filter(programme__park=world.park, programme__name="示例补贴").first()
    return existing or make_programme(world, with_all_kinds=False)


def _run(world) -> AssessmentRun:
    existing = AssessmentRun.objects.filter(park=world.park).order_by("pk").first()
    if existing:
        return existing
    standard_data(world)
    return services.assessment_start(actor=_committee(world), version=_version(world), run_now=True, **period_2025())


def _other_programme(world) -> SubsidyProgramme:
    return SubsidyProgramme.objects.filter(park=world.other_park).first() or SubsidyProgramme.objects.create(
        park=world.other_park, name="外园补贴"
    )


class TestPolicyDocumentAccess(ApiAccessSuite):
    basename = "policydocument"
    readers = ("park_admin",)
    readonly = PARK_MEMBERS
    writer = "committee"
    outsiders = STRANGERS
    page_list, page_detail, page_edit = "policydocument_list", "policydocument_detail", "policydocument_edit"

    def own(self, world):
        return PolicyDocument.objects.filter(park=world.park).first() or PolicyDocument.objects.create(
            park=world.park, title="关于补贴的通知", issuing_body="管委会", effective_from=D(2025, 1, 1)
        )

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "title": "产教融合补贴办法",
            "issuing_body": "准东管委会",
            "effective_from": "2026-01-01",
            "visibility": "public",
        }

    def update_payload(self, world, obj):
        return {"document_number": "准管发〔2026〕3号"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), effective_to="2025-01-01"), "effective_to"

    def deletable(self, world):
        return PolicyDocument.objects.create(
            park=world.park, title="作废", issuing_body="管委会", effective_from=D(2025, 1, 1)
        )

    def make_many(self, world, n, start):
        PolicyDocument.objects.bulk_create(
            [
                PolicyDocument(
                    park=world.park, title=f"文件{start + i}", issuing_body="管委会", effective_from=D(2025, 1, 1)
                )
                for i in range(n)
            ]
        )


class TestSubsidyProgrammeAccess(ApiAccessSuite):
    basename = "subsidyprogramme"
    readers = ("park_admin",)
    readonly = PARK_MEMBERS
    writer = "committee"
    outsiders = STRANGERS
    page_list, page_detail, page_edit = "subsidyprogramme_list", "subsidyprogramme_detail", "subsidyprogramme_edit"

    def own(self, world):
        return _version(world).programme

    def create_payload(self, world):
        return {"park": world.park.pk, "name": "留用奖励", "amounts_are_examples": True}

    def update_payload(self, world, obj):
        return {"description": "示例"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), name=""), "name"

    def deletable(self, world):
        return SubsidyProgramme.objects.create(park=world.park, name="待删")

    def make_many(self, world, n, start):
        SubsidyProgramme.objects.bulk_create(
            [SubsidyProgramme(park=world.park, name=f"项目{start + i}") for i in range(n)]
        )


class TestProgrammeVersionAccess(ApiAccessSuite):
    basename = "programmeversion"
    readers = ("park_admin",)
    readonly = PARK_MEMBERS
    writer = "committee"
    outsiders = STRANGERS
    page_detail, page_edit = "programmeversion_detail", "programmeversion_edit"

    def own(self, world):
        return _version(world)

    def _fresh_programme(self, world):
        return SubsidyProgramme.objects.get_or_create(park=world.park, name="新项目")[0]

    def create_payload(self, world):
        return {"programme": self._fresh_programme(world).pk, "effective_from": "2026-01-01"}

    def update_payload(self, world, obj):
        return {"note": "提高金额"}

    def foreign_payload(self, world):
        return {"programme": _other_programme(world).pk, "effective_from": "2026-01-01"}

    def invalid_payload(self, world):
        return dict(self.create_payload(world), effective_to="2025-01-01"), "effective_to"

    def deletable(self, world):
        return ProgrammeVersion.objects.create(
            programme=self._fresh_programme(world), number=9, effective_from=D(2030, 1, 1)
        )

    def make_many(self, world, n, start):
        for i in range(n):
            programme = SubsidyProgramme.objects.create(park=world.park, name=f"P{start + i}")
            ProgrammeVersion.objects.create(programme=programme, number=1, effective_from=D(2025, 1, 1))


class TestSubsidyRuleAccess(ApiAccessSuite):
    basename = "subsidyrule"
    readers = ("park_admin",)
    readonly = PARK_MEMBERS
    writer = "committee"
    outsiders = STRANGERS
    page_detail = "subsidyrule_detail"

    def own(self, world):
        return _version(world).rules.first()

    def create_payload(self, world):
        return {
            "version": _version(world).pk,
            "kind": "graduate_hire",
            "name": "扩岗补助",
            "payee": "employer",
            "params": {"amount": "1500", "min_insured_months": 3},
        }

    def update_payload(self, world, obj):
        return {"name": "毕业生留用补贴"}

    def foreign_payload(self, world):
        version = ProgrammeVersion.objects.get_or_create(
            programme=_other_programme(world), number=1, defaults={"effective_from": D(2025, 1, 1)}
        )[0]
        return dict(self.create_payload(world), version=version.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), params={"amount": "1500"}), "params"

    def deletable(self, world):
        return SubsidyRule.objects.create(
            version=_version(world), kind="retention", name="删", payee="college", params=RETENTION
        )

    def make_many(self, world, n, start):
        version = _version(world)
        SubsidyRule.objects.bulk_create(
            [
                SubsidyRule(version=version, kind="retention", name=f"R{start + i}", payee="college", params=RETENTION)
                for i in range(n)
            ]
        )


class TestAssessmentRunAccess(ApiAccessSuite):
    basename = "assessmentrun"
    readers = ("park_admin",)
    writer = "committee"
    outsiders = NOT_COMMITTEE + STRANGERS
    page_list, page_detail = "assessmentrun_list", "assessmentrun_detail"

    def own(self, world):
        return _run(world)

    def create_payload(self, world):
        return {"version": _version(world).pk, "period_start": "2025-01-01", "period_end": "2025-06-30"}

    def foreign_payload(self, world):
        version = ProgrammeVersion.objects.get_or_create(
            programme=_other_programme(world), number=1, defaults={"effective_from": D(2025, 1, 1)}
        )[0]
        return dict(self.create_payload(world), version=version.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), period_end="2026-03-31"), "period_end"

    def deletable(self, world):
        return services.assessment_start(
            actor=_committee(world), version=_version(world), run_now=True, **period_2025()
        )

    def make_many(self, world, n, start):
        version = _version(world)
        AssessmentRun.objects.bulk_create(
            [
                AssessmentRun(park=world.park, version=version, period_start=D(2025, 1, 1), period_end=D(2025, 2, 1))
                for _ in range(n)
            ]
        )


def _lines(world, n, start):
    run = _run(world)
    line = run.lines.first()
    AssessmentLine.objects.bulk_create(
        [
            AssessmentLine(
                run=run,
                key=f"extra:{start + i}",
                rule=line.rule,
                student=line.student,
                payee_organisation=line.payee_organisation,
                qualifying_date=line.qualifying_date,
                base_amount=line.base_amount,
                amount=line.amount,
                evidence=line.evidence,
            )
            for i in range(n)
        ]
    )
    return list(run.lines.filter(key__startswith="extra:").order_by("-pk")[:n])


class TestAssessmentLineAccess(ApiAccessSuite):
    basename = "assessmentline"
    readers = ("committee", "park_admin")
    readonly = ("college_a_admin",)
    outsiders = ("college_b_admin", "hr_e1", "hr_e2", "student_a", "teacher_a", "manager_a", "coordinator") + STRANGERS
    page_list, page_detail = "assessmentline_list", "assessmentline_detail"

    def own(self, world):
        return _run(world).lines.filter(payee_organisation=world.college_a).first()

    def make_many(self, world, n, start):
        _lines(world, n, start)


class TestObjectionAccess(ApiAccessSuite):
    basename = "objection"
    readers = ("committee", "park_admin")
    writer = "college_a_admin"
    outsiders = ("college_b_admin", "hr_e1", "student_a", "coordinator") + STRANGERS
    page_list, page_detail = "objection_list", "objection_detail"

    def own(self, world):
        line = _run(world).lines.filter(payee_organisation=world.college_a).order_by("pk").first()
        return line.objections.first() or services.objection_raise(
            actor=world.college_a_admin, line=line, reason="金额有误"
        )

    def create_payload(self, world):
        line = _run(world).lines.filter(payee_organisation=world.college_a).order_by("pk").last()
        return {"line": line.pk, "reason": "该生为订单班学生", "proposed_amount": "5000.00"}

    def foreign_payload(self, world):
        college_b = Organisation.objects.get(pk=world.college_b.pk)
        run = _run(world)
        line = run.lines.first()
        other = AssessmentLine.objects.create(
            run=run,
            key="b:1",
            rule=line.rule,
            student=world.b_student,
            payee_organisation=college_b,
            qualifying_date=line.qualifying_date,
            base_amount=line.base_amount,
            amount=line.amount,
        )
        return {"line": other.pk, "reason": "不对"}

    def invalid_payload(self, world):
        return dict(self.create_payload(world), reason=""), "reason"

    def make_many(self, world, n, start):
        for line in _lines(world, n, start):
            Objection.objects.create(line=line, reason="x", organisation=world.college_a)
