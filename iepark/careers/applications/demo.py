"""
The students' side of the demo park: career profiles, applications in every pipeline
state, interview times, offers and the employment records of accepted offers.

Runs after the employers' part and reads the approved, open postings it made. All of
it is written through ``services`` as the demo's actor (a superuser, who may act for
either side), deterministically for ``rng``, with dates relative to
``timezone.localdate()``. About a third of the students apply (one to three postings
each, mostly in their major), capped at 40 applications per posting, so the part stays
linear in the park's size. The enterprise of the demo login ``hr1`` has applicants in
every column of its pipeline; the demo student ``student1`` has an interview time to
choose, two offers to answer and an application waiting.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from iepark.core.choices import Role, StudentStatus
from iepark.core.models import Membership, Park, Student

from ..choices import ApplicationStatus
from ..models import Application, Posting
from ..policy import visible_posting_q
from . import services

# Share of applications ending in each state (a season half-way through recruitment).
# "interview" is split between a time chosen and times still to choose.
STATUS_WEIGHTS = [
    (ApplicationStatus.APPLIED, 28),
    (ApplicationStatus.SCREENED, 14),
    (ApplicationStatus.INTERVIEW, 16),
    (ApplicationStatus.OFFER, 7),
    (ApplicationStatus.ACCEPTED, 12),
    (ApplicationStatus.DECLINED, 4),
    (ApplicationStatus.REJECTED, 14),
    (ApplicationStatus.WITHDRAWN, 5),
]
OFFER_STATES = {ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED}
PROFILE_SHARE = 0.45
APPLICANT_SHARE = 0.35
MAX_PER_POSTING = 40

COVER_LETTERS = [
    "我在校期间系统学习了本专业课程，参加过园区企业的跟岗实习，熟悉安全操作规程，希望能加入贵公司。",
    "我取得了相关的职业技能等级证书，动手能力强，能适应倒班工作，愿意长期在准东发展。",
    "通过订单班学习，我对贵公司的生产工艺有所了解，希望有机会从基层岗位做起。",
    "我家在昌吉，希望毕业后留在园区工作。我踏实肯干，服从安排，期待您的回复。",
    "",
]
REJECTION_REASONS = [
    "专业方向与岗位要求不符",
    "暂缺岗位要求的特种作业操作证",
    "本批次招聘名额已满",
    "面试表现未达到岗位要求",
    "无法适应四班三倒的工作安排",
]
WITHDRAWAL_REASONS = ["已接受其他企业的录用", "决定继续升学", "家庭原因，希望回老家工作", ""]
DECLINE_REASONS = ["已接受其他企业的录用", "薪酬与期望差距较大", "决定专升本"]
CERTIFICATES = [
    "化工总控工（四级/中级工）",
    "特种作业操作证（电工作业）",
    "煤矿安全作业证",
    "1+X 化工危险与可操作性（HAZOP）分析（初级）",
    "焊工（四级/中级工）",
    "叉车司机证",
    "全国计算机等级考试二级",
]
SKILLS = [
    "DCS 操作",
    "设备巡检",
    "PLC 编程基础",
    "仪表校验",
    "CAD 制图",
    "电气接线与排故",
    "焊接",
    "化验分析",
    "安全生产规程",
]
PLACES = ["五彩湾", "芨芨湖", "大井", "将军庙", "准东园区内均可"]
INTERVIEW_PLACES = ["企业行政楼一楼会议室", "园区人才服务中心 3 号面试间", "线上视频面试（链接另行通知）"]


def _slot(rng: random.Random, days_from: int, days_to: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=rng.randint(days_from, days_to))
    hour, minute = rng.choice([9, 10, 11, 14, 15, 16]), rng.choice([0, 30])
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Builder:
    def __init__(self, actor: Any, rng: random.Random) -> None:
        self.actor = actor
        self.rng = rng
        self.today = timezone.localdate()
        self.counts: dict[str, int] = defaultdict(int)

    # --- profiles ------------------------------------------------------------------------
    def profile(self, student: Student, posts: list[str]) -> None:
        rng = self.rng
        services.student_profile_create(
            actor=self.actor,
            student=student,
            certificates="\n".join(rng.sample(CERTIFICATES, rng.randint(1, 3))),
            skills="、".join(rng.sample(SKILLS, rng.randint(2, 4))),
            cv=f"{student.college.name}{student.major.name}专业{student.cohort_year}级学生。"
            + rng.choice(["曾在园区企业跟岗实习三个月。", "担任班级安全委员。", "参加过省级职业技能大赛。", ""]),
            preferred_posts="，".join(rng.sample(posts, min(2, len(posts)))) if posts else "",
            preferred_places="，".join(rng.sample(PLACES, rng.randint(1, 2))),
            earliest_start=datetime.date(self.today.year + 1, 7, 1),
            open_to_offers=rng.random() < 0.9,
        )
        self.counts["profiles"] += 1

    # --- applications --------------------------------------------------------------------
    def apply(self, student: Student, posting: Posting, target: str, *, interview_chosen: bool | None = None) -> None:
        rng, actor = self.rng, self.actor
        application = services.application_create(
            actor=actor, posting=posting, student=student, cover_letter=rng.choice(COVER_LETTERS)
        )
        self.counts["applications"] += 1
        if target == ApplicationStatus.APPLIED:
            return
        if target in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
            stop = rng.choice([ApplicationStatus.APPLIED, ApplicationStatus.SCREENED, ApplicationStatus.INTERVIEW])
            self._advance(application, stop, interview_chosen=rng.random() < 0.5)
            if target == ApplicationStatus.REJECTED:
                services.application_reject(actor=actor, application=application, reason=rng.choice(REJECTION_REASONS))
            else:
                services.application_withdraw(
                    actor=actor, application=application, reason=rng.choice(WITHDRAWAL_REASONS)
                )
            return
        if target in OFFER_STATES:
            if rng.random() < 0.6:
                self._advance(application, ApplicationStatus.INTERVIEW, interview_chosen=True)
            else:
                self._advance(application, ApplicationStatus.SCREENED)
            offer = self._offer(application)
            if target == ApplicationStatus.ACCEPTED:
                services.offer_accept(actor=actor, offer=offer)
                self.counts["employment records"] += 1
            elif target == ApplicationStatus.DECLINED:
                services.offer_decline(actor=actor, offer=offer, reason=rng.choice(DECLINE_REASONS))
            return
        chosen = rng.random() < 0.5 if interview_chosen is None else interview_chosen
        self._advance(application, target, interview_chosen=chosen)

    def _advance(self, application: Application, stop: str, *, interview_chosen: bool = False) -> None:
        if stop == ApplicationStatus.APPLIED:
            return
        services.application_move(actor=self.actor, application=application, status=ApplicationStatus.SCREENED)
        if stop == ApplicationStatus.SCREENED:
            return
        rng = self.rng
        first_day = rng.randint(2, 10)
        slots = [
            {
                "starts_at": _slot(rng, first_day + i, first_day + i),
                "duration_minutes": rng.choice([20, 30, 45]),
                "location": rng.choice(INTERVIEW_PLACES),
            }
            for i in range(rng.randint(2, 3))
        ]
        interviews = services.interview_propose(actor=self.actor, application=application, slots=slots)
        self.counts["interview times"] += len(interviews)
        if interview_chosen:
            services.interview_choose(actor=self.actor, interview=rng.choice(interviews))

    def _offer(self, application: Application, deadline_days: int | None = None) -> Any:
        rng, posting = self.rng, application.posting
        deadline = self.today + datetime.timedelta(days=deadline_days or rng.randint(4, 14))
        start = posting.start_date if posting.start_date and posting.start_date > deadline else None
        low, high = posting.pay_min or 4500, posting.pay_max or (posting.pay_min or 4500) + 2000
        offer = services.offer_make(
            actor=self.actor,
            application=application,
            post=posting.title,
            monthly_pay=round(rng.randint(low, max(low, high)) / 100) * 100,
            contract_type=services.CONTRACT_OF_KIND.get(posting.kind),
            start_date=start or deadline + datetime.timedelta(days=30),
            deadline=deadline,
            terms=rng.choice(["签订三年劳动合同，试用期三个月。", "提供职工宿舍和工作餐，五险一金。", ""]),
        )
        self.counts["offers"] += 1
        return offer


def _login_student(students: list[Student], name: str) -> Student | None:
    return next((s for s in students if s.person.user_id and s.person.user.username.endswith(name)), None)


def _hr1_enterprise_id(park: Park) -> int | None:
    membership = (
        Membership.objects.filter(
            organisation__park=park, role=Role.ENTERPRISE_HR, person__user__username__endswith="hr1"
        )
        .order_by("pk")
        .first()
    )
    return membership.organisation_id if membership else None


def build(park: Park, *, actor: Any, rng: random.Random, say: Any = None) -> None:
    """Add profiles, applications, interview times, offers and accepted offers' employment to ``park``."""
    say = say or (lambda message: None)
    today = timezone.localdate()
    postings = [
        p
        for p in Posting.objects.filter(visible_posting_q(), enterprise__park=park)
        .select_related("enterprise")
        .prefetch_related("majors")
        .order_by("pk")
        if p.is_open(today)
    ]
    if not postings:
        say("no open postings: no applications")
        return
    students = list(
        Student.objects.filter(college__park=park)
        .exclude(status=StudentStatus.WITHDRAWN)
        .select_related("person__user", "college", "major")
        .order_by("pk")
    )
    if not students:
        return
    connection = transaction.get_connection()
    mails_before = len(connection.run_on_commit)
    builder = _Builder(actor, rng)
    by_major: dict[int, list[Posting]] = defaultdict(list)
    for posting in postings:
        for major in posting.majors.all():
            by_major[major.pk].append(posting)
    titles = sorted({p.title for p in postings})

    student1 = _login_student(students, "student1")
    student2 = _login_student(students, "student2")
    logins = [s for s in (student1, student2) if s is not None]
    others = [s for s in students if s not in logins]
    rng.shuffle(others)

    for student in logins + [s for s in others if rng.random() < PROFILE_SHARE]:
        builder.profile(student, rng.sample(titles, min(3, len(titles))))

    per_posting: dict[int, int] = defaultdict(int)
    applied: set[tuple[int, int]] = set()
    offered: set[int] = set()  # students with an offer already: one each

    def apply(student: Student, posting: Posting, target: str, **kwargs: Any) -> bool:
        key = (student.pk, posting.pk)
        if key in applied or (target in OFFER_STATES and student.pk in offered):
            return False
        builder.apply(student, posting, target, **kwargs)
        applied.add(key)
        per_posting[posting.pk] += 1
        if target in OFFER_STATES:
            offered.add(student.pk)
        return True

    # hr1's enterprise: two applicants in every column of its pipeline.
    hr1_id = _hr1_enterprise_id(park)
    hr1_postings = [p for p in postings if p.enterprise_id == hr1_id]
    queue = iter(others)
    if hr1_postings:
        for status, _weight in STATUS_WEIGHTS * 2:
            student = next(queue, None)
            if student is not None:
                apply(student, rng.choice(hr1_postings), status)

    # student1: times to choose, two offers to answer, one application waiting; student2: a couple more.
    if student1 is not None:
        choices = sorted(postings, key=lambda p: (p.enterprise_id != hr1_id, rng.random()))
        first, second, third, fourth = (choices * 4)[:4]
        apply(student1, first, ApplicationStatus.INTERVIEW, interview_chosen=False)
        for posting, days in ((second, 10), (third, 6)):
            if (student1.pk, posting.pk) in applied:
                continue
            application = services.application_create(actor=actor, posting=posting, student=student1)
            builder._advance(application, ApplicationStatus.INTERVIEW, interview_chosen=True)
            builder._offer(application, deadline_days=days)
            applied.add((student1.pk, posting.pk))
            per_posting[posting.pk] += 1
            offered.add(student1.pk)
            builder.counts["applications"] += 1
        apply(student1, fourth, ApplicationStatus.APPLIED)
    if student2 is not None:
        for posting, status in zip(rng.sample(postings, min(2, len(postings))), ["screened", "applied"], strict=False):
            apply(student2, posting, status)

    # Everybody else: a third of the students apply to one to three postings, mostly in their major.
    target_total = min(round(APPLICANT_SHARE * len(students)), MAX_PER_POSTING * len(postings))
    statuses = [s for s, _w in STATUS_WEIGHTS]
    weights = [w for _s, w in STATUS_WEIGHTS]
    for student in queue:
        if builder.counts["applications"] >= target_total:
            break
        own_major = [p for p in by_major.get(student.major_id, []) if per_posting[p.pk] < MAX_PER_POSTING]
        anywhere = [p for p in postings if per_posting[p.pk] < MAX_PER_POSTING]
        if not anywhere:
            break
        for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
            pool = own_major if own_major and rng.random() < 0.8 else anywhere
            target = rng.choices(statuses, weights)[0]
            if target in OFFER_STATES and student.pk in offered:
                target = ApplicationStatus.APPLIED
            apply(student, rng.choice(pool), target)

    # The demo's notifications stay in the app: e-mailing them all when the park commits would only flood the
    # console of whoever builds it.
    del connection.run_on_commit[mails_before:]
    say(", ".join(f"{n} {what}" for what, n in builder.counts.items()))
