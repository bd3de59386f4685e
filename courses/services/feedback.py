"""Learners' feedback on a course and their before/after questionnaire.

Feedback (a 1-5 rating and a comment) opens when the cohort's end date is reached or the learner
has completed, and is given once. The questionnaire asks the same five statements, scored 0-10,
before the course (until the end of its first week) and after it (when feedback opens); the total
(0-50) before and after gives each cohort's average change (courses.selectors.outcomes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from academy.audit import audit_log
from academy.models import User
from courses.models import Enrolment, Feedback, Questionnaire

When = Questionnaire.When

# (key, statement): the learner scores each from 0 (not at all) to 10 (completely).
STATEMENTS: tuple[tuple[str, str], ...] = (
    ("confidence", "I feel confident about working in adult social care"),
    ("knowledge", "I know what a job in care involves from day to day"),
    ("resilience", "I can cope when things do not go to plan"),
    ("asking_for_help", "I feel able to ask for help and support when I need it"),
    ("job_ready", "I feel ready to apply for a job in care"),
)
MAX_SCORE_EACH = 10
MAX_TOTAL = MAX_SCORE_EACH * len(STATEMENTS)
# The "before" questionnaire stays open until the end of the course's first week.
BEFORE_OPEN_DAYS = 7
COMMENT_MAX_LENGTH = 2000


def _ended_for_learner(enrolment: Enrolment, today: dt.date) -> bool:
    return enrolment.status == Enrolment.Status.COMPLETED or today >= enrolment.cohort.end_date


def feedback_problem(enrolment: Enrolment, *, given: bool, today: dt.date) -> str:
    """Why the learner cannot give feedback on `enrolment` now, in words for them; "" when they can.

    `given`: whether they already have; the caller knows (a list reads it in its own query).
    """
    if given:
        return "You have already given feedback on this course. Thank you."
    if enrolment.status == Enrolment.Status.PAUSED:
        return "Your place on this course is paused. You can give feedback on the course when you rejoin and finish it."
    if not _ended_for_learner(enrolment, today):
        return (
            f"You can give feedback from {enrolment.cohort.end_date:%-d %B %Y}, when the course ends, "
            "or as soon as you have completed it."
        )
    return ""


def before_closes_on(enrolment: Enrolment) -> dt.date:
    """The last day the "before" questionnaire can be answered."""
    cohort = enrolment.cohort
    return min(cohort.start_date + dt.timedelta(days=BEFORE_OPEN_DAYS - 1), cohort.end_date)


def questionnaire_problem(enrolment: Enrolment, *, when: str, answered: bool, today: dt.date) -> str:
    """Why the learner cannot answer the `when` questionnaire now, in words for them; "" when they can.

    `answered`: whether they already have answered that one.
    """
    if answered:
        return "You have already answered this questionnaire. Thank you."
    if enrolment.status == Enrolment.Status.PAUSED:
        return "Your place on this course is paused, so this questionnaire is closed."
    if when == When.BEFORE:
        closes_on = before_closes_on(enrolment)
        if enrolment.status != Enrolment.Status.ENROLLED or today > closes_on:
            return f"The questionnaire before the course closed on {closes_on:%-d %B %Y}."
        return ""
    if not _ended_for_learner(enrolment, today):
        return (
            f"You can answer the questionnaire after the course from {enrolment.cohort.end_date:%-d %B %Y}, "
            "when the course ends, or as soon as you have completed it."
        )
    return ""


@transaction.atomic
def feedback_submit(*, enrolment: Enrolment, actor: User, rating: int, comment: str = "") -> Feedback:
    """The learner rates their course 1-5 with an optional comment, once, when feedback is open; audited."""
    given = Feedback.objects.filter(enrolment=enrolment).exists()
    problem = feedback_problem(enrolment, given=given, today=timezone.localdate())
    if problem:
        raise ValidationError(problem)
    if rating not in range(1, 6):
        raise ValidationError({"rating": "Select a rating from 1 to 5."})
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"Your comments must be {COMMENT_MAX_LENGTH:,} characters or fewer."})
    try:
        # A savepoint, so a double submission that lost the race leaves the transaction usable.
        with transaction.atomic():
            feedback = Feedback.objects.create(enrolment=enrolment, rating=rating, comment=comment)
    except IntegrityError as exc:
        raise ValidationError("You have already given feedback on this course. Thank you.") from exc
    # The comment stays out of the log: it is the learner's to erase (see candidates.services.privacy).
    audit_log(actor=actor, action="feedback.submit", obj=enrolment, data={"rating": rating})
    return feedback


@transaction.atomic
def questionnaire_submit(*, enrolment: Enrolment, actor: User, when: str, answers: Mapping[str, int]) -> Questionnaire:
    """Store the learner's scores (0-10 for each statement) for the `when` questionnaire and their total; audited."""
    if when not in When.values:
        raise ValidationError("There is no such questionnaire.")
    answered = Questionnaire.objects.filter(enrolment=enrolment, when=when).exists()
    problem = questionnaire_problem(enrolment, when=when, answered=answered, today=timezone.localdate())
    if problem:
        raise ValidationError(problem)
    scores: dict[str, int] = {}
    for key, statement in STATEMENTS:
        value = answers.get(key)
        if not isinstance(value, int) or not 0 <= value <= MAX_SCORE_EACH:
            raise ValidationError({key: f"Choose a score between 0 and {MAX_SCORE_EACH} for '{statement}'."})
        scores[key] = value
    try:
        with transaction.atomic():
            questionnaire = Questionnaire.objects.create(
                enrolment=enrolment, when=when, answers=scores, score=sum(scores.values())
            )
    except IntegrityError as exc:
        raise ValidationError("You have already answered this questionnaire. Thank you.") from exc
    audit_log(
        actor=actor, action="questionnaire.submit", obj=enrolment, data={"when": when, "score": questionnaire.score}
    )
    return questionnaire
