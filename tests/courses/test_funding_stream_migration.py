"""The free-text funding stream labels on courses and support payments become funding streams."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("courses", "0007_funding_stream_fields"), ("candidates", "0017_funding_eligibility")]
AFTER = [("courses", "0009_funding_stream_fk_replaces_label")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_each_distinct_label_becomes_one_stream_or_joins_the_stream_of_that_name() -> None:
    old = _migrate(BEFORE)
    try:
        FundingStream = old.get_model("academy", "FundingStream")
        existing = FundingStream.objects.create(
            name="UKSPF 2026-27",
            funder="Combined authority",
            code="UKSPF-26",
            start_date=dt.date(2026, 4, 1),
            end_date=dt.date(2027, 3, 31),
            budget=Decimal("5000.00"),
        )
        stage = old.get_model("candidates", "PipelineStage").objects.order_by("position").first()
        candidate = old.get_model("candidates", "Candidate").objects.create(
            first_name="Ewa", last_name="Nowak", stage=stage
        )
        Course = old.get_model("courses", "Course")

        def course(title: str, label: str):
            return Course.objects.create(
                title=title, summary=title, kind="bite_size", length_days=6, funding_stream=label
            )

        asf = course("Intro", "Adult Skills Fund")
        asf_again = course("Pathway", "  adult skills fund ")
        ukspf = course("Certificate", "ukspf 2026-27")
        none = course("Refresher", "")
        cohort = old.get_model("courses", "Cohort").objects.create(
            course=asf, name="Leeds 1", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 16), capacity=12
        )
        Payment = old.get_model("courses", "SupportPayment")

        def payment(label: str, amount: str, status: str):
            return Payment.objects.create(
                candidate=candidate,
                cohort=cohort,
                kind="transport",
                amount=Decimal(amount),
                status=status,
                funding_stream=label,
            )

        paid = payment("Adult Skills Fund", "60.00", "paid")
        approved = payment("Adult Skills Fund", "15.50", "approved")
        payment("Adult Skills Fund", "99.00", "rejected")
        payment("Adult Skills Fund", "7.00", "requested")
        own_label = payment("Bursary pot", "20.00", "paid")
        unlabelled = payment("", "5.00", "paid")

        new = _migrate(AFTER)

        Stream = new.get_model("academy", "FundingStream")
        assert Stream.objects.count() == 3
        made = Stream.objects.get(name="Adult Skills Fund")
        # Budget: what was already committed (approved and paid), so it starts neither over nor under.
        assert made.budget == Decimal("75.50")
        assert made.funder == "Not recorded"
        assert made.code == "ADULT-SKILLS-FUND"
        assert made.follow_up_weeks == [4, 13, 26, 52] and made.sustained_after_weeks == 26
        assert made.start_date <= timezone.localdate() <= made.end_date
        assert (made.end_date.month, made.end_date.day) == (3, 31)
        assert "check the funder, code, dates and budget" in made.notes
        NewCourse = new.get_model("courses", "Course")
        assert {c.pk: c.funding_stream_id for c in NewCourse.objects.all()} == {
            asf.pk: made.pk,
            asf_again.pk: made.pk,
            ukspf.pk: existing.pk,
            none.pk: None,
        }
        NewPayment = new.get_model("courses", "SupportPayment")
        assert NewPayment.objects.get(pk=paid.pk).funding_stream_id == made.pk
        assert NewPayment.objects.get(pk=approved.pk).funding_stream_id == made.pk
        assert NewPayment.objects.get(pk=own_label.pk).funding_stream.name == "Bursary pot"
        assert NewPayment.objects.get(pk=unlabelled.pk).funding_stream_id is None
        # The existing stream was matched by name, not copied or changed.
        assert Stream.objects.get(pk=existing.pk).budget == Decimal("5000.00")

        back = _migrate(BEFORE)
        assert back.get_model("courses", "Course").objects.get(pk=asf_again.pk).funding_stream == "Adult Skills Fund"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
