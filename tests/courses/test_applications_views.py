"""Applications: the HTTP contract of applying, the learner's applications and offers, and staff review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from academy.models import User
from candidates.models import Candidate, EqualityMonitoring
from courses.models import Application, Cohort, Course, Enrolment
from courses.views import applications as application_views
from tests.courses.factories import ApplicationFactory, CohortFactory, EnrolmentFactory
from tests.courses.factories_applications import (
    ChoiceQuestionFactory,
    ScreeningQuestionFactory,
    apply_and_send,
    fill_application_profile,
)
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

Status = Application.Status


def html(response) -> str:
    return response.content.decode()


def apply_url(cohort: Cohort) -> str:
    return reverse("courses:application-create", kwargs={"public_id": cohort.public_id})


def profile_url(cohort: Cohort) -> str:
    return reverse("courses:application-profile", kwargs={"public_id": cohort.public_id})


def check_url(cohort: Cohort) -> str:
    return reverse("courses:application-check", kwargs={"public_id": cohort.public_id})


def respond_url(application: Application) -> str:
    return reverse("courses:application-respond", kwargs={"public_id": application.public_id})


def list_url(cohort: Cohort) -> str:
    return reverse("courses:application-list", kwargs={"public_id": cohort.public_id})


def detail_url(application: Application) -> str:
    return reverse("courses:application-detail", kwargs={"public_id": application.public_id})


def decide_url(application: Application) -> str:
    return reverse("courses:application-decide", kwargs={"public_id": application.public_id})


@pytest.fixture
def learner_client(client_for: Callable[[str], Client], candidate: Candidate) -> Client:
    fill_application_profile(candidate)
    return client_for("learner")


@pytest.fixture
def staff_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


# --- applying -----------------------------------------------------------------------------------


def test_apply_shows_the_questions_and_sends_the_application(learner_client: Client, candidate: Candidate) -> None:
    cohort = CohortFactory.create(course__entry_requirements="You must be 18 or over.")
    text = ScreeningQuestionFactory.create(course=cohort.course, text="What does dignity mean to you?")
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    page = html(learner_client.get(apply_url(cohort)))
    assert f"Apply for {cohort.course.title}" in page
    assert "What does dignity mean to you?" in page and "Some days" in page
    assert "You must be 18 or over." in page
    response = apply_and_send(
        learner_client,
        cohort,
        {f"question_{text.pk}": "Treating people as they want to be treated", f"question_{choice.pk}": "Yes"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("courses:my-applications")
    application = Application.objects.get(cohort=cohort, candidate=candidate)
    assert application.answers == {str(text.pk): "Treating people as they want to be treated", str(choice.pk): "Yes"}
    assert "has been sent" in html(learner_client.get(response["Location"]))


def test_apply_creates_the_learners_record_on_first_use(client_for: Callable[[str], Client], learner: User) -> None:
    cohort = CohortFactory.create()
    response = client_for("learner").post(apply_url(cohort), {})
    # The new record has no phone number or right to work yet: those come first.
    assert response.status_code == 302 and response["Location"] == profile_url(cohort)
    assert Candidate.objects.get(user=learner)
    assert not Application.objects.exists()


def test_apply_errors_name_the_question_and_link_to_it(learner_client: Client) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    response = learner_client.post(apply_url(cohort), {f"question_{choice.pk}": "Perhaps"})
    page = html(response)
    assert response.status_code == 200
    assert "<title>Error: Apply for" in page
    assert f'href="#id_question_{text.pk}">Answer the question: Why care?' in page
    assert f'href="#id_question_{choice.pk}_1">Choose one of the answers to: {choice.text}' in page
    assert not Application.objects.exists()


def test_errors_keep_what_was_typed(learner_client: Client) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    page = html(learner_client.post(apply_url(cohort), {f"question_{text.pk}": "My mum was a carer"}))
    assert f"Choose an answer to: {choice.text}" in page
    assert "My mum was a carer</textarea>" in page


# --- before you apply: the profile details an application needs -------------------------------


@pytest.fixture
def empty_profile(candidate: Candidate) -> Candidate:
    Candidate.objects.filter(pk=candidate.pk).update(phone="", postcode="", date_of_birth=None, right_to_work="")
    candidate.refresh_from_db()
    return candidate


def test_a_learner_with_an_empty_profile_is_asked_for_the_missing_details_first(
    client_for: Callable[[str], Client], empty_profile: Candidate
) -> None:
    client = client_for("learner")
    cohort = CohortFactory.create()
    response = client.get(apply_url(cohort))
    assert response.status_code == 302 and response["Location"] == profile_url(cohort)
    page = html(client.get(profile_url(cohort)))
    assert "Before you apply" in page
    step = reverse("candidates:profile-step", kwargs={"step": "about-you"})
    back = escape(urlencode({"next": apply_url(cohort)}))
    for anchor, label in [
        ("id_phone", "Your phone number"),
        ("id_postcode", "Your postcode"),
        ("id_date_of_birth_0", "Your date of birth"),
        ("id_right_to_work_1", "Whether you have the right to work in the UK"),
    ]:
        assert f'href="{step}?{back}#{anchor}">{label}</a>' in page
    # The check page and sending are refused until the details are there.
    assert client.get(check_url(cohort))["Location"] == profile_url(cohort)
    assert client.post(check_url(cohort))["Location"] == profile_url(cohort)
    assert not Application.objects.exists()


def test_only_what_is_missing_is_listed(client_for: Callable[[str], Client], candidate: Candidate) -> None:
    Candidate.objects.filter(pk=candidate.pk).update(right_to_work="")
    page = html(client_for("learner").get(profile_url(CohortFactory.create())))
    assert "Whether you have the right to work in the UK" in page
    assert "Your phone number" not in page and "Your postcode" not in page


def test_a_complete_profile_goes_straight_to_the_form(learner_client: Client) -> None:
    cohort = CohortFactory.create()
    response = learner_client.get(profile_url(cohort))
    assert response.status_code == 302 and response["Location"] == apply_url(cohort)


def test_answers_are_kept_while_the_profile_is_completed_and_the_learner_returns(
    client_for: Callable[[str], Client], empty_profile: Candidate
) -> None:
    client = client_for("learner")
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    response = client.post(apply_url(cohort), {f"question_{text.pk}": "My mum was a carer"})
    assert response["Location"] == profile_url(cohort)
    assert "We have kept the answers" in html(client.get(profile_url(cohort)))

    step = reverse("candidates:profile-step", kwargs={"step": "about-you"})
    page = html(client.get(f"{step}?{urlencode({'next': apply_url(cohort)})}"))
    assert f'href="{apply_url(cohort)}" class="govuk-back-link"' in page
    about_you = {
        "first_name": "Lena",
        "last_name": "Learner",
        "phone": "07700 900982",
        "postcode": "ls1 1aa",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1990",
        "right_to_work": "yes",
        "source": "jobcentre",
        "continue": "",
    }
    response = client.post(f"{step}?{urlencode({'next': apply_url(cohort)})}", about_you)
    assert response.status_code == 302 and response["Location"] == apply_url(cohort)
    empty_profile.refresh_from_db()
    assert empty_profile.right_to_work == "yes" and empty_profile.postcode == "LS1 1AA"
    assert "My mum was a carer</textarea>" in html(client.get(apply_url(cohort)))


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "evil"])
def test_the_profile_step_returns_only_to_a_local_path(
    client_for: Callable[[str], Client], candidate: Candidate, target: str
) -> None:
    step = reverse("candidates:profile-step", kwargs={"step": "about-you"})
    data = {
        "first_name": "Lena",
        "last_name": "Learner",
        "phone": "07700 900982",
        "postcode": "LS1 1AA",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1990",
        "right_to_work": "yes",
        "source": "jobcentre",
        "continue": "",
    }
    client = client_for("learner")
    assert "evil" not in html(client.get(f"{step}?{urlencode({'next': target})}"))
    response = client.post(f"{step}?{urlencode({'next': target})}", data)
    assert response["Location"] == reverse("candidates:profile-step", kwargs={"step": "work"})


# --- check your answers ---------------------------------------------------------------------------


def test_the_check_page_shows_every_answer_and_detail_with_change_links(
    learner_client: Client, candidate: Candidate
) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    optional = ScreeningQuestionFactory.create(course=cohort.course, text="Anything else?", required=False)
    choice = ChoiceQuestionFactory.create(course=cohort.course)
    response = learner_client.post(
        apply_url(cohort), {f"question_{text.pk}": "My mum was a carer", f"question_{choice.pk}": "Some days"}
    )
    assert response["Location"] == check_url(cohort)
    assert not Application.objects.exists()  # the form sends nothing

    page = html(learner_client.get(check_url(cohort)))
    assert "Check your answers before sending your application" in page
    assert "Why care?" in page and "My mum was a carer" in page
    assert "Anything else?" in page and "Not answered" in page
    assert choice.text in page and "Some days" in page
    assert f'href="{apply_url(cohort)}#id_question_{text.pk}"' in page
    assert f'href="{apply_url(cohort)}#id_question_{optional.pk}"' in page
    assert f'href="{apply_url(cohort)}#id_question_{choice.pk}_1"' in page
    step = reverse("candidates:profile-step", kwargs={"step": "about-you"})
    back = escape(urlencode({"next": check_url(cohort)}))
    for anchor in ("id_phone", "id_postcode", "id_date_of_birth_0", "id_right_to_work_1"):
        assert f'href="{step}?{back}#{anchor}"' in page
    assert candidate.phone in page and candidate.postcode in page and candidate.email in page
    assert candidate.date_of_birth is not None and candidate.date_of_birth.strftime("%-d %B %Y") in page
    assert page.count(">Change<") == 3 + 5

    # Changing an answer shows the form with what was given, and comes back to the check page.
    form_page = html(learner_client.get(apply_url(cohort)))
    assert "My mum was a carer</textarea>" in form_page
    learner_client.post(apply_url(cohort), {f"question_{text.pk}": "I like people", f"question_{choice.pk}": "Yes"})
    assert "I like people" in html(learner_client.get(check_url(cohort)))

    response = learner_client.post(check_url(cohort))
    assert response["Location"] == reverse("courses:my-applications")
    application = Application.objects.get(cohort=cohort, candidate=candidate)
    assert application.answers == {str(text.pk): "I like people", str(choice.pk): "Yes"}
    # The draft is gone: the form is not filled in for another go, and the check page has nothing to send.
    assert learner_client.get(check_url(cohort)).status_code == 200  # "You have already applied"
    assert Application.objects.count() == 1


def test_the_check_page_without_answers_sends_back_to_the_form(learner_client: Client) -> None:
    cohort = CohortFactory.create()
    assert learner_client.get(check_url(cohort))["Location"] == apply_url(cohort)
    assert learner_client.post(check_url(cohort))["Location"] == apply_url(cohort)
    assert not Application.objects.exists()


def test_a_sending_error_shows_on_the_check_page_with_the_answers_kept(
    learner_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    learner_client.post(apply_url(cohort), {f"question_{text.pk}": "My mum was a carer"})

    def refuse(**kwargs: object) -> None:
        raise ValidationError("The last place on this date has just been taken.")

    monkeypatch.setattr(application_views, "application_submit", refuse)
    page = html(learner_client.post(check_url(cohort)))
    assert "<title>Error: Check your answers" in page
    assert "The last place on this date has just been taken." in page
    assert "My mum was a carer" in page
    monkeypatch.undo()
    assert learner_client.post(check_url(cohort))["Location"] == reverse("courses:my-applications")
    assert Application.objects.get(cohort=cohort).answers == {str(text.pk): "My mum was a carer"}


def test_changed_questions_show_the_form_again_with_the_answers(learner_client: Client) -> None:
    cohort = CohortFactory.create()
    text = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    learner_client.post(apply_url(cohort), {f"question_{text.pk}": "My mum was a carer"})
    added = ScreeningQuestionFactory.create(course=cohort.course, text="What are your hobbies?")
    page = html(learner_client.post(check_url(cohort)))
    assert "<title>Error: Apply for" in page
    assert "Answer the question: What are your hobbies?" in page and f"id_question_{added.pk}" in page
    assert "My mum was a carer</textarea>" in page
    assert not Application.objects.exists()


def test_visitors_are_sent_to_sign_in_or_create_an_account_first(client: Client) -> None:
    cohort = CohortFactory.create()
    response = client.get(apply_url(cohort))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={apply_url(cohort)}"


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Cohort.Status.CLOSED, "have closed"),
        (Cohort.Status.PLANNED, "are not open yet"),
        (Cohort.Status.CANCELLED, "has been cancelled"),
    ],
)
def test_closed_planned_and_cancelled_dates_say_why_instead_of_a_form(
    learner_client: Client, status: str, message: str
) -> None:
    cohort = CohortFactory.create(status=status)
    page = html(learner_client.get(apply_url(cohort)))
    assert "You cannot apply for" in page and message in page
    assert "See other dates for" in page
    assert learner_client.post(apply_url(cohort), {}).status_code == 200
    assert not Application.objects.exists()


def test_a_full_date_says_so(learner_client: Client) -> None:
    cohort = CohortFactory.create(capacity=1)
    ApplicationFactory.create(cohort=cohort, status=Status.OFFERED)
    assert "is full" in html(learner_client.get(apply_url(cohort)))


def test_a_second_application_shows_the_first(learner_client: Client, candidate: Candidate) -> None:
    application = ApplicationFactory.create(candidate=candidate, status=Status.SHORTLISTED)
    page = html(learner_client.get(apply_url(application.cohort)))
    assert "You have already applied" in page and "Shortlisted" in page
    learner_client.post(apply_url(application.cohort), {})
    assert Application.objects.count() == 1


def test_a_draft_course_is_not_found(learner_client: Client) -> None:
    cohort = CohortFactory.create(course__status=Course.Status.DRAFT)
    assert learner_client.get(apply_url(cohort)).status_code == 404


# --- my applications ----------------------------------------------------------------------------


def test_my_applications_empty_state(learner_client: Client) -> None:
    page = html(learner_client.get(reverse("courses:my-applications")))
    assert "You have not applied for any courses yet." in page
    assert reverse("courses:finder") in page


def test_my_applications_show_each_status_and_what_to_do(
    learner_client: Client, candidate: Candidate, settings
) -> None:
    settings.COURSE_OFFER_VALID_DAYS = 5
    offered_at = timezone.now()
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=offered_at)
    cohort = CohortFactory.create()
    ApplicationFactory.create(cohort=cohort, status=Status.WAITING_LIST, waiting_since=offered_at - dt.timedelta(1))
    waiting = ApplicationFactory.create(
        cohort=cohort, candidate=candidate, status=Status.WAITING_LIST, waiting_since=offered_at
    )
    ApplicationFactory.create(candidate=candidate, status=Status.DECLINED, decision_reason="You need a DBS first.")
    ApplicationFactory.create(candidate=candidate, status=Status.ACCEPTED)
    ApplicationFactory.create(status=Status.OFFERED)  # someone else's
    page = html(learner_client.get(reverse("courses:my-applications")))
    assert page.count('<h2 class="govuk-summary-card__title">') == 4
    deadline = timezone.localtime(offered_at + dt.timedelta(days=5))
    assert f"Reply by {deadline:%-d %B %Y}" in page
    assert respond_url(offer) in page and respond_url(waiting) in page
    assert "You are number 2 on the waiting list" in page
    assert "You need a DBS first." in page
    assert f'You have a place on this course. <a class="govuk-link" href="{reverse("courses:my-enrolments")}">' in page


@pytest.mark.parametrize("rows", [2, 20])
def test_my_applications_query_count_does_not_grow(
    learner_client: Client, candidate: Candidate, rows: int, django_assert_num_queries
) -> None:
    for i in range(rows):
        ApplicationFactory.create(candidate=candidate, status=[Status.OFFERED, Status.WAITING_LIST][i % 2])
    # session, user, count, the page of applications with their cohorts and courses
    with django_assert_num_queries(4):
        response = learner_client.get(reverse("courses:my-applications"))
    assert html(response).count('<h2 class="govuk-summary-card__title">') == rows


# --- answering an offer -------------------------------------------------------------------------


def test_accept_an_offer(learner_client: Client, candidate: Candidate) -> None:
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    page = html(learner_client.get(respond_url(offer)))
    assert "Do you want to accept this place?" in page
    response = learner_client.post(respond_url(offer), {"response": "accept"}, follow=True)
    assert "You have accepted your place" in html(response)
    assert Enrolment.objects.filter(application=offer, status=Enrolment.Status.ENROLLED).exists()


def test_decline_an_offer(learner_client: Client, candidate: Candidate) -> None:
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    response = learner_client.post(respond_url(offer), {"response": "decline"}, follow=True)
    assert "You have declined your place" in html(response)
    offer.refresh_from_db()
    assert offer.status == Status.LEARNER_DECLINED


def test_answering_without_a_choice_says_what_to_do(learner_client: Client, candidate: Candidate) -> None:
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED, offered_at=timezone.now())
    page = html(learner_client.post(respond_url(offer), {}))
    assert "<title>Error: " in page
    assert 'href="#id_response_1">Choose whether you accept the place' in page


def test_withdraw_asks_first_then_withdraws(learner_client: Client, candidate: Candidate) -> None:
    application = ApplicationFactory.create(candidate=candidate, status=Status.SUBMITTED)
    page = html(learner_client.get(respond_url(application)))
    assert "Are you sure you want to withdraw your application?" in page
    assert "govuk-button--warning" in page
    response = learner_client.post(respond_url(application), {"response": "withdraw"}, follow=True)
    assert "has been withdrawn" in html(response)
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_a_late_answer_is_explained(learner_client: Client, candidate: Candidate) -> None:
    application = ApplicationFactory.create(candidate=candidate, status=Status.OFFER_EXPIRED)
    assert "There is nothing to answer" in html(learner_client.get(respond_url(application)))
    response = learner_client.post(respond_url(application), {"response": "accept"}, follow=True)
    assert "You can only accept a place that has been offered" in html(response)
    assert not Enrolment.objects.exists()


def test_someone_elses_offer_is_not_found(client_for: Callable[[str], Client], candidate: Candidate) -> None:
    offer = ApplicationFactory.create(candidate=candidate, status=Status.OFFERED)
    response = client_for("other_learner").post(respond_url(offer), {"response": "decline"})
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == Status.OFFERED


# --- staff review -------------------------------------------------------------------------------


def test_staff_list_shows_counts_seats_and_filters_by_status(staff_client: Client) -> None:
    cohort = CohortFactory.create(capacity=3, name="Leeds March")
    late = ApplicationFactory.create(cohort=cohort, status=Status.WAITING_LIST, waiting_since=timezone.now())
    early = ApplicationFactory.create(
        cohort=cohort, status=Status.WAITING_LIST, waiting_since=timezone.now() - dt.timedelta(days=1)
    )
    ApplicationFactory.create(cohort=cohort, status=Status.OFFERED)
    ApplicationFactory.create(cohort=cohort, status=Status.SUBMITTED)
    ApplicationFactory.create(status=Status.SUBMITTED)  # another cohort
    page = html(staff_client.get(list_url(cohort)))
    assert "Applications for Leeds March" in page
    assert "1 of 3 taken" in page and "2 left" in page
    assert "All applications (4)" in page and "On the waiting list (2)" in page and "Place offered (1)" in page
    assert "Withdrawn (" not in page  # statuses nobody is in are not listed
    page = html(staff_client.get(list_url(cohort), {"status": "waiting_list"}))
    assert page.index(escape(early.candidate.full_name)) < page.index(escape(late.candidate.full_name))
    assert "next to be offered a seat first" in page
    assert page.count(f"{reverse('courses:application-detail', kwargs={'public_id': early.public_id})}") == 1
    assert 'aria-current="page">On the waiting list (2)' in page


def test_staff_list_empty_states(staff_client: Client) -> None:
    cohort = CohortFactory.create(name="Plymouth May")
    assert "Nobody has applied for Plymouth May yet." in html(staff_client.get(list_url(cohort)))
    ApplicationFactory.create(cohort=cohort)
    page = html(staff_client.get(list_url(cohort), {"status": "accepted"}))
    assert "No applications are place accepted." in page


def test_staff_list_never_shows_equality_answers(staff_client: Client) -> None:
    application = ApplicationFactory.create()
    EqualityMonitoring.objects.create(candidate=application.candidate, sex="female", ethnicity="white_british")
    page = html(staff_client.get(list_url(application.cohort))) + html(staff_client.get(detail_url(application)))
    assert "Female" not in page and "White" not in page and "quality" not in page


def test_staff_list_paginates(staff_client: Client) -> None:
    cohort = CohortFactory.create(capacity=50)
    ApplicationFactory.create_batch(27, cohort=cohort)
    page = html(staff_client.get(list_url(cohort), {"page": 2}))
    assert "Showing <b>26</b> to <b>27</b> of <b>27</b>" in page


@pytest.mark.parametrize("rows", [2, 20])
def test_staff_list_query_count_does_not_grow(staff_client: Client, rows: int, django_assert_num_queries) -> None:
    cohort = CohortFactory.create(capacity=30)
    ApplicationFactory.create_batch(rows, cohort=cohort, status=Status.SHORTLISTED)
    # session, user, two-factor check, cohort with course, counts per status, seats taken, page count,
    # page rows; then the session is saved (savepoint, update, release)
    with django_assert_num_queries(11):
        response = staff_client.get(list_url(cohort))
    assert html(response).count("/manage/applications/") == rows


def test_detail_shows_answers_and_the_allowed_decisions(staff_client: Client) -> None:
    cohort = CohortFactory.create()
    question = ScreeningQuestionFactory.create(course=cohort.course, text="Why care?")
    application = ApplicationFactory.create(
        cohort=cohort, status=Status.WAITING_LIST, waiting_since=timezone.now(), answers={str(question.pk): "My mum"}
    )
    page = html(staff_client.get(detail_url(application)))
    assert "Why care?" in page and "My mum" in page
    assert "Number 1 on the waiting list" in page
    assert "Offer a place" in page and "Decline" in page and "Shortlist" not in page
    assert reverse("candidates:candidate-detail", kwargs={"public_id": application.candidate.public_id}) in page


def test_detail_of_an_accepted_application_has_no_decision_form(staff_client: Client) -> None:
    application = ApplicationFactory.create(status=Status.ACCEPTED)
    EnrolmentFactory.create(cohort=application.cohort, candidate=application.candidate, application=application)
    page = html(staff_client.get(detail_url(application)))
    assert decide_url(application) not in page
    assert "Enrolled" in page


def test_decide_offer_a_place(staff_client: Client, staff: User) -> None:
    application = ApplicationFactory.create()
    response = staff_client.post(decide_url(application), {"decision": "offered"}, follow=True)
    assert "has been offered a place" in html(response)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (Status.OFFERED, staff)


def test_decide_decline_without_a_reason_names_the_field(staff_client: Client) -> None:
    application = ApplicationFactory.create()
    response = staff_client.post(decide_url(application), {"decision": "declined", "reason": ""})
    page = html(response)
    assert response.status_code == 200
    assert "<title>Error: Application from" in page
    assert 'href="#id_reason">Enter the reason for declining the application' in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_decide_offer_when_full_shows_the_capacity_error(staff_client: Client) -> None:
    cohort = CohortFactory.create(capacity=1)
    ApplicationFactory.create(cohort=cohort, status=Status.OFFERED)
    application = ApplicationFactory.create(cohort=cohort)
    page = html(staff_client.post(decide_url(application), {"decision": "offered"}))
    assert "There are no seats left on" in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_decide_is_post_only_and_staff_only(staff_client: Client, client_for: Callable[[str], Client]) -> None:
    walk_in_application = ApplicationFactory.create(candidate=CandidateFactory.create())
    assert staff_client.get(decide_url(walk_in_application)).status_code == 405
    assert client_for("provider_user").post(decide_url(walk_in_application), {"decision": "offered"}).status_code == 404
    walk_in_application.refresh_from_db()
    assert walk_in_application.status == Status.SUBMITTED
