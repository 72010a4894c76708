"""Standard access tests of the living sections' API endpoint and pages (see iepark.testing.ApiAccessSuite)."""

from iepark.careers.models import LivingSection
from iepark.testing import ApiAccessSuite


def _section(park, n: int, **extra) -> LivingSection:
    return LivingSection.objects.create(
        park=park, order=n, title=extra.pop("title", f"食堂{n}"), title_en=f"Canteen {n}", body="三餐供应。", **extra
    )


class TestLivingSectionAccess(ApiAccessSuite):
    basename = "livingsection"
    readers = ("operator",)
    # Every member of the park may read the sections (they are public on the portal anyway); only
    # park administrators and the operator's staff change them.
    readonly = ("committee", "student_a", "hr_e1", "college_a_admin")
    writer = "park_admin"
    outsiders = ("other_admin", "outsider")
    page_list, page_detail, page_edit = "livingsection_list", "livingsection_detail", "livingsection_edit"

    def own(self, world):
        return _section(world.park, 1, title="学生公寓")

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "order": 20,
            "icon": "cup-hot",
            "title": "食堂",
            "title_en": "Canteen",
            "body": "两个食堂，设清真餐厅。",
            "body_en": "Two canteens, one of them halal.",
        }

    def update_payload(self, world, obj):
        return {"title_en": "Student residences"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), icon="Cup Hot!"), "icon"

    def deletable(self, world):
        return _section(world.park, 99)

    def make_many(self, world, n, start):
        for i in range(n):
            _section(world.park, start + i)
