"""The round's report."""

from __future__ import annotations

from engines.matching.io import parse_instance, report_to_dict
from engines.matching.model import GroupRate, Report
from engines.matching.report import report
from engines.matching.solver import solve


def test_report_of_hand_example() -> None:
    instance = parse_instance(
        {
            "students": [
                {"id": "s1", "prefs": ["P1", "P2"], "college": "Eng", "major": "CS"},
                {"id": "s2", "prefs": ["P1", "P3"], "college": "Eng", "major": "EE"},
                {"id": "s3", "prefs": ["P1", "P2", "P3"], "college": "Biz", "major": "Acct"},
                {"id": "s4", "prefs": ["P2", "P1"], "college": "Biz"},
                {"id": "s5", "prefs": ["P1", "P3"], "college": "Eng", "major": "CS"},
                {"id": "s6", "prefs": ["P4", "P2", "P3", "P1"]},
            ],
            "positions": [
                {"id": "P1", "capacity": 2, "prefs": ["s4", "s3", "s1", "s2"]},
                {"id": "P2", "capacity": 1, "prefs": ["s1", "s3", "s4"]},
                {"id": "P3", "capacity": 1, "prefs": ["s2", "s3", "s5"]},
                {"id": "P4", "capacity": 3, "prefs": []},
            ],
        }
    )
    result = solve(instance)
    assert result.assignment == {"s1": "P1", "s2": "P3", "s3": "P1", "s4": "P2", "s5": None, "s6": None}
    figures = report(instance, result)
    assert (figures.students, figures.matched, figures.seats, figures.unfilled_seats) == (6, 4, 7, 3)
    assert (figures.first_choice, figures.top3_choice) == (3, 4)
    assert figures.matched_share == 4 / 6
    assert figures.by_attribute["college"] == {
        Report.UNSPECIFIED: GroupRate(1, 0),
        "Biz": GroupRate(2, 2),
        "Eng": GroupRate(3, 2),
    }
    assert figures.by_attribute["major"]["CS"] == GroupRate(2, 1)
    assert report(instance, result, attributes=["major"]).by_attribute.keys() == {"major"}
    data = report_to_dict(figures)
    assert data["top3_share"] == 0.6667
    assert data["by_attribute"]["college"]["Eng"] == {"students": 3, "matched": 2, "match_rate": 0.6667}


def test_empty_round() -> None:
    instance = parse_instance({"students": [], "positions": []})
    figures = report(instance, solve(instance))
    assert (figures.matched_share, figures.first_choice_share, figures.top3_share) == (0.0, 0.0, 0.0)
