"""
The retention figures of the outcomes dashboard at park scale.

Builds a random employment history of ``--people`` graduates (default 20,000),
hired into the zone over four years by ``--enterprises`` enterprises (default
60), staying an exponentially distributed time (median about 18 months); of
those who leave an employer, a third move to another zone enterprise within a
month (some recorded as "transferred", some as a new record 1–30 days later),
the rest leave the zone. Then times each computation of one dashboard request
(``iepark.careers.analytics``: spells, Kaplan–Meier curves by group with their
bands, Aalen–Johansen competing risks, retention shares, turnover), for every
grouping of the curves, and the Kaplan–Meier curves by enterprise with
lifelines' ``KaplanMeierFitter`` for comparison (same values, slower).

Reference: the iepark budget for the dashboard's computations is 2 s on the
2-core development machine (the page must answer in a few seconds with the
database reads and the rendering on top); the figures are compared with it.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from iepark.careers.analytics import retention
from iepark.careers.analytics.retention import Employment, History, Selection

BUDGET_S = 2.0
REFERENCE = "iepark budget"
AS_OF = datetime.date(2026, 11, 29)


def build_history(*, people: int, enterprises: int, seed: int) -> list[Employment]:
    """Return a random employment history: each person's zone records, possibly ending outside the zone."""
    rng = random.Random(seed)
    records: list[Employment] = []
    first_hire = AS_OF - datetime.timedelta(days=4 * 365)
    for person in range(people):
        cohort = 2019 + person % 4
        attrs = {
            "cohort": cohort,
            "college": f"college-{rng.randrange(8)}",
            "major": f"major-{rng.randrange(25)}",
            "order_class": rng.random() < 0.25,
        }
        start = first_hire + datetime.timedelta(days=rng.randrange(4 * 365))
        employer = rng.randrange(enterprises)
        while start <= AS_OF:
            stay = max(1, int(rng.expovariate(1 / 800)))
            end = start + datetime.timedelta(days=stay)
            insured = start + datetime.timedelta(days=rng.choice((0, 0, 0, 15, 30)))
            if end > AS_OF:
                records.append(Employment(person, employer, start, None, "", insured, attrs, len(records)))
                break
            moves = rng.random() < 1 / 3
            reason = "transferred" if moves and rng.random() < 0.5 else rng.choice(("resigned", "contract_ended"))
            records.append(Employment(person, employer, start, end, reason, insured, attrs, len(records)))
            if not moves:
                break
            start = end + datetime.timedelta(days=0 if reason == "transferred" else rng.randrange(1, 31))
            employer = (employer + 1 + rng.randrange(enterprises - 1)) % enterprises
    return records


def _time(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), value


def _lifelines_difference(observations: list[retention.Observation]) -> float:
    """Fit lifelines' KaplanMeierFitter per group; return the largest difference from ``retention.kaplan_meier``."""
    import warnings

    from lifelines import KaplanMeierFitter

    groups: dict[Any, list[retention.Observation]] = {}
    for observation in observations:
        groups.setdefault(observation.group, []).append(observation)
    gap = 0.0
    for items in groups.values():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitter = KaplanMeierFitter().fit([o.duration for o in items], [o.event != 0 for o in items])
        band = fitter.confidence_interval_.to_numpy()
        ours = retention.kaplan_meier(items).points
        for point, s, (low, high) in zip(ours, fitter.survival_function_.iloc[:, 0], band, strict=True):
            gap = max(gap, abs(point.survival - s), abs(point.lower - low), abs(point.upper - high))
    return gap


def dashboard(records: list[Employment], group_by: str, view: str = "zone") -> dict[str, Any]:
    """Compute what one dashboard request computes (``figures.outcomes`` without the database and labels)."""
    history = History(records, AS_OF)
    observe = retention.employer_observations if view == "employer" else retention.zone_observations
    return {
        "curves": retention.kaplan_meier_by_group(observe(history, group_by=group_by)),
        "shares": (shares := retention.retention_shares(history, group_by=group_by)),
        "overall": retention.overall_shares(shares),
        "risks": retention.competing_risks(retention.employer_observations(history)),
        "turnover": retention.turnover(history, years=range(AS_OF.year - 4, AS_OF.year + 1)),
    }


def main(argv: list[str] | None = None) -> None:
    """Build the history, time each step and print the figures against the iepark budget."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--enterprises", type=int, default=60)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the median is shown")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    records = build_history(people=args.people, enterprises=args.enterprises, seed=args.seed)
    t0 = time.perf_counter() - t0
    import lifelines  # noqa: F401 - imported once, outside the timings (about 2 s, paid by the first request)

    history = History(records, AS_OF)
    zone = retention.zone_observations(history)
    employer = retention.employer_observations(history)
    print(
        f"history: {len(records)} records of {args.people} people, {len(history.spells)} zone spells, "
        f"{len(history.tenures)} tenures, {sum(o.event != 0 for o in zone)} left the zone, "
        f"{sum(o.event == retention.MOVED_IN_ZONE for o in employer)} moves within it; built in {t0:.1f} s"
    )

    figures: list[tuple[str, float]] = []
    figures.append(("spells and tenures", _time(lambda: History(records, AS_OF), args.repeat)[0]))
    for group_by in retention.GROUPINGS:
        observations = retention.zone_observations(history, group_by=group_by)
        groups = len({o.group for o in observations})
        seconds = _time(lambda o=observations: retention.kaplan_meier_by_group(o), args.repeat)[0]
        figures.append((f"Kaplan–Meier by {group_by} ({groups} curves)", seconds))
    by_enterprise = retention.zone_observations(history, group_by="enterprise")
    reference_s, gap = _time(lambda: _lifelines_difference(by_enterprise), 1)
    figures.append(("  same with lifelines' KaplanMeierFitter", reference_s))
    figures.append(
        (
            f"Aalen–Johansen, all {len(employer)} tenures",
            _time(lambda: retention.competing_risks(employer), args.repeat)[0],
        )
    )
    one = retention.employer_observations(history, selection=Selection(enterprise=0))
    figures.append(
        (f"Aalen–Johansen, one enterprise ({len(one)})", _time(lambda: retention.competing_risks(one), args.repeat)[0])
    )
    figures.append(("retention shares 6/12/24", _time(lambda: retention.retention_shares(history), args.repeat)[0]))
    figures.append(
        (
            "turnover (5 years)",
            _time(lambda: retention.turnover(history, years=range(AS_OF.year - 4, AS_OF.year + 1)), args.repeat)[0],
        )
    )
    requests = []
    for group_by in retention.GROUPINGS:
        requests.append(
            (f"dashboard, curves by {group_by}", _time(lambda g=group_by: dashboard(records, g), args.repeat)[0])
        )
    requests.append(
        (
            "dashboard, employer view by enterprise",
            _time(lambda: dashboard(records, "enterprise", "employer"), args.repeat)[0],
        )
    )
    print(f"largest difference from lifelines' Kaplan–Meier (survival and band, 60 curves): {gap:.1e}")
    print(f"median of {args.repeat} runs:")
    for label, seconds in figures + requests:
        print(f"  {label:<48} {seconds * 1000:8.0f} ms")
    worst_label, worst = max(requests, key=lambda item: item[1])
    verdict = "within" if worst <= BUDGET_S else "OVER"
    print(
        f"{REFERENCE}: the dashboard's computations <= {BUDGET_S:.1f} s -> slowest {worst:.2f} s ({worst_label}), "
        f"{verdict} budget ({worst / BUDGET_S:.0%})"
    )


if __name__ == "__main__":
    main()
