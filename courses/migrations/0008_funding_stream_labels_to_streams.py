"""Each distinct free-text funding stream label on courses and support payments becomes a FundingStream.

A label matching an existing stream's name (ignoring case and spaces at the ends) is linked to that
stream; any other label becomes a new stream, open from the first day the label was used to the end
of the financial year (31 March), with a budget equal to what was already committed (approved and
paid) under the label, so it starts neither overspent nor with money nobody set. Its notes say to
check the funder, code, dates and budget. Reversing puts the stream's name back as the label.
"""

import datetime as dt
import re
from decimal import Decimal

from django.db import migrations
from django.db.models import Min, Q, Sum
from django.utils import timezone

FOLLOW_UPS = [4, 13, 26, 52]


def _financial_year_end(day):
    return dt.date(day.year + (1 if day.month > 3 else 0), 3, 31)


def _code(label, taken):
    base = re.sub(r"[^A-Z0-9]+", "-", label.upper()).strip("-")[:24] or "STREAM"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _matching(rows, key):
    return [pk for pk, label in rows.values_list("pk", "funding_stream") if label.strip().casefold() == key]


def labels_to_streams(apps, schema_editor):
    db = schema_editor.connection.alias
    FundingStream = apps.get_model("academy", "FundingStream")
    Course = apps.get_model("courses", "Course")
    SupportPayment = apps.get_model("courses", "SupportPayment")
    courses = Course.objects.using(db).exclude(funding_stream="")
    payments = SupportPayment.objects.using(db).exclude(funding_stream="")
    labels = {}
    for label in [*courses.values_list("funding_stream", flat=True), *payments.values_list("funding_stream", flat=True)]:
        if label.strip():
            labels.setdefault(label.strip().casefold(), label.strip())
    taken = set(FundingStream.objects.using(db).values_list("code", flat=True))
    today = timezone.localdate()
    for key, label in sorted(labels.items()):
        stream = FundingStream.objects.using(db).filter(name__iexact=label).first()
        course_rows = courses.filter(pk__in=_matching(courses, key))
        payment_rows = payments.filter(pk__in=_matching(payments, key))
        if stream is None:
            first = min(
                [d for d in (course_rows.aggregate(d=Min("created_at"))["d"], payment_rows.aggregate(d=Min("created_at"))["d"]) if d]
                or [timezone.now()]
            )
            start = timezone.localdate(first)
            committed = payment_rows.filter(Q(status="approved") | Q(status="paid")).aggregate(s=Sum("amount"))["s"]
            stream = FundingStream.objects.using(db).create(
                name=label[:150],
                funder="Not recorded",
                code=_code(label, taken),
                start_date=start,
                end_date=max(_financial_year_end(today), _financial_year_end(start)),
                budget=Decimal(committed or 0).quantize(Decimal("0.01")),
                follow_up_weeks=FOLLOW_UPS,
                sustained_after_weeks=26,
                notes=(
                    f"Created from the label '{label}' on {course_rows.count()} course(s) and "
                    f"{payment_rows.count()} support payment(s) when funding streams replaced labels: "
                    "check the funder, code, dates and budget."
                ),
            )
        course_rows.update(funding_stream_ref=stream)
        payment_rows.update(funding_stream_ref=stream)


def streams_to_labels(apps, schema_editor):
    db = schema_editor.connection.alias
    for model in ("Course", "SupportPayment"):
        rows = apps.get_model("courses", model).objects.using(db).filter(funding_stream_ref__isnull=False)
        for row in rows.select_related("funding_stream_ref"):
            row.funding_stream = row.funding_stream_ref.name[:120]
            row.save(update_fields=["funding_stream"])


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0009_funding_stream"),
        ("courses", "0007_funding_stream_fields"),
    ]

    operations = [migrations.RunPython(labels_to_streams, streams_to_labels)]
