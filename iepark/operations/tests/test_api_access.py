"""Standard access tests of the operations API endpoints and their pages (see iepark.testing.ApiAccessSuite)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from iepark.operations.choices import ServicePointKind
from iepark.operations.models import ServicePoint
from iepark.testing import ApiAccessSuite

from .factories import make_notice, make_point

EVERY_PARK_MEMBER = ("committee", "coordinator", "college_a_admin", "manager_a", "teacher_a", "student_a", "hr_e1")


class TestServicePointAccess(ApiAccessSuite):
    basename = "servicepoint"
    readers = ("operator",)
    readonly = EVERY_PARK_MEMBER + ("student_b", "mentor_e1")
    writer = "park_admin"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "servicepoint_list", "servicepoint_detail", "servicepoint_edit"

    def own(self, world):
        return make_point(world.park, periods=[(0, "06:30", "09:00")])

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "kind": ServicePointKind.BARBER,
            "name": "理发店",
            "phone": "13899512345",
            "periods": [{"weekday": 0, "opens": "10:00", "closes": "21:00"}],
        }

    def update_payload(self, world, obj):
        return {"place": "生活区商业街5号"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), phone="12345"), "phone"

    def deletable(self, world):
        return make_point(world.park, "待删除")

    def make_many(self, world, n, start):
        for i in range(n):
            make_point(world.park, f"网点{start + i}", periods=[(d, "08:00", "20:00") for d in range(3)])


class TestServiceNoticeAccess(ApiAccessSuite):
    basename = "servicenotice"
    readers = ("operator",)
    readonly = EVERY_PARK_MEMBER
    writer = "operator"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "servicenotice_list", "servicenotice_detail", "servicenotice_edit"

    def _point(self, world):
        return ServicePoint.objects.filter(park=world.park).first() or make_point(world.park)

    def own(self, world):
        return make_notice(self._point(world), valid_from=timezone.localdate())

    def create_payload(self, world):
        return {"service_point": self._point(world).pk, "title": "周六检修", "valid_from": "2025-03-08"}

    def update_payload(self, world, obj):
        return {"title_en": "Closed on Saturday"}

    def foreign_payload(self, world):
        other = ServicePoint.objects.filter(park=world.other_park).first() or make_point(world.other_park, "外园食堂")
        return dict(self.create_payload(world), service_point=other.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), valid_to="2025-03-01"), "valid_to"

    def deletable(self, world):
        return make_notice(self._point(world), valid_from=datetime.date(2025, 1, 1))

    def make_many(self, world, n, start):
        point = self._point(world)
        for i in range(n):
            make_notice(point, valid_from=datetime.date(2025, 1, 1) + datetime.timedelta(days=start + i))
