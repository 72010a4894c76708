"""The retention engine against hand computations (``fixtures.HISTORY``) and its properties; no database."""

from __future__ import annotations

import datetime
import math
import warnings
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from iepark.careers.analytics import retention
from iepark.careers.analytics.retention import (
    CENSORED,
    DAYS_PER_MONTH,
    LEFT_ZONE,
    MOVED_IN_ZONE,
    Employment,
    History,
    Observation,
    Selection,
)

from .fixtures import AS_OF, E1, E2, HIRE, d, history


def months(days: int) -> float:
    return days / DAYS_PER_MONTH


def close(a: float, b: float | Fraction) -> bool:
    return math.isclose(a, float(b), abs_tol=1e-9)


# --- spells and tenures --------------------------------------------------------------------------


def test_zone_spells_join_transfers_and_short_gaps_and_split_long_gaps():
    spells = retention.zone_spells(retention.observe(history(), AS_OF))
    by_person = {}
    for spell in spells:
        by_person.setdefault(spell.person, []).append(spell)
    assert "I" not in by_person  # only ever outside the zone
    (b,) = by_person["B"]
    assert (b.start, b.end, b.left_zone) == (HIRE, None, False)
    assert [t.employer for t in b.tenures] == [E1, E2]
    (f,) = by_person["F"]  # a new zone record 19 days after the last one continues the spell
    assert (f.end, f.left_zone) == (d("2023-10-01"), True)
    (e,) = by_person["E"]  # "transferred" with no later record known: in the zone, censored
    assert (e.end, e.left_zone) == (d("2023-07-01"), False)
    first, second = by_person["G"]  # 61 days between zone records: two spells
    assert (first.end, first.left_zone) == (d("2023-03-31"), True)
    assert (second.start, second.end, second.employer) == (d("2023-06-01"), None, E1)


def test_tenures_say_how_each_employment_ended():
    outcomes = {(t.person, t.employer, t.start): t.outcome for t in retention.tenures(retention.zone_spells(history()))}
    assert outcomes[("A", E1, HIRE)] == LEFT_ZONE
    assert outcomes[("B", E1, HIRE)] == MOVED_IN_ZONE
    assert outcomes[("B", E2, d("2023-05-01"))] == CENSORED
    assert outcomes[("E", E1, HIRE)] == MOVED_IN_ZONE  # by its reason
    assert outcomes[("F", E1, HIRE)] == MOVED_IN_ZONE  # by the next record, whatever the reason said
    assert outcomes[("F", E2, d("2023-03-19"))] == LEFT_ZONE
    assert outcomes[("G", E2, HIRE)] == LEFT_ZONE


def test_a_renewed_contract_is_one_tenure():
    records = [
        Employment("P", E1, d("2022-01-01"), d("2023-01-01"), "contract_ended"),
        Employment("P", E1, d("2023-01-10"), None),
    ]
    (tenure,) = retention.tenures(retention.zone_spells(records))
    assert (tenure.start, tenure.end, tenure.outcome) == (d("2022-01-01"), None, CENSORED)


def test_observe_forgets_what_happened_after_the_as_of_date():
    records = [
        Employment("P", E1, d("2023-01-01"), d("2024-03-01"), "resigned", insured_from=d("2024-02-01")),
        Employment("Q", E1, d("2024-02-01"), None),
    ]
    (seen,) = retention.observe(records, d("2024-01-15"))
    assert (seen.person, seen.end, seen.reason, seen.insured_from) == ("P", None, "", None)


# --- retention shares --------------------------------------------------------------------------


def test_retention_shares_by_hand():
    six, twelve, twenty_four = retention.retention_shares(History(history(), AS_OF))[None]
    # On 2023-07-01 B (at E2) and F (at E2) are insured in the zone; C, D, E left that day; G's later E1
    # job is not insured; H is insured only from August.
    assert (six.months, six.eligible, six.in_zone, six.same_employer) == (6, 8, 2, 0)
    assert six.in_zone_share == 0.25 and six.same_employer_share == 0
    # On 2024-01-01: B (E2) and H (E1, the employer that hired them).
    assert (twelve.eligible, twelve.in_zone, twelve.same_employer) == (8, 2, 1)
    # Nobody was hired 24 months before 2024-07-01.
    assert (twenty_four.eligible, twenty_four.in_zone_share) == (0, None)


