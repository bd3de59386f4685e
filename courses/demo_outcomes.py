"""Demo outcomes for `seed_demo` on the finished demo cohorts: completions, certificates, feedback,
questionnaires, support payments and attendance bursaries.

Call after the attendance seed (courses.demo_delivery.seed_attendance), which enrols learners on
the finished cohorts. Idempotent: only enrolments still "enrolled" get an outcome, and feedback,
questionnaires, certificates and a cohort's payments are only added where there are none, so
running `seed_demo` again adds nothing. Rows are written directly (no emails, no audit entries,
no pipeline moves: the finished cohorts' learners are already further on). Values come from a
random generator seeded by cohort and learner, so the same demo always shows the same figures.
The demo learner learner5@demo.academy completed the latest finished cohort and can still give
feedback and answer the questionnaire after it.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from academy.models import Academy, User
from candidates.models import Candidate
from courses.demo_history import seed_status_history
from courses.models import Attendance, Certificate, Cohort, Course, Enrolment, Feedback, Questionnaire, SupportPayment
from courses.selectors.payments import bursary_qualifiers, cohort_stream
from courses.services.feedback import MAX_SCORE_EACH, STATEMENTS
from courses.services.payments import bursary_payment

Status = Enrolment.Status
Kind = SupportPayment.Kind

DEMO_LEARNER = "learner5@demo.academy"
STAFF = "staff@demo.academy"
MANAGER = "manager@demo.academy"
WITHDRAWN_REASON = "Started a job in retail before the placement"
NOT_COMPLETED_REASON = "Missed three days of the work placement"
COMMENTS = [
    "The placement made me sure care is for me. Thank you!",
    "Really friendly tutor and I learnt a lot about safeguarding.",
    "Some days were long. More breaks would help.",
    "Moving and handling practice was the best part.",
    "",
    "",
]
# (kind, amount, description, status): what a cohort of learners typically needs.
PAYMENTS = [
    (Kind.TRANSPORT, "24.50", "Weekly bus pass", SupportPayment.Status.PAID),
    (Kind.TRANSPORT, "24.50", "Weekly bus pass", SupportPayment.Status.PAID),
    (Kind.CHILDCARE, "80.00", "Childminder for the placement week", SupportPayment.Status.PAID),
    (Kind.LUNCH, "15.00", "Lunch vouchers for the placement", SupportPayment.Status.APPROVED),
    (
        Kind.INTERVIEW_CLOTHES,
        "40.00",
        "Smart trousers and shoes for the guaranteed interview",
        SupportPayment.Status.REQUESTED,
    ),
]


@transaction.atomic
def seed_outcomes(*, now: dt.datetime | None = None) -> int:
    """Record outcomes and the rest on finished demo cohorts; returns how many outcomes were recorded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    staff = User.objects.filter(email=STAFF).first()
    manager = User.objects.filter(email=MANAGER).first()
    cohorts = list(
        Cohort.objects.filter(status=Cohort.Status.FINISHED, end_date__lt=today)
        .select_related("course")
        .order_by("start_date", "pk")
    )
    # The demo learner belongs to the first academy: they finished its latest cohort.
    theirs = [cohort for cohort in cohorts if cohort.course.academy_id == Academy.objects.default().pk]
    if theirs:
        _enrol_demo_learner(theirs[-1])
    recorded = 0
    for cohort in cohorts:
        enrolments = list(cohort.enrolments.select_related("candidate").order_by("candidate__last_name", "pk"))
        for index, enrolment in enumerate(enrolments):
            rng = random.Random(f"{cohort.name}/{enrolment.candidate_id}")  # noqa: S311 - demo data
            if enrolment.status == Status.ENROLLED:
                _record_outcome(enrolment, index=index, count=len(enrolments), rng=rng)
                recorded += 1
            _answers(enrolment, rng=rng, demo=_is_demo_learner(enrolment.candidate))
        _payments(cohort, enrolments, staff=staff, manager=manager)
    # The last of the courses demo steps: every application and enrolment now has its final status.
    seed_status_history()
    return recorded


def _is_demo_learner(candidate: Candidate) -> bool:
    return candidate.email == DEMO_LEARNER


def _enrol_demo_learner(cohort: Cohort) -> None:
    """Put the demo learner on the latest finished cohort (once), present at every session."""
    candidate = Candidate.objects.filter(user__email=DEMO_LEARNER).first()
    if candidate is None or Enrolment.objects.filter(candidate=candidate, cohort__course=cohort.course).exists():
        return
    if cohort.enrolments.count() >= cohort.capacity:
        return
    enrolment = Enrolment.objects.create(cohort=cohort, candidate=candidate)
    Attendance.objects.bulk_create(
        [
            Attendance(session=session, enrolment=enrolment, mark=Attendance.Mark.PRESENT)
            for session in cohort.sessions.all()
        ]
    )


