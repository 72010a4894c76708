import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from iepark.core.validators import (
    USCC_ALPHABET,
    mask_national_id,
    mask_phone,
    national_id_check_char,
    uscc_check_char,
    validate_national_id,
    validate_phone,
    validate_uscc,
)


def test_the_standards_example_id_number_is_valid():
    validate_national_id("11010519491231002X")  # the example printed in GB 11643
    validate_national_id("11010519491231002x")  # a lowercase x is the same number


@pytest.mark.parametrize(
    "value,code",
    [
        ("110105194912310021", "id_checksum"),
        ("11010519491331002X", "id_birth_date"),
        ("1101051949123100", "id_format"),
        ("11010519491231002Y", "id_format"),
        ("110105300012310020", "id_birth_date"),
    ],
)
def test_bad_id_numbers_are_named(value, code):
    with pytest.raises(ValidationError) as info:
        validate_national_id(value)
    assert info.value.code == code


@pytest.mark.parametrize("code", ["91110108551385082Q", "91440300708461136T", "91350100M000100Y43"])
def test_published_credit_codes_are_valid(code):
    validate_uscc(code)


def test_credit_code_with_wrong_check_character_is_refused():
    with pytest.raises(ValidationError) as info:
        validate_uscc("91110108551385082R")
    assert info.value.code == "uscc_checksum"
    with pytest.raises(ValidationError) as info:
        validate_uscc("91110108551385082I")  # I is not in the code's alphabet
    assert info.value.code == "uscc_format"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_any_single_digit_change_breaks_the_id_check(body):
    check = national_id_check_char(body)
    changed = str((int(body[5]) + 1) % 10)
    mutated = body[:5] + changed + body[6:]
    assert national_id_check_char(mutated) != check


@given(
    st.sampled_from("123456789"),
    st.sampled_from("123459"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)
def test_generated_credit_codes_validate(registrar, category, region, body):
    first17 = registrar + category + region + body
    validate_uscc(first17 + uscc_check_char(first17))


def test_masks_keep_only_the_ends():
    assert mask_national_id("650123200405171234") == "6501**********1234"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_national_id("") == ""


@pytest.mark.parametrize("value", ["13912345678", "+8613912345678", "0994-5812345"])
def test_valid_phone_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12345", "12912345678", "abc"])
def test_invalid_phone_numbers(value):
    with pytest.raises(ValidationError):
        validate_phone(value)