def test_retention_shares_per_group_and_selection():
    by_college = retention.retention_shares(History(history(), AS_OF), group_by="college")
    assert by_college["ca"][0].eligible == 4 and by_college["ca"][0].in_zone == 1  # A B E G: B
    assert by_college["cb"][0].eligible == 4 and by_college["cb"][0].in_zone == 1  # C D F H: F
    hired_by_e2 = retention.retention_shares(History(history(), AS_OF), selection=Selection(enterprise=E2))[None]
    assert hired_by_e2[0].eligible == 3  # C, D, G


# --- turnover --------------------------------------------------------------------------------------


def test_turnover_by_hand():
    rows = {(r.employer, r.year): r for r in retention.turnover(History(history(), AS_OF))}
    e1 = rows[(E1, 2023)]
    # On 2023-01-01: A B E F H; separations A B E F; on 2023-12-31: G H.
    assert (e1.separations, e1.headcount_start, e1.headcount_end) == (4, 5, 2)
    assert e1.average_headcount == 3.5 and close(e1.rate, Fraction(4, 7) * 2)
    e2 = rows[(E2, 2023)]
    # On 2023-01-01: C D G; separations C D G F; on 2023-12-31: B.
    assert (e2.separations, e2.headcount_start, e2.headcount_end, e2.rate) == (4, 3, 1, 2.0)
    assert (rows[(E2, 2024)].separations, rows[(E2, 2024)].headcount_end, rows[(E2, 2024)].rate) == (0, 1, 0)
    assert set(rows) == {(E1, 2023), (E1, 2024), (E2, 2023), (E2, 2024)}


def test_turnover_of_a_year_without_staff_is_undefined():
    row = retention.Turnover(E1, 2023, 0, 0, 0)
    assert row.rate is None


# --- Kaplan–Meier ----------------------------------------------------------------------------------


def test_kaplan_meier_of_the_zone_by_hand():
    observations = retention.zone_observations(History(history(), AS_OF))
    curve = retention.kaplan_meier(observations)
    assert (curve.n, curve.events) == (8, 5)
    # The product-limit by hand: at each time with leavers, S *= (1 - left / at risk).
    #   59 days  (A leaves)          8 at risk:  S = 7/8
    #   89 days  (G leaves)          7 at risk:  S = 7/8 * 6/7 = 3/4
    #   181 days (C, D leave; E censored the same day, so still at risk)
    #                                6 at risk:  S = 3/4 * 4/6 = 1/2
    #   273 days (F leaves)          3 at risk:  S = 1/2 * 2/3 = 1/3
    #   547 days (B, H censored)     2 at risk:  S = 1/3
    expected = [(0, 1, 8, 0, 0), (59, Fraction(7, 8), 8, 1, 0), (89, Fraction(3, 4), 7, 1, 0)]
    expected += [(181, Fraction(1, 2), 6, 2, 1), (273, Fraction(1, 3), 3, 1, 0), (547, Fraction(1, 3), 2, 0, 2)]
    assert len(curve.points) == len(expected)
    for point, (days, survival, at_risk, left, censored) in zip(curve.points, expected, strict=True):
        assert close(point.time, months(days))
        assert close(point.survival, survival), days
        assert (point.at_risk, point.events, point.censored) == (at_risk, left, censored)
        assert point.lower <= point.survival <= point.upper
    assert close(curve.median, months(181))  # the first time S <= 1/2
    assert close(curve.survival_at(months(200)), Fraction(1, 2))


def test_kaplan_meier_band_is_greenwood_exponential():
    # At 59 days: S = 7/8, Greenwood var(log S) = 1/(8*7); the log(-log) band is S ** exp(±1.96 * se),
    # se = sqrt(var) / |log S|.
    curve = retention.kaplan_meier(retention.zone_observations(History(history(), AS_OF)))
    point = curve.points[1]
    s = 7 / 8
    se = math.sqrt(1 / 56) / abs(math.log(s))
    z = 1.959963984540054
    assert math.isclose(point.lower, s ** math.exp(z * se), rel_tol=1e-6)
    assert math.isclose(point.upper, s ** math.exp(-z * se), rel_tol=1e-6)


