"""Standard access tests of the work order endpoints and pages, and refusals of every workflow action."""

from __future__ import annotations

import datetime

from django.utils import timezone

from iepark.core.choices import OrganisationKind, Role
from iepark.core.models import Membership, Organisation, Park
from iepark.operations.workorders.models import MaintenancePlan, ServiceLevel, WorkOrder
from iepark.testing import ApiAccessSuite, make_uscc

from .factories import operator_person, report

ORDER_OUTSIDERS = ("student_b", "college_a_admin", "committee", "teacher_a", "hr_e1", "other_admin", "outsider")


class TestWorkOrderAccess(ApiAccessSuite):
    basename = "workorder"
    readers = ("operator", "park_admin")
    readonly = ("student_a",)  # the reporter
    writer = "operator"
    outsiders = ORDER_OUTSIDERS
    page_list, page_detail, page_edit = "workorder_list", "workorder_detail", "workorder_edit"

    def own(self, world):
        return WorkOrder.objects.filter(park=world.park, title="Broken socket").first() or report(
            world, title="Broken socket"
        )

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "place_kind": "training_room",
            "location": "Training centre, lab 3",
            "category": "equipment",
            "urgency": "high",
            "title": "Lathe does not start",
        }

    def update_payload(self, world, obj):
        return {"title": "Broken socket by the window", "category": "furniture"}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), category="magic"), "category"

    def make_many(self, world, n, start):
        for i in range(n):
            order = report(world, title=f"Fault {start + i}")
            if i % 2:
                from iepark.operations.workorders import services

                services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))


class TestServiceLevelAccess(ApiAccessSuite):
    basename = "workorderservicelevel"
    readers = ("park_admin",)
    readonly = ("student_a", "committee", "hr_e1")
    writer = "operator"
    outsiders = ("other_admin", "outsider")

    def own(self, world):
        return ServiceLevel.objects.get_or_create(
            park=world.park, urgency="high", defaults={"response_hours": 4, "resolution_hours": 24}
        )[0]

    def create_payload(self, world):
        return {"park": world.park.pk, "urgency": "low", "response_hours": 48, "resolution_hours": 240}

    def update_payload(self, world, obj):
        return {"response_hours": 3}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), response_hours=0), "response_hours"

    def deletable(self, world):
        return ServiceLevel.objects.create(park=world.park, urgency="critical", response_hours=1, resolution_hours=8)

    def make_many(self, world, n, start):
        """One level in each of ``n`` new parks the reader administers (a park holds one level per urgency)."""
        for i in range(n):
            park = Park.objects.create(code=f"x{start + i}", name=f"园区{start + i}")
            org = Organisation.objects.create(
                park=park, kind=OrganisationKind.COMMITTEE, name=f"管委会{start + i}", uscc=make_uscc(5000 + start + i)
            )
            Membership.objects.create(
                person=world.persons["park_admin"],
                organisation=org,
                role=Role.PARK_ADMIN,
                start_date=datetime.date(2020, 1, 1),
            )
            ServiceLevel.objects.create(park=park, urgency="normal", response_hours=12, resolution_hours=48)


def _plan(world, park=None, title="Monthly check of the boilers"):
    return MaintenancePlan.objects.create(
        park=park or world.park,
        title=title,
        place_kind="public_area",
        location="Boiler room",
        category="hvac",
        every=1,
        unit="month",
        next_due=timezone.localdate() + datetime.timedelta(days=10),
    )


class TestMaintenancePlanAccess(ApiAccessSuite):
    basename = "maintenanceplan"
    readers = ("park_admin",)
    writer = "operator"
    outsiders = ("student_a", "committee", "college_a_admin", "other_admin", "outsider", "hr_e1")
    page_list, page_detail, page_edit = "maintenanceplan_list", "maintenanceplan_detail", "maintenanceplan_edit"

    def own(self, world):
        return MaintenancePlan.objects.filter(park=world.park, title="Monthly check of the boilers").first() or _plan(
            world
        )

    def create_payload(self, world):
        return {
            "park": world.park.pk,
            "title": "Weekly check of the gym lights",
            "place_kind": "gymnasium",
            "location": "Gymnasium",
            "category": "electrical",
            "every": 1,
            "unit": "week",
            "next_due": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "default_assignee": operator_person(world).pk,
        }

    def update_payload(self, world, obj):
        return {"every": 2}

    def foreign_payload(self, world):
        return dict(self.create_payload(world), park=world.other_park.pk, default_assignee=None)

    def invalid_payload(self, world):
        return dict(self.create_payload(world), unit="year"), "unit"

    def deletable(self, world):
        return _plan(world, title="Old plan")

    def make_many(self, world, n, start):
        MaintenancePlan.objects.bulk_create(
            [
                MaintenancePlan(
                    park=world.park,
                    title=f"Plan {start + i}",
                    place_kind="public_area",
                    location="Library",
                    category="network",
                    next_due=timezone.localdate(),
                )
                for i in range(n)
            ]
        )


def _post(api, user, order, step, body=None):
    return api(user).post(f"/api/v1/work-orders/{order.pk}/{step}/", body or {}, format="json")


