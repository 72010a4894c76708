"""Standard access tests of the employers' API endpoints and pages (see ``iepark.testing.ApiAccessSuite``)."""

from __future__ import annotations

from iepark.careers.choices import VettingStatus
from iepark.careers.testing import make_employer, make_posting
from iepark.core.choices import Industry, OrganisationKind
from iepark.core.models import Organisation
from iepark.testing import ApiAccessSuite, make_uscc

from .helpers import NEXT_YEAR, make_line, make_plan


def _enterprise(world, serial, park=None):
    return Organisation.objects.create(
        park=park or world.park,
        kind=OrganisationKind.ENTERPRISE,
        name=f"企业{serial}",
        industry=Industry.COAL_POWER,
        uscc=make_uscc(700 + serial),
    )


class TestEmployerProfileAccess(ApiAccessSuite):
    basename = "employerprofile"
    readers = ("hr_e1",)
    # An approved profile is read by everyone in the park; only its HR and the park administrator change it.
    readonly = ("committee", "coordinator", "college_a_admin", "mentor_e1", "hr_e2", "student_a", "operator")
    writer = "park_admin"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "employerprofile_list", "employerprofile_detail", "employerprofile_edit"

    def own(self, world):
        return make_employer(world.enterprise_1)

    def create_payload(self, world):
        return {"organisation": world.enterprise_2.pk, "summary": "煤电企业，装机 1320 兆瓦。", "employees": 800}

    def update_payload(self, world, obj):
        return {"commute": "班车约 20 分钟"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), organisation=_enterprise(world, 1, park=world.other_park).pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), contact_email="not an address"), "contact_email"

    def deletable(self, world):
        return make_employer(world.enterprise_2)

    def make_many(self, world, n, start):
        for i in range(n):
            make_employer(_enterprise(world, start + i))


class TestDemandPlanAccess(ApiAccessSuite):
    basename = "demandplan"
    readers = ("hr_e1",)
    readonly = ("committee", "coordinator", "park_admin")
    writer = "hr_e1"
    # A draft is the enterprise's own: colleges see submitted plans only.
    outsiders = ("hr_e2", "mentor_e1", "college_a_admin", "student_a", "operator", "other_admin", "outsider")
    page_list, page_detail, page_edit = "demandplan_list", "demandplan_detail", "demandplan_edit"

    def own(self, world):
        return make_plan(world)

    def create_payload(self, world):
        return {"enterprise": world.enterprise_1.pk, "title": "三年规划", "horizon": "3y", "year_from": NEXT_YEAR}

    def update_payload(self, world, obj):
        return {"notes": "含新建甲醇项目的人员需求。"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), enterprise=world.enterprise_2.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), horizon="1y", year_to=NEXT_YEAR + 2), "year_to"

    def deletable(self, world):
        return make_plan(world, title="待删除")

    def make_many(self, world, n, start):
        for i in range(n):
            make_line(make_plan(world, title=f"计划{start + i}"), world.major)


class TestDemandLineAccess(ApiAccessSuite):
    basename = "demandline"
    readers = ("hr_e1",)
    readonly = ("committee", "coordinator", "park_admin")
    writer = "hr_e1"
    outsiders = ("hr_e2", "mentor_e1", "college_a_admin", "student_a", "other_admin", "outsider")
    page_edit = "demandline_edit"

    def own(self, world):
        return make_line(make_plan(world), world.major)

    def create_payload(self, world):
        plan = make_plan(world)
        return {"plan": plan.pk, "year": NEXT_YEAR, "post": "仪表维修工", "major": world.major.pk, "headcount": 3}

    def update_payload(self, world, obj):
        return {"headcount": 9}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), plan=make_plan(world, world.enterprise_2).pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), year=NEXT_YEAR + 5), "year"

    def deletable(self, world):
        return make_line(make_plan(world), world.major, post="待删除")

    def make_many(self, world, n, start):
        plan = make_plan(world)
        for i in range(n):
            make_line(plan, world.major, post=f"岗位{start + i}")


class TestPostingAccess(ApiAccessSuite):
    basename = "posting"
    readers = ("hr_e1", "park_admin")
    # An approved posting of an approved employer is read by everyone in the park.
    readonly = (
        "mentor_e1",
        "committee",
        "coordinator",
        "college_a_admin",
        "student_a",
        "student_b",
        "hr_e2",
        "teacher_a",
        "operator",
    )
    writer = "hr_e1"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "posting_list", "posting_detail", "posting_edit"

    def own(self, world):
        return make_posting(world)

    def create_payload(self, world):
        return {
            "enterprise": world.enterprise_1.pk,
            "title": "仪表维修工",
            "description": "负责装置仪表的维护。",
            "majors": [world.major.pk],
            "headcount": 2,
        }

    def update_payload(self, world, obj):
        return {"description_en": "Maintain the plant's instruments."}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), enterprise=world.enterprise_2.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), headcount=0), "headcount"

    def deletable(self, world):
        return make_posting(world, status=VettingStatus.DRAFT)

    def make_many(self, world, n, start):
        for i in range(n):
            make_posting(world, title=f"岗位{start + i}")
