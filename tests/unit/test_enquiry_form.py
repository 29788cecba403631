"""The enquiry form's parser: phone numbers, e-mail, numbers, limits, consent, parcels."""

import pytest

from webapp.domain.enquiry_form import (
    MAX_PARCELS,
    decoy_reference,
    first_parcel_codes,
    is_spam,
    parse_email,
    parse_enquiry,
    parse_phone,
)
from webapp.domain.errors import InvalidEditError

NOW = "2026-12-07T08:00:00+00:00"
GOOD = {"company": " 马鞍山智造有限公司 ", "contact_name": "王经理", "phone": "138 1234 5678",
        "email": "", "industry": "new_materials", "investment_wan": "20,000.5", "jobs": "150",
        "message": "想了解地块", "consent": "yes"}


def parsed(form=None, asked=("T-001",), offered=("T-001",), requirement=None):
    return parse_enquiry({**GOOD, **(form or {})}, list(asked), offered, requirement, "zh", NOW)


def problems(form=None, **kwargs) -> dict[str, str]:
    with pytest.raises(InvalidEditError) as caught:
        parsed(form, **kwargs)
    return {name: message % params if params else message
            for name, (message, params) in caught.value.fields.items()}


@pytest.mark.parametrize(("text", "expected"), [
    ("13812345678", "13812345678"),
    ("138 1234 5678", "13812345678"),
    ("138-1234-5678", "13812345678"),
    ("+86 138 1234 5678", "13812345678"),
    ("(+86) 13812345678", "13812345678"),
    ("0086-13812345678", "13812345678"),
    ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese IME
    ("19912345678", "19912345678"),
    ("0555-2345678", "0555-2345678"),
    ("0555 2345678", "0555-2345678"),
    ("(0555) 2345678", "0555-2345678"),
    ("05552345678", "0555-2345678"),
    ("0555-23456789", "0555-23456789"),
    ("010-87654321", "010-87654321"),
    ("021 2345 6789", "021-23456789"),
    ("0555 234 5678", "0555-2345678"),
    ("+86 555 2345678", "0555-2345678"),
    ("+86 21 23456789", "021-23456789"),
    ("0555-2345678-123", "0555-2345678-123"),
    ("0555-2345678 转 88", "0555-2345678-88"),
    ("0555-2345678 ext. 9", "0555-2345678-9"),
])
def test_enquiry_phone_normalises_mainland_numbers(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", [
    "12345678901",  # 12x is no mobile prefix
    "1381234567",  # ten digits
    "138123456789",  # twelve
    "0555-1234567",  # local numbers do not start with 1
    "0555-0234567",  # nor with 0
    "0555-234567",  # six digits
    "555-2345678",  # no area code
    "13812345678 转 1",  # mobiles have no extension
    "+1 415 555 0100",
    "call me",
    "138 1234 5678; DROP",
    "+86",
    "1" * 41,
])
def test_enquiry_phone_refuses_other_text(text):
    with pytest.raises(ValueError):
        parse_phone(text)


@pytest.mark.parametrize("text", ["a@b.cn", "wang.li+land@example.com.cn", "张三@例子.中国"])
def test_enquiry_email_accepts_addresses(text):
    assert parse_email(f" {text} ") == text


@pytest.mark.parametrize("text", ["a@b", "a b@c.com", "<a>@b.com", "a@@b.com", "ab.com",
                                  "a@b.com, c@d.com", "x" * 250 + "@b.com"])
def test_enquiry_email_refuses_other_text(text):
    with pytest.raises(ValueError):
        parse_email(text)


def test_enquiry_values_are_typed_for_the_store():
    assert parsed(requirement="land_use=10") == {
        "parcel_codes": ("T-001",), "company": "马鞍山智造有限公司", "contact_name": "王经理",
        "phone": "13812345678", "email": None, "industry": "new_materials",
        "investment_wan": 20000.5, "jobs": 150, "message": "想了解地块", "language": "zh",
        "requirement": "land_use=10", "consent_at": NOW}


def test_enquiry_email_alone_is_enough():
    values = parsed({"phone": "", "email": "wang@example.com"})
    assert values["phone"] is None and values["email"] == "wang@example.com"


def test_enquiry_without_parcels_is_a_general_enquiry():
    assert parsed(asked=(), offered=())["parcel_codes"] == ()


@pytest.mark.parametrize(("form", "field", "expected"), [
    ({"phone": "12345"}, "phone", "is not a phone number"),
    ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
    ({"email": "wang@"}, "email", "is not an e-mail address"),
    ({"consent": ""}, "consent", "Please agree to the privacy notice"),
    ({"consent": "no"}, "consent", "Please agree to the privacy notice"),
    ({"contact_name": "  "}, "contact_name", "Please tell us whom to contact"),
    ({"company": "公" * 201}, "company", "is longer than 200 characters"),
    ({"contact_name": "名" * 101}, "contact_name", "is longer than 100 characters"),
    ({"message": "长" * 2001}, "message", "is longer than 2000 characters"),
    ({"investment_wan": "-5"}, "investment_wan", "must be 0 or more"),
    ({"investment_wan": "nan"}, "investment_wan", "must be 0 or more"),
    ({"investment_wan": "lots"}, "investment_wan", "must be a number"),
    ({"investment_wan": "1e12"}, "investment_wan", "must be at most 100,000,000"),
    ({"jobs": "1.5"}, "jobs", "must be a whole number"),
    ({"jobs": "-1"}, "jobs", "must be 0 or more"),
    ({"industry": "mining"}, "industry", "is not one of the listed industries"),
    ({"company": "a\x00b"}, "company", "contains a NUL character"),
    ({"email": "a\x00@b.com"}, "email", "contains a NUL character"),
])
def test_enquiry_bad_field_is_named_with_its_problem(form, field, expected):
    found = problems(form)
    assert list(found) == [field] and found[field].startswith(expected)


def test_enquiry_every_bad_field_is_reported_at_once():
    found = problems({"phone": "1", "jobs": "x", "consent": ""})
    assert set(found) == {"phone", "jobs", "consent"}


@pytest.mark.parametrize(("asked", "offered"), [(("T-001", "NOPE"), ("T-001",)),
                                                (("DRAFT-1",), ())])
def test_enquiry_unknown_and_draft_codes_get_the_same_message(asked, offered):
    assert problems(asked=asked, offered=offered) == {
        "parcel": "A parcel asked about is not on offer (any more): send the enquiry without "
                  "it or start again from the map."}


def test_enquiry_refuses_more_parcels_than_a_shortlist():
    codes = [f"T-{n:03d}" for n in range(MAX_PARCELS + 1)]
    assert problems(asked=codes, offered=codes) == {
        "parcel": f"An enquiry can ask about at most {MAX_PARCELS} parcels."}


def test_enquiry_link_codes_are_trimmed_unique_and_capped():
    codes = [" A ", "A", "", "B", *(f"C{n}" for n in range(30))]
    assert first_parcel_codes(codes) == ("A", "B", *(f"C{n}" for n in range(18)))


def test_enquiry_honeypot_and_decoy_reference():
    assert is_spam({"website": "http://spam.example"}) and not is_spam({"website": " "})
    reference = decoy_reference("2026-12-07")
    assert reference.startswith("ZS-20261207-") and len(reference) == 18
    assert not set(reference[12:]) & set("IO01")
