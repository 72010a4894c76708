"""
The outcomes part of the demo park: three graduating cohorts of employment history, monthly headcount
confirmations, the sources' claims (a few disagreements left for college1 to settle) and graduate destinations.

Runs after the applications and rounds demos (whose accepted offers already
opened some records: those graduates are left as they are). Everything is
relative to one reference date, ``today``; the history is drawn from ``rng``
in a fixed order, so a seed gives the same park.

The demo park has few graduated students (only its oldest cohort has
graduated), so the students of its three oldest cohorts stand in for three
graduating classes, hired in the July of each of the last three years. Each
spell runs month by month with a hazard of leaving: higher in the first
months, lower for order-class hires, higher in coal-chemical and lower in
coal-power enterprises, so that about a third of the hires leave their first
employer within a year; a leaver moves to another zone enterprise, or leaves
the zone (some then work outside it). The records are written in one bulk
service call; the last three months' headcount confirmations of most
enterprises end the spells of those who left in those months, as a real
confirmation would.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from iepark.core.choices import Industry, OrganisationKind, Role, StudentStatus
from iepark.core.demo import data as core_data
from iepark.core.models import Membership, Organisation, Park, Student

from ..choices import ContractType, DestinationCategory, LeaveReason, PayBand, RecordSource
from ..models import EmploymentClaim, EmploymentRecord, GraduateDestination
from . import selectors, services

# Monthly hazard of leaving (non-order-class hire, industry "other"), and its multipliers.
BASE_HAZARD = 0.03
ORDER_CLASS_HAZARD = 0.45
INDUSTRY_HAZARD = {
    Industry.COAL_CHEMICAL: 1.3,
    Industry.COAL_MINING: 1.1,
    Industry.COAL_POWER: 0.7,
    Industry.OTHER: 1.0,
}
# Share of hires that come through an order class, by industry (coal chemicals sponsor most order classes).
ORDER_CLASS_SHARE = {Industry.COAL_CHEMICAL: 0.4, Industry.COAL_POWER: 0.35, Industry.COAL_MINING: 0.25}
HIRED_IN_ZONE = 0.8
HIRED_OUTSIDE = 0.1
# Why a zone spell ends (a transfer needs another zone enterprise).
LEAVE_REASONS = [
    (LeaveReason.TRANSFERRED, 25),
    (LeaveReason.RESIGNED, 50),
    (LeaveReason.CONTRACT_ENDED, 15),
    (LeaveReason.DISMISSED, 10),
]
# After leaving the zone, the share who are later found working outside it.
OUTSIDE_AFTER_LEAVING = 0.45
CONFIRMED_MONTHS = 3
# Share of the other enterprises that confirm their headcount every month.
CONFIRMING_SHARE = 0.5
SURVEY_SHARE, SURVEY_MAX = 0.1, 100
STUDENT_REPORT_SHARE, STUDENT_REPORT_MAX = 0.04, 40

POSTS = {
    Industry.COAL_MINING: ["采煤机司机", "综采维修电工", "矿井通风工", "井下安全员", "露天矿卡车司机"],
    Industry.COAL_POWER: ["集控值班员", "锅炉运行值班员", "汽机巡检员", "电气检修工", "化学水处理值班员"],
    Industry.COAL_CHEMICAL: ["化工操作工", "DCS内操", "设备维护工", "化验分析员", "安全环保员"],
    Industry.OTHER: ["物流调度员", "设备维修工", "环保监测员", "仓储管理员", "机修钳工"],
}
PAY = {
    Industry.COAL_MINING: [(PayBand.FROM_6K, 40), (PayBand.FROM_8K, 50), (PayBand.ABOVE_12K, 10)],
    Industry.COAL_POWER: [(PayBand.FROM_6K, 55), (PayBand.FROM_8K, 40), (PayBand.FROM_4K, 5)],
    Industry.COAL_CHEMICAL: [(PayBand.FROM_6K, 60), (PayBand.FROM_4K, 20), (PayBand.FROM_8K, 20)],
    Industry.OTHER: [(PayBand.FROM_4K, 55), (PayBand.FROM_6K, 35), (PayBand.BELOW_4K, 10)],
}
CONTRACTS = [
    (ContractType.FIXED_TERM, 70),
    (ContractType.APPRENTICESHIP, 10),
    (ContractType.DISPATCH, 10),
    (ContractType.OPEN_ENDED, 5),
    (ContractType.FLEXIBLE, 5),
]
# Employers outside the zone (fictitious).
OUTSIDE_EMPLOYERS = [
    "乌鲁木齐北辰机电设备有限公司",
    "昌吉宏远物流有限公司",
    "阜康市鑫达建材有限公司",
    "奎屯天和化工技术服务有限公司",
    "克拉玛依恒信油田技术服务有限公司",
    "石河子绿洲热力有限公司",
    "吐鲁番晶源新能源有限公司",
    "乌鲁木齐天山汽车维修有限公司",
]


@dataclass
class Spell:
    student: Student
    start: datetime.date
    employer: Organisation | None = None
    employer_name: str = ""
    post: str = ""
    contract: str = ContractType.FIXED_TERM
    pay: str = ""
    insured_from: datetime.date | None = None
    order_class: bool = False
    end: datetime.date | None = None
    reason: str = ""
    record: EmploymentRecord | None = field(default=None, repr=False)


def _pick(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs], k=1)[0]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


def _login_org(park: Park, username: str, role: str) -> int | None:
    membership = (
        Membership.objects.filter(organisation__park=park, role=role, person__user__username__endswith=username)
        .order_by("pk")
        .first()
    )
    return membership.organisation_id if membership else None


class _History:
    """Draws the spells of a pool of graduates from one ``random.Random``, up to ``today``."""

    def __init__(self, rng: random.Random, today: datetime.date, enterprises: list[Organisation]) -> None:
        self.rng = rng
        self.today = today
        self.enterprises = enterprises
        self.by_major: dict[str, list[Organisation]] = defaultdict(list)
        for code_industry, codes in core_data.INDUSTRY_MAJORS.items():
            for org in enterprises:
                if org.industry == code_industry:
                    for code in codes:
                        self.by_major[code].append(org)
        self.spells: list[Spell] = []

    def employer_for(self, student: Student, exclude: Organisation | None = None) -> Organisation | None:
        matching = [e for e in self.by_major.get(student.major.code, []) if e != exclude]
        anywhere = [e for e in self.enterprises if e != exclude]
        pool = matching if matching and self.rng.random() < 0.75 else anywhere
        return self.rng.choice(pool) if pool else None

    def zone_spell(self, student: Student, start: datetime.date, employer: Organisation, *, first: bool) -> None:
        rng = self.rng
        industry = employer.industry or Industry.OTHER
        order_class = first and rng.random() < ORDER_CLASS_SHARE.get(industry, 0.1)
        contract = ContractType.FIXED_TERM if order_class else _pick(rng, CONTRACTS)
        insured = contract != ContractType.FLEXIBLE and rng.random() < 0.92
        spell = Spell(
            student=student,
            start=start,
            employer=employer,
            post=rng.choice(POSTS.get(industry, POSTS[Industry.OTHER])),
            contract=contract,
            pay=_pick(rng, PAY.get(industry, PAY[Industry.OTHER])),
            insured_from=start + datetime.timedelta(days=rng.choice([0, 0, 0, 14, 31])) if insured else None,
            order_class=order_class,
        )
        if spell.insured_from and spell.insured_from > self.today:
            spell.insured_from = None
        self.spells.append(spell)
        hazard = BASE_HAZARD * INDUSTRY_HAZARD.get(industry, 1.0) * (ORDER_CLASS_HAZARD if order_class else 1.0)
        month = 0
        while True:
            month_start = _add_months(start, month)
            if month_start > self.today:
                return  # still employed: censored at today
            phase = 1.4 if month < 6 else (1.0 if month < 12 else 0.55)
            if rng.random() < hazard * phase:
                end = month_start + datetime.timedelta(days=rng.randint(0, 27))
                if end > self.today:
                    return
                spell.end = max(end, start + datetime.timedelta(days=7))
                break
            month += 1
        spell.reason = _pick(rng, LEAVE_REASONS)
        if spell.reason == LeaveReason.TRANSFERRED:
            nxt = self.employer_for(student, exclude=employer)
            if nxt is None:
                spell.reason = LeaveReason.RESIGNED
            else:
                self.zone_spell(student, spell.end, nxt, first=False)
                return
        if rng.random() < OUTSIDE_AFTER_LEAVING:
            self.outside_spell(student, spell.end + datetime.timedelta(days=rng.randint(15, 90)))

    def outside_spell(self, student: Student, start: datetime.date) -> None:
        if start > self.today:
            return
        contract = _pick(rng=self.rng, pairs=[(ContractType.FIXED_TERM, 70), (ContractType.FLEXIBLE, 30)])
        self.spells.append(
            Spell(
                student=student,
                start=start,
                employer_name=self.rng.choice(OUTSIDE_EMPLOYERS),
                post=self.rng.choice(POSTS[Industry.OTHER]),
                contract=contract,
                pay=_pick(self.rng, PAY[Industry.OTHER]),
                insured_from=start if contract != ContractType.FLEXIBLE and self.rng.random() < 0.6 else None,
            )
        )


def _pool(park: Park) -> tuple[list[Student], dict[int, datetime.date]]:
    """Return the graduates to give a history and the July their class was hired (see the module's docstring)."""
    students = list(
        Student.objects.filter(college__park=park)
        .exclude(status=StudentStatus.WITHDRAWN)
        .exclude(person__user__isnull=False)  # the demo logins keep their own story
        .exclude(pk__in=EmploymentRecord.objects.values("student_id"))  # accepted offers already made a record
        .select_related("person", "college", "major")
        .order_by("pk")
    )
    graduated = [s for s in students if s.status == StudentStatus.GRADUATED]
    cohorts = sorted({s.cohort_year for s in graduated})
    if len(cohorts) < 3 or len(graduated) < 150:
        cohorts = sorted({s.cohort_year for s in students})[:3]
        pool = [s for s in students if s.cohort_year in cohorts]
    else:
        cohorts = cohorts[-3:]
        pool = [s for s in graduated if s.cohort_year in cohorts]
    return pool, {cohort: i for i, cohort in enumerate(cohorts)}


def build(park: Park, *, actor: Any, rng: random.Random, say: Any = None) -> None:
    """Add three cohorts of employment history, headcount confirmations, claims and destinations to ``park``."""
    say = say or (lambda message: None)
    today = timezone.localdate()
    enterprises = list(
        Organisation.objects.filter(park=park, kind=OrganisationKind.ENTERPRISE, is_active=True).order_by("pk")
    )
    pool, rank = _pool(park)
    if not enterprises or not pool:
        say("no enterprises or graduates: no employment history")
        return
    connection = transaction.get_connection()
    mails_before = len(connection.run_on_commit)

    # 1. The spells, cohort by cohort: the oldest class hired two Julys ago, the youngest last July.
    last_july = datetime.date(today.year if today >= datetime.date(today.year, 7, 1) else today.year - 1, 7, 1)
    waves = {cohort: last_july.replace(year=last_july.year - (len(rank) - 1 - i)) for cohort, i in rank.items()}
    history = _History(rng, today, enterprises)
    for student in pool:
        start = waves[student.cohort_year] + datetime.timedelta(days=rng.randint(0, 75))
        if start > today:
            continue
        draw = rng.random()
        if draw < HIRED_IN_ZONE:
            employer = history.employer_for(student)
            if employer is not None:
                history.zone_spell(student, start, employer, first=True)
        elif draw < HIRED_IN_ZONE + HIRED_OUTSIDE:
            history.outside_spell(student, start)

    # 2. Who confirms: hr1's and hr2's enterprises and most others, for the last three whole months.
    months = [_add_months(today.replace(day=1), -n) for n in range(CONFIRMED_MONTHS, 0, -1)]
    confirming = {_login_org(park, "hr1", Role.ENTERPRISE_HR), _login_org(park, "hr2", Role.ENTERPRISE_HR)}
    confirming |= {e.pk for e in enterprises if rng.random() < CONFIRMING_SHARE}
    first_month, last_month_end = months[0], selectors.month_end(months[-1])

    def left_by_confirmation(spell: Spell) -> bool:
        return bool(
            spell.employer is not None
            and spell.employer.pk in confirming
            and spell.end is not None
            and first_month <= spell.end <= last_month_end
        )

    # A spell is left open for a confirmation to end only when it is the student's last one: a later spell
    # (a move within the zone, a job outside) would otherwise overlap the still-open record.
    last_spell = {spell.student.pk: spell for spell in history.spells}
    records = []
    for spell in history.spells:
        ended_later = left_by_confirmation(spell) and last_spell[spell.student.pk] is spell
        spell.record = EmploymentRecord(
            student=spell.student,
            employer=spell.employer,
            employer_name=spell.employer_name,
            post=spell.post,
            start_date=spell.start,
            contract_type=spell.contract,
            pay_band=spell.pay,
            social_insurance_start=spell.insured_from,
            end_date=None if ended_later else spell.end,
            leave_reason="" if ended_later else spell.reason,
            via_order_class=spell.order_class,
            source=RecordSource.MANUAL,
        )
        records.append(spell.record)
    services.employment_record_bulk_create(actor=actor, records=records)

    # 3. The monthly confirmations end the spells of those who left in those months.
    leaving = {s.record.pk: s for s in history.spells if s.record.end_date is None and left_by_confirmation(s)}
    confirmations = 0
    for month in months:
        for enterprise in enterprises:
            if enterprise.pk not in confirming:
                continue
            day = selectors.month_end(month)
            lines = []
            for pk in selectors.headcount_roster(enterprise=enterprise, month=month).values_list("pk", flat=True):
                spell = leaving.get(pk)
                if spell is not None and spell.end <= day:
                    lines.append({"record": pk, "employed": False, "end_date": spell.end, "leave_reason": spell.reason})
                else:
                    lines.append({"record": pk, "employed": True})
            services.headcount_confirm(actor=actor, enterprise=enterprise, month=month, lines=lines)
            confirmations += 1

    # 4. What the colleges' surveys and the students say: mostly agreeing, a few disagreements.
    claims = _claims(park, pool, history, actor=actor, rng=rng, today=today)

    # 5. Destinations of the graduated.
    destinations = _destinations(pool, actor=actor, rng=rng, today=today)

    # The demo's notifications stay in the app (as the other demos do): no e-mail flood when the park commits.
    del connection.run_on_commit[mails_before:]
    zone = [s for s in history.spells if s.employer is not None]
    say(
        f"{len(records)} employment records ({len(zone)} in the zone, "
        f"{sum(1 for s in zone if s.reason == LeaveReason.TRANSFERRED)} transfers), "
        f"{confirmations} headcount confirmations, {claims} claims, {destinations} destinations"
    )


def _claims(
    park: Park, pool: list[Student], history: _History, *, actor: Any, rng: random.Random, today: datetime.date
) -> int:
    """Survey answers and students' reports: most agree; college1 gets a few disagreements to settle."""
    current: dict[int, EmploymentRecord] = {}
    for record in EmploymentRecord.objects.filter(student__in=pool).filter(selectors.current_on_q(today)):
        current.setdefault(record.student_id, record)
    count = 0
    as_of = today - datetime.timedelta(days=rng.randint(3, 20))

    def agreeing(student: Student, report: bool) -> None:
        record = current.get(student.pk)
        kwargs: dict[str, Any] = {"employed": record is not None}
        if record is not None:
            kwargs.update(
                {"employer": record.employer, "employer_name": "" if record.employer_id else record.employer_name}
            )
        if report:
            services.student_report(actor=actor, student=student, as_of=as_of, **kwargs)
        else:
            services.survey_report(actor=actor, student=student, as_of=as_of, **kwargs)

    order = list(pool)
    rng.shuffle(order)
    surveyed = order[: min(round(SURVEY_SHARE * len(pool)), SURVEY_MAX)]
    reporting = order[len(surveyed) : len(surveyed) + min(round(STUDENT_REPORT_SHARE * len(pool)), STUDENT_REPORT_MAX)]
    for student in surveyed:
        agreeing(student, report=False)
    for student in reporting:
        agreeing(student, report=True)
    count += len(surveyed) + len(reporting)

    # Disagreements: college1's graduates get one of each kind; two more elsewhere are settled, one each way.
    college1 = _login_org(park, "college1", Role.COLLEGE_ADMIN)
    rest = order[len(surveyed) + len(reporting) :]
    mine = [s for s in rest if s.college_id == college1]
    others = [s for s in rest if s.college_id != college1]
    employed = [s for s in mine if s.pk in current and current[s.pk].employer_id]
    idle = [s for s in mine if s.pk not in current]
    conflicts = 0
    if employed:  # the survey names another zone employer
        student = employed.pop(0)
        other = history.employer_for(student, exclude=current[student.pk].employer)
        if other is not None:
            services.survey_report(actor=actor, student=student, as_of=as_of, employed=True, employer=other)
            conflicts += 1
    if employed:  # the student says they no longer work, the record is open
        services.student_report(actor=actor, student=employed.pop(0), as_of=as_of, employed=False)
        conflicts += 1
    left = (
        EmploymentClaim.objects.filter(
            source=RecordSource.ENTERPRISE, employed=False, student__in=mine, end_date__lt=as_of
        )
        .exclude(student__in=list(current))
        .select_related("student", "employer")
        .order_by("pk")
        .first()
    )
    if left is not None:  # the enterprise said they left, the college says they are still there
        services.survey_report(actor=actor, student=left.student, as_of=as_of, employed=True, employer=left.employer)
        conflicts += 1
    if idle:  # the survey finds work outside the zone that no record shows
        services.survey_report(
            actor=actor, student=idle.pop(0), as_of=as_of, employed=True, employer_name=rng.choice(OUTSIDE_EMPLOYERS)
        )
        conflicts += 1
    working = [s for s in others if s.pk in current]
    not_working = [s for s in others if s.pk not in current]
    if working:
        claim = services.survey_report(actor=actor, student=working[0], as_of=as_of, employed=False)
        services.claim_dismiss(actor=actor, claim=claim, note="电话回访：学生仍在职，以企业记录为准。")
        conflicts += 1
    if not_working:
        claim = services.survey_report(
            actor=actor,
            student=not_working[0],
            as_of=as_of,
            employed=True,
            employer_name=rng.choice(OUTSIDE_EMPLOYERS),
        )
        services.claim_apply(actor=actor, claim=claim, note="学生提供了劳动合同。", post="设备维修工")
        conflicts += 1
    return count + conflicts


def _destinations(pool: list[Student], *, actor: Any, rng: random.Random, today: datetime.date) -> int:
    """The graduated students' destinations at graduation (June 30), on August 31 and on December 31, if past."""
    graduated = [s for s in pool if s.status == StudentStatus.GRADUATED]
    if not graduated:
        return 0
    records: dict[int, list[EmploymentRecord]] = defaultdict(list)
    for record in (
        EmploymentRecord.objects.filter(student__in=graduated).select_related("employer").order_by("start_date")
    ):
        records[record.student_id].append(record)
    rows = []
    for student in graduated:
        year = student.cohort_year + settings.IEPARK_PROGRAMME_YEARS
        other = _pick(
            rng,
            [
                (DestinationCategory.FURTHER_STUDY, 10),
                (DestinationCategory.SELF_EMPLOYMENT, 3),
                (DestinationCategory.NOT_PLACED, 20),
            ],
        )
        for day in (datetime.date(year, 6, 30), datetime.date(year, 8, 31), datetime.date(year, 12, 31)):
            if day > today:
                break
            spell = next(
                (
                    r
                    for r in reversed(records[student.pk])
                    if r.start_date <= day and (r.end_date is None or r.end_date > day)
                ),
                None,
            )
            if spell is not None and spell.contract_type in selectors.CONTRACT_DESTINATION:
                category = selectors.CONTRACT_DESTINATION[spell.contract_type]
                employer, detail = spell.employer, spell.employer_name or spell.post
            else:
                category, employer, detail = (
                    other,
                    None,
                    "新疆某职业技术大学（专升本）" if other == DestinationCategory.FURTHER_STUDY else "",
                )
            rows.append(
                GraduateDestination(
                    student=student,
                    category=category,
                    as_of=day,
                    employer=employer,
                    detail=detail,
                    source=RecordSource.COLLEGE_SURVEY,
                )
            )
    services.destination_bulk_create(actor=actor, destinations=rows)
    return len(rows)
