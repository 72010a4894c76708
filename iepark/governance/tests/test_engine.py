"""The pure computation, on facts the platform does not keep yet (certificates, apprenticeships) and on caps."""

from __future__ import annotations

from iepark.governance import rules

EMPLOYED = rules.EmploymentFact(1, 10, 20, 30, 40, "2024-07-01", None, "2024-07-01", False, "fixed_term", 2024)


def _inputs(rule, *, certificates=None, apprenticeships=None, employment=(EMPLOYED,), cap=None, prior=()):
    spec = rules.RuleSpec(7, rule[0], rule[1], rules.validate_params(*rule))
    return rules.Inputs(
        "2025-01-01", "2025-12-31", [spec], cap, list(employment), certificates, apprenticeships, list(prior)
    )


CERTIFICATE_RULE = (
    "certificate",
    "graduate",
    {"amount_junior": "1000", "amount_intermediate": "1500", "amount_senior": "2000"},
)


def test_certificates_pay_the_highest_level_once_to_the_graduate_employed_in_the_zone():
    certificates = [
        rules.CertificateFact(1, 10, 20, 30, "junior", "2025-03-01"),
        rules.CertificateFact(2, 10, 20, 30, "intermediate", "2025-09-01"),
        rules.CertificateFact(3, 11, 21, 30, "senior", "2025-05-01"),  # not employed in the zone
        rules.CertificateFact(4, 10, 20, 30, "senior", "2024-05-01"),  # issued before the period
    ]
    result = rules.compute(_inputs(CERTIFICATE_RULE, certificates=certificates))
    assert [(line.person_id, line.amount, line.evidence["level"]) for line in result.lines] == [
        (20, "1500.00", "intermediate")
    ]
    assert result.lines[0].payee == "person:20" and result.lines[0].evidence["employment_records"] == [1]
    assert result.warnings == []


def test_missing_certificate_data_is_a_warning_not_a_zero():
    result = rules.compute(_inputs(CERTIFICATE_RULE, certificates=None))
    assert result.lines == [] and [w.code for w in result.warnings] == ["certificate_data_missing"]


def test_apprentices_are_paid_per_completed_year_under_a_long_enough_contract():
    apprenticeships = [
        rules.ApprenticeshipFact(1, 10, 20, 30, 40, "2024-03-01", None, 24),  # year 1 completed 2025-03-01
        rules.ApprenticeshipFact(2, 11, 21, 30, 40, "2024-03-01", None, 6),  # contract too short
        rules.ApprenticeshipFact(3, 12, 22, 30, 41, "2024-03-01", "2024-12-31", 24),  # left before the year ended
    ]
    result = rules.compute(
        _inputs(("apprentice", "employer", {"amount_per_year": "5000"}), apprenticeships=apprenticeships)
    )
    assert [(line.student_id, line.payee, line.amount, line.evidence["year"]) for line in result.lines] == [
        (10, "org:40", "5000.00", 1)
    ]
    none = rules.compute(_inputs(("apprentice", "employer", {"amount_per_year": "5000"}), apprenticeships=None))
    assert [w.code for w in none.warnings] == ["apprenticeship_data_missing"]


def test_programme_cap_counts_the_years_earlier_payments():
    employment = [
        rules.EmploymentFact(i, 10 + i, 20 + i, 30, 40, "2024-07-01", None, "2024-07-01", False, "fixed_term", 2024)
        for i in range(1, 4)
    ]
    prior = [rules.PriorPayment(99, "graduate_hire", 50, "org:30", "2500.00")]
    result = rules.compute(
        _inputs(
            ("retention", "college", {"months": 12, "amount": "1000"}),
            employment=employment,
            cap="4000.00",
            prior=prior,
        )
    )
    assert [line.amount for line in result.lines] == ["1000.00", "500.00", "0.00"]
    assert [line.capped for line in result.lines] == ["", "programme", "programme"]


def test_canonical_inputs_do_not_depend_on_the_order_of_the_facts():
    a = rules.EmploymentFact(1, 10, 20, 30, 40, "2024-07-01", None, "2024-07-01", False, "fixed_term", 2024)
    b = rules.EmploymentFact(2, 11, 21, 30, 40, "2024-07-02", None, "2024-07-02", True, "fixed_term", 2024)
    rule = ("retention", "college", {"months": 12, "amount": "1000"})
    assert _inputs(rule, employment=[a, b]).canonical() == _inputs(rule, employment=[b, a]).canonical()
    assert [x.canonical() for x in rules.compute(_inputs(rule, employment=[a, b])).lines] == [
        x.canonical() for x in rules.compute(_inputs(rule, employment=[b, a])).lines
    ]
