"""Standard access tests of the rounds' API endpoints and pages (see iepark.testing.ApiAccessSuite)."""

import datetime

from django.utils import timezone

from iepark.careers.choices import RoundStatus
from iepark.careers.testing import make_posting
from iepark.testing import ApiAccessSuite

from .helpers import make_list, make_match, make_position, make_round


def _future(days=7):
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


class TestMatchingRoundAccess(ApiAccessSuite):
    basename = "matchinground"
    readers = ("student_a", "hr_e1", "college_a_admin", "teacher_a", "park_admin")
    readonly = ("committee", "student_b", "hr_e2")
    writer = "coordinator"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "matchinground_list", "matchinground_detail", "matchinground_edit"

    def own(self, world):
        return make_round(world, status=RoundStatus.OPEN)

    def create_payload(self, world):
        return {"park": world.park.pk, "name": "2027 届毕业双选", "cohort_year": 2024, "deadline": _future()}

    def update_payload(self, world, obj):
        return {"name": "2027 届毕业双选（第二轮）"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), deadline=_future(-1)), "deadline"

    def deletable(self, world):
        return make_round(world, status=RoundStatus.DRAFT, name="草稿轮")

    def make_many(self, world, n, start):
        for i in range(n):
            make_round(world, name=f"轮次{start + i}")


class TestRoundPositionAccess(ApiAccessSuite):
    basename = "roundposition"
    readers = ("hr_e1", "student_a", "park_admin")
    readonly = ("committee", "hr_e2", "mentor_e1")
    writer = "coordinator"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "roundposition_list", "roundposition_detail", "roundposition_edit"

    def _round(self, world):
        from iepark.careers.models import MatchingRound

        return MatchingRound.objects.filter(name="岗位轮").first() or make_round(world, name="岗位轮")

    def own(self, world):
        return make_position(world, self._round(world), capacity=2)

    def create_payload(self, world):
        return {"round": self._round(world).pk, "posting": make_posting(world, title="新岗位").pk, "capacity": 2}

    def update_payload(self, world, obj):
        return {"capacity": 4}

    def foreign_payload(self, world):
        other = make_round(world, park=world.other_park, name="外园轮")
        return dict(self.create_payload(world), round=other.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), capacity=-1), "capacity"

    def deletable(self, world):
        return make_position(world, make_round(world, status=RoundStatus.DRAFT, name="草稿"))

    def make_many(self, world, n, start):
        matching_round = self._round(world)
        for i in range(n):
            make_position(world, matching_round, title=f"岗位{start + i}")


class TestRoundStudentListAccess(ApiAccessSuite):
    basename = "roundstudentlist"
    readers = ("student_a", "college_a_admin", "teacher_a")
    readonly = ("coordinator", "park_admin", "manager_a")
    writer = "student_a"
    outsiders = ("student_b", "college_b_admin", "hr_e1", "hr_e2", "committee", "other_admin", "outsider")
    page_list, page_detail = "roundstudentlist_list", "roundstudentlist_detail"

    def own(self, world):
        matching_round = make_round(world, name="已提交轮")
        return make_list(matching_round, world.a_student, [make_position(world, matching_round)])

    def create_payload(self, world):
        matching_round = make_round(world, name="新轮")
        return {"round": matching_round.pk, "preferences": [make_position(world, matching_round).pk]}

    def update_payload(self, world, obj):
        return {"preferences": list(obj.preferences)}

    def foreign_payload(self, world):
        other = make_round(world, park=world.other_park, name="外园轮")
        return {"round": other.pk, "preferences": []}

    def invalid_payload(self, world):
        payload = self.create_payload(world)
        return dict(payload, preferences=[*payload["preferences"], 987654]), "preferences"

    def make_many(self, world, n, start):
        for i in range(n):
            matching_round = make_round(world, name=f"轮{start + i}")
            make_list(matching_round, world.a_student, [make_position(world, matching_round, title=f"岗{start + i}")])


class TestRoundMatchAccess(ApiAccessSuite):
    basename = "roundmatch"
    readers = ("student_a", "college_a_admin", "hr_e1", "coordinator")
    readonly = ("committee", "park_admin")
    outsiders = ("student_b", "college_b_admin", "hr_e2", "mentor_e1", "other_admin", "outsider")
    page_list, page_detail = "roundmatch_list", "roundmatch_detail"

    def own(self, world):
        matching_round = make_round(world, status=RoundStatus.PUBLISHED, name="已发布轮")
        return make_match(matching_round, world.a_student, make_position(world, matching_round))

    def make_many(self, world, n, start):
        for i in range(n):
            matching_round = make_round(world, status=RoundStatus.PUBLISHED, name=f"发布{start + i}")
            make_match(matching_round, world.a_student, make_position(world, matching_round, title=f"岗{start + i}"))
