"""Support payments move from academy to courses with their rows, audit trail and constraints."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("academy", "0004_supportpayment_decision_reason"), ("courses", "0003_screeningquestion_public_id")]
AFTER = [("academy", "0007_supportpayment_move_to_courses"), ("courses", "0005_supportpayment_constraint_names")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_payments_keep_their_rows_audit_trail_and_constraints() -> None:
    old = _migrate(BEFORE)
    try:
        ContentType = old.get_model("contenttypes", "ContentType")
        stage = old.get_model("candidates", "PipelineStage").objects.order_by("position").first()
        candidate = old.get_model("candidates", "Candidate").objects.create(
            first_name="Ewa", last_name="Nowak", stage=stage
        )
        course = old.get_model("courses", "Course").objects.create(
            title="Intro", summary="Intro", kind="bite_size", length_days=6, attendance_bursary_threshold=90
        )
        cohort = old.get_model("courses", "Cohort").objects.create(
            course=course, name="Leeds 1", start_date=dt.date(2026, 1, 5), end_date=dt.date(2026, 1, 16), capacity=12
        )
        payment = old.get_model("academy", "SupportPayment").objects.create(
            candidate=candidate, cohort=cohort, kind="attendance_bursary", amount=Decimal("60.00"), status="paid"
        )
        payment_type, _ = ContentType.objects.get_or_create(app_label="academy", model="supportpayment")
        old.get_model("academy", "AuditEntry").objects.create(
            action="payment.approve", content_type=payment_type, object_id=str(payment.pk)
        )

        new = _migrate(AFTER)

        moved = new.get_model("courses", "SupportPayment").objects.get()
        assert (moved.pk, moved.public_id, moved.amount, moved.status) == (
            payment.pk,
            payment.public_id,
            Decimal("60.00"),
            "paid",
        )
        assert moved.cohort_id == cohort.pk
        tables = connection.introspection.table_names()
        assert "courses_supportpayment" in tables
        assert "academy_supportpayment" not in tables
        entry = new.get_model("academy", "AuditEntry").objects.select_related("content_type").get()
        assert (entry.content_type.app_label, entry.content_type.model) == ("courses", "supportpayment")
        # The one-bursary-per-learner-per-cohort rule still holds in the database.
        with pytest.raises(IntegrityError), transaction.atomic():
            new.get_model("courses", "SupportPayment").objects.create(
                candidate_id=candidate.pk, cohort_id=cohort.pk, kind="attendance_bursary", amount=Decimal("60.00")
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
