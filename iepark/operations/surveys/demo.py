"""
The surveys part of the demo park, written through this app's services (deterministic for the seed).

- A closed anonymous accommodation survey of the residents of the first dormitory
  building, answered by about two thirds of them six to ten weeks ago.
- The operating company's canteen survey of the newest enrolment year, open for six
  months, whose ratings improve month by month (the satisfaction chart's trend).
- An open, named survey of the teaching facilities by the college of the demo student
  login, for its students, with some answers already in.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from iepark.core.audit import audited_update
from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import Membership, Organisation, Student
from iepark.operations.models import DormBuilding, ServicePoint

from . import services
from .choices import Audience, QuestionKind, ServiceArea
from .models import Invitation, Survey

DAY = datetime.timedelta(days=1)


def build(park: Any, *, actor: Any, seed: int = 0, say: Any = None) -> None:
    """Add the demo park's surveys and answers (once per park)."""
    say = say or (lambda message: None)
    if Survey.objects.filter(park=park).exists():
        return
    rng = random.Random(f"surveys-{seed}")
    today = timezone.localdate()
    operator = Organisation.objects.filter(park=park, kind=OrganisationKind.OPERATOR).order_by("pk").first()
    made = []
    if operator is not None:
        building = DormBuilding.objects.filter(park=park).order_by("name", "pk").first()
        if building is not None:
            made.append(_accommodation(park, actor, rng, operator, building, today))
        made.append(_canteen(park, actor, rng, operator, today))
    college = _login_student_college(park)
    if college is not None:
        made.append(_teaching(park, actor, rng, college, today))
    made = [s for s in made if s is not None]
    answered = sum(s.answered_count for s in made)
    say(f"{len(made)} satisfaction surveys with {answered} responses")


def _questions(actor: Any, survey: Survey, rows: list[tuple]) -> None:
    for text, kind, required, *options in rows:
        services.question_create(
            actor=actor, survey=survey, text=text, kind=kind, required=required, options=options[0] if options else None
        )


def _answer_all(actor: Any, rng: random.Random, survey: Survey, share: float, days: list[datetime.date], make) -> None:
    """Let ``share`` of the invited answer with ``make(rng, day)``, on days drawn from ``days``."""
    invitations = list(Invitation.objects.filter(survey=survey).order_by("person_id"))
    chosen = rng.sample(invitations, k=int(len(invitations) * share))
    chosen.sort(key=lambda inv: inv.person_id)
    questions = list(survey.questions.order_by("position"))
    for invitation in chosen:
        day = rng.choice(days)
        values = make(rng, day)
        answers = {q.pk: value for q, value in zip(questions, values, strict=True) if value not in (None, "")}
        services.submit_answers(actor=actor, invitation=invitation, answers=answers, today=day)


def _rating(rng: random.Random, centre: float) -> int:
    return max(1, min(5, round(rng.gauss(centre, 0.9))))


def _accommodation(park, actor, rng, operator, building, today) -> Survey | None:
    opens, closes = today - 75 * DAY, today - 45 * DAY
    survey = services.survey_create(
        actor=actor,
        owner=operator,
        title=f"{building.name}住宿满意度调查",
        introduction="请对宿舍的住宿条件和服务进行评价。本调查为匿名调查，任何人都无法把答卷与您对应。",
        anonymous=True,
        opens_on=opens,
        closes_on=today,
        area=ServiceArea.ACCOMMODATION,
        audience=Audience.RESIDENTS,
        audience_building=building,
    )
    _questions(
        actor,
        survey,
        [
            ("总体而言，您对宿舍住宿是否满意？", QuestionKind.RATING, True),
            ("您对宿舍卫生与保洁是否满意？", QuestionKind.RATING, True),
            ("您对热水供应是否满意？", QuestionKind.RATING, True),
            (
                "您最希望改善哪些方面？（可多选）",
                QuestionKind.MULTIPLE,
                False,
                ["热水", "网络", "噪音", "洗衣", "门禁"],
            ),
            ("其他意见和建议", QuestionKind.TEXT, False),
        ],
    )
    try:
        survey = services.survey_open(actor=actor, survey=survey)
    except ValidationError:  # an empty building: nobody to invite
        return None
    comments = ["晚上热水不够用。", "希望增加洗衣机。", "宿管阿姨很负责。", "网络有时很慢。", "", "", ""]
    days = [opens + n * DAY for n in range(0, 31)]

    def make(rng, day):
        return [
            _rating(rng, 3.6),
            _rating(rng, 3.9),
            _rating(rng, 3.0),
            rng.sample(range(5), k=rng.randint(0, 2)),
            rng.choice(comments),
        ]

    _answer_all(actor, rng, survey, 0.65, days, make)
    survey = services.survey_close(actor=actor, survey=survey)
    return audited_update(actor=actor, instance=survey, data={"closes_on": closes})


