"""
The small employment history the analytics tests compute by hand.

Eight people hired into the zone on 2023-01-01 (and one who only ever worked
outside it), observed on 2024-07-01; ``E1``/``E2`` stand for two zone
enterprises. End dates are the day the person left.

====  ==========================================================================
A     E1 until 2023-03-01, resigned                         → left the zone (59 days)
B     E1 until 2023-05-01, transferred; E2 from 2023-05-01  → still in the zone
C     E2 until 2023-07-01, resigned                         → left (181 days)
D     E2 until 2023-07-01, dismissed                        → left (181 days, a tie)
E     E1 until 2023-07-01, transferred, no later record     → censored at 181 days
F     E1 until 2023-02-28, resigned; E2 from 2023-03-19 (19 days later: the spell
      goes on) until 2023-10-01, resigned                   → left (273 days)
G     E2 until 2023-03-31, contract ended; outside the zone; E1 from 2023-06-01
      (61 days later: a new spell) without social insurance → left (89 days)
H     E1, still there, insured only from 2023-08-01         → censored (547 days)
I     outside the zone only
====  ==========================================================================
"""

from __future__ import annotations

import datetime

from iepark.careers.analytics.retention import Employment

AS_OF = datetime.date(2024, 7, 1)
HIRE = datetime.date(2023, 1, 1)
E1, E2 = "E1", "E2"


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


# (person, employer, start, end, reason, insured from ("start" for the start date), college, order class)
HISTORY = [
    ("A", E1, "2023-01-01", "2023-03-01", "resigned", "start", "ca", False),
    ("B", E1, "2023-01-01", "2023-05-01", "transferred", "start", "ca", True),
    ("B", E2, "2023-05-01", None, "", "start", "ca", True),
    ("C", E2, "2023-01-01", "2023-07-01", "resigned", "start", "cb", False),
    ("D", E2, "2023-01-01", "2023-07-01", "dismissed", "start", "cb", False),
    ("E", E1, "2023-01-01", "2023-07-01", "transferred", "start", "ca", True),
    ("F", E1, "2023-01-01", "2023-02-28", "resigned", "start", "cb", False),
    ("F", E2, "2023-03-19", "2023-10-01", "resigned", "start", "cb", False),
    ("G", E2, "2023-01-01", "2023-03-31", "contract_ended", "start", "ca", False),
    ("G", None, "2023-04-09", "2023-05-20", "resigned", "start", "ca", False),
    ("G", E1, "2023-06-01", None, "", None, "ca", False),
    ("H", E1, "2023-01-01", None, "", "2023-08-01", "cb", False),
    ("I", None, "2023-01-01", None, "", "start", "cb", False),
]


def history() -> list[Employment]:
    records = []
    for index, (person, employer, start, end, reason, insured, college, order_class) in enumerate(HISTORY):
        records.append(
            Employment(
                person=person,
                employer=employer,
                start=d(start),
                end=d(end) if end else None,
                reason=reason,
                insured_from=d(start) if insured == "start" else (d(insured) if insured else None),
                attrs={"cohort": 2020, "college": college, "major": "m", "order_class": order_class},
                id=index,
            )
        )
    return records
