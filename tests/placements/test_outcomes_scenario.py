"""The issue's "Done when": a stream with 26-week sustainment, 7 learners from a cohort start jobs, the clock
moves on, follow-ups go out once each (two sweeps), 5 confirmed at 26 weeks, one left, one unknown; the
stream's figures are 7 job starts, 5 sustained, spend against budget and cost per job start."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from courses.models import SupportPayment
from placements.funding import STREAM_FIGURES_TEMPLATE, stream_figures
from placements.models import FollowUp, FollowUpReminder, LeavingReason, Outcome
from placements.services.follow_ups import follow_ups_sweep
from placements.services.outcomes import follow_up_answer
from tests.courses.factories_outcomes import finished_cohort
from tests.placements.factories_outcomes import FundingStreamFactory, JobStartFactory, attribute, charge

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))


def sweep(day: dt.date, capture) -> None:
    with capture(execute=True):
        follow_ups_sweep(today=day)


def test_done_when(time_machine, provider_a, provider_user, staff, django_capture_on_commit_callbacks, client_for):
    time_machine.move_to(at(START - dt.timedelta(days=30)), tick=False)
    provider_a.contact_email = "jobs@provider-a.example.org"
    provider_a.save()
    stream = FundingStreamFactory.create(
        name="Care Careers 2026",
        start_date=dt.date(2025, 12, 1),
        end_date=dt.date(2026, 11, 30),
        budget=Decimal("20000.00"),
        follow_up_weeks=[26],
        sustained_after_weeks=26,
        target_job_starts=10,
    )
    cohort = finished_cohort(learners=7)
    people = [e.candidate for e in cohort.enrolments]
    for person in people:
        person.owner = staff
        person.save()
        attribute(person, stream)
    # Spend: approved and paid support charged to the stream; requested and rejected ones do not count.
    for amount, status in [("120.00", "paid"), ("80.50", "paid"), ("49.50", "approved"), ("500.00", "requested")]:
        charge(stream, candidate=people[0], kind=SupportPayment.Kind.TRANSPORT, amount=Decimal(amount), status=status)
    charge(stream, candidate=people[1], kind=SupportPayment.Kind.LUNCH, amount=Decimal("75.00"), status="rejected")

    time_machine.move_to(at(START), tick=False)
    starts = [
        JobStartFactory.create(candidate=p, provider=provider_a, employer_name=provider_a.name, start_date=START)
        for p in people
    ]
    outcomes = [Outcome.objects.get(job_start=s) for s in starts]
    assert all(o.follow_ups.count() == 1 for o in outcomes)

    # 26 weeks on: two sweeps, each follow-up asked once (employer and owner).
    due = START + dt.timedelta(weeks=26)
    time_machine.move_to(at(due), tick=False)
    sweep(due, django_capture_on_commit_callbacks)
    sweep(due, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 14
    assert sorted(m.to[0] for m in mail.outbox) == ["jobs@provider-a.example.org"] * 7 + ["staff@example.org"] * 7
    assert FollowUpReminder.objects.filter(status="sent").count() == 14

    # The employer answers: five still there (one through the page, in one click), one left.
    follow_ups = [o.follow_ups.get() for o in outcomes]
    response = client_for("provider_user").post(
        reverse("placements:follow-up-answer", kwargs={"public_id": follow_ups[0].public_id}), {"still_employed": "1"}
    )
    assert response.status_code == 302
    for follow_up in follow_ups[1:5]:
        follow_up_answer(follow_up=follow_up, actor=provider_user, still_employed=True)
    follow_up_answer(
        follow_up=follow_ups[5],
        actor=provider_user,
        still_employed=False,
        left_on=START + dt.timedelta(weeks=20),
        leaving_reason=LeavingReason.RESIGNED,
    )
    with pytest.raises(ValidationError, match="already answered"):
        follow_up_answer(follow_up=follow_ups[0], actor=provider_user, still_employed=True)

    # The last one is chased twice more, a week apart, then given up as unknown.
    for week in (1, 2):
        day = due + dt.timedelta(days=7 * week)
        time_machine.move_to(at(day), tick=False)
        sweep(day, django_capture_on_commit_callbacks)
        sweep(day, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 14 + 2 + 2
    last = due + dt.timedelta(days=21)
    time_machine.move_to(at(last), tick=False)
    sweep(last, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 18
    results = sorted(FollowUp.objects.values_list("result", flat=True))
    assert results == ["left"] + ["still_employed"] * 5 + ["unknown"]

    figures = stream_figures(stream)
    assert figures.job_starts == 7
    assert figures.sustained == 5
    assert figures.left_before_sustained == 1
    assert figures.spend == Decimal("250.00")
    assert figures.budget_left == Decimal("19750.00")
    assert figures.cost_per_job_start == Decimal("35.71")
    page = render_to_string(STREAM_FIGURES_TEMPLATE, {"figures": figures})
    assert "5 of 7" in page
    assert "£250.00 of £20,000.00" in page
    assert "£35.71" in page
