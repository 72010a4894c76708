"""Pages of work orders: report from a phone, follow and rate, the desk's cycle, settings, plans, compliance."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from iepark.core.models import Attachment
from iepark.operations.workorders import services
from iepark.operations.workorders.models import MaintenancePlan, ServiceLevel, WorkOrder

from .factories import backdate, operator_person, report

pytestmark = pytest.mark.django_db


def _photo(name="fault.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_student_reports_a_fault_with_a_photo_and_follows_it(world, browser_client):
    client = browser_client(world.student_a)
    page = client.get(reverse("workorder_create"))
    assert page.status_code == 200 and 'name="photos"' in page.content.decode()
    response = client.post(
        reverse("workorder_create"),
        {
            "park": world.park.pk,
            "place_kind": "public_area",
            "location": "Library, 2nd floor",
            "category": "network",
            "urgency": "high",
            "title": "No Wi-Fi",
            "photos": [_photo()],
        },
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workorder_detail", args=[order.pk])
    assert Attachment.objects.filter(object_id=order.pk).count() == 1
    mine = client.get(reverse("workorder_mine")).content.decode()
    assert order.reference in mine and "No Wi-Fi" in mine
    detail = client.get(reverse("workorder_detail", args=[order.pk])).content.decode()
    assert order.reference in detail and reverse("workorder_step", args=[order.pk, "cancel"]) in detail
    assert reverse("workorder_step", args=[order.pk, "assign"]) not in detail


def test_bad_report_shows_errors_and_writes_nothing(world, browser_client):
    client = browser_client(world.student_a)
    with __import__("django").utils.translation.override("en"):
        response = client.post(
            reverse("workorder_create"),
            {"park": world.park.pk, "place_kind": "public_area", "category": "network", "title": "X"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 200
    assert "location" in response.context["form"].errors
    bad_photo = client.post(
        reverse("workorder_create"),
        {
            "park": world.park.pk,
            "place_kind": "public_area",
            "location": "Library",
            "category": "network",
            "title": "X",
            "photos": [
                __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                    "a.jpg", b"not an image"
                )
            ],
        },
    )
    assert bad_photo.status_code == 200 and "photos" in bad_photo.context["form"].errors
    assert not WorkOrder.objects.exists()


def test_outsider_cannot_report(world, browser_client):
    assert browser_client(world.outsider).get(reverse("workorder_create")).status_code == 403
    assert browser_client().get(reverse("workorder_create")).status_code == 302


def test_the_desk_runs_the_cycle_from_the_page_and_the_reporter_rates(world, browser_client):
    order = report(world)
    desk = browser_client(world.operator)
    page = desk.get(reverse("workorder_detail", args=[order.pk])).content.decode()
    assert reverse("workorder_step", args=[order.pk, "assign"]) in page
    step = lambda client, name, data=None: client.post(reverse("workorder_step", args=[order.pk, name]), data or {})  # noqa: E731
    assert step(desk, "assign", {"assignee": operator_person(world).pk}).status_code == 302
    step(desk, "start")
    step(desk, "resolve", {"note": ""})  # refused: a note is needed
    order.refresh_from_db()
    assert order.status == "in_progress"
    step(desk, "resolve", {"note": "New bulb"})
    order.refresh_from_db()
    assert order.status == "resolved"
    student = browser_client(world.student_a)
    assert step(student, "assign", {"assignee": operator_person(world).pk}).status_code == 403
    page = student.get(reverse("workorder_detail", args=[order.pk])).content.decode()
    assert reverse("workorder_step", args=[order.pk, "confirm"]) in page
    assert reverse("workorder_step", args=[order.pk, "assign"]) not in page
    step(student, "confirm", {"rating": "4", "comment": "Thanks"})
    order.refresh_from_db()
    assert order.status == "confirmed" and order.rating == 4
    # The desk's steps refused to the reporter, and an outsider sees nothing.
    assert (
        browser_client(world.student_b)
        .post(reverse("workorder_step", args=[order.pk, "rate"]), {"rating": "1"})
        .status_code
        == 404
    )
    assert browser_client(world.student_b).get(reverse("workorder_detail", args=[order.pk])).status_code == 404


def test_reporter_reopens_from_the_page(world, browser_client):
    order = report(world)
    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    services.work_order_resolve(actor=world.operator, order=order, note="Done")
    student = browser_client(world.student_a)
    student.post(reverse("workorder_step", args=[order.pk, "reopen"]), {"reason": ""})
    order.refresh_from_db()
    assert order.status == "resolved"
    student.post(reverse("workorder_step", args=[order.pk, "reopen"]), {"reason": "Still broken"})
    order.refresh_from_db()
    assert order.status == "assigned" and order.reopen_count == 1


def test_dispatch_list_filters_and_badges(world, browser_client):
    late = backdate(report(world, title="Late one"), 100)
    services.escalate_overdue()
    report(world, title="Fresh one")
    desk = browser_client(world.operator)
    page = desk.get(reverse("workorder_list"), {"overdue": "true"}).content.decode()
    assert "Late one" in page and "Fresh one" not in page and "bi-alarm" in page
    page = desk.get(reverse("workorder_list"), {"escalated": "true"}).content.decode()
    assert "Late one" in page and "bi-exclamation-triangle" in page
    assert late.reference in desk.get(reverse("workorder_list")).content.decode()
    # A reporter's list holds only their own reports.
    assert "Late one" not in browser_client(world.student_b).get(reverse("workorder_list")).content.decode()


def test_service_levels_page(world, browser_client):
    desk = browser_client(world.operator)
    assert desk.get(reverse("workorder_service_levels")).status_code == 200
    data = {
        f"{u}_{k}": v for u in ("low", "normal", "high", "critical") for k, v in (("response", 2), ("resolution", 9))
    }
    data["high_resolution"] = 1  # shorter than the response: refused
    response = desk.post(reverse("workorder_service_levels"), data)
    assert response.status_code == 200 and "high_resolution" in response.context["form"].errors
    assert not ServiceLevel.objects.exists()
    data["high_resolution"] = 30
    assert desk.post(reverse("workorder_service_levels"), data).status_code == 302
    assert ServiceLevel.objects.filter(park=world.park).count() == 4
    for who in ("student_a", "committee"):
        assert browser_client(world.users[who]).get(reverse("workorder_service_levels")).status_code == 403
    # Another park's administrator keeps their own park's levels, never this park's.
    other = browser_client(world.other_admin)
    assert other.get(reverse("workorder_service_levels")).context["park"] == world.other_park
    assert other.get(reverse("workorder_service_levels"), {"park": world.park.pk}).status_code == 403
    assert other.post(reverse("workorder_service_levels"), dict(data, park=world.park.pk)).status_code == 403


def test_compliance_page_and_run_now(world, browser_client, django_capture_on_commit_callbacks):
    order = report(world)
    services.work_order_assign(actor=world.operator, order=order, assignee=operator_person(world))
    services.work_order_resolve(actor=world.operator, order=order, note="Done")
    desk = browser_client(world.park_admin)
    page = desk.get(reverse("workorder_compliance"))
    assert page.status_code == 200 and "compliance-chart" in page.content.decode()
    assert page.context["rows"][0]["resolution_on_time_pct"] == 100.0
    bad = desk.get(reverse("workorder_compliance"), {"since": "2026-02-30"})
    assert bad.status_code == 200 and "since" in bad.context["form"].errors
    assert browser_client(world.student_a).get(reverse("workorder_compliance")).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(reverse("workorder_tick"), {"park": world.park.pk})
    assert response.status_code == 302
    assert browser_client(world.student_a).post(reverse("workorder_tick"), {"park": world.park.pk}).status_code == 403


def test_plan_pages(world, browser_client):
    desk = browser_client(world.operator)
    assert desk.get(reverse("maintenanceplan_create")).status_code == 200
    response = desk.post(
        reverse("maintenanceplan_create"),
        {
            "park": world.park.pk,
            "title": "Monthly check",
            "category": "hvac",
            "urgency": "normal",
            "place_kind": "gymnasium",
            "location": "Gym",
            "every": 1,
            "unit": "month",
            "next_due": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    plan = MaintenancePlan.objects.get()
    assert desk.get(reverse("maintenanceplan_detail", args=[plan.pk])).status_code == 200
    bad = desk.post(reverse("maintenanceplan_edit", args=[plan.pk]), {"title": "x", "next_due": "2026-13-01"})
    assert bad.status_code == 200 and "next_due" in bad.context["form"].errors
    assert browser_client(world.student_a).get(reverse("maintenanceplan_create")).status_code == 403


def test_menu_shows_reporting_to_students_and_the_desk_to_operators(world, browser_client):
    student = browser_client(world.student_a).get(reverse("workorder_mine")).content.decode()
    assert reverse("workorder_create") in student and reverse("workorder_compliance") not in student
    desk = browser_client(world.operator).get(reverse("workorder_mine")).content.decode()
    assert reverse("workorder_compliance") in desk


def test_desk_corrects_an_open_order(world, browser_client):
    order = report(world)
    desk = browser_client(world.operator)
    url = reverse("workorder_edit", args=[order.pk])
    assert desk.get(url).status_code == 200
    data = {
        "title": "Flickering light in corridor",
        "description": "",
        "category": "electrical",
        "urgency": "high",
        "place_kind": "public_area",
        "location": "Corridor",
        "contact_phone": "",
    }
    assert desk.post(url, data).status_code == 302
    order.refresh_from_db()
    assert order.title == "Flickering light in corridor" and order.urgency == "high"
    bad = desk.post(url, dict(data, location=""))
    assert bad.status_code == 200 and "location" in bad.context["form"].errors
    assert browser_client(world.student_a).get(url).status_code == 403
    assert desk.get(reverse("workorder_history", args=[order.pk])).status_code == 200


def test_home_cards(world, browser_client):
    report(world)
    assert reverse("workorder_list") in browser_client(world.operator).get("/").content.decode()
    assert reverse("workorder_mine") in browser_client(world.student_a).get("/").content.decode()
