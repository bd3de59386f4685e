"""One check for each UK contact detail, used by learner forms, staff forms, the provider form and imports."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from academy.validators import uk_phone, uk_postcode
from candidates.forms.records import CandidateForm
from providers.forms import ProviderForm


@pytest.mark.parametrize(
    ("typed", "written"),
    [("ls11aa", "LS1 1AA"), (" sw1a 2aa ", "SW1A 2AA"), ("", "")],
)
def test_postcodes_are_written_the_usual_way(typed: str, written: str) -> None:
    assert uk_postcode(typed) == written


@pytest.mark.parametrize("typed", ["NOT A PC", "LS1", "12345", "LS1 1CI"])
def test_postcodes_that_are_not_real_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError, match="Enter a real UK postcode"):
        uk_postcode(typed)


@pytest.mark.parametrize(
    ("typed", "written"),
    [("+44 7700 900123", "07700 900123"), ("0113 496 0000", "01134 960000"), ("020 7946 0018", "020 7946 0018")],
)
def test_phones_are_written_in_national_format(typed: str, written: str) -> None:
    assert uk_phone(typed) == written


@pytest.mark.parametrize("typed", ["abc", "123", "+1 202 555 0143", "7.7009E+09"])
def test_phones_that_are_not_uk_numbers_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        uk_phone(typed)


@pytest.mark.django_db
def test_the_staff_candidate_form_uses_the_same_checks() -> None:
    form = CandidateForm(data={"first_name": "Ann", "last_name": "Lee", "phone": "abc", "postcode": "NOT A PC"})
    assert not form.is_valid()
    assert form.errors["phone"] == ["Enter a UK phone number, like 07700 900 982 or 0113 496 0000"]
    assert form.errors["postcode"] == ["Enter a real UK postcode, like LS1 4AP"]


@pytest.mark.django_db
def test_the_provider_form_uses_the_same_checks() -> None:
    form = ProviderForm(data={"name": "Care Co", "postcode": "NOT A PC", "contact_phone": "abc"})
    assert not form.is_valid()
    assert form.errors["postcode"] == ["Enter a real UK postcode, like LS1 4AP"]
    assert form.errors["contact_phone"] == ["Enter a UK phone number, like 07700 900 982 or 0113 496 0000"]
