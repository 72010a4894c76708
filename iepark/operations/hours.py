"""
Opening hours as plain data: when is a service point open? (No Django imports: testable alone.)

A service point's week is a list of ``Period`` rows: a weekday with an opening
and a closing time. Several periods a day are allowed (a canteen opens for each
meal). A period whose closing time is not after its opening time runs past
midnight into the next day (22:00–02:00); one that closes when it opens lasts
24 hours (00:00–00:00 is "open all day"). A weekday without periods is a closed
day, and so is every date in ``closed_dates`` (e.g. a maintenance notice that
closes the point): closed all that date, and a period starting on it does not
happen. Times are the park's local time, Beijing time (Asia/Shanghai).

``iepark.operations.selectors.annotate_open_now`` states the same rule in SQL
for lists; tests hold the two to each other.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

PARK_TIME_ZONE = ZoneInfo("Asia/Shanghai")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


@dataclass(frozen=True, order=True)
class Period:
    weekday: int  # Monday is 0, as ``date.weekday()``
    opens: datetime.time
    closes: datetime.time

    @property
    def overnight(self) -> bool:
        """Return whether the period runs past midnight (or lasts 24 hours)."""
        return self.closes <= self.opens

    @property
    def minutes(self) -> int:
        """Return how long the period lasts, in minutes (1 to 1440)."""
        length = (_minute(self.closes) - _minute(self.opens)) % DAY_MINUTES
        return length or DAY_MINUTES

    def week_span(self) -> tuple[int, int]:
        """Return the period as (start, end) minutes from Monday 00:00 (end may pass the week's end)."""
        start = self.weekday * DAY_MINUTES + _minute(self.opens)
        return start, start + self.minutes


def _minute(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def local(when: datetime.datetime) -> datetime.datetime:
    """Return ``when`` in the park's time zone (a naive datetime is taken as already local)."""
    if when.tzinfo is None:
        return when.replace(tzinfo=PARK_TIME_ZONE)
    return when.astimezone(PARK_TIME_ZONE)


def is_open(periods: Iterable[Period], when: datetime.datetime, closed_dates: Collection[datetime.date] = ()) -> bool:
    """Return whether a point with ``periods`` and ``closed_dates`` is open at ``when``."""
    moment = local(when)
    today, now = moment.date(), moment.time()
    if today in closed_dates:
        return False
    yesterday = today - datetime.timedelta(days=1)
    for period in periods:
        if period.weekday == today.weekday() and period.opens <= now and (period.overnight or now < period.closes):
            return True
        if (
            period.weekday == yesterday.weekday()
            and period.overnight
            and now < period.closes
            and yesterday not in closed_dates
        ):
            return True
    return False


def periods_on(periods: Iterable[Period], weekday: int) -> list[Period]:
    """Return the periods starting on ``weekday``, by opening time."""
    return sorted(p for p in periods if p.weekday == weekday)


def overlapping(periods: Iterable[Period]) -> list[tuple[Period, Period]]:
    """Return the pairs of periods that overlap in the week (periods that only touch do not)."""
    spans: list[tuple[int, int, Period]] = []
    for period in periods:
        start, end = period.week_span()
        if end > WEEK_MINUTES:  # Sunday night into Monday morning
            spans.append((start, WEEK_MINUTES, period))
            spans.append((0, end - WEEK_MINUTES, period))
        else:
            spans.append((start, end, period))
    spans.sort(key=lambda s: (s[0], s[1]))
    pairs = []
    for i, (_start, end, period) in enumerate(spans):
        for other_start, _other_end, other in spans[i + 1 :]:
            if other_start >= end:
                break
            if other is not period:
                pairs.append((period, other))
    return pairs


def grouped(periods: Iterable[Period]) -> list[tuple[tuple[int, ...], datetime.time, datetime.time]]:
    """Return the periods as (weekdays, opens, closes) rows: the same times on several days make one row."""
    days: dict[tuple[datetime.time, datetime.time], list[int]] = {}
    for period in sorted(periods):
        days.setdefault((period.opens, period.closes), []).append(period.weekday)
    rows = [(tuple(sorted(set(weekdays))), opens, closes) for (opens, closes), weekdays in days.items()]
    return sorted(rows, key=lambda row: (row[0][0], row[1]))
