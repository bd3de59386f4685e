"""Managers set up courses and their screening questions.

A course leaves the published state only once none of its cohorts is open for applications: the
course finder shows published courses only, so an open cohort of a hidden course could not be found.
A question that applicants have answered cannot be removed, because their answers (keyed by the
question's id) would lose their question; managers can make it optional or reword it instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.audit import audit_log
from academy.models import User, default_academy_id
from academy.tenancy import academy_in_use_id
from courses.models import Cohort, Course, ScreeningQuestion
from courses.selectors.catalogue import question_has_answers

COURSE_FIELDS = (
    "title",
    "summary",
    "kind",
    "length_days",
    "placement_days",
    "guaranteed_interview",
    "shared_with_region",
    "entry_requirements",
    "funding_stream",
    "attendance_bursary_amount",
    "attendance_bursary_threshold",
    "status",
)
QUESTION_FIELDS = ("text", "kind", "choices", "required")
UP, DOWN = "up", "down"


def _pick(values: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: values[name] for name in fields if name in values}


def _check_title_free(title: str, academy_id: int, course: Course | None = None) -> None:
    """Titles are unique within an academy (two academies may both run "Introduction to care")."""
    others = Course.objects.filter(title__iexact=title, academy_id=academy_id)
    if course is not None:
        others = others.exclude(pk=course.pk)
    if others.exists():
        raise ValidationError({"title": f"There is already a course called {title}: choose another title"})


def _check_can_unpublish(course: Course) -> None:
    open_cohorts = list(
        course.cohorts.filter(status=Cohort.Status.OPEN).order_by("start_date").values_list("name", flat=True)
    )
    if open_cohorts:
        names = ", ".join(open_cohorts)
        raise ValidationError(
            {
                "status": f"The course stays published while cohorts are open for applications ({names}): "
                "learners could not find them. Close those cohorts for applications first."
            }
        )


@transaction.atomic
def course_create(*, actor: User, values: Mapping[str, Any]) -> Course:
    """Add a course from `values` (the COURSE_FIELDS); titles are unique."""
    data = _pick(values, COURSE_FIELDS)
    data["title"] = str(data["title"]).strip()
    data["academy_id"] = academy_in_use_id(actor) or default_academy_id()
    _check_title_free(data["title"], data["academy_id"])
    course = Course.objects.create(**data)
    audit_log(actor=actor, action="course.create", obj=course, data={"status": course.status})
    return course


@transaction.atomic
def course_update(*, course: Course, actor: User, values: Mapping[str, Any]) -> Course:
    """Change a course's details or status; see the module docstring for leaving the published state."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    data = _pick(values, COURSE_FIELDS)
    if "title" in data:
        data["title"] = str(data["title"]).strip()
        _check_title_free(data["title"], cast(int, course.academy_id), course)
    new_status = data.get("status", course.status)
    if course.status == Course.Status.PUBLISHED and new_status != Course.Status.PUBLISHED:
        _check_can_unpublish(course)
    changed = [name for name, value in data.items() if getattr(course, name) != value]
    for name in changed:
        setattr(course, name, data[name])
    if changed:
        course.save(update_fields=[*changed, "updated_at"])
        audit_log(actor=actor, action="course.update", obj=course, data={"changed": changed})
    return course


def course_delete_problem(course: Course) -> str:
    """Why `course` cannot be deleted (a sentence for the manager), or "" if it can."""
    cohorts = course.cohorts.count()
    if not cohorts:
        return ""
    runs = "1 cohort" if cohorts == 1 else f"{cohorts} cohorts"
    return (
        f"{course.title} has {runs}, so it cannot be deleted. Archive it instead: "
        "it leaves the course finder and its history is kept."
    )


