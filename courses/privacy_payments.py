"""Learner support payments as a person's data; part of courses/privacy.py's declarations.

Erasure keeps kind, amount, status and dates (the spend figures) and blanks the free text.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from academy.models import User
from academy.personal_data import ExportSection, Moved, PersonalTable, clear
from courses.models import SupportPayment

# A bursary is paid once per learner per cohort (courses_supportpayment_one_bursary_per_cohort).
_BURSARY = Q(kind=SupportPayment.Kind.ATTENDANCE_BURSARY) & ~Q(status=SupportPayment.Status.REJECTED)


def _merge_support_payments(table: PersonalTable, survivor: Any, duplicate: Any, actor: Any) -> Moved:
    """Every payment moves, except a bursary for a cohort the survivor already has one for: that
    one stays with the merged record (still counted in spend), so the bursary rule holds."""
    taken = Exists(SupportPayment.objects.filter(_BURSARY, candidate=survivor, cohort=OuterRef("cohort")))
    rows = table.rows(duplicate)
    clashes = list(rows.filter(_BURSARY).filter(taken).values_list("pk", flat=True))
    return rows.exclude(pk__in=clashes).update(candidate=survivor), len(clashes)


def _export_support_payments(candidate: Any, you: User | None) -> list[dict[str, Any]]:
    payments = (
        SupportPayment.objects.filter(candidate=candidate)
        .select_related("cohort__course", "funding_stream")
        .order_by("created_at")
    )
    return [
        {
            "kind": p.get_kind_display(),
            "course": f"{p.cohort.course.title} ({p.cohort.name})" if p.cohort else "",
            "amount": f"£{p.amount}",
            "description": p.description,
            "status": p.get_status_display(),
            "funding_stream": p.funding_stream.name if p.funding_stream else "",
            "may_affect_benefits": p.may_affect_benefits,
            "requested": p.created_at,
            "paid": p.paid_at,
        }
        for p in payments
    ]


PAYMENT_TABLES = [
    PersonalTable(
        model=SupportPayment,
        person="candidate",
        label="Support payments",
        merge=_merge_support_payments,
        anonymise=clear(description="", decision_reason=""),
        export=(ExportSection("support_payments", "Support payments", _export_support_payments),),
    ),
]