def test_kaplan_meier_by_group_and_hire_years():
    curves = retention.kaplan_meier_by_group(retention.zone_observations(History(history(), AS_OF), group_by="college"))
    assert [(c.key, c.n, c.events) for c in curves] == [("ca", 4, 2), ("cb", 4, 3)]
    later = retention.zone_observations(History(history(), AS_OF), selection=Selection(hired_from=2024))
    assert later == []
    assert retention.kaplan_meier(later).points == ()


def test_employer_view_counts_every_tenure_and_moves_as_leaving():
    observations = retention.employer_observations(History(history(), AS_OF), selection=Selection(enterprise=E1))
    curve = retention.kaplan_meier(observations)
    # E1's tenures: F 58 d (moved), A 59 d (left), B 120 d (moved), E 181 d (moved), G and H still there.
    assert (curve.n, curve.events) == (6, 4)
    assert close(curve.survival_at(months(200)), Fraction(1, 3))


# --- competing risks ---------------------------------------------------------------------------------


def test_competing_risks_by_hand_with_tied_causes():
    observations = retention.employer_observations(History(history(), AS_OF))
    result = retention.competing_risks(observations)
    assert result.n == 11 and result.events == {LEFT_ZONE: 5, MOVED_IN_ZONE: 3}
    # Aalen–Johansen by hand: F_k += S(t-) * d_k / n, S *= 1 - d / n.
    #   58 d  F moves        n=11:  F2 = 1/11                    S = 10/11
    #   59 d  A leaves       n=10:  F1 = 10/11 * 1/10 = 1/11     S = 9/11
    #   89 d  G leaves       n=9:   F1 = 2/11                    S = 8/11
    #   120 d B moves        n=8:   F2 = 2/11                    S = 7/11
    #   181 d C, D leave and E moves (a tie of different causes)
    #                        n=7:   F1 = 2/11 + 7/11 * 2/7 = 4/11, F2 = 3/11, S = 4/11
    #   196 d F leaves E2    n=4:   F1 = 5/11                    S = 3/11
    expected = {58: (0, 1, 10), 59: (1, 1, 9), 89: (2, 1, 8), 120: (2, 2, 7), 181: (4, 3, 4), 196: (5, 3, 3)}
    times = {round(p.time * DAYS_PER_MONTH): p for p in result.points}
    for days, (f1, f2, s) in expected.items():
        point = times[days]
        assert close(point.incidence[0], Fraction(f1, 11)), days
        assert close(point.incidence[1], Fraction(f2, 11)), days
        assert close(point.survival, Fraction(s, 11)), days
    assert close(result.incidence_at(LEFT_ZONE, months(1000)), Fraction(5, 11))
    assert close(result.incidence_at(MOVED_IN_ZONE, months(1000)), Fraction(3, 11))


def test_competing_risks_with_a_censoring_tied_to_an_event():
    # lifelines would jitter the tied times at random; with a jittered event after the censoring at t=2 it
    # counts 6 at risk instead of 7 (F1(3) = 0.2708 instead of 0.275).
    obs = [Observation(t, e) for t, e in [(1, 1), (2, 2), (2, 0), (3, 1), (4, 1), (4, 2), (5, 0), (6, 2)]]
    result = retention.competing_risks(obs)
    f1 = [result.incidence_at(1, t) for t in (1, 2, 3, 4, 6)]
    f2 = [result.incidence_at(2, t) for t in (1, 2, 3, 4, 6)]
    # By hand: S after each time 7/8, 3/4, 3/5, 3/10, (censored), 0.
    assert all(close(a, b) for a, b in zip(f1, [1 / 8, 1 / 8, 1 / 8 + 3 / 20, 0.275 + 0.15, 0.425], strict=True))
    assert all(close(a, b) for a, b in zip(f2, [0, 1 / 8, 1 / 8, 0.125 + 0.15, 0.275 + 0.3], strict=True))


def test_competing_risks_are_deterministic_and_lifelines_does_not_jitter():
    observations = retention.employer_observations(History(history(), AS_OF))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # lifelines warns whenever it jitters
        first = retention.competing_risks(observations)
        second = retention.competing_risks(list(reversed(observations)))
    assert first == second


def test_empty_inputs_give_empty_figures():
    assert retention.competing_risks([]).points == ()
    assert retention.kaplan_meier([]).n == 0
    assert retention.turnover(History([], AS_OF)) == []
    assert retention.retention_shares(History([], AS_OF))[None][0].eligible == 0


