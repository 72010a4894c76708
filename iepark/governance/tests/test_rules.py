"""Rule parameters: validated per kind, refused with a message naming the parameter."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from iepark.governance import services
from iepark.governance.rules import validate_params

from .factories import make_programme


@pytest.mark.parametrize(
    ("kind", "payee", "params", "named"),
    [
        ("retention", "college", {"amount": "3000"}, "months"),
        ("retention", "college", {"months": 12}, "amount"),
        ("retention", "college", {"months": 12, "amount": "3000", "order_class_amount": "2000"}, "order_class_amount"),
        ("retention", "college", {"months": 6, "amount": "3000", "min_insured_months": 9}, "min_insured_months"),
        ("retention", "college", {"months": "twelve", "amount": "3000"}, "months"),
        ("retention", "college", {"months": 12, "amount": "3000", "bonus": 1}, "bonus"),
        (
            "retention",
            "college",
            {"months": 12, "amount": "3000", "cap_per_payee_per_year": "100"},
            "cap_per_payee_per_year",
        ),
        ("certificate", "college", {}, "amount_junior"),
        ("graduate_hire", "employer", {"amount": "1500"}, "min_insured_months"),
        ("graduate_hire", "employer", {"amount": "-1", "min_insured_months": 3}, "amount"),
        ("apprentice", "employer", {"amount_per_year": "5000", "min_contract_months": 6}, "min_contract_months"),
        (
            "graduate_hire",
            "employer",
            {"amount": "1500", "min_insured_months": 3, "contract_types": ["job"]},
            "contract_types",
        ),
    ],
)
def test_bad_parameters_are_refused_naming_the_parameter(kind, payee, params, named):
    with pytest.raises(ValidationError) as exc:
        validate_params(kind, payee, params)
    assert any(named in message for message in exc.value.message_dict["params"])


def test_payee_must_fit_the_kind():
    with pytest.raises(ValidationError) as exc:
        validate_params("graduate_hire", "college", {"amount": "1500", "min_insured_months": 3})
    assert "payee" in exc.value.message_dict


def test_parameters_are_stored_in_canonical_form(world):
    version = make_programme(world, with_all_kinds=False)
    rule = version.rules.get()
    assert rule.params == {
        "months": 12,
        "amount": "3000.00",
        "order_class_amount": "5000.00",
        "min_insured_months": 11,
        "contract_types": ["apprenticeship", "fixed_term", "open_ended"],
        "cap_per_payee_per_year": None,
    }


def test_rule_service_refuses_bad_parameters_and_other_parties(world):
    version = make_programme(world, with_all_kinds=False)
    with pytest.raises(ValidationError) as exc:
        services.rule_create(
            actor=world.users["committee"], version=version, kind="graduate_hire", name="x", payee="employer", params={}
        )
    assert "params" in exc.value.message_dict
    for persona in ("college_a_admin", "hr_e1", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.rule_create(
                actor=world.users[persona],
                version=version,
                kind="graduate_hire",
                name="x",
                payee="employer",
                params={"amount": "1", "min_insured_months": 1},
            )
    # A park administrator of the committee edits too.
    services.rule_update(actor=world.park_admin, rule=version.rules.get(), data={"name": "留用补贴"})


def test_new_version_copies_the_rules_and_versions_do_not_overlap(world):
    import datetime

    version = make_programme(world)
    with pytest.raises(ValidationError, match="in force in the same period"):
        services.version_create(
            actor=world.users["committee"], programme=version.programme, effective_from=datetime.date(2026, 1, 1)
        )
    services.version_update(
        actor=world.users["committee"], version=version, data={"effective_to": datetime.date(2025, 12, 31)}
    )
    second = services.version_create(
        actor=world.users["committee"],
        programme=version.programme,
        effective_from=datetime.date(2026, 1, 1),
        copy_from=version,
    )
    assert second.number == 2 and second.rules.count() == 4
    assert sorted(second.rules.values_list("kind", flat=True)) == sorted(version.rules.values_list("kind", flat=True))
