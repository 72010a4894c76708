"""Standard access tests of the safety API endpoints and their pages (see iepark.testing.ApiAccessSuite)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from iepark.operations.safety.models import (
    FireEquipment,
    InspectionRound,
    InspectionSchedule,
    InspectionTemplate,
    RectificationTask,
)
from iepark.testing import ApiAccessSuite

from .factories import make_equipment, make_finding, make_round, make_template

TODAY = timezone.localdate
# Nobody outside the operating company, the park administrators and the committee sees the inspections.
OUTSIDERS = (
    "other_admin",
    "outsider",
    "college_a_admin",
    "college_b_admin",
    "coordinator",
    "manager_a",
    "teacher_a",
    "student_a",
    "hr_e1",
    "mentor_e1",
)
# Who must not see a task owned by college A (nor its finding).
TASK_OUTSIDERS = tuple(n for n in OUTSIDERS if n != "college_a_admin")


def _template(world) -> InspectionTemplate:
    return InspectionTemplate.objects.filter(park=world.park).first() or make_template(world)


def _other_template(world) -> InspectionTemplate:
    return InspectionTemplate.objects.filter(park=world.other_park).first() or make_template(
        world, "外园模板", park=world.other_park
    )


class TestInspectionTemplateAccess(ApiAccessSuite):
    basename = "inspectiontemplate"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "park_admin"
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = (
        "inspectiontemplate_list",
        "inspectiontemplate_detail",
        "inspectiontemplate_edit",
    )

    def own(self, world):
        return _template(world)

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "name": "实训室消防检查",
            "area_kind": "training_room",
            "kind": "fire",
            "items": [{"text": "灭火器在位"}, {"text": "疏散通道畅通", "guidance": "无杂物堆放"}],
        }

    def update_payload(self, world, obj):
        return {"description": "每周一次"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), area_kind="moon"), "area_kind"

    def deletable(self, world):
        return make_template(world, "待删除模板")

    def make_many(self, world, n, start):
        for i in range(n):
            make_template(world, f"模板{start + i}", items=2)


class TestChecklistItemAccess(ApiAccessSuite):
    basename = "checklistitem"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "operator"
    outsiders = OUTSIDERS
    page_edit = "checklistitem_edit"

    def own(self, world):
        return _template(world).items.first()

    def create_payload(self, world):
        return {"template": _template(world).pk, "text": "电线无私拉乱接", "guidance": "重点检查插线板"}

    def update_payload(self, world, obj):
        return {"guidance": "重点看宿舍"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), template=_other_template(world).pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), text=""), "text"

    def deletable(self, world):
        return _template(world).items.last()

    def make_many(self, world, n, start):
        make_template(world, f"清单{start}", items=n)


class TestInspectionScheduleAccess(ApiAccessSuite):
    basename = "inspectionschedule"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "park_admin"
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = (
        "inspectionschedule_list",
        "inspectionschedule_detail",
        "inspectionschedule_edit",
    )

    def _make(self, world, place="1号公寓楼"):
        from iepark.operations.safety import services

        return services.schedule_create(
            actor=world.operator, template=_template(world), place=place, every=1, unit="week", next_date=TODAY()
        )

    def own(self, world):
        return InspectionSchedule.objects.filter(template__park=world.park).first() or self._make(world)

    def create_payload(self, world):
        return {
            "template": _template(world).pk,
            "place": "2号公寓楼",
            "every": 2,
            "unit": "week",
            "next_date": TODAY().isoformat(),
            "owner": world.college_a.pk,
        }

    def update_payload(self, world, obj):
        return {"every": 3}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), template=_other_template(world).pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), every=0), "every"

    def deletable(self, world):
        return self._make(world, "待删除")

    def make_many(self, world, n, start):
        for i in range(n):
            self._make(world, f"楼{start + i}")


class TestInspectionRoundAccess(ApiAccessSuite):
    basename = "inspectionround"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "operator"
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = "inspectionround_list", "inspectionround_detail", "inspectionround_edit"

    def own(self, world):
        return InspectionRound.objects.filter(template__park=world.park).first() or make_round(world, _template(world))

    def create_payload(self, world):
        return {"template": _template(world).pk, "place": "实训楼三层", "scheduled_date": TODAY().isoformat()}

    def update_payload(self, world, obj):
        return {"note": "夜间检查"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), template=_other_template(world).pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), scheduled_date="2025-13-01"), "scheduled_date"

    def deletable(self, world):
        return make_round(world, _template(world), place="待删除")

    def make_many(self, world, n, start):
        template = _template(world)
        for i in range(n):
            make_round(world, template, place=f"楼{start + i}")


def _finding(world):
    task = RectificationTask.objects.filter(owner=world.college_a).first()
    return task.finding if task else make_finding(world, make_round(world, _template(world)))


class TestFindingAccess(ApiAccessSuite):
    basename = "finding"
    readers = ("operator",)
    readonly = ("committee", "college_a_admin")
    writer = "park_admin"
    outsiders = TASK_OUTSIDERS
    page_list, page_detail, page_edit = "finding_list", "finding_detail", "finding_edit"

    def own(self, world):
        return _finding(world)

    def create_payload(self, world):
        inspection = InspectionRound.objects.filter(template__park=world.park).first() or make_round(
            world, _template(world)
        )
        return {
            "round": inspection.pk,
            "item": inspection.template.items.first().pk,
            "description": "疏散指示灯不亮",
            "severity": "medium",
            "owner": world.college_a.pk,
        }

    def update_payload(self, world, obj):
        return {"place": "305室门口"}

    def foreign_payload(self, world):
        other = make_round(world, _other_template(world))
        return dict(self.create_payload(world), round=other.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), severity="extreme"), "severity"

    def make_many(self, world, n, start):
        inspection = make_round(world, _template(world), place=f"楼{start}")
        for i in range(n):
            make_finding(world, inspection, description=f"问题{start + i}", severity="low")


class TestRectificationTaskAccess(ApiAccessSuite):
    basename = "rectificationtask"
    readers = ("operator",)
    readonly = ("committee", "college_a_admin")
    writer = "park_admin"
    outsiders = TASK_OUTSIDERS
    page_list, page_detail, page_edit = "rectificationtask_list", "rectificationtask_detail", "rectificationtask_edit"

    def own(self, world):
        return _finding(world).task

    def update_payload(self, world, obj):
        return {"deadline": (obj.deadline + datetime.timedelta(days=5)).isoformat()}

    def make_many(self, world, n, start):
        inspection = make_round(world, _template(world), place=f"楼{start}")
        for i in range(n):
            make_finding(world, inspection, description=f"问题{start + i}", severity="low")


class TestFireEquipmentAccess(ApiAccessSuite):
    basename = "fireequipment"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "park_admin"
    outsiders = OUTSIDERS
    page_list, page_detail, page_edit = "fireequipment_list", "fireequipment_detail", "fireequipment_edit"

    def own(self, world):
        return FireEquipment.objects.filter(park=world.park).first() or make_equipment(world)

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "kind": "hydrant",
            "code": "XHS-01",
            "location": "实训楼北侧",
            "installed_on": "2024-05-01",
            "expiry_date": "2034-05-01",
        }

    def update_payload(self, world, obj):
        return {"location": "1号公寓楼一层西"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), expiry_date="2020-01-01"), "expiry_date"

    def deletable(self, world):
        return make_equipment(world, "DEL-1")

    def make_many(self, world, n, start):
        for i in range(n):
            make_equipment(world, f"E-{start + i}")


class TestEquipmentCheckAccess(ApiAccessSuite):
    basename = "equipmentcheck"
    readers = ("operator",)
    readonly = ("committee",)
    writer = "operator"
    outsiders = OUTSIDERS

    def _equipment(self, world):
        return FireEquipment.objects.filter(park=world.park).first() or make_equipment(
            world, installed_on=TODAY() - datetime.timedelta(days=400)
        )

    def own(self, world):
        from iepark.operations.safety import services

        equipment = self._equipment(world)
        return equipment.checks.first() or services.equipment_check(
            actor=world.operator, equipment=equipment, result="pass", checked_on=TODAY() - datetime.timedelta(days=10)
        )

    def create_payload(self, world):
        return {"equipment": self._equipment(world).pk, "result": "pass", "note": "压力正常"}

    def foreign_payload(self, world):
        other = FireEquipment.objects.filter(park=world.other_park).first() or make_equipment(
            world, "Q-1", park=world.other_park
        )
        return dict(self.create_payload(world), equipment=other.pk)

    def invalid_payload(self, world):
        future = (TODAY() + datetime.timedelta(days=3)).isoformat()
        return dict(self.create_payload(world), checked_on=future), "checked_on"

    def make_many(self, world, n, start):
        from iepark.operations.safety import services

        for i in range(n):
            equipment = make_equipment(world, f"C-{start + i}")
            services.equipment_check(actor=world.operator, equipment=equipment, result="pass")
