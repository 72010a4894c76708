"""A term's period times and teaching dates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from iepark.teaching import services

pytestmark = pytest.mark.django_db


def _term(world, **fields):
    values = {
        "name": "2026 秋季学期",
        "start_date": datetime.date(2026, 9, 2),  # a Wednesday
        "end_date": datetime.date(2027, 1, 15),
        "teaching_weeks": 3,
        "days_per_week": 5,
        "periods_per_day": 4,
    }
    values.update(fields)
    return services.term_create(actor=world.park_admin, park=world.park, **values)


def test_default_period_times_are_the_parks_usual_day(world):
    term = _term(world)
    assert term.period_span(1) == (datetime.time(8, 0), datetime.time(8, 45))
    assert term.period_span(4) == (datetime.time(10, 45), datetime.time(11, 30))


def test_period_times_are_validated_and_normalised(world):
    term = _term(world, period_times=["8:00-8:40", "08:50 - 09:30", "10:00-10:40", "10:50-11:30"])
    assert term.period_times == ["08:00-08:40", "08:50-09:30", "10:00-10:40", "10:50-11:30"]
    assert term.period_span(2) == (datetime.time(8, 50), datetime.time(9, 30))


@pytest.mark.parametrize(
    ("times", "message"),
    [
        (["08:00"], "HH:MM-HH:MM"),
        (["08:00-08:45"], "all 4 periods"),
        (["08:00-08:45", "08:30-09:15", "10:00-10:40", "10:50-11:30"], "before the next one starts"),
        (["09:00-08:45", "09:30-10:15", "10:30-11:10", "11:20-12:00"], "end after it starts"),
    ],
)
def test_bad_period_times_are_refused_and_nothing_is_written(world, times, message):
    from iepark.teaching.models import Term

    with pytest.raises(ValidationError) as exc:
        _term(world, period_times=times)
    assert message in " ".join(exc.value.message_dict["period_times"])
    assert not Term.objects.filter(name="2026 秋季学期").exists()


def test_teaching_dates_leave_out_holidays_and_dates_outside_the_term(world):
    term = _term(world, holidays=["2026-09-09"])
    # Week 1 is the week of Wednesday 2 September: its Monday (31 August) is before the term.
    assert term.teaching_dates(0) == [datetime.date(2026, 9, 7), datetime.date(2026, 9, 14)]
    assert term.teaching_dates(2) == [datetime.date(2026, 9, 2), datetime.date(2026, 9, 16)]  # 9 Sept: holiday
    assert term.week_of(datetime.date(2026, 9, 16)) == 3 and term.week_of(datetime.date(2026, 9, 21)) is None


def test_the_term_form_takes_period_times_as_text(world, browser_client):
    from django.urls import reverse

    from iepark.teaching.models import Term

    client = browser_client(world.park_admin)
    response = client.post(
        reverse("term_create"),
        {
            "park": world.park.pk,
            "name": "2027 春季学期",
            "start_date": "2027-02-22",
            "end_date": "2027-06-30",
            "teaching_weeks": "16",
            "days_per_week": "5",
            "periods_per_day": "2",
            "period_times": "08:00-08:45\n09:00-09:45",
            "holidays": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Term.objects.get(name="2027 春季学期").period_times == ["08:00-08:45", "09:00-09:45"]
