"""The opening-hours rule as plain data: periods, past midnight, 24 hours, closed days, time zone, overlaps."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from iepark.operations import hours
from iepark.operations.hours import Period

from .factories import MONDAY, at, t

TUESDAY, WEDNESDAY, SUNDAY = (MONDAY + datetime.timedelta(days=n) for n in (1, 2, 6))
CANTEEN = [Period(0, t("06:30"), t("09:00")), Period(0, t("11:00"), t("13:30"))]
NIGHT = [Period(0, t("20:00"), t("02:00"))]  # Monday night into Tuesday


def test_several_periods_a_day():
    assert hours.is_open(CANTEEN, at(MONDAY, "06:30"))
    assert hours.is_open(CANTEEN, at(MONDAY, "12:00"))
    assert not hours.is_open(CANTEEN, at(MONDAY, "09:00"))  # closing time is exclusive
    assert not hours.is_open(CANTEEN, at(MONDAY, "10:00"))
    assert not hours.is_open(CANTEEN, at(TUESDAY, "07:00"))  # a weekday without periods is closed


def test_period_over_midnight_belongs_to_the_day_it_starts():
    assert hours.is_open(NIGHT, at(MONDAY, "23:59"))
    assert hours.is_open(NIGHT, at(TUESDAY, "00:00"))
    assert hours.is_open(NIGHT, at(TUESDAY, "01:59"))
    assert not hours.is_open(NIGHT, at(TUESDAY, "02:00"))
    assert not hours.is_open(NIGHT, at(MONDAY, "01:00"))  # Sunday night has no period
    assert not hours.is_open(NIGHT, at(TUESDAY, "20:30"))


def test_sunday_night_runs_into_monday():
    periods = [Period(6, t("22:00"), t("01:00"))]
    assert hours.is_open(periods, at(MONDAY, "00:30"))
    assert hours.is_open(periods, at(SUNDAY, "22:30"))


def test_opening_equal_to_closing_means_around_the_clock():
    atm = [Period(day, t("00:00"), t("00:00")) for day in range(7)]
    for day in (MONDAY, WEDNESDAY, SUNDAY):
        for moment in ("00:00", "12:00", "23:59"):
            assert hours.is_open(atm, at(day, moment))
    assert Period(0, t("00:00"), t("00:00")).minutes == 24 * 60


def test_a_closed_date_closes_the_whole_day_and_its_night_period():
    assert not hours.is_open(CANTEEN, at(MONDAY, "07:00"), closed_dates={MONDAY})
    assert not hours.is_open(NIGHT, at(MONDAY, "21:00"), closed_dates={MONDAY})
    # The Monday night period does not happen, so Tuesday 01:00 is closed too.
    assert not hours.is_open(NIGHT, at(TUESDAY, "01:00"), closed_dates={MONDAY})
    # Closing Tuesday also closes the end of Monday's night period that falls on Tuesday.
    assert not hours.is_open(NIGHT, at(TUESDAY, "01:00"), closed_dates={TUESDAY})
    assert hours.is_open(NIGHT, at(MONDAY, "21:00"), closed_dates={TUESDAY})


def test_moments_are_taken_in_beijing_time():
    # 23:30 UTC on Sunday is 07:30 on Monday in Beijing.
    sunday_evening_utc = datetime.datetime.combine(SUNDAY - datetime.timedelta(days=7), t("23:30"), tzinfo=datetime.UTC)
    assert hours.is_open(CANTEEN, sunday_evening_utc)
    berlin = datetime.datetime.combine(MONDAY, t("07:30"), tzinfo=ZoneInfo("Europe/Berlin"))  # 14:30 in Beijing
    assert not hours.is_open(CANTEEN, berlin)


def test_overlaps_are_found_within_a_day_across_midnight_and_across_the_week_end():
    assert hours.overlapping(CANTEEN) == []
    touching = [Period(0, t("08:00"), t("12:00")), Period(0, t("12:00"), t("14:00"))]
    assert hours.overlapping(touching) == []
    assert len(hours.overlapping([Period(0, t("08:00"), t("12:00")), Period(0, t("11:00"), t("14:00"))])) == 1
    assert len(hours.overlapping([Period(0, t("22:00"), t("03:00")), Period(1, t("02:00"), t("05:00"))])) == 1
    assert len(hours.overlapping([Period(6, t("22:00"), t("03:00")), Period(0, t("01:00"), t("05:00"))])) == 1
    assert hours.overlapping([Period(6, t("22:00"), t("03:00")), Period(0, t("03:00"), t("05:00"))]) == []


def test_grouped_rows_join_days_with_the_same_times():
    periods = [Period(d, t("06:30"), t("09:00")) for d in range(5)] + [Period(5, t("08:00"), t("12:00"))]
    assert hours.grouped(periods) == [((0, 1, 2, 3, 4), t("06:30"), t("09:00")), ((5,), t("08:00"), t("12:00"))]
