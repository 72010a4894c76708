"""The recommendation rule of supply against demand; no database."""

import pytest

from iepark.careers.analytics import supply
from iepark.careers.analytics.supply import BALANCED, SHORTAGE, SURPLUS, Gap


@pytest.mark.parametrize(
    ("demand", "graduates", "status", "seats"),
    [
        (100, 80, SHORTAGE, 20),  # gap 20 >= 10% of 100
        (100, 91, BALANCED, 0),  # gap 9 < 10
        (100, 90, SHORTAGE, 10),  # exactly 10%: a shortage
        (100, 115, SURPLUS, 0),
        (0, 5, SURPLUS, 0),  # graduates nobody asked for
        (0, 0, BALANCED, 0),
        (7, 0, SHORTAGE, 7),
    ],
)
def test_gap_status_and_order_class_seats(demand, graduates, status, seats):
    gap = Gap(demand, graduates)
    assert (gap.status, gap.order_class_seats) == (status, seats)


def test_intake_change_is_the_gap_over_the_share_the_zone_keeps():
    shortage = Gap(100, 80)
    assert shortage.intake_change(0.5) == 40  # 20 / 0.5
    assert shortage.intake_change(0.6) == 34  # 33.3 rounded up
    assert shortage.intake_change(None) == 20  # no rate known: the gap itself
    assert shortage.intake_change(0) == 20  # an unusable rate is ignored
    assert Gap(100, 130).intake_change(0.5) == -30  # a surplus lowers the intake by the surplus
    assert Gap(100, 95).intake_change(0.5) == 0


def test_keep_rate_multiplies_what_is_known():
    assert supply.keep_rate(0.8, 0.5) == pytest.approx(0.4)
    assert supply.keep_rate(None, 0.5) == 0.5
    assert supply.keep_rate(None, None) is None


def test_average_gaps_count_missing_years_as_zero():
    rows = [(2027, "m", Gap(30, 10)), (2028, "m", Gap(30, 20))]
    average = supply.average_gaps(rows, [2027, 2028, 2029])["m"]
    assert (average.demand, average.supply, average.gap) == (20, 10, 10)


def test_skills_in_demand_against_students_profiles():
    lines = [(2027, "焊接、电工证\nPLC", 5), (2027, "plc; 仪表", 3), (2028, "焊接", 2)]
    profiles = [(2027, "PLC编程, 焊接"), (2027, "电工证"), (2028, "焊接"), (2029, "焊接")]
    rows = {row["skill"]: row for row in supply.skills_demand(lines, profiles)}
    assert rows["焊接"] == {"skill": "焊接", "demand": 7, "supply": 2}  # 2029's welder graduates too late
    assert rows["PLC"]["demand"] == 8 and rows["PLC"]["supply"] == 1
    assert rows["电工证"]["supply"] == 1 and rows["仪表"]["supply"] == 0
    assert supply.skill_tokens(" a, A ,b/ c ") == ["a", "b", "c"]