def _record_outcome(enrolment: Enrolment, *, index: int, count: int, rng: random.Random) -> None:
    """Most complete; on cohorts of five or more, one withdraws and one does not complete (never the demo learner)."""
    cohort = enrolment.cohort
    status, reason = Status.COMPLETED, ""
    if count >= 5 and not _is_demo_learner(enrolment.candidate):
        if index == count - 1:
            status, reason = Status.DID_NOT_COMPLETE, NOT_COMPLETED_REASON
        elif index == count - 2:
            status, reason = Status.WITHDRAWN, WITHDRAWN_REASON
    standards = 0
    if cohort.course.kind == Course.Kind.CARE_CERTIFICATE and status == Status.COMPLETED:
        standards = rng.choice([16, 16, 16, 15, 14])
    ended = cohort.end_date if status == Status.COMPLETED else cohort.start_date + dt.timedelta(days=3)
    enrolment.status = status
    enrolment.status_reason = reason
    enrolment.care_certificate_standards = standards
    enrolment.ended_at = timezone.make_aware(dt.datetime.combine(ended, dt.time(17, 0)))
    enrolment.save(update_fields=["status", "status_reason", "care_certificate_standards", "ended_at", "updated_at"])
    if status == Status.COMPLETED and not enrolment.certificates.exists():
        Certificate.objects.create(enrolment=enrolment, title=cohort.course.title, issued_on=cohort.end_date)


def _split(total: int, rng: random.Random) -> dict[str, int]:
    """Spread `total` over the statements, each 0-10."""
    answers = {key: 0 for key, _ in STATEMENTS}
    keys = list(answers)
    for _ in range(total):
        open_keys = [key for key in keys if answers[key] < MAX_SCORE_EACH]
        answers[rng.choice(open_keys)] += 1
    return answers


def _answers(enrolment: Enrolment, *, rng: random.Random, demo: bool) -> None:
    """A before questionnaire for everyone; feedback and an after questionnaire from those who completed
    (except the demo learner, who is left to try them)."""
    cohort = enrolment.cohort
    before = rng.randint(14, 30)
    stamp = timezone.make_aware(dt.datetime.combine(cohort.start_date, dt.time(9, 30)))
    if not enrolment.questionnaires.filter(when=Questionnaire.When.BEFORE).exists():
        Questionnaire.objects.create(
            enrolment=enrolment, when="before", answers=_split(before, rng), score=before, submitted_at=stamp
        )
    if demo or enrolment.status != Status.COMPLETED:
        return
    finished = timezone.make_aware(dt.datetime.combine(cohort.end_date, dt.time(16, 0)))
    if not enrolment.questionnaires.filter(when=Questionnaire.When.AFTER).exists():
        after = min(before + rng.randint(4, 18), len(STATEMENTS) * MAX_SCORE_EACH)
        Questionnaire.objects.create(
            enrolment=enrolment, when="after", answers=_split(after, rng), score=after, submitted_at=finished
        )
    if not Feedback.objects.filter(enrolment=enrolment).exists():
        Feedback.objects.create(
            enrolment=enrolment,
            rating=rng.choice([5, 5, 5, 4, 4, 4, 3]),
            comment=rng.choice(COMMENTS),
            submitted_at=finished,
        )


def _payments(cohort: Cohort, enrolments: list[Enrolment], *, staff: User | None, manager: User | None) -> None:
    """Support payments for the first learners, and the attendance bursaries (half paid), once per cohort."""
    if SupportPayment.objects.filter(cohort=cohort).exists() or not enrolments:
        return
    # Asked for the week before the course, decided on its first day, paid on its last; a request still
    # waiting (interview clothes) was made on the last day. Nothing is decided before it was asked for.
    asked = timezone.make_aware(dt.datetime.combine(cohort.start_date - dt.timedelta(days=7), dt.time(10, 0)))
    decided = timezone.make_aware(dt.datetime.combine(cohort.start_date, dt.time(12, 0)))
    paid = timezone.make_aware(dt.datetime.combine(cohort.end_date, dt.time(15, 0)))
    for enrolment, (kind, amount, description, status) in zip(enrolments, PAYMENTS, strict=False):
        is_decided = status != SupportPayment.Status.REQUESTED
        SupportPayment.objects.create(
            created_at=asked if is_decided else timezone.make_aware(dt.datetime.combine(cohort.end_date, dt.time(10))),
            candidate=enrolment.candidate,
            cohort=cohort,
            kind=kind,
            amount=Decimal(amount),
            description=description,
            status=status,
            funding_stream=cohort_stream(cohort),
            requested_by=staff,
            decided_by=manager if is_decided else None,
            decided_at=decided if is_decided else None,
            paid_at=paid if status == SupportPayment.Status.PAID else None,
        )
    if cohort.course.attendance_bursary_amount is None:
        return
    for number, enrolment in enumerate(bursary_qualifiers(cohort)):
        payment = bursary_payment(enrolment, cohort=cohort, actor=staff, now=paid)
        payment.created_at = paid  # recorded and approved by the course's rule at once
        if number % 2 == 0:
            payment.status, payment.paid_at = SupportPayment.Status.PAID, paid
        payment.save()
