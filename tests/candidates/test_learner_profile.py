"""The learner's profile in steps: validation, saving and resuming, barriers."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from academy.models import AuditEntry, User
from academy.validators import uk_phone, uk_postcode
from candidates.forms.learner import AboutYouForm
from candidates.models import Candidate
from candidates.selectors.learner import COMPLETED, IN_PROGRESS, NOT_STARTED, profile_overview
from candidates.services.profile import profile_step_save
from tests.candidates.factories_learner import checked_values

pytestmark = pytest.mark.django_db

ABOUT_YOU = {
    "first_name": "Lena",
    "last_name": "Learner",
    "phone": "+44 7700 900123",
    "postcode": "ls1 4ap",
    "date_of_birth_0": "27",
    "date_of_birth_1": "3",
    "date_of_birth_2": "1990",
    "right_to_work": "yes",
    "source": "jobcentre",
}
WORK = {
    "employment_status": "unemployed",
    "months_out_of_work": "8",
    "benefit_status": "universal_credit",
    "jobcentre_referral": "yes",
    "work_coach_name": "Sam Patel",
    "highest_qualification": "level_2",
    "caring_responsibilities": "no",
}
INTERESTS = {
    "interests": ["home_care", "reablement"],
    "availability": "part_time",
    "driving_licence": "yes",
    "has_car": "no",
}


def step_url(step: str) -> str:
    return reverse("candidates:profile-step", kwargs={"step": step})


# --- validators -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ls14ap", "LS1 4AP"), (" sw1a 1aa ", "SW1A 1AA"), ("M1 1AE", "M1 1AE"), ("b338th", "B33 8TH"), ("", "")],
)
def test_postcode_is_normalised(raw: str, expected: str) -> None:
    assert uk_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "LS1", "LS1 4CP", "ABC 123", "90210", "LS1 4AP X"])
def test_postcode_that_is_not_uk_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="real UK postcode"):
        uk_postcode(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07700900123", "07700 900123"),
        ("+44 7700 900123", "07700 900123"),
        ("+44 (0)7700 900123", "07700 900123"),
        ("0044 113 496 0000", "01134 960000"),
        ("020 7946 0000", "020 7946 0000"),
        ("0113-496-0000", "01134 960000"),
    ],
)
def test_phone_is_normalised(raw: str, expected: str) -> None:
    assert uk_phone(raw) == expected


@pytest.mark.parametrize("raw", ["123", "0770090012", "077009001234", "+1 202 555 0100", "call me", "17700900123"])
def test_phone_that_is_not_uk_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError, match="UK phone number"):
        uk_phone(raw)


def _about_you(candidate: Candidate, **changes: str) -> AboutYouForm:
    return AboutYouForm({**ABOUT_YOU, **changes}, candidate=candidate)


@time_machine.travel(date(2026, 6, 1))
@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter your date of birth"),
        ("27", "", "1990", "Date of birth must include a month"),
        ("", "", "1990", "Date of birth must include a day and a month"),
        ("31", "2", "1990", "Date of birth must be a real date"),
        ("1", "1", "90", "Year must include 4 numbers"),
        ("a", "1", "1990", "Date of birth must be a real date"),
        ("2", "6", "2026", "Date of birth must be in the past"),
        ("1", "1", "2030", "Date of birth must be in the past"),
        ("2", "6", "2010", "You must be 16 or over"),
        ("1", "1", "1880", "Date of birth must be after 1900"),
    ],
)
def test_date_of_birth_errors_say_what_to_fix(
    candidate: Candidate, day: str, month: str, year: str, message: str
) -> None:
    form = _about_you(candidate, date_of_birth_0=day, date_of_birth_1=month, date_of_birth_2=year)
    assert not form.is_valid()
    assert message in form.errors["date_of_birth"][0]


@time_machine.travel(date(2026, 6, 1))
def test_sixteenth_birthday_today_is_old_enough(candidate: Candidate) -> None:
    form = _about_you(candidate, date_of_birth_0="1", date_of_birth_1="6", date_of_birth_2="2010")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == date(2010, 6, 1)


# --- service ----------------------------------------------------------------------------------


def test_step_save_updates_record_and_marks_step_done(candidate: Candidate, learner: User) -> None:
    profile_step_save(
        candidate=candidate, actor=learner, step="interests", data={"availability": "days"}, complete=True
    )
    candidate.refresh_from_db()
    assert candidate.availability == "days"
    assert candidate.profile_steps_done == ["interests"]
    assert AuditEntry.objects.filter(action="candidate.profile_step", object_id=str(candidate.pk)).exists()


def test_steps_done_keep_the_steps_order_and_unfinished_save_unmarks(candidate: Candidate, learner: User) -> None:
    for step in ("interests", "about-you"):
        profile_step_save(candidate=candidate, actor=learner, step=step, data={}, complete=True)
    assert candidate.profile_steps_done == ["about-you", "interests"]
    profile_step_save(candidate=candidate, actor=learner, step="interests", data={}, complete=False)
    candidate.refresh_from_db()
    assert candidate.profile_steps_done == ["about-you"]


def test_step_save_refuses_fields_of_another_step(candidate: Candidate, learner: User) -> None:
    with pytest.raises(ValidationError, match="does not include"):
        profile_step_save(candidate=candidate, actor=learner, step="interests", data={"first_name": "X"}, complete=True)
    with pytest.raises(ValidationError, match="no profile step"):
        profile_step_save(candidate=candidate, actor=learner, step="hobbies", data={}, complete=True)


def test_overview_statuses(candidate: Candidate, learner: User) -> None:
    # The factory fills in contact details, so "About you" has been started; nothing is completed yet.
    statuses = {s.step.slug: s.status for s in profile_overview(candidate)}
    assert statuses == {"about-you": IN_PROGRESS, "work": NOT_STARTED, "support": NOT_STARTED, "interests": NOT_STARTED}
    profile_step_save(
        candidate=candidate, actor=learner, step="support", data={}, complete=False, barriers={"transport": ""}
    )
    profile_step_save(candidate=candidate, actor=learner, step="work", data={}, complete=True)
    statuses = {s.step.slug: s.status for s in profile_overview(candidate)}
    assert statuses["support"] == IN_PROGRESS
    assert statuses["work"] == COMPLETED


# --- views: save and continue, save and come back later, resume -------------------------------


def test_save_and_continue_walks_through_every_step(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    client = client_for("learner")
    response = client.post(step_url("about-you"), {**ABOUT_YOU, "continue": ""})
    assert response.status_code == 302 and response["Location"] == step_url("work")
    response = client.post(step_url("work"), {**WORK, "continue": ""})
    assert response["Location"] == step_url("support")
    response = client.post(
        step_url("support"), {"barriers": ["transport", "childcare"], "support_transport": "A bus pass", "continue": ""}
    )
    assert response["Location"] == step_url("interests")
    response = client.post(step_url("interests"), {**INTERESTS, "continue": ""})
    assert response["Location"] == reverse("candidates:profile")

    candidate.refresh_from_db()
    assert candidate.profile_steps_done == ["about-you", "work", "support", "interests"]
    assert (candidate.phone, candidate.phone_key, candidate.postcode) == ("07700 900123", "07700900123", "LS1 4AP")
    assert candidate.date_of_birth == date(1990, 3, 27)
    assert candidate.months_out_of_work == 8 and candidate.jobcentre_referral is True
    assert candidate.work_coach_name == "Sam Patel" and candidate.caring_responsibilities is False
    assert {b.barrier: b.support_needed for b in candidate.barriers.all()} == {
        "childcare": "",
        "transport": "A bus pass",
    }
    assert candidate.interests == ["home_care", "reablement"]
    assert candidate.driving_licence is True and candidate.has_car is False

    overview = client.get(reverse("candidates:profile"))
    assert overview.content.decode().count("Completed") >= 4
    assert "You have completed your profile" in overview.content.decode()


def test_save_and_come_back_later_keeps_partial_answers_and_goes_to_overview(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client = client_for("learner")
    response = client.post(step_url("work"), {"employment_status": "unemployed", "later": ""})
    assert response["Location"] == reverse("candidates:profile")
    candidate.refresh_from_db()
    assert candidate.employment_status == "unemployed"
    assert "work" not in candidate.profile_steps_done

    overview = client.get(reverse("candidates:profile")).content.decode()
    assert "In progress" in overview
    # Resuming shows what was saved.
    page = client.get(step_url("work")).content.decode()
    assert checked_values(page, "employment_status") == ["unemployed"]
    assert checked_values(page, "jobcentre_referral") == []  # not answered yet, so not shown as "No"


def test_come_back_later_with_everything_answered_completes_the_step(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    client_for("learner").post(step_url("interests"), {**INTERESTS, "later": ""})
    candidate.refresh_from_db()
    assert "interests" in candidate.profile_steps_done


def test_come_back_later_still_checks_what_was_entered(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    response = client_for("learner").post(
        step_url("about-you"), {"first_name": "Lena", "last_name": "Learner", "postcode": "nowhere", "later": ""}
    )
    assert response.status_code == 200
    assert "Enter a real UK postcode" in response.content.decode()


def test_errors_are_shown_without_losing_what_was_typed(
    candidate: Candidate, client_for: Callable[[str], Client]
) -> None:
    data = {**ABOUT_YOU, "phone": "12345", "date_of_birth_0": "31", "date_of_birth_1": "2", "continue": ""}
    response = client_for("learner").post(step_url("about-you"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: About you" in page
    assert 'class="govuk-error-summary"' in page
    assert 'href="#id_phone"' in page and 'href="#id_date_of_birth_0"' in page
    assert 'value="12345"' in page and 'value="31"' in page and 'value="ls1 4ap"' in page
    candidate.refresh_from_db()
    assert candidate.phone != "12345"


def test_out_of_work_needs_months_to_complete(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").post(step_url("work"), {**WORK, "months_out_of_work": "", "continue": ""})
    assert "Enter how many months you have been out of work" in response.content.decode()


def test_not_referred_clears_work_coach(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    client_for("learner").post(step_url("work"), {**WORK, "jobcentre_referral": "no", "continue": ""})
    candidate.refresh_from_db()
    assert candidate.jobcentre_referral is False and candidate.work_coach_name == ""


def test_support_none_of_these_clears_barriers_and_is_remembered(
    candidate: Candidate, learner: User, client_for: Callable[[str], Client]
) -> None:
    profile_step_save(
        candidate=candidate, actor=learner, step="support", data={}, complete=True, barriers={"digital": "A laptop"}
    )
    client = client_for("learner")
    client.post(step_url("support"), {"barriers": ["none"], "continue": ""})
    assert not candidate.barriers.exists()
    page = client.get(step_url("support")).content.decode()
    assert checked_values(page, "barriers") == ["none"]


def test_support_none_with_a_barrier_is_an_error(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    response = client_for("learner").post(
        step_url("support"), {"barriers": ["none", "transport"], "support_transport": "Bus fare", "continue": ""}
    )
    page = response.content.decode()
    assert "not both" in page and 'value="Bus fare"' in page
    assert not candidate.barriers.exists()


def test_unknown_step_is_404(candidate: Candidate, client_for: Callable[[str], Client]) -> None:
    assert client_for("learner").get(step_url("hobbies")).status_code == 404


def test_learner_without_a_record_gets_one_on_first_visit(learner: User, client_for: Callable[[str], Client]) -> None:
    assert not Candidate.objects.filter(user=learner).exists()
    assert client_for("learner").get(reverse("candidates:profile")).status_code == 200
    assert Candidate.objects.filter(user=learner).count() == 1


def test_the_phone_box_is_styled_like_every_other_input(client_for, candidate) -> None:
    """crispy-forms-gds styles widgets it knows by name; the phone box (type tel) is mapped in settings."""
    page = client_for("learner").get("/me/profile/about-you/").content.decode()
    (phone,) = re.findall(r'<input[^>]*name="phone"[^>]*>', page)
    assert 'type="tel"' in phone and 'class="govuk-input ' in phone
