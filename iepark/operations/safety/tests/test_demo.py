"""The safety part of the demo park."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from iepark.core.demo.builder import DEMO_EXTENSIONS
from iepark.operations.safety import demo, selectors
from iepark.operations.safety.models import FireEquipment, InspectionRound, InspectionTemplate, RectificationTask
from iepark.operations.tests.factories import make_building


def _build(world, seed=7):
    said: list[str] = []
    admin = get_user_model().objects.filter(username="demo-admin").first() or get_user_model().objects.create_superuser(
        "demo-admin", password="x"
    )
    demo.build(world.park, actor=admin, seed=seed, say=said.append)
    return said, admin


def test_demo_is_registered():
    assert demo.build in DEMO_EXTENSIONS


def test_demo_builds_inspections_in_every_state_and_the_register(world):
    make_building(world.park, "1号公寓楼")
    make_building(world.park, "2号公寓楼")
    said, admin = _build(world)
    assert said
    assert InspectionTemplate.objects.filter(park=world.park).count() == 3
    assert InspectionRound.objects.filter(status="completed").count() >= 20
    statuses = set(RectificationTask.objects.values_list("status", flat=True))
    assert {"open", "closed"} <= statuses
    figures = selectors.dashboard_figures(admin, world.park)
    assert figures["open_findings"] > 0 and figures["rounds_due"] > 0
    assert figures["equipment_overdue"] > 0 and figures["equipment_due"] > 0
    assert 55 <= FireEquipment.objects.filter(park=world.park).count() <= 65
    # Once per park.
    count = InspectionRound.objects.count()
    demo.build(world.park, actor=admin, seed=7)
    assert InspectionRound.objects.count() == count


def test_demo_is_deterministic_for_a_seed(world, django_db_blocker):
    _build(world, seed=3)
    first = sorted(RectificationTask.objects.values_list("finding__description", "status", "deadline"))
    codes = sorted(FireEquipment.objects.values_list("code", "next_check_due", "expiry_date"))
    from iepark.operations.safety.models import EquipmentCheck, Finding, ReInspection, RoundAnswer

    ReInspection.objects.all().delete()
    RectificationTask.objects.all().delete()
    Finding.objects.all().delete()
    RoundAnswer.objects.all().delete()
    InspectionRound.objects.all().delete()
    from iepark.operations.safety.models import InspectionSchedule

    InspectionSchedule.objects.all().delete()
    InspectionTemplate.objects.all().delete()
    EquipmentCheck.objects.all().delete()
    FireEquipment.objects.all().delete()
    _build(world, seed=3)
    assert sorted(RectificationTask.objects.values_list("finding__description", "status", "deadline")) == first
    assert sorted(FireEquipment.objects.values_list("code", "next_check_due", "expiry_date")) == codes
