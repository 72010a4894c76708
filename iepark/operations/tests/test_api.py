"""The service point API beyond access: periods in and out, ``open_now`` field and filters, overlaps refused."""

from __future__ import annotations

import datetime

from django.utils import timezone

from iepark.core.models import AuditEvent

from .factories import make_notice, make_point

URL = "/api/v1/service-points/"


def _around_the_clock(world, name="ATM"):
    return make_point(world.park, name, periods=[(d, "00:00", "00:00") for d in range(7)])


def test_open_now_field_and_filter(world, api):
    atm = _around_the_clock(world)
    never = make_point(world.park, "无时间")
    closed = _around_the_clock(world, "今天维修")
    make_notice(closed, valid_from=timezone.localdate(), valid_to=timezone.localdate(), closes_point=True)
    client = api(world.users["student_a"])
    rows = {row["name"]: row["open_now"] for row in client.get(URL).json()["results"]}
    assert rows == {"ATM": True, "无时间": False, "今天维修": False}
    assert {r["id"] for r in client.get(URL, {"open_now": "true"}).json()["results"]} == {atm.pk}
    assert {r["id"] for r in client.get(URL, {"open_now": "false"}).json()["results"]} == {never.pk, closed.pk}


def test_open_at_filter_takes_any_moment(world, api):
    canteen = make_point(world.park, "食堂", periods=[(0, "11:00", "13:30")])
    client = api(world.users["student_a"])
    monday_noon_beijing = "2025-03-03T04:00:00Z"
    assert [r["id"] for r in client.get(URL, {"open_at": monday_noon_beijing}).json()["results"]] == [canteen.pk]
    assert client.get(URL, {"open_at": "2025-03-03T12:00:00Z"}).json()["results"] == []


def test_kind_filter(world, api):
    make_point(world.park, "食堂")
    barber = make_point(world.park, "理发店", kind="barber")
    rows = api(world.users["hr_e1"]).get(URL, {"kind": "barber"}).json()["results"]
    assert [r["id"] for r in rows] == [barber.pk]


def test_periods_are_written_and_read_back(world, api):
    client = api(world.operator)
    payload = {
        "park": world.park.pk,
        "kind": "clinic",
        "name": "卫生服务站",
        "periods": [
            {"weekday": 0, "opens": "08:00", "closes": "12:00"},
            {"weekday": 0, "opens": "20:00", "closes": "02:00"},
        ],
    }
    response = client.post(URL, payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["periods"] == [
        {"weekday": 0, "opens": "08:00", "closes": "12:00"},
        {"weekday": 0, "opens": "20:00", "closes": "02:00"},
    ]
    assert isinstance(body["open_now"], bool)
    point_id = body["id"]
    response = client.patch(f"{URL}{point_id}/", {"periods": []}, format="json")
    assert response.status_code == 200 and response.json()["periods"] == []


def test_overlapping_periods_are_a_400_naming_the_field(world, api):
    before = AuditEvent.objects.count()
    response = api(world.park_admin).post(
        URL,
        {
            "park": world.park.pk,
            "kind": "gym",
            "name": "健身房",
            "periods": [
                {"weekday": 6, "opens": "22:00", "closes": "03:00"},
                {"weekday": 0, "opens": "02:00", "closes": "05:00"},
            ],
        },
        format="json",
    )
    assert response.status_code == 400 and "periods" in response.json()
    assert AuditEvent.objects.count() == before


def test_current_notice_filter(world, api):
    point = make_point(world.park)
    today = timezone.localdate()
    current = make_notice(point, valid_from=today - datetime.timedelta(days=1))
    make_notice(point, valid_from=today + datetime.timedelta(days=3), valid_to=today + datetime.timedelta(days=3))
    make_notice(point, valid_from=today - datetime.timedelta(days=9), valid_to=today - datetime.timedelta(days=2))
    rows = api(world.users["student_a"]).get("/api/v1/service-notices/", {"current": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [current.pk]
