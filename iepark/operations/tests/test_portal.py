"""The public "Services in the park" page of the careers portal, in Chinese and English."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .factories import make_notice, make_point

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _page(world, **headers):
    response = Client().get(reverse("portal_services", args=[world.park.code]), **headers)
    assert response.status_code == 200
    return response, response.content.decode()


def _data(world):
    today = timezone.localdate()
    canteen = make_point(
        world.park,
        "第一学生食堂",
        name_en="Student Canteen No. 1",
        place="生活区1号楼",
        place_en="Living area, building 1",
        phone="0994-5812301",
        periods=[(d, "00:00", "00:00") for d in range(7)],
    )
    make_notice(canteen, title="二楼装修", title_en="First floor under renovation", valid_from=today, valid_to=today)
    make_notice(
        canteen,
        title="过期的通知",
        title_en="An old notice",
        valid_from=today - datetime.timedelta(days=5),
        valid_to=today - datetime.timedelta(days=1),
    )
    make_notice(canteen, title="以后的通知", title_en="A later notice", valid_from=today + datetime.timedelta(days=2))
    make_point(world.park, "停业的理发店", name_en="Closed barber", kind="barber", is_active=False)
    make_point(world.other_park, "外园超市", name_en="Other park supermarket", kind="supermarket")
    return canteen


def test_english_page_shows_active_points_and_current_notices_only(world):
    _data(world)
    response, text = _page(world, **EN)
    assert "Services in the park" in text and "Student Canteen No. 1" in text and "Living area, building 1" in text
    assert "First floor under renovation" in text and "Open now" in text and "tel:0994-5812301" in text
    for hidden in ("An old notice", "A later notice", "Closed barber", "Other park supermarket", "第一学生食堂"):
        assert hidden not in text, hidden
    assert response["Cache-Control"].startswith("public") or "public" in response["Cache-Control"]


def test_chinese_page_shows_the_chinese_names(world):
    _data(world)
    _response, text = _page(world, **ZH)
    assert "第一学生食堂" in text and "二楼装修" in text and "生活区1号楼" in text
    assert "Student Canteen No. 1" not in text and "过期的通知" not in text and "停业的理发店" not in text


def test_a_closing_notice_shows_the_point_closed_today(world):
    today = timezone.localdate()
    point = make_point(
        world.park, "快递驿站", name_en="Parcels", kind="express", periods=[(d, "00:00", "00:00") for d in range(7)]
    )
    make_notice(
        point, title="盘点停业", title_en="Closed for stocktaking", valid_from=today, valid_to=today, closes_point=True
    )
    _response, text = _page(world, **EN)
    assert "Closed for stocktaking" in text and "Closed now" in text and "Open now" not in text


def test_portal_nav_and_home_link_to_the_services_page(world):
    url = reverse("portal_services", args=[world.park.code])
    home = Client().get(reverse("portal_home", args=[world.park.code]), **EN).content.decode()
    assert home.count(f'href="{url}"') >= 2  # the nav and the home card
    _response, text = _page(world, **EN)
    assert 'aria-current="page">Services in the park' in text


def test_unknown_park_is_404_and_query_count_is_fixed(world):
    assert Client().get(reverse("portal_services", args=["nope"])).status_code == 404
    for i in range(2):
        make_point(world.park, f"网点{i}", periods=[(0, "08:00", "09:00")])
    client = Client()
    client.get(reverse("portal_services", args=[world.park.code]))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("portal_services", args=[world.park.code]))
    for i in range(2, 12):
        point = make_point(world.park, f"网点{i}", periods=[(0, "08:00", "09:00")])
        make_notice(point, valid_from=timezone.localdate())
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("portal_services", args=[world.park.code]))
    assert len(large.captured_queries) == len(small.captured_queries)