def test_desk_actions_are_refused_to_everybody_else(world, api):
    order = report(world)
    bodies = {
        "assign": {"assignee": operator_person(world).pk},
        "start": {},
        "resolve": {"note": "done"},
        "cancel": {"reason": "x"},
    }
    for step, body in bodies.items():
        if step != "cancel":  # the reporter may withdraw a new report (below)
            assert _post(api, world.student_a, order, step, body).status_code == 403, step
        for who in ORDER_OUTSIDERS:
            assert _post(api, world.users[who], order, step, body).status_code == 404, (step, who)
        assert _post(api, None, order, step, body).status_code in (401, 403)
    order.refresh_from_db()
    assert order.status == "new"
    _post(api, world.operator, order, "assign", bodies["assign"])
    refused = _post(api, world.student_a, order, "cancel", {"reason": "changed my mind"})
    assert refused.status_code == 400 and "status" in refused.json()
    order.refresh_from_db()
    assert order.status == "assigned"


def test_reporter_actions_are_refused_to_everybody_else(world, api):
    order = report(world)
    from iepark.operations.workorders import services

    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    services.work_order_resolve(actor=world.operator, order=order, note="Done")
    bodies = {"confirm": {"rating": 5}, "reopen": {"reason": "no"}, "rate": {"rating": 4}}
    for step, body in bodies.items():
        for who in ("operator", "park_admin"):
            assert _post(api, world.users[who], order, step, body).status_code == 403, (step, who)
        for who in ORDER_OUTSIDERS:
            assert _post(api, world.users[who], order, step, body).status_code == 404, (step, who)
    order.refresh_from_db()
    assert order.status == "resolved" and order.rating is None


def test_the_whole_cycle_through_the_api(world, api):
    created = api(world.student_a).post(
        "/api/v1/work-orders/",
        {
            "park": world.park.pk,
            "place_kind": "dormitory",
            "location": "Building 3, room 305",
            "category": "plumbing",
            "title": "Shower drain blocked",
            "urgency": "high",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["reference"].startswith("WO-") and created.json()["status"] == "new"
    order = WorkOrder.objects.get(pk=pk)
    bad = _post(api, world.operator, order, "assign", {"assignee": world.persons["student_a"].pk})
    assert bad.status_code == 400 and "assignee" in bad.json()
    assert (
        _post(api, world.operator, order, "assign", {"assignee": operator_person(world).pk}).json()["status"]
        == "assigned"
    )
    assert _post(api, world.operator, order, "start").json()["status"] == "in_progress"
    bad = _post(api, world.operator, order, "resolve", {"note": ""})
    assert bad.status_code == 400 and "note" in bad.json()
    assert _post(api, world.operator, order, "resolve", {"note": "Cleared the drain"}).json()["status"] == "resolved"
    bad = _post(api, world.student_a, order, "confirm", {"rating": 9})
    assert bad.status_code == 400 and "rating" in bad.json()
    bad = _post(api, world.student_a, order, "reopen", {"reason": ""})
    assert bad.status_code == 400 and "reason" in bad.json()
    done = _post(api, world.student_a, order, "confirm", {"rating": 5, "comment": "Fast"})
    assert done.status_code == 200 and done.json()["status"] == "confirmed" and done.json()["rating"] == 5
    assert [e["kind"] for e in done.json()["timeline"]] == [
        "reported",
        "assigned",
        "started",
        "resolved",
        "confirmed",
        "rated",
    ]
    again = _post(api, world.student_a, order, "rate", {"rating": 1})
    assert again.status_code == 400
    mine = api(world.student_a).get("/api/v1/work-orders/", {"status": "confirmed"}).json()
    assert [row["id"] for row in mine["results"]] == [pk]


def test_list_filters_and_compliance_endpoint(world, api):
    from .factories import backdate

    late = backdate(report(world, title="Late"), 100)
    report(world, title="Fresh")
    rows = api(world.operator).get("/api/v1/work-orders/", {"overdue": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [late.pk] and rows[0]["overdue"] is True
    response = api(world.operator).get("/api/v1/work-orders/compliance/", {"park": world.park.pk})
    assert response.status_code == 200 and response.json()[0]["category"] == "electrical"
    bad = api(world.operator).get("/api/v1/work-orders/compliance/", {"since": "2026-02-30"})
    assert bad.status_code == 400 and "since" in bad.json()
    bad = api(world.operator).get("/api/v1/work-orders/compliance/", {"since": "2026-03-01", "until": "2026-02-01"})
    assert bad.status_code == 400 and "until" in bad.json()
    assert api(world.outsider).get("/api/v1/work-orders/compliance/").json() == []


def test_impossible_dates_are_refused_for_plans(world, api):
    payload = TestMaintenancePlanAccess().create_payload(world)
    response = api(world.operator).post(
        "/api/v1/maintenance-plans/", dict(payload, next_due="2026-02-30"), format="json"
    )
    assert response.status_code == 400 and "next_due" in response.json()
    assert not MaintenancePlan.objects.exists()


def test_photos_through_the_api(world, api):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def photo():
        buffer = io.BytesIO()
        Image.new("RGB", (20, 20), (0, 120, 200)).save(buffer, "PNG")
        return SimpleUploadedFile("leak.png", buffer.getvalue(), content_type="image/png")

    order = report(world)
    url = f"/api/v1/work-orders/{order.pk}/attachments/"
    assert api(world.student_a).post(url, {"files": [photo()]}, format="multipart").status_code == 201
    assert api(world.operator).post(url, {"files": [photo()]}, format="multipart").status_code == 201
    assert api(world.student_b).post(url, {"files": [photo()]}, format="multipart").status_code == 404
    bad = api(world.student_a).post(url, {"files": [SimpleUploadedFile("x.png", b"nope")]}, format="multipart")
    assert bad.status_code == 400 and "files" in bad.json()
    assert len(api(world.student_a).get(url).json()) == 2
    assert api(world.student_b).get(url).status_code == 404
