"""Services that set up courses and their screening questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from academy.models import AuditEntry, User
from courses.models import Cohort, Course, ScreeningQuestion
from courses.services.catalogue import (
    course_create,
    course_delete,
    course_update,
    question_create,
    question_delete,
    question_move,
    question_update,
)
from tests.courses.factories import ApplicationFactory, CohortFactory, CourseFactory
from tests.courses.factories_catalogue import QuestionFactory

pytestmark = pytest.mark.django_db


def course_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "Introduction to care",
        "summary": "Two weeks with a placement.",
        "kind": Course.Kind.BITE_SIZE,
        "length_days": 6,
        "placement_days": 4,
        "guaranteed_interview": False,
        "entry_requirements": "",
        "funding_stream": None,
        "attendance_bursary_amount": Decimal("60.00"),
        "attendance_bursary_threshold": 90,
        "status": Course.Status.DRAFT,
    }
    return {**values, **overrides}


def messages_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- courses ------------------------------------------------------------------------------------


def test_course_create_saves_fields_and_audits(manager: User) -> None:
    course = course_create(actor=manager, values=course_values(title="  Introduction to care  "))
    assert course.title == "Introduction to care"
    assert course.attendance_bursary_amount == Decimal("60.00")
    assert course.status == Course.Status.DRAFT
    entry = AuditEntry.objects.get(action="course.create")
    assert entry.actor == manager
    assert entry.object_id == str(course.pk)


def test_course_titles_are_unique_whatever_the_case(manager: User) -> None:
    CourseFactory.create(title="Introduction to Care")
    with pytest.raises(ValidationError) as exc:
        course_create(actor=manager, values=course_values(title="introduction to care"))
    assert messages_of(exc) == {
        "title": ["There is already a course called introduction to care: choose another title"]
    }


def test_course_update_records_only_what_changed(manager: User) -> None:
    course = CourseFactory.create(title="Care basics", length_days=10)
    values = {**{name: getattr(course, name) for name in course_values()}, "length_days": 12}
    course_update(course=course, actor=manager, values=values)
    course.refresh_from_db()
    assert course.length_days == 12
    assert AuditEntry.objects.get(action="course.update").data == {"changed": ["length_days"]}


def test_course_update_without_changes_writes_no_audit(manager: User) -> None:
    course = CourseFactory.create()
    course_update(course=course, actor=manager, values={"title": course.title, "status": course.status})
    assert not AuditEntry.objects.filter(action="course.update").exists()


def test_course_update_keeps_its_own_title(manager: User) -> None:
    course = CourseFactory.create(title="Care basics")
    course_update(course=course, actor=manager, values={"title": "Care Basics"})
    course.refresh_from_db()
    assert course.title == "Care Basics"


@pytest.mark.parametrize("new_status", [Course.Status.DRAFT, Course.Status.ARCHIVED])
def test_a_course_with_an_open_cohort_stays_published(manager: User, new_status: str) -> None:
    course = CourseFactory.create(status=Course.Status.PUBLISHED)
    CohortFactory.create(course=course, name="Leeds March", status=Cohort.Status.OPEN)
    with pytest.raises(ValidationError) as exc:
        course_update(course=course, actor=manager, values={"status": new_status})
    (message,) = messages_of(exc)["status"]
    assert "Leeds March" in message
    assert "Close those cohorts for applications first" in message
    course.refresh_from_db()
    assert course.status == Course.Status.PUBLISHED


def test_a_course_whose_cohorts_are_closed_can_be_archived(manager: User) -> None:
    course = CourseFactory.create(status=Course.Status.PUBLISHED)
    CohortFactory.create(course=course, status=Cohort.Status.FINISHED)
    course_update(course=course, actor=manager, values={"status": Course.Status.ARCHIVED})
    course.refresh_from_db()
    assert course.status == Course.Status.ARCHIVED


def test_course_delete_removes_a_course_without_cohorts(manager: User) -> None:
    course = CourseFactory.create(status=Course.Status.DRAFT)
    QuestionFactory.create(course=course)
    course_delete(course=course, actor=manager)
    assert not Course.objects.filter(pk=course.pk).exists()
    assert not ScreeningQuestion.objects.exists()
    assert AuditEntry.objects.get(action="course.delete").data == {"title": course.title}


def test_course_delete_is_refused_once_it_has_cohorts(manager: User) -> None:
    course = CourseFactory.create(title="Care basics")
    CohortFactory.create_batch(2, course=course)
    with pytest.raises(ValidationError) as exc:
        course_delete(course=course, actor=manager)
    assert exc.value.messages == [
        "Care basics has 2 cohorts, so it cannot be deleted. Archive it instead: "
        "it leaves the course finder and its history is kept."
    ]
    assert Course.objects.filter(pk=course.pk).exists()


# --- questions ----------------------------------------------------------------------------------


def question_values(**overrides: Any) -> dict[str, Any]:
    return {"text": "Why care?", "kind": ScreeningQuestion.Kind.TEXT, "choices": "", "required": True, **overrides}


def test_questions_are_added_at_the_end(manager: User) -> None:
    course = CourseFactory.create()
    first = question_create(course=course, actor=manager, values=question_values(text="First"))
    second = question_create(course=course, actor=manager, values=question_values(text="Second"))
    assert (first.position, second.position) == (1, 2)
    entry = AuditEntry.objects.filter(action="question.create").order_by("pk").last()
    assert entry is not None
    assert entry.object_id == str(course.pk)  # on the course's history
    assert entry.data["question"] == str(second.public_id)


def test_choice_questions_keep_distinct_non_blank_choices(manager: User) -> None:
    course = CourseFactory.create()
    question = question_create(
        course=course,
        actor=manager,
        values=question_values(kind=ScreeningQuestion.Kind.CHOICE, choices=" Yes \n\nNo\nYes\n"),
    )
    assert question.choice_list == ["Yes", "No"]


def test_a_choice_question_needs_two_choices(manager: User) -> None:
    course = CourseFactory.create()
    with pytest.raises(ValidationError) as exc:
        question_create(
            course=course, actor=manager, values=question_values(kind=ScreeningQuestion.Kind.CHOICE, choices="Yes")
        )
    assert messages_of(exc) == {"choices": ["Enter at least 2 choices, one on each line"]}


def test_a_text_question_drops_its_choices(manager: User) -> None:
    course = CourseFactory.create()
    question = question_create(course=course, actor=manager, values=question_values(choices="Yes\nNo"))
    assert question.choices == ""


def test_a_course_does_not_ask_the_same_question_twice(manager: User) -> None:
    course = CourseFactory.create()
    QuestionFactory.create(course=course, text="Why care?")
    with pytest.raises(ValidationError) as exc:
        question_create(course=course, actor=manager, values=question_values(text="why care?"))
    assert messages_of(exc) == {"text": ["This course already asks that question"]}


def test_question_update_changes_text_and_audits(manager: User) -> None:
    question = QuestionFactory.create(text="Why care?")
    question_update(question=question, actor=manager, values=question_values(text="Why do you care?", required=False))
    question.refresh_from_db()
    assert (question.text, question.required) == ("Why do you care?", False)
    assert AuditEntry.objects.get(action="question.update").data["changed"] == ["text", "required"]


def test_question_delete_closes_the_gap(manager: User) -> None:
    course = CourseFactory.create()
    a, b, c = (QuestionFactory.create(course=course, position=p) for p in (1, 2, 3))
    question_delete(question=b, actor=manager)
    assert list(course.questions.values_list("pk", "position")) == [(a.pk, 1), (c.pk, 2)]
    assert AuditEntry.objects.get(action="question.delete").data["text"] == b.text


def test_an_answered_question_cannot_be_removed(manager: User) -> None:
    question = QuestionFactory.create()
    cohort = CohortFactory.create(course=question.course)
    ApplicationFactory.create(cohort=cohort, answers={str(question.pk): "Because I care"})
    with pytest.raises(ValidationError) as exc:
        question_delete(question=question, actor=manager)
    assert "Applicants have already answered this question" in exc.value.messages[0]
    assert ScreeningQuestion.objects.filter(pk=question.pk).exists()


def test_answers_to_another_question_do_not_block_removal(manager: User) -> None:
    question = QuestionFactory.create()
    other = QuestionFactory.create(course=question.course)
    ApplicationFactory.create(cohort=CohortFactory.create(course=question.course), answers={str(other.pk): "Yes"})
    question_delete(question=question, actor=manager)
    assert not ScreeningQuestion.objects.filter(pk=question.pk).exists()


def test_question_move_swaps_neighbours_and_renumbers(manager: User) -> None:
    course = CourseFactory.create()
    # Positions as another area's seed might leave them: equal and with gaps.
    a, b, c = (QuestionFactory.create(course=course, position=p) for p in (0, 0, 7))
    question_move(question=c, actor=manager, direction="up")
    assert list(course.questions.values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    assert list(course.questions.values_list("position", flat=True)) == [1, 2, 3]
    question_move(question=a, actor=manager, direction="down")
    assert list(course.questions.values_list("pk", flat=True)) == [c.pk, a.pk, b.pk]
    assert AuditEntry.objects.filter(action="question.move").count() == 2


@pytest.mark.parametrize(("which", "direction", "message"), [(0, "up", "first"), (1, "down", "last")])
def test_question_move_past_the_ends_is_refused(manager: User, which: int, direction: str, message: str) -> None:
    course = CourseFactory.create()
    questions = [QuestionFactory.create(course=course, position=p) for p in (1, 2)]
    with pytest.raises(ValidationError) as exc:
        question_move(question=questions[which], actor=manager, direction=direction)
    assert exc.value.messages == [f"The question is already {message}."]


def test_question_move_needs_a_direction(manager: User) -> None:
    question = QuestionFactory.create()
    with pytest.raises(ValidationError):
        question_move(question=question, actor=manager, direction="sideways")
