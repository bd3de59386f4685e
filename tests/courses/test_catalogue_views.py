"""Course and screening question pages for managers (and read-only for staff): HTTP contract and query counts."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from academy.models import User
from courses.models import Cohort, Course, ScreeningQuestion
from tests.conftest import sign_in
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory
from tests.courses.factories_catalogue import QuestionFactory

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def manager_client(manager: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("manager")


@pytest.fixture
def staff_client(staff: User, client_for: Callable[[str], Client]) -> Client:
    return client_for("staff")


def course_form(**overrides: str) -> dict[str, str]:
    data = {
        "title": "Introduction to care",
        "summary": "Two weeks with a placement.",
        "kind": "bite_size",
        "length_days": "6",
        "placement_days": "4",
        "guaranteed_interview": "on",
        "entry_requirements": "",
        "funding_stream": "",
        "attendance_bursary_amount": "£60",
        "attendance_bursary_threshold": "90",
        "status": "draft",
    }
    return {**data, **overrides}


def test_url_names() -> None:
    assert reverse("courses:course-list") == "/manage/courses/"
    assert reverse("courses:course-create") == "/manage/courses/new/"


# --- course list ----------------------------------------------------------------------------------


def test_course_list_shows_courses_with_counts(manager_client: Client) -> None:
    course = CourseFactory.create(title="Care basics", status=Course.Status.DRAFT)
    QuestionFactory.create_batch(2, course=course)
    CohortFactory.create(course=course, status=Cohort.Status.OPEN)
    CohortFactory.create(course=course, status=Cohort.Status.FINISHED)
    html = page(manager_client.get("/manage/courses/"))
    assert "1 course" in html
    assert course.get_absolute_url() in html
    assert "Draft" in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in html  # questions
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in html  # cohorts not over
    assert reverse("courses:course-create") in html


def test_course_list_filters(manager_client: Client) -> None:
    certificate = CourseFactory.create(title="Care Certificate", kind=Course.Kind.CARE_CERTIFICATE)
    refresher = CourseFactory.create(title="Refresher", kind=Course.Kind.REFRESHER, status=Course.Status.ARCHIVED)
    html = page(manager_client.get("/manage/courses/", {"kind": "refresher"}))
    assert (certificate.get_absolute_url() in html, refresher.get_absolute_url() in html) == (False, True)
    html = page(manager_client.get("/manage/courses/", {"q": "certif"}))
    assert (certificate.get_absolute_url() in html, refresher.get_absolute_url() in html) == (True, False)
    html = page(manager_client.get("/manage/courses/", {"status": "archived"}))
    assert (certificate.get_absolute_url() in html, refresher.get_absolute_url() in html) == (False, True)


def test_course_list_empty_states(manager_client: Client, staff_client: Client) -> None:
    assert "Add the first course" in page(manager_client.get("/manage/courses/"))
    html = page(staff_client.get("/manage/courses/"))
    assert "A manager adds them" in html
    assert reverse("courses:course-create") not in html
    assert "No courses match your filters" in page(manager_client.get("/manage/courses/", {"q": "nothing"}))


@pytest.mark.parametrize("rows", [2, 20])
def test_course_list_query_count_does_not_grow(manager_client: Client, django_assert_num_queries, rows: int) -> None:
    manager_client.get("/")  # the first request of a staff session writes its idle expiry once
    for course in CourseFactory.create_batch(rows):
        QuestionFactory.create(course=course)
        CohortFactory.create(course=course)
    # session, user, count, page of courses (with question and cohort counts as subqueries), MFA check
    with django_assert_num_queries(5):
        assert manager_client.get("/manage/courses/").status_code == 200


# --- create, update, delete ---------------------------------------------------------------------


def test_course_create(manager_client: Client) -> None:
    response = manager_client.post("/manage/courses/new/", course_form())
    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert course.guaranteed_interview
    assert str(course.attendance_bursary_amount) == "60.00"


def test_course_create_errors_name_the_field(manager_client: Client) -> None:
    data = course_form(title="", kind="", length_days="ten", attendance_bursary_amount="lots", status="")
    response = manager_client.post("/manage/courses/new/", data)
    html = page(response)
    assert response.status_code == 200
    assert "<title>Error: Add a course" in html
    for message in (
        "Enter the course title",
        "Select the type of course",
        "Length in training days must be a whole number, like 10",
        "Attendance bursary must be an amount in pounds, like 60 or 60.50",
        "Select the course&#x27;s status",
    ):
        assert message in html
    assert 'href="#id_title"' in html  # the error summary links to the field
    assert not Course.objects.exists()


def test_course_create_duplicate_title_is_shown_on_the_title(manager_client: Client) -> None:
    CourseFactory.create(title="Introduction to care")
    html = page(manager_client.post("/manage/courses/new/", course_form()))
    assert "There is already a course called Introduction to care: choose another title" in html
    assert 'id="id_title_error"' in html or "govuk-error-message" in html


def test_course_update_shows_the_current_values_and_saves(manager_client: Client) -> None:
    course = CourseFactory.create(title="Care basics", length_days=10)
    url = reverse("courses:course-update", kwargs={"public_id": course.public_id})
    assert 'value="Care basics"' in page(manager_client.get(url))
    response = manager_client.post(url, course_form(title="Care basics", length_days="12", status="published"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.length_days, course.status) == (12, Course.Status.PUBLISHED)


def test_course_update_refuses_to_hide_open_cohorts(manager_client: Client) -> None:
    course = CourseFactory.create(title="Care basics", status=Course.Status.PUBLISHED)
    CohortFactory.create(course=course, name="Leeds, March", status=Cohort.Status.OPEN)
    url = reverse("courses:course-update", kwargs={"public_id": course.public_id})
    html = page(manager_client.post(url, course_form(title="Care basics", status="archived")))
    assert "cohorts are open for applications (Leeds, March)" in html
    assert 'href="#id_status_1"' in html


def test_staff_see_a_course_without_edit_links(staff_client: Client) -> None:
    course = CourseFactory.create()
    QuestionFactory.create(course=course, text="Why care?")
    html = page(staff_client.get(course.get_absolute_url()))
    assert "Why care?" in html
    assert reverse("courses:course-update", kwargs={"public_id": course.public_id}) not in html
    assert "Move up" not in html
    assert "Delete course" not in html
    assert reverse("courses:cohort-create") + f"?course={course.public_id}" in html


def test_course_detail_for_a_manager(manager_client: Client) -> None:
    course = CourseFactory.create(attendance_bursary_amount="60.00", attendance_bursary_threshold=90)
    first = QuestionFactory.create(course=course, text="First question", position=1)
    QuestionFactory.create(course=course, text="Second question", position=2, kind="choice", choices="Yes\nNo")
    cohort = CohortFactory.create(course=course, name="Leeds, March")
    html = page(manager_client.get(course.get_absolute_url()))
    assert html.index("First question") < html.index("Second question")
    assert "£60.00 for 90% attendance or more" in html
    assert html.count("Move up") == 1
    assert html.count("Move down") == 1
    assert f'id="question-{first.public_id}"' in html
    assert cohort.get_absolute_url() in html
    assert "0 of 12" in html
    assert 'id="history"' in html
    assert reverse("courses:course-feedback", kwargs={"public_id": course.public_id}) in html


def test_course_delete_asks_first_then_deletes(manager_client: Client) -> None:
    course = CourseFactory.create(title="Typo course", status=Course.Status.DRAFT)
    url = reverse("courses:course-delete", kwargs={"public_id": course.public_id})
    html = page(manager_client.get(url))
    assert "Delete Typo course?" in html
    assert "govuk-button--warning" in html
    response = manager_client.post(url)
    assert response["Location"] == reverse("courses:course-list")
    assert not Course.objects.exists()


def test_course_delete_explains_why_not(manager_client: Client) -> None:
    course = CourseFactory.create(title="Care basics")
    CohortFactory.create(course=course)
    url = reverse("courses:course-delete", kwargs={"public_id": course.public_id})
    html = page(manager_client.get(url))
    assert "You cannot delete Care basics" in html
    assert "Yes, delete" not in html
    response = manager_client.post(url, follow=True)
    assert "Archive it instead" in page(response)
    assert Course.objects.filter(pk=course.pk).exists()


def test_posts_need_the_csrf_token(manager: User) -> None:
    course = CourseFactory.create(status=Course.Status.DRAFT)
    client = Client(enforce_csrf_checks=True)
    sign_in(client, manager)
    response = client.post(reverse("courses:course-delete", kwargs={"public_id": course.public_id}))
    assert response.status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()


# --- questions ----------------------------------------------------------------------------------


def test_question_create(manager_client: Client) -> None:
    course = CourseFactory.create()
    url = reverse("courses:question-create", kwargs={"public_id": course.public_id})
    form = page(manager_client.get(url))
    assert re.search(r'value="text"\s+checked="checked"', form)  # answered in own words
    assert 'id="id_required" checked' in form
    data = {"text": "Can you attend every day?", "kind": "choice", "choices": "Yes\nNo", "required": "on"}
    response = manager_client.post(url, data)
    assert response["Location"] == course.get_absolute_url() + "#questions"
    question = ScreeningQuestion.objects.get()
    assert (question.choice_list, question.required, question.position) == (["Yes", "No"], True, 1)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ("Yes", "Enter at least 2 answers to choose from, one on each line"),
        ("Yes\nyes", "Answers to choose from must all be different"),
    ],
)
def test_question_choice_errors(manager_client: Client, choices: str, message: str) -> None:
    course = CourseFactory.create()
    url = reverse("courses:question-create", kwargs={"public_id": course.public_id})
    html = page(manager_client.post(url, {"text": "Attend?", "kind": "choice", "choices": choices}))
    assert message in html
    assert not ScreeningQuestion.objects.exists()


def test_question_create_needs_text_and_kind(manager_client: Client) -> None:
    course = CourseFactory.create()
    url = reverse("courses:question-create", kwargs={"public_id": course.public_id})
    html = page(manager_client.post(url, {}))
    assert "Enter the question" in html
    assert "Select how applicants answer" in html


def test_question_update(manager_client: Client) -> None:
    question = QuestionFactory.create(text="Why care?")
    url = reverse("courses:question-update", kwargs={"public_id": question.public_id})
    assert "Why care?" in page(manager_client.get(url))
    response = manager_client.post(url, {"text": "Why do you care?", "kind": "text"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.required) == ("Why do you care?", False)


def test_question_delete_asks_then_removes(manager_client: Client) -> None:
    question = QuestionFactory.create(text="Why care?")
    url = reverse("courses:question-delete", kwargs={"public_id": question.public_id})
    html = page(manager_client.get(url))
    assert "Remove this question?" in html
    assert "Why care?" in html
    manager_client.post(url)
    assert not ScreeningQuestion.objects.exists()


def test_an_answered_question_page_says_why_it_stays(manager_client: Client) -> None:
    question = QuestionFactory.create()
    ApplicationFactory.create(cohort=CohortFactory.create(course=question.course), answers={str(question.pk): "x"})
    url = reverse("courses:question-delete", kwargs={"public_id": question.public_id})
    html = page(manager_client.get(url))
    assert "You cannot remove this question" in html
    assert "Yes, remove" not in html
    manager_client.post(url)
    assert ScreeningQuestion.objects.filter(pk=question.pk).exists()


def test_question_move_is_post_only_and_returns_to_the_question(manager_client: Client) -> None:
    course = CourseFactory.create()
    first, second = QuestionFactory.create(course=course, position=1), QuestionFactory.create(course=course, position=2)
    url = reverse("courses:question-move", kwargs={"public_id": second.public_id})
    assert manager_client.get(url).status_code == 405
    response = manager_client.post(url, {"direction": "up"})
    assert response["Location"] == course.get_absolute_url() + f"#question-{second.public_id}"
    assert list(course.questions.values_list("pk", flat=True)) == [second.pk, first.pk]


def test_question_move_past_the_top_says_so(manager_client: Client) -> None:
    question = QuestionFactory.create()
    url = reverse("courses:question-move", kwargs={"public_id": question.public_id})
    assert "The question is already first." in page(manager_client.post(url, {"direction": "up"}, follow=True))


def test_a_draft_course_is_out_of_scope_for_learners(client_for: Callable[[str], Client], learner: User) -> None:
    draft = CourseFactory.create(status=Course.Status.DRAFT)
    question = QuestionFactory.create(course=draft)
    client = client_for("learner")
    assert client.get(reverse("courses:question-update", kwargs={"public_id": question.public_id})).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
