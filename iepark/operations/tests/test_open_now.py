"""The "open now" of lists and the API (SQL) agrees with the rule in ``hours`` (Python), hour by hour over a week."""

from __future__ import annotations

import datetime

import pytest

from iepark.operations import selectors
from iepark.operations.models import ServicePoint

from .factories import MONDAY, at, make_notice, make_point

TUESDAY = MONDAY + datetime.timedelta(days=1)


@pytest.fixture
def points(world):
    park = world.park
    return [
        make_point(park, "食堂", periods=[(d, "06:30", "09:00") for d in range(7)] + [(0, "11:00", "13:30")]),
        make_point(park, "夜间门诊", periods=[(0, "20:00", "02:00"), (6, "22:00", "01:00")]),
        make_point(park, "ATM", periods=[(d, "00:00", "00:00") for d in range(7)]),
        make_point(park, "关闭的店", periods=[(d, "08:00", "20:00") for d in range(7)], is_active=False),
        make_point(park, "周一维修", periods=[(0, "20:00", "02:00"), (1, "08:00", "10:00")]),
        make_point(park, "周二维修", periods=[(0, "20:00", "02:00")]),
        make_point(park, "无时间"),
    ]


def test_sql_and_python_agree_every_half_hour_from_sunday_noon_to_tuesday_night(world, points):
    make_notice(points[4], valid_from=MONDAY, valid_to=MONDAY, closes_point=True)
    make_notice(points[5], valid_from=TUESDAY, valid_to=None, closes_point=True)
    make_notice(points[0], valid_from=MONDAY, valid_to=MONDAY)  # a notice that does not close
    start = at(MONDAY, "00:00") - datetime.timedelta(hours=12)
    for step in range(60 * 2):
        when = start + datetime.timedelta(minutes=30 * step)
        sql = dict(selectors.annotate_open_now(ServicePoint.objects.all(), when).values_list("name", "open_now"))
        python = {}
        for point in ServicePoint.objects.prefetch_related("periods"):
            closed = selectors.closed_dates_around(point, when)
            python[point.name] = selectors.week_hours(point, closed_dates=closed, when=when).open_now
        assert sql == python, when


def test_expected_moments(world, points):
    make_notice(points[4], valid_from=MONDAY, valid_to=MONDAY, closes_point=True)

    def open_at(time, day=MONDAY):
        condition = selectors.open_now_condition(at(day, time))
        return set(ServicePoint.objects.filter(condition).values_list("name", flat=True))

    assert open_at("07:00") == {"食堂", "ATM"}
    assert open_at("21:00") == {"夜间门诊", "ATM", "周二维修"}  # 周一维修 closed on Monday by its notice
    assert open_at("01:00", TUESDAY) == {"夜间门诊", "ATM", "周二维修"}  # its Monday night did not happen
    assert open_at("09:00", TUESDAY) == {"ATM", "周一维修"}
