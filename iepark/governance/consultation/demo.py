"""
The contact meetings and major issues of the demo park, written through this app's services.

Four past meetings of the three parties (three regular, one extraordinary) with agendas, minutes,
decisions and action items (some done, some overdue), one upcoming meeting, and a dozen major
issues in every state and severity; one critical issue is overdue and escalated onto the upcoming
meeting's agenda by the daily run. The history is back-dated after the services wrote it, so that
ages and deadlines look like months of work. Deterministic for a seed (relative to today).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db.models import Q
from django.utils import timezone

from iepark.core.choices import OrganisationKind
from iepark.core.models import Membership, Organisation, Person

from . import services
from .choices import IssueStatus, MeetingKind
from .models import Issue, IssueEntry, Meeting
from .policy import PARTY_ROLES

# (days from now, kind, title, place)
MEETINGS = [
    (-92, MeetingKind.REGULAR, "第一季度三方联席会议", "管委会大楼 301 会议室"),
    (-61, MeetingKind.REGULAR, "二月三方联席会议", "现代产业学院 报告厅"),
    (-45, MeetingKind.EXTRAORDINARY, "实训安全专题临时会议", "实训中心 C 区 会议室"),
    (-30, MeetingKind.REGULAR, "三月三方联席会议", "管委会大楼 301 会议室"),
]
UPCOMING = (10, MeetingKind.REGULAR, "四月三方联席会议", "管委会大楼 301 会议室")

AGENDA = [
    "订单班招生计划与企业用人需求对接",
    "学生宿舍与食堂服务质量",
    "岗位实习安全责任与保险落实",
    "就业补贴申报进度",
]
DECISIONS = [
    "各合作学院于两周内报送下学期订单班名单，企业同步确认岗位。",
    "运营公司负责宿舍热水改造，管委会督办。",
    "所有岗位实习须在开始前上传三方协议与保险凭证。",
]
ACTIONS = [
    ("报送订单班名单", OrganisationKind.COOPERATIVE_COLLEGE, 14),
    ("确认订单班岗位与人数", OrganisationKind.ENTERPRISE, 14),
    ("完成宿舍热水系统改造", OrganisationKind.OPERATOR, 30),
    ("整理实习保险凭证清单", OrganisationKind.INDUSTRIAL_COLLEGE, 21),
]

# (raising kind, category, severity, title, description, days ago, final status)
ISSUES = [
    (
        OrganisationKind.OPERATOR,
        "safety",
        "critical",
        "实训楼 C 区燃气管道异味",
        "巡检发现实训楼 C 区燃气管道附近有异味，已临时关闭阀门，需三方确认整改方案与停训安排。",
        2,
        IssueStatus.RAISED,
    ),
    (
        OrganisationKind.COOPERATIVE_COLLEGE,
        "teaching",
        "high",
        "企业导师到岗率偏低",
        "本学期企业导师到岗指导次数不足计划的一半，影响岗位实习教学质量。",
        6,
        IssueStatus.UNDER_CONSULTATION,
    ),
    (
        OrganisationKind.ENTERPRISE,
        "services",
        "medium",
        "园区通勤班车班次不足",
        "早班通勤车满员，部分实习生迟到。",
        0,
        IssueStatus.RAISED,
    ),
    (
        OrganisationKind.COOPERATIVE_COLLEGE,
        "student_life",
        "low",
        "食堂晚餐供应时间过早",
        "夜班实习生下班后无法就餐。",
        70,
        IssueStatus.CLOSED,
    ),
    (
        OrganisationKind.ENTERPRISE,
        "employment",
        "high",
        "订单班学生毕业后留任率下降",
        "去年订单班学生留任率由 80% 降至 55%，需共同分析原因。",
        40,
        IssueStatus.DECIDED,
    ),
    (
        OrganisationKind.INDUSTRIAL_COLLEGE,
        "policy",
        "medium",
        "扩岗补助申报材料要求不一致",
        "各学院对社保缴费证明的要求理解不同，申报被退回。",
        50,
        IssueStatus.REOPENED,
    ),
    (
        OrganisationKind.COOPERATIVE_COLLEGE,
        "other",
        "medium",
        "校企合作协议续签时间冲突",
        "多份协议同月到期，需统一续签窗口。",
        3,
        IssueStatus.ACKNOWLEDGED,
    ),
    (OrganisationKind.OPERATOR, "services", "low", "宿舍区快递柜容量不足", "开学季快递积压。", 85, IssueStatus.CLOSED),
    (
        OrganisationKind.ENTERPRISE,
        "safety",
        "high",
        "实习生劳保用品发放不到位",
        "部分实习生未领到防护手套与护目镜。",
        5,
        IssueStatus.UNDER_CONSULTATION,
    ),
    (
        OrganisationKind.COOPERATIVE_COLLEGE,
        "employment",
        "medium",
        "招聘会企业参会不足",
        "春季双选会报名企业少于预期。",
        1,
        IssueStatus.RAISED,
    ),
    (
        OrganisationKind.ENTERPRISE,
        "teaching",
        "low",
        "实训设备型号与企业现场不一致",
        "实训中心数控系统版本落后于企业产线。",
        25,
        IssueStatus.DECIDED,
    ),
    (
        OrganisationKind.INDUSTRIAL_COLLEGE,
        "student_life",
        "medium",
        "学生心理咨询预约排队过长",
        "预约等待超过两周。",
        8,
        IssueStatus.ACKNOWLEDGED,
    ),
]
COMMENTS = [
    ("proposal", "建议企业按月公示导师到岗记录，学院同步反馈。"),
    ("comment", "我方将于下周核实各车间导师排班。"),
    ("proposal", "由运营公司统一采购劳保用品，费用按实习人数分摊。"),
]


def _speakers(park: Any) -> dict[str, list[tuple[Organisation, Person]]]:
    """Return, per organisation kind, each active organisation with the first person who speaks for it."""
    today = timezone.localdate()
    rows = (
        Membership.objects.filter(organisation__park=park, role__in=PARTY_ROLES, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("organisation", "person")
        .order_by("organisation__kind", "organisation_id", "person_id")
    )
    chosen: dict[int, Membership] = {}
    for m in rows:
        best = chosen.get(m.organisation_id)
        # Prefer someone with a login (the demo's personas), so the walk-through shows their meetings.
        if best is None or (best.person.user_id is None and m.person.user_id is not None):
            chosen[m.organisation_id] = m
    result: dict[str, list[tuple[Organisation, Person]]] = {}
    for m in chosen.values():
        result.setdefault(m.organisation.kind, []).append((m.organisation, m.person))
    return result


def _at(days: float, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def build(park: Any, *, actor: Any, seed: int, say: Any) -> None:
    """Add the demo park's contact meetings and major issues (once per park)."""
    if Meeting.objects.filter(park=park).exists():
        return
    rng = random.Random(f"consultation-{seed}")
    speakers = _speakers(park)
    if OrganisationKind.COMMITTEE not in speakers:
        return
    services.severity_deadline_set(actor=actor, park=park, severity="high", acknowledge_hours=24, resolve_hours=240)
    # Two speakers of each kind of party at most: the committee, the colleges, the enterprises, the operator.
    people = [p for kind in sorted(speakers) for _o, p in speakers[kind][:2]]

    def org_of(kind: str) -> tuple[Organisation, Person] | None:
        rows = speakers.get(kind) or speakers.get(OrganisationKind.COMMITTEE)
        return rng.choice(rows) if rows else None

    past = []
    for days, kind, title, place in MEETINGS:
        starts = _at(days, 14)
        mtg = services.meeting_create(
            actor=actor,
            park=park,
            title=title,
            kind=kind,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            place=place,
            participants=people,
        )
        items = [services.agenda_item_add(actor=actor, meeting=mtg, title=text) for text in rng.sample(AGENDA, k=3)]
        decisions = [
            services.decision_add(actor=actor, meeting=mtg, text=text, agenda_item=items[i])
            for i, text in enumerate(rng.sample(DECISIONS, k=2))
        ]
        for i, (what, owner_kind, due_in) in enumerate(ACTIONS[: 2 + (days > -50)]):
            owner = org_of(owner_kind)
            if owner is None:
                continue
            item = services.action_item_add(
                actor=actor,
                meeting=mtg,
                title=what,
                owner_organisation=owner[0],
                owner_person=owner[1],
                due_date=timezone.localdate(starts) + datetime.timedelta(days=due_in),
                decision=decisions[i % len(decisions)],
            )
            # Older meetings' items are mostly done; the last meeting's stay open (some overdue).
            if days < -50 or (days < -40 and i % 2 == 0):
                services.action_item_set_status(actor=actor, item=item, status="done", note="已完成")
            elif i == 0:
                services.action_item_set_status(actor=actor, item=item, status="in_progress", note="推进中")
        attended = [p.pk for p in people if rng.random() < 0.85]
        services.meeting_record_minutes(
            actor=actor,
            meeting=mtg,
            minutes="会议由管委会主持，三方通报了近期工作。\n" + "\n".join(f"议题：{i.title}" for i in items),
            attended=attended,
        )
        past.append(mtg)
    days, kind, title, place = UPCOMING
    starts = _at(days, 14)
    upcoming = services.meeting_create(
        actor=actor,
        park=park,
        title=title,
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place=place,
        participants=people,
    )
    services.agenda_item_add(actor=actor, meeting=upcoming, title=AGENDA[0])
    say("contact meetings: 4 held, 1 upcoming")

    all_orgs = [o for rows in speakers.values() for o, _p in rows]
    comment_no = 0
    for kind, category, severity, title, text, days_ago, final in ISSUES:
        raiser = org_of(kind)
        if raiser is None:
            continue
        org, person = raiser
        others = [o for o in all_orgs if o.pk != org.pk and o.kind != OrganisationKind.COMMITTEE]
        # The first college and the first enterprise (the demo logins' own) take part in most issues.
        main = [
            rows[0][0]
            for k in (OrganisationKind.COOPERATIVE_COLLEGE, OrganisationKind.ENTERPRISE)
            if (rows := speakers.get(k)) and rows[0][0].pk != org.pk
        ]
        extra = [o for o in others if o not in main]
        affected = main + rng.sample(extra, k=min(1, len(extra)))
        issue = services.issue_raise(
            actor=actor,
            park=park,
            category=category,
            severity=severity,
            title=title,
            description=text,
            affected_organisations=affected,
            raising_organisation=org,
        )
        if final != IssueStatus.RAISED:
            services.issue_acknowledge(actor=actor, issue=issue, note="已收悉，管委会牵头协调。")
        if final in (IssueStatus.UNDER_CONSULTATION, IssueStatus.DECIDED, IssueStatus.CLOSED, IssueStatus.REOPENED):
            for kind_, body in (COMMENTS[comment_no % len(COMMENTS)], COMMENTS[(comment_no + 1) % len(COMMENTS)]):
                entry = services.issue_comment(actor=actor, issue=issue, text=body, kind=kind_)
                speaker = rng.choice(affected) if affected else org
                IssueEntry.objects.filter(pk=entry.pk).update(organisation=speaker)
            comment_no += 1
        if final in (IssueStatus.DECIDED, IssueStatus.CLOSED, IssueStatus.REOPENED):
            meeting = rng.choice(past)
            services.agenda_item_add(actor=actor, meeting=meeting, issue=issue)
            services.issue_decide(
                actor=actor, issue=issue, decision="经联席会议研究，由相关方在一个月内落实整改。", meeting=meeting
            )
        if final in (IssueStatus.CLOSED, IssueStatus.REOPENED):
            services.issue_confirm_closure(actor=actor, issue=issue, note="同意关闭。")
        if final == IssueStatus.REOPENED:
            services.issue_reopen(actor=actor, issue=issue, reason="整改后问题再次出现。")
        _backdate(issue, days_ago, person)
    escalated = services.escalate_overdue(actor=actor, park=park)
    say(f"major issues: {len(ISSUES)}, {escalated} escalated onto the next meeting")


def _backdate(issue: Issue, days_ago: int, person: Person) -> None:
    """Move the issue's history back by ``days_ago`` days (deadlines move with it; decided steps stay in order)."""
    issue.refresh_from_db()
    shift = datetime.timedelta(days=days_ago, hours=3 if days_ago else 0)
    updates: dict[str, Any] = {"raised_by": person}
    for name in ("raised_at", "acknowledge_due", "acknowledged_at", "decided_at", "closed_at"):
        value = getattr(issue, name)
        if value is not None:
            updates[name] = value - shift
    if issue.status != IssueStatus.REOPENED:
        updates["resolve_due"] = issue.resolve_due - shift
    Issue.objects.filter(pk=issue.pk).update(**updates)
    entries = list(IssueEntry.objects.filter(issue=issue).order_by("at", "pk"))
    step = shift / max(1, len(entries)) if days_ago else datetime.timedelta(0)
    for i, entry in enumerate(entries):
        IssueEntry.objects.filter(pk=entry.pk).update(at=entry.at - shift + step * i)