@transaction.atomic
def course_delete(*, course: Course, actor: User) -> None:
    """Delete a course added by mistake, with its questions; refused once it has cohorts (archive it instead)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    problem = course_delete_problem(course)
    if problem:
        raise ValidationError(problem)
    audit_log(actor=actor, action="course.delete", obj=course, data={"title": course.title})
    course.delete()


# --- screening questions -----------------------------------------------------------------------


def _clean_question(data: dict[str, Any], course: Course, question: ScreeningQuestion | None = None) -> None:
    data["text"] = str(data["text"]).strip()
    if data["kind"] == ScreeningQuestion.Kind.CHOICE:
        lines = [line.strip() for line in str(data.get("choices", "")).splitlines()]
        choices = list(dict.fromkeys(line for line in lines if line))
        if len(choices) < 2:
            raise ValidationError({"choices": "Enter at least 2 choices, one on each line"})
        data["choices"] = "\n".join(choices)
    else:
        data["choices"] = ""
    same = course.questions.filter(text__iexact=data["text"])
    if question is not None:
        same = same.exclude(pk=question.pk)
    if same.exists():
        raise ValidationError({"text": "This course already asks that question"})


def _renumber(questions: list[ScreeningQuestion]) -> None:
    """Give `questions` the positions 1, 2, 3... in list order, saving only the ones that moved."""
    moved = []
    for position, question in enumerate(questions, start=1):
        if question.position != position:
            question.position = position
            moved.append(question)
    ScreeningQuestion.objects.bulk_update(moved, ["position"])


def _lock_questions(course: Course) -> list[ScreeningQuestion]:
    # Lock the course row so two managers reordering or adding at once are served one after the other.
    Course.objects.select_for_update().filter(pk=course.pk).get()
    return list(ScreeningQuestion.objects.filter(course=course).order_by("position", "pk"))


@transaction.atomic
def question_create(*, course: Course, actor: User, values: Mapping[str, Any]) -> ScreeningQuestion:
    """Add a screening question at the end of the course's list."""
    data = _pick(values, QUESTION_FIELDS)
    questions = _lock_questions(course)
    _clean_question(data, course)
    _renumber(questions)
    question = ScreeningQuestion.objects.create(course=course, position=len(questions) + 1, **data)
    audit_log(actor=actor, action="question.create", obj=course, data={"question": str(question.public_id), **data})
    return question


@transaction.atomic
def question_update(*, question: ScreeningQuestion, actor: User, values: Mapping[str, Any]) -> ScreeningQuestion:
    """Reword a question, change its kind or choices, or make it optional."""
    _lock_questions(question.course)
    question = ScreeningQuestion.objects.get(pk=question.pk)
    data = _pick(values, QUESTION_FIELDS)
    _clean_question(data, question.course, question)
    changed = [name for name, value in data.items() if getattr(question, name) != value]
    for name in changed:
        setattr(question, name, data[name])
    if changed:
        question.save(update_fields=changed)
        audit_log(
            actor=actor,
            action="question.update",
            obj=question.course,
            data={"question": str(question.public_id), "changed": changed},
        )
    return question


def question_delete_problem(question: ScreeningQuestion) -> str:
    """Why `question` cannot be removed, or "" if it can."""
    if question_has_answers(question):
        return (
            "Applicants have already answered this question, so it cannot be removed: their answers would "
            "lose their question. You can make it optional or reword it instead."
        )
    return ""


@transaction.atomic
def question_delete(*, question: ScreeningQuestion, actor: User) -> None:
    """Remove a question nobody has answered yet; the others close up."""
    course = question.course
    questions = _lock_questions(course)
    problem = question_delete_problem(question)
    if problem:
        raise ValidationError(problem)
    audit_log(
        actor=actor,
        action="question.delete",
        obj=course,
        data={"question": str(question.public_id), "text": question.text},
    )
    remaining = [q for q in questions if q.pk != question.pk]
    question.delete()
    _renumber(remaining)


@transaction.atomic
def question_move(*, question: ScreeningQuestion, actor: User, direction: str) -> ScreeningQuestion:
    """Swap a question with the one above (`up`) or below (`down`) it."""
    if direction not in (UP, DOWN):
        raise ValidationError("Choose whether to move the question up or down.")
    questions = _lock_questions(question.course)
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other = index - 1 if direction == UP else index + 1
    if not 0 <= other < len(questions):
        raise ValidationError(f"The question is already {'first' if direction == UP else 'last'}.")
    questions[index], questions[other] = questions[other], questions[index]
    _renumber(questions)
    audit_log(
        actor=actor,
        action="question.move",
        obj=question.course,
        data={"question": str(question.public_id), "direction": direction},
    )
    return questions[other]
