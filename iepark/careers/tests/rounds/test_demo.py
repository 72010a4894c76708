"""The rounds' demo data, built on the test park: a published round and an open one for student1's cohort."""

import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from engines.matching.check import check
from iepark.careers.choices import RoundStatus
from iepark.careers.models import MatchingRound, Offer, RoundStudentList
from iepark.careers.rounds import demo, services
from iepark.careers.rounds.matching import build_instance
from iepark.careers.testing import make_posting

from .helpers import make_student


def _scene(world):
    for n, enterprise in enumerate([world.enterprise_1, world.enterprise_2] * 3):
        make_posting(world, enterprise, title=f"岗位{n}", headcount=2 + n)
    for i in range(1, 19):
        make_student(world, i, college=world.college_a if i % 3 else world.college_b)
    student1 = make_student(world, 40, cohort_year=2025)
    for i in range(41, 47):
        make_student(world, i, cohort_year=2025)
    user = get_user_model().objects.create_user(username="student1")
    student1.person.user = user
    student1.person.save()
    return student1


def _system():
    return get_user_model().objects.create_superuser(username="system")


def test_the_demo_builds_a_published_round_and_an_open_one(world):
    student1, system = _scene(world), _system()
    demo.build(world.park, actor=system, rng=random.Random("42-rounds"))
    finished = MatchingRound.objects.get(status=RoundStatus.PUBLISHED)
    assert finished.cohort_year == 2024
    lists = finished.student_lists.count()
    assert lists >= 15 and finished.matches.count() == lists
    assignment = {str(m.student_id): str(m.position_id) if m.position_id else None for m in finished.matches.all()}
    assert check(build_instance(finished, seed=finished.seed), assignment).valid
    assert finished.report["matched"] > 0
    assert Offer.objects.filter(application__matching_round=finished).count() == finished.report["offers"]["made"] > 0
    assert any(m.explanation for m in finished.matches.all())

    current = MatchingRound.objects.get(status=RoundStatus.OPEN)
    assert current.cohort_year == student1.cohort_year and current.deadline > timezone.now()
    assert not RoundStudentList.objects.filter(round=current, student=student1).exists()
    # student1 can take part now.
    position = current.positions.first()
    services.student_list_submit(
        actor=student1.person.user, matching_round=current, student=student1, preferences=[position.pk]
    )


def test_the_demo_is_deterministic(world):
    _scene(world)
    system = _system()
    demo.build(world.park, actor=system, rng=random.Random("7-rounds"))
    demo.build(world.park, actor=system, rng=random.Random("7-rounds"))
    first, second = MatchingRound.objects.filter(status=RoundStatus.PUBLISHED).order_by("pk")
    assert first.seed == second.seed

    def outcome(matching_round):
        return {
            m.student_id: (m.position.posting_id if m.position else None, m.choice_rank)
            for m in matching_round.matches.select_related("position")
        }

    assert outcome(first) == outcome(second) and len(outcome(first)) >= 15
