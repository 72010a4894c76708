"""Test data of governance: graduates with employment records, a programme with one rule of each kind."""

from __future__ import annotations

import datetime
from decimal import Decimal

from iepark.careers.models import EmploymentRecord
from iepark.core.models import Person, Student
from iepark.governance import services
from iepark.governance.models import ProgrammeVersion, SubsidyProgramme, SubsidyRule
from iepark.testing import make_national_id

D = datetime.date


def make_graduate(world, n: int, *, college=None, cohort: int = 2021) -> Student:
    college = college or world.college_a
    person = Person.objects.create(
        park=world.park, name=f"毕业生{n}", name_en=f"Graduate {n}", national_id=make_national_id(800 + n)
    )
    return Student.objects.create(
        person=person,
        college=college,
        major=world.major,
        student_number=f"G{n:04d}",
        cohort_year=cohort,
        status="graduated",
    )


def hire(student, employer, start, *, insured=None, end=None, order=False, contract="fixed_term") -> EmploymentRecord:
    record = EmploymentRecord(
        student=student,
        employer=employer,
        post="操作工",
        start_date=start,
        social_insurance_start=insured,
        end_date=end,
        leave_reason="resigned" if end else "",
        via_order_class=order,
        contract_type=contract,
    )
    record.full_clean()
    record.save()
    return record


RETENTION = {"months": 12, "amount": "3000", "order_class_amount": "5000", "min_insured_months": 11}
HIRE = {"amount": "1500", "min_insured_months": 3}
CERTIFICATE = {"amount_junior": "1000", "amount_intermediate": "1500", "amount_senior": "2000"}
APPRENTICE = {"amount_per_year": "5000"}


def make_programme(world, *, with_all_kinds: bool = True, cap=None, params=None) -> ProgrammeVersion:
    actor = world.users["committee"]
    programme = SubsidyProgramme.objects.filter(park=world.park, name="示例补贴").first() or services.programme_create(
        actor=actor, park=world.park, name="示例补贴", name_en="Example subsidies", amounts_are_examples=True
    )
    version = services.version_create(
        actor=actor, programme=programme, effective_from=D(2020, 1, 1), cap_per_payee_per_year=cap
    )
    services.rule_create(
        actor=actor,
        version=version,
        kind="retention",
        name="留用",
        payee="college",
        params=params or RETENTION,
        position=1,
    )
    if with_all_kinds:
        services.rule_create(
            actor=actor, version=version, kind="graduate_hire", name="扩岗", payee="employer", params=HIRE, position=2
        )
        services.rule_create(
            actor=actor,
            version=version,
            kind="certificate",
            name="技能证书",
            payee="college",
            params=CERTIFICATE,
            position=3,
        )
        services.rule_create(
            actor=actor,
            version=version,
            kind="apprentice",
            name="学徒",
            payee="employer",
            params=APPRENTICE,
            position=4,
        )
    return version


def retention_rule(version) -> SubsidyRule:
    return version.rules.get(kind="retention")


def standard_data(world):
    """Three graduates of college A and one of college B hired in 2024; assess 2025."""
    g1, g2, g3 = (make_graduate(world, i) for i in (1, 2, 3))
    g4 = make_graduate(world, 4, college=world.college_b)
    e1, e2 = world.enterprise_1, world.enterprise_2
    records = {
        "g1": hire(g1, e1, D(2024, 7, 1), insured=D(2024, 7, 1)),  # retained 12 months on 2025-07-01
        "g2": hire(g2, e1, D(2024, 7, 15), insured=D(2024, 8, 1), order=True),  # order class: 5000
        "g3": hire(g3, e2, D(2024, 7, 1), insured=D(2024, 7, 1), end=D(2025, 3, 1)),  # left before 12 months
        "g4": hire(g4, e2, D(2024, 9, 1), insured=None),  # no insurance: warned
    }
    return {"students": (g1, g2, g3, g4), "records": records}


def period_2025():
    return {"period_start": D(2025, 1, 1), "period_end": D(2025, 12, 31)}


ZERO = Decimal("0")
