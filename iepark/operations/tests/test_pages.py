"""The operations pages: list with filters, detail with the week and notices, edit with the hours formset, delete."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from iepark.operations import hours
from iepark.operations.models import ServiceNotice, ServicePoint
from iepark.testing import audit_count

from .factories import make_notice, make_point, t

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _hours_post(rows, **fields):
    data = {
        "hours-TOTAL_FORMS": str(len(rows)),
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, (days, opens, closes) in enumerate(rows):
        data[f"hours-{i}-days"] = [str(d) for d in days]
        data[f"hours-{i}-opens"] = opens
        data[f"hours-{i}-closes"] = closes
    return data


def test_menu_shows_service_points_to_every_park_member(world, browser_client):
    for persona in ("student_a", "hr_e1", "teacher_a", "operator"):
        page = browser_client(world.users[persona]).get("/", **EN).content.decode()
        assert "Operations" in page and reverse("servicepoint_list") in page, persona
    page = browser_client(world.outsider).get("/", **EN).content.decode()
    assert reverse("servicepoint_list") not in page


def test_list_filters_by_kind_and_open_now(world, browser_client):
    make_point(world.park, "全天ATM", kind="bank", periods=[(d, "00:00", "00:00") for d in range(7)])
    make_point(world.park, "无营业时间的理发店", kind="barber")
    client = browser_client(world.users["student_a"])
    page = client.get(reverse("servicepoint_list"), {"open_now": "true"}, **EN).content.decode()
    assert "全天ATM" in page and "无营业时间的理发店" not in page and "Open now" in page
    page = client.get(reverse("servicepoint_list"), {"kind": "barber"}, **EN).content.decode()
    assert "无营业时间的理发店" in page and "全天ATM" not in page
    assert 'href="/service-points/add/"' not in page  # a student may not add


def test_detail_shows_todays_hours_and_current_notices(world, browser_client):
    today = timezone.localdate()
    point = make_point(world.park, "第一食堂", periods=[(today.weekday(), "06:30", "09:00")])
    make_notice(point, title="二楼装修", valid_from=today, valid_to=today)
    make_notice(point, title="下月通知", valid_from=today + datetime.timedelta(days=30))
    make_notice(
        point,
        title="过期通知",
        valid_from=today - datetime.timedelta(days=9),
        valid_to=today - datetime.timedelta(days=1),
    )
    page = browser_client(world.users["student_a"]).get(reverse("servicepoint_detail", args=[point.pk]), **EN)
    text = page.content.decode()
    assert "06:30–09:00" in text and "二楼装修" in text and "下月通知" in text and "过期通知" not in text
    assert "Post a notice" not in text and reverse("servicepoint_edit", args=[point.pk]) not in text
    keeper = browser_client(world.operator).get(reverse("servicepoint_detail", args=[point.pk]), **EN).content.decode()
    assert "Post a notice" in keeper and reverse("servicepoint_edit", args=[point.pk]) in keeper


def test_create_with_the_hours_formset(world, browser_client):
    client = browser_client(world.operator)
    assert client.get(reverse("servicepoint_create"), **EN).status_code == 200
    data = _hours_post(
        [((0, 1, 2, 3, 4), "06:30", "09:00"), ((5, 6), "22:00", "02:00"), ((), "", "")],
        park=world.park.pk,
        kind="canteen",
        name="第三食堂",
        phone="0994-5812303",
        is_active="on",
    )
    response = client.post(reverse("servicepoint_create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    point = ServicePoint.objects.get(name="第三食堂")
    periods = sorted(p.as_period() for p in point.periods.all())
    assert periods == sorted(
        [hours.Period(d, t("06:30"), t("09:00")) for d in range(5)]
        + [hours.Period(d, t("22:00"), t("02:00")) for d in (5, 6)]
    )
    assert audit_count(ServicePoint, "create", point.pk) == 1
    # The edit page shows the days grouped back into rows.
    page = client.get(reverse("servicepoint_edit", args=[point.pk]), **EN).content.decode()
    assert 'name="hours-TOTAL_FORMS" value="4"' in page and 'value="22:00"' in page


def test_bad_hours_come_back_on_the_form_and_nothing_is_written(world, browser_client):
    client = browser_client(world.park_admin)
    overlapping = _hours_post(
        [((0,), "08:00", "12:00"), ((0,), "11:00", "14:00")], park=world.park.pk, kind="gym", name="健身房"
    )
    response = client.post(reverse("servicepoint_create"), overlapping, **EN)
    assert response.status_code == 200 and "Opening periods overlap" in response.content.decode()
    half = _hours_post([((0,), "08:00", "")], park=world.park.pk, kind="gym", name="健身房")
    response = client.post(reverse("servicepoint_create"), half, **EN)
    assert response.status_code == 200 and "Fill in the days" in response.content.decode()
    assert not ServicePoint.objects.exists()


def test_edit_and_remove_a_row(world, browser_client):
    point = make_point(world.park, "超市", periods=[(d, "08:00", "22:00") for d in range(7)])
    client = browser_client(world.park_admin)
    data = _hours_post(
        [(range(7), "08:00", "22:00"), ((6,), "23:00", "23:30")], kind="supermarket", name="超市", is_active="on"
    )
    data["hours-0-DELETE"] = "on"
    response = client.post(reverse("servicepoint_edit", args=[point.pk]), data)
    assert response.status_code == 302
    assert [p.as_period() for p in point.periods.all()] == [hours.Period(6, t("23:00"), t("23:30"))]


def test_notice_create_from_the_point_and_delete(world, browser_client):
    point = make_point(world.park)
    client = browser_client(world.operator)
    detail = reverse("servicepoint_detail", args=[point.pk])
    url = reverse("servicenotice_create") + f"?service_point={point.pk}&return_url={detail}"
    assert client.get(url, **EN).status_code == 200
    response = client.post(
        url,
        {
            "service_point": point.pk,
            "title": "周六检修",
            "valid_from": "2025-03-08",
            "valid_to": "2025-03-08",
            "closes_point": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == detail
    notice = ServiceNotice.objects.get(service_point=point)
    assert notice.closes_point
    response = client.post(reverse("servicenotice_delete", args=[notice.pk]), {"return_url": detail})
    assert response.status_code == 302 and response["Location"] == detail
    assert not ServiceNotice.objects.exists()


def test_students_cannot_open_the_add_pages(world, browser_client):
    client = browser_client(world.users["student_a"])
    assert client.get(reverse("servicepoint_create")).status_code == 403
    assert client.get(reverse("servicenotice_create")).status_code == 403


def test_delete_page(world, browser_client):
    point = make_point(world.park, periods=[(0, "08:00", "12:00")])
    client = browser_client(world.park_admin)
    assert client.get(reverse("servicepoint_delete", args=[point.pk])).status_code == 200
    response = client.post(reverse("servicepoint_delete", args=[point.pk]))
    assert response.status_code == 302 and not ServicePoint.objects.exists()