def test_add_months_keeps_the_end_of_month():
    assert retention.add_months(d("2023-08-31"), 6) == d("2024-02-29")
    assert retention.add_months(d("2023-01-15"), 24) == d("2025-01-15")


# --- properties -------------------------------------------------------------------------------------

observation_lists = st.lists(
    st.builds(Observation, st.integers(1, 40).map(lambda days: days * 30 / DAYS_PER_MONTH), st.integers(0, 2)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(observation_lists)
def test_curves_never_rise_and_stay_in_their_band(observations):
    curve = retention.kaplan_meier(observations)
    values = [p.survival for p in curve.points]
    assert all(a >= b - 1e-12 for a, b in zip(values, values[1:], strict=False))
    assert all(-1e-9 <= p.lower <= p.survival + 1e-9 <= p.upper + 2e-9 <= 1 + 3e-9 for p in curve.points)


def _lifelines_curve(observations):
    from lifelines import KaplanMeierFitter

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitter = KaplanMeierFitter().fit([o.duration for o in observations], [o.event != 0 for o in observations])
    table = fitter.event_table
    band = fitter.confidence_interval_.to_numpy()
    return [
        (time, s, lo, hi, at_risk, observed, censored)
        for time, s, (lo, hi), at_risk, observed, censored in zip(
            table.index,
            fitter.survival_function_.iloc[:, 0],
            band,
            table["at_risk"],
            table["observed"],
            table["censored"],
            strict=True,
        )
    ]


@settings(max_examples=60, deadline=None)
@given(observation_lists)
def test_kaplan_meier_agrees_with_lifelines(observations):
    ours = retention.kaplan_meier(observations).points
    theirs = _lifelines_curve(observations)
    assert len(ours) == len(theirs)
    for point, (time, s, lo, hi, at_risk, observed, censored) in zip(ours, theirs, strict=True):
        assert close(point.time, time) and close(point.survival, s)
        assert math.isclose(point.lower, lo, abs_tol=1e-9) and math.isclose(point.upper, hi, abs_tol=1e-9)
        assert (point.at_risk, point.events, point.censored) == (at_risk, observed, censored)


def test_kaplan_meier_of_the_fixture_agrees_with_lifelines():
    observations = retention.zone_observations(History(history(), AS_OF))
    ours = retention.kaplan_meier(observations).points
    theirs = _lifelines_curve(observations)
    flat = [value for p in ours for value in (p.survival, p.lower, p.upper)]
    assert flat == pytest.approx([float(value) for row in theirs for value in row[1:4]])


@settings(max_examples=60, deadline=None)
@given(observation_lists)
def test_incidences_rise_and_add_up_to_one_minus_survival(observations):
    result = retention.competing_risks(observations)
    previous = (0.0, 0.0)
    for point in result.points:
        assert all(now >= before - 1e-12 for now, before in zip(point.incidence, previous, strict=True))
        assert sum(point.incidence) <= 1 - point.survival + 1e-9
        assert math.isclose(sum(point.incidence), 1 - point.survival, abs_tol=1e-9)
        previous = point.incidence


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.sampled_from([E1, E2, None]), st.integers(0, 700), st.integers(1, 400)),
        max_size=25,
    )
)
def test_shares_and_turnover_stay_in_range(rows):
    start = datetime.date(2022, 1, 1)
    records = [
        Employment(
            person,
            employer,
            start + datetime.timedelta(days=offset),
            start + datetime.timedelta(days=offset + length) if length < 300 else None,
            "resigned" if length < 300 else "",
            insured_from=start + datetime.timedelta(days=offset),
        )
        for person, employer, offset, length in rows
    ]
    for share in retention.retention_shares(History(records, AS_OF))[None]:
        assert 0 <= share.same_employer <= share.in_zone <= share.eligible
    for row in retention.turnover(History(records, AS_OF)):
        assert row.separations >= 0 and (row.rate is None or row.rate >= 0)


@pytest.mark.parametrize("group_by", retention.GROUPINGS)
def test_every_grouping_gives_curves(group_by):
    curves = retention.kaplan_meier_by_group(retention.zone_observations(History(history(), AS_OF), group_by=group_by))
    assert sum(c.n for c in curves) == 8