def _canteen(park, actor, rng, operator, today) -> Survey | None:
    year = Student.objects.filter(college__park=park).order_by("-cohort_year").values_list("cohort_year", flat=True)[:1]
    if not year:
        return None
    canteen = ServicePoint.objects.filter(park=park, kind="canteen").order_by("pk").first()
    opens = (today - 170 * DAY).replace(day=1)
    survey = services.survey_create(
        actor=actor,
        owner=operator,
        title="学生食堂就餐满意度（每月评价）",
        introduction="请对近期在食堂的就餐体验打分，帮助我们持续改进。",
        anonymous=True,
        opens_on=opens,
        closes_on=today + 10 * DAY,
        area=ServiceArea.CATERING,
        service_point=canteen,
        audience=Audience.COHORT,
        audience_cohort_year=year[0],
    )
    _questions(
        actor,
        survey,
        [
            ("您对饭菜口味是否满意？", QuestionKind.RATING, True),
            ("您对价格是否满意？", QuestionKind.RATING, True),
            ("您对就餐环境与卫生是否满意？", QuestionKind.RATING, True),
            ("您最常在哪个时段就餐？", QuestionKind.SINGLE, True, ["早餐", "午餐", "晚餐", "夜宵"]),
        ],
    )
    survey = services.survey_open(actor=actor, survey=survey)
    days = [opens + n * DAY for n in range((today - opens).days + 1)]
    start = opens.toordinal()
    span = max(today.toordinal() - start, 1)

    def make(rng, day):
        # The canteen changed its menu: ratings climb from about 3.1 to about 4.2 over the half year.
        centre = 3.1 + 1.1 * (day.toordinal() - start) / span
        return [_rating(rng, centre), _rating(rng, centre - 0.3), _rating(rng, centre + 0.1), rng.randrange(4)]

    share = min(0.6, 240 / max(survey.invited_count, 1))
    _answer_all(actor, rng, survey, share, days, make)
    return Survey.objects.get(pk=survey.pk)


def _login_student_college(park) -> Organisation | None:
    membership = (
        Membership.objects.filter(organisation__park=park, role=Role.STUDENT, person__user__isnull=False)
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership else None


def _teaching(park, actor, rng, college, today) -> Survey | None:
    survey = services.survey_create(
        actor=actor,
        owner=college,
        title="实训室与教学设施使用体验调查",
        introduction="本学期您在园区实训室上课的体验如何？请如实填写（实名调查，便于跟进问题）。",
        anonymous=False,
        opens_on=today - 5 * DAY,
        closes_on=today + 20 * DAY,
        area=ServiceArea.TEACHING_FACILITIES,
        audience=Audience.COLLEGE_STUDENTS,
        audience_college=college,
    )
    _questions(
        actor,
        survey,
        [
            ("您对实训设备的完好程度是否满意？", QuestionKind.RATING, True),
            ("您对教室和实训室的开放时间是否满意？", QuestionKind.RATING, True),
            ("您最常使用哪类实训室？", QuestionKind.SINGLE, False, ["化工仿真", "电气控制", "机械加工", "安全实训"]),
            ("有哪些设备需要维修或更新？", QuestionKind.TEXT, False),
        ],
    )
    survey = services.survey_open(actor=actor, survey=survey)
    # The demo logins keep their invitation open, so that they can answer it themselves.
    invitations = Invitation.objects.filter(survey=survey, person__user__isnull=True)
    share = min(0.3, 60 / max(invitations.count(), 1))
    days = [today - n * DAY for n in range(0, 6)]
    chosen = rng.sample(list(invitations.order_by("person_id")), k=int(invitations.count() * share))
    notes = ["3号工位的仪表读数不准。", "希望周末也开放实训室。", "", ""]
    questions = list(survey.questions.order_by("position"))
    for invitation in sorted(chosen, key=lambda inv: inv.person_id):
        values = [_rating(rng, 3.8), _rating(rng, 3.4), rng.randrange(4), rng.choice(notes)]
        answers = {q.pk: v for q, v in zip(questions, values, strict=True) if v not in (None, "")}
        services.submit_answers(actor=actor, invitation=invitation, answers=answers, today=rng.choice(days))
    return Survey.objects.get(pk=survey.pk)
