"""Graduate destinations, the suggestion from zone employment, and the placement rate against a hand computation."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from iepark.careers.choices import ContractType, DestinationCategory
from iepark.careers.models import GraduateDestination
from iepark.careers.outcomes import selectors, services
from iepark.careers.testing import make_employment
from iepark.core.choices import StudentStatus

C = DestinationCategory


def _dest(student, category, as_of, **fields):
    return GraduateDestination.objects.create(student=student, category=category, as_of=as_of, **fields)


def test_college_staff_record_a_destination_with_audit(world, days_ago):
    from iepark.testing import audit_count

    destination = services.destination_create(
        actor=world.manager_a,
        student=world.a_student,
        category=C.CONTRACT_EMPLOYMENT,
        as_of=days_ago(10),
        employer=world.enterprise_1,
        detail="化工操作工",
    )
    assert audit_count(destination, "create", destination.pk) == 1


def test_other_colleges_and_enterprises_cannot_record_it(world, days_ago):
    for persona in ("college_b_admin", "hr_e1", "student_a", "teacher_a"):
        with pytest.raises(PermissionDenied):
            services.destination_create(
                actor=world.users[persona], student=world.a_student, category=C.NOT_PLACED, as_of=days_ago(1)
            )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"category": C.FURTHER_STUDY, "employer": "e1"}, "employer"),
        ({"category": C.NOT_PLACED, "as_of": datetime.date(2100, 1, 1)}, "as_of"),
    ],
)
def test_bad_destinations_are_refused(world, days_ago, fields, field):
    if fields.get("employer") == "e1":
        fields["employer"] = world.enterprise_1
    fields.setdefault("as_of", days_ago(1))
    with pytest.raises(ValidationError) as exc:
        services.destination_create(actor=world.manager_a, student=world.a_student, **fields)
    assert field in exc.value.message_dict


def test_one_destination_per_graduate_and_day(world, days_ago):
    services.destination_create(
        actor=world.manager_a, student=world.a_student, category=C.NOT_PLACED, as_of=days_ago(1)
    )
    with pytest.raises(ValidationError) as exc:
        services.destination_create(
            actor=world.manager_a, student=world.a_student, category=C.FURTHER_STUDY, as_of=days_ago(1)
        )
    assert "as_of" in exc.value.message_dict


def test_zone_employment_suggests_contract_employment(world, days_ago):
    record = make_employment(world.a_student, world.enterprise_1, days_ago(100), contract_type=ContractType.FIXED_TERM)
    found = selectors.destination_suggestion(user=world.manager_a, student=world.a_student, as_of=days_ago(1))
    assert found == {
        "category": C.CONTRACT_EMPLOYMENT,
        "employer": world.enterprise_1,
        "detail": record.post,
        "record": record,
    }
    # An internship agreement is not employment; nothing is suggested before the start.
    assert selectors.destination_suggestion(user=world.manager_a, student=world.a_student, as_of=days_ago(101)) == {}


# --- the placement rate ----------------------------------------------------------------------------


@pytest.fixture
def graduating_class(world, graduate):
    """
    The class of 2026 (cohort 2023 with three-year programmes), as of 2026-09-01.

    College A: a1 contract employment, a2 further study, a3 not placed then (placed only on 09-15),
    a4 no destination, a5 not placed on 08-01 but flexible employment on 08-20.
    College B: b1 self-employment, b2 contract employment recorded only on 09-10 (not yet on 09-01).
    Not counted: a withdrawn student of the cohort, a graduate of another year, another park's graduate.
    """
    a = world.college_a
    b = world.college_b
    a1, a2, a3, a4, a5 = (graduate(a) for _ in range(5))
    b1, b2 = graduate(b), graduate(b)
    _dest(a1, C.CONTRACT_EMPLOYMENT, datetime.date(2026, 7, 1), employer=world.enterprise_1)
    _dest(a2, C.FURTHER_STUDY, datetime.date(2026, 7, 10))
    _dest(a3, C.NOT_PLACED, datetime.date(2026, 7, 1))
    _dest(a3, C.CONTRACT_EMPLOYMENT, datetime.date(2026, 9, 15))
    _dest(a5, C.NOT_PLACED, datetime.date(2026, 8, 1))
    _dest(a5, C.FLEXIBLE_EMPLOYMENT, datetime.date(2026, 8, 20))
    _dest(b1, C.SELF_EMPLOYMENT, datetime.date(2026, 6, 30))
    _dest(b2, C.CONTRACT_EMPLOYMENT, datetime.date(2026, 9, 10))
    withdrawn = graduate(a, status=StudentStatus.WITHDRAWN)
    _dest(withdrawn, C.NOT_PLACED, datetime.date(2026, 7, 1))
    _dest(graduate(a, cohort_year=2022), C.NOT_PLACED, datetime.date(2025, 7, 1))
    _dest(graduate(world.other_college), C.NOT_PLACED, datetime.date(2026, 7, 1))
    return {"a": (a1, a2, a3, a4, a5), "b": (b1, b2)}


@override_settings(IEPARK_PROGRAMME_YEARS=3)
def test_placement_matches_a_hand_computation(world, graduating_class):
    result = selectors.placement(world.coordinator, 2026, datetime.date(2026, 9, 1))
    # By hand: 7 graduates; not placed on 09-01: a3 (not placed), a4 (none), b2 (none yet) = 3; rate 4/7.
    assert (result["graduation_year"], result["cohort_year"], result["as_of"]) == (
        2026,
        2023,
        datetime.date(2026, 9, 1),
    )
    assert (result["graduates"], result["placed"], result["not_placed"], result["without_destination"]) == (7, 4, 3, 2)
    assert result["rate"] == pytest.approx(4 / 7)
    assert result["categories"] == {
        C.FURTHER_STUDY: 1,
        C.CONTRACT_EMPLOYMENT: 1,
        C.FLEXIBLE_EMPLOYMENT: 1,
        C.SELF_EMPLOYMENT: 1,
        C.NOT_PLACED: 3,
    }
    by_college = {c["college_id"]: c for c in result["colleges"]}
    college_a, college_b = by_college[world.college_a.pk], by_college[world.college_b.pk]
    assert (college_a["graduates"], college_a["not_placed"], college_a["rate"]) == (5, 2, pytest.approx(3 / 5))
    assert (college_b["graduates"], college_b["not_placed"], college_b["rate"]) == (2, 1, pytest.approx(1 / 2))
    assert college_b["categories"][C.SELF_EMPLOYMENT] == 1 and college_b["without_destination"] == 1


@override_settings(IEPARK_PROGRAMME_YEARS=3)
def test_placement_later_counts_the_later_destinations(world, graduating_class):
    result = selectors.placement(world.coordinator, 2026, datetime.date(2026, 9, 30))
    # a3 and b2 are placed by 09-30; only a4 is left.
    assert (result["graduates"], result["not_placed"], result["rate"]) == (7, 1, pytest.approx(6 / 7))


@override_settings(IEPARK_PROGRAMME_YEARS=3)
def test_placement_is_scoped_to_what_the_user_sees(world, graduating_class):
    college_b_view = selectors.placement(world.college_b_admin, 2026, datetime.date(2026, 9, 1))
    assert college_b_view["graduates"] == 2
    assert [c["college_id"] for c in college_b_view["colleges"]] == [world.college_b.pk]
    assert selectors.placement(world.hr_e1, 2026, datetime.date(2026, 9, 1))["graduates"] == 0
    assert selectors.placement(world.hr_e1, 2026, datetime.date(2026, 9, 1))["rate"] is None
    assert (
        selectors.placement(world.coordinator, 2026, datetime.date(2026, 9, 1), park=world.other_park)["graduates"] == 0
    )


@override_settings(IEPARK_PROGRAMME_YEARS=3)
def test_placement_runs_a_fixed_number_of_queries(world, graduating_class, graduate, django_assert_max_num_queries):
    user = world.users["committee"]
    selectors.placement(user, 2026, datetime.date(2026, 9, 1))
    for _ in range(10):
        _dest(graduate(world.college_b), C.FURTHER_STUDY, datetime.date(2026, 7, 1))
    with django_assert_max_num_queries(3):
        assert selectors.placement(user, 2026, datetime.date(2026, 9, 1))["graduates"] == 17
