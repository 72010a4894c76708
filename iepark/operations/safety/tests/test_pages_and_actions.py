"""The safety pages end to end in the browser, and the API's own actions with their refusals."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from iepark.core.models import Attachment
from iepark.operations.safety import services
from iepark.operations.safety.choices import RectificationStatus, RoundStatus
from iepark.operations.safety.models import Finding, InspectionRound, InspectionSchedule, RectificationTask

from .factories import make_equipment, make_finding, make_round, make_template

TODAY = timezone.localdate
D = datetime.timedelta


def _png(name: str = "photo.png") -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- the browser ------------------------------------------------------------------------------------------


def test_inspector_walks_a_round_on_the_phone_pages(world, browser_client):
    web = browser_client(world.operator)
    template = make_template(world, items=2)
    # Checklist editing on the template page.
    page = web.get(reverse("inspectiontemplate_detail", args=[template.pk]))
    assert page.status_code == 200 and "检查项1" in page.content.decode()
    response = web.post(
        reverse("checklistitem_create"), {"template": template.pk, "text": "楼道无杂物", "is_active": "on"}
    )
    assert response.status_code == 302
    last = template.items.order_by("-position").first()
    assert last.text == "楼道无杂物" and last.position == 3
    web.post(reverse("checklistitem_move", args=[last.pk, "up"]))
    last.refresh_from_db()
    assert last.position == 2

    # Plan a round, then take it.
    response = web.post(
        reverse("inspectionround_create"),
        {
            "template": template.pk,
            "place": "1号公寓楼",
            "scheduled_date": TODAY().isoformat(),
            "owner": world.college_a.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    inspection = InspectionRound.objects.get(place="1号公寓楼")
    take = reverse("inspectionround_take", args=[inspection.pk])
    assert web.get(take).status_code == 200
    items = list(template.items.order_by("position"))
    response = web.post(take, {"item": items[0].pk, "result": "ok"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{items[1].pk}")
    web.post(take, {"item": items[1].pk, "result": "not_applicable", "note": "无此设施"})
    add = reverse("inspectionround_finding_add", args=[inspection.pk])
    assert web.get(add + f"?item={items[2].pk}").status_code == 200
    bad = web.post(
        add,
        {
            "item": items[2].pk,
            "description": "插线板私拉",
            "severity": "high",
            "deadline": (TODAY() - D(days=2)).isoformat(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200
    assert "The deadline cannot be before the finding was made." in bad.content.decode()
    assert not Finding.objects.exists()
    response = web.post(
        add, {"item": items[2].pk, "description": "插线板私拉", "severity": "high", "photos": [_png(), _png("b.png")]}
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert finding.task.owner == world.college_a
    assert Attachment.objects.filter(object_id=finding.pk).count() == 2
    response = web.post(reverse("inspectionround_complete", args=[inspection.pk]), {"note": "完成"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.status == RoundStatus.COMPLETED
    detail = web.get(reverse("inspectionround_detail", args=[inspection.pk])).content.decode()
    assert "插线板私拉" in detail
    finding_page = web.get(reverse("finding_detail", args=[finding.pk]))
    assert finding_page.status_code == 200 and "/attachments/" in finding_page.content.decode()
    # The committee reads, but cannot take rounds.
    committee = browser_client(world.users["committee"])
    assert committee.get(reverse("inspectionround_detail", args=[inspection.pk])).status_code == 200
    assert committee.get(take).status_code == 403
    assert browser_client(world.hr_e1).get(take).status_code == 404


def test_owner_reports_done_and_inspector_reinspects_on_the_task_page(world, browser_client):
    finding = make_finding(world, severity="medium")
    task = finding.task
    url = reverse("rectificationtask_detail", args=[task.pk])
    owner = browser_client(world.college_a_admin)
    page = owner.get(url).content.decode()
    assert reverse("rectificationtask_report_done", args=[task.pk]) in page
    assert reverse("rectificationtask_reinspect", args=[task.pk]) not in page
    assert owner.get(reverse("rectificationtask_list")).status_code == 200
    assert owner.get(reverse("finding_detail", args=[finding.pk])).status_code == 200
    assert owner.get(reverse("inspectionround_detail", args=[finding.round_id])).status_code == 404
    # Another college neither sees nor reports.
    other = browser_client(world.college_b_admin)
    assert other.get(url).status_code == 404
    assert other.post(reverse("rectificationtask_report_done", args=[task.pk]), {"note": "x"}).status_code == 404
    owner.post(reverse("rectificationtask_report_done", args=[task.pk]), {"note": "已整改"})
    task.refresh_from_db()
    assert task.status == RectificationStatus.REPORTED_DONE
    # The owner may not re-inspect; the inspector does.
    assert owner.post(reverse("rectificationtask_reinspect", args=[task.pk]), {"passed": "true"}).status_code == 403
    inspector = browser_client(world.operator)
    inspector.post(reverse("rectificationtask_reinspect", args=[task.pk]), {"passed": "false"})
    task.refresh_from_db()
    assert task.status == RectificationStatus.REPORTED_DONE  # refused: no new deadline
    inspector.post(
        reverse("rectificationtask_reinspect", args=[task.pk]),
        {"passed": "false", "new_deadline": (TODAY() + D(days=5)).isoformat()},
    )
    task.refresh_from_db()
    assert task.status == RectificationStatus.OPEN and task.deadline == TODAY() + D(days=5)
    listing = inspector.get(reverse("finding_list") + "?open=true&severity=medium").content.decode()
    assert finding.description in listing


def test_equipment_register_pages_check_form_and_export(world, browser_client):
    from openpyxl import load_workbook

    late = make_equipment(world, "LATE-1", last_checked_on=TODAY() - D(days=40))
    make_equipment(world, "FINE-1", kind="alarm", last_checked_on=TODAY() - D(days=1))
    web = browser_client(world.operator)
    listing = web.get(reverse("fireequipment_list") + "?overdue=true").content.decode()
    assert "LATE-1" in listing and "FINE-1" not in listing
    assert web.get(reverse("fireequipment_detail", args=[late.pk])).status_code == 200
    web.post(reverse("fireequipment_check", args=[late.pk]), {"result": "pass", "checked_on": TODAY().isoformat()})
    late.refresh_from_db()
    assert late.last_checked_on == TODAY() and late.next_check_due == TODAY() + D(days=30)
    response = web.get(reverse("fireequipment_export") + "?kind=extinguisher")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["LATE-1"]
    assert (
        browser_client(world.users["committee"])
        .post(reverse("fireequipment_check", args=[late.pk]), {"result": "pass"})
        .status_code
        == 403
    )
    assert browser_client(world.hr_e1).get(reverse("fireequipment_export")).status_code == 403
    form = web.post(
        reverse("fireequipment_create"),
        {
            "park": world.park.pk,
            "kind": "hydrant",
            "code": "XHS-9",
            "location": "北门",
            "status": "in_service",
            "installed_on": "2024-01-01",
            "expiry_date": "2023-01-01",
        },
    )
    assert form.status_code == 200 and not late.__class__.objects.filter(code="XHS-9").exists()


def test_schedule_page_creates_due_rounds(world, browser_client):
    services.schedule_create(
        actor=world.operator, template=make_template(world), place="2号楼", every=1, unit="week", next_date=TODAY()
    )
    assert browser_client(world.users["committee"]).post(reverse("inspectionschedule_generate")).status_code == 403
    response = browser_client(world.park_admin).post(reverse("inspectionschedule_generate"))
    assert response.status_code == 302 and InspectionRound.objects.filter(place="2号楼").count() == 1
    assert browser_client(world.park_admin).get(reverse("inspectionschedule_list")).status_code == 200
    assert InspectionSchedule.objects.get().next_date == TODAY() + D(days=7)


def test_menu_shows_safety_to_keepers_and_rectifications_to_owners(world, browser_client):
    home = reverse("home")
    operator = browser_client(world.operator).get(home).content.decode()
    assert reverse("inspectionround_list") in operator and reverse("fireequipment_list") in operator
    owner = browser_client(world.college_a_admin).get(home).content.decode()
    assert reverse("rectificationtask_list") in owner and reverse("fireequipment_list") not in owner
    student = browser_client(world.student_a).get(home).content.decode()
    assert reverse("rectificationtask_list") not in student


# --- the API's actions --------------------------------------------------------------------------------------------


def test_round_actions_and_their_refusals(world, api):
    inspection = make_round(world)
    items = list(inspection.template.items.order_by("position"))
    base = f"/api/v1/safety-rounds/{inspection.pk}"
    for name, status in (("committee", 403), ("college_a_admin", 404), ("other_admin", 404), ("hr_e1", 404)):
        client = api(world.users[name])
        assert client.post(f"{base}/start/").status_code == status, name
        assert client.post(f"{base}/answer/", {"item": items[0].pk, "result": "ok"}).status_code == status, name
        assert client.post(f"{base}/complete/", {}).status_code == status, name
    operator = api(world.operator)
    assert operator.post(f"{base}/start/").json()["status"] == "in_progress"
    bad = operator.post(f"{base}/answer/", {"item": items[0].pk, "result": "maybe"}, format="json")
    assert bad.status_code == 400 and "result" in bad.json()
    for item in items:
        operator.post(f"{base}/answer/", {"item": item.pk, "result": "ok"}, format="json")
    response = operator.post(f"{base}/complete/", {"note": "ok"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "completed"
    again = operator.post(f"{base}/answer/", {"item": items[0].pk, "result": "finding"}, format="json")
    assert again.status_code == 400 and "completed" in again.json()["non_field_errors"][0]


def test_task_actions_and_their_refusals(world, api):
    finding = make_finding(world)
    base = f"/api/v1/safety-rectifications/{finding.task.pk}"
    assert api(world.college_b_admin).post(f"{base}/report-done/", {"note": "x"}).status_code == 404
    assert api(world.users["committee"]).post(f"{base}/report-done/", {"note": "x"}).status_code == 403
    assert api(world.college_a_admin).post(f"{base}/report-done/", {}).status_code == 400
    assert api(world.college_a_admin).post(f"{base}/report-done/", {"note": "已整改"}).json()["status"] == (
        "reported_done"
    )
    assert api(world.college_a_admin).post(f"{base}/reinspect/", {"passed": True}).status_code == 403
    assert api(world.users["committee"]).post(f"{base}/reinspect/", {"passed": True}).status_code == 403
    assert api(world.hr_e1).post(f"{base}/reinspect/", {"passed": True}).status_code == 404
    bad = api(world.operator).post(f"{base}/reinspect/", {"passed": False}, format="json")
    assert bad.status_code == 400 and "new_deadline" in bad.json()
    done = api(world.operator).post(f"{base}/reinspect/", {"passed": True}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed" and len(done.json()["reinspections"]) == 1
    assert api(world.operator).post("/api/v1/safety-rectifications/", {}, format="json").status_code == 405
    assert RectificationTask.objects.get().status == RectificationStatus.CLOSED


def test_finding_photos_api_and_other_actions(world, api):
    finding = make_finding(world)
    url = f"/api/v1/safety-findings/{finding.pk}/attachments/"
    assert api(world.college_a_admin).post(url, {"files": [_png()]}, format="multipart").status_code == 403
    assert api(world.college_b_admin).get(url).status_code == 404
    created = api(world.operator).post(url, {"files": [_png()], "caption": "现场"}, format="multipart")
    assert created.status_code == 201, created.content
    assert len(api(world.college_a_admin).get(url).json()) == 1  # the owner sees the photos of its task
    # Checklist move, schedule generation, the register's export.
    item = finding.round.template.items.last()
    move = f"/api/v1/safety-checklist-items/{item.pk}/move/"
    assert api(world.users["committee"]).post(move, {"offset": -1}, format="json").status_code == 403
    assert api(world.operator).post(move, {"offset": -1}, format="json").json()["position"] == item.position - 1
    generate = "/api/v1/safety-schedules/generate/"
    assert api(world.users["committee"]).post(generate, {}, format="json").status_code == 403
    assert api(world.operator).post(generate, {}, format="json").json() == {"created": []}
    make_equipment(world)
    export = api(world.operator).get("/api/v1/fire-equipment/export/")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    from openpyxl import load_workbook

    empty = api(world.hr_e1).get("/api/v1/fire-equipment/export/")
    assert load_workbook(io.BytesIO(empty.content)).active.max_row == 1  # headers only: nothing visible


def test_operator_names_any_organisation_of_the_park_as_owner(world, api, browser_client):
    inspection = make_round(world)
    payload = {"round": inspection.pk, "description": "消防通道堵塞", "severity": "high"}
    foreign = api(world.operator).post("/api/v1/safety-findings/", dict(payload, owner=world.other_college.pk))
    assert foreign.status_code == 400 and "owner" in foreign.json()
    created = api(world.operator).post("/api/v1/safety-findings/", dict(payload, owner=world.enterprise_2.pk))
    assert created.status_code == 201 and created.json()["task"]["owner"] == world.enterprise_2.pk
    page = browser_client(world.operator).get(reverse("rectificationtask_list")).content.decode()
    assert world.enterprise_2.name in page and world.college_b.name in page  # the owner filter offers them
    # The HR of that enterprise sees and reports its task; the other enterprise does not see it.
    task = created.json()["task"]["id"]
    assert api(world.hr_e1).get(f"/api/v1/safety-rectifications/{task}/").status_code == 404
    done = api(world.hr_e2).post(f"/api/v1/safety-rectifications/{task}/report-done/", {"note": "已清理"})
    assert done.status_code == 200 and done.json()["status"] == "reported_done"
