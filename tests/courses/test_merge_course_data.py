"""Merging two records of one person moves their course data as courses/privacy.py and
academy/privacy.py declare: one enrolment and one bursary per cohort, the rest with the survivor."""

from __future__ import annotations

import pytest

from academy.models import AuditEntry, User
from candidates.services.merge import candidate_merge
from courses.models import Attendance, Certificate, Enrolment, SupportPayment
from tests.courses.factories import CohortFactory, EnrolmentFactory, SessionFactory
from tests.courses.factories_outcomes import CertificateFactory, FeedbackFactory, SupportPaymentFactory
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

BURSARY = SupportPayment.Kind.ATTENDANCE_BURSARY


def test_course_data_moves_except_where_the_survivor_already_has_the_cohort(staff: User) -> None:
    survivor, duplicate = CandidateFactory.create_batch(2)
    both, only_duplicate = CohortFactory.create_batch(2)
    EnrolmentFactory.create(cohort=both, candidate=survivor)
    stays = EnrolmentFactory.create(cohort=both, candidate=duplicate)
    moves = EnrolmentFactory.create(cohort=only_duplicate, candidate=duplicate)
    Attendance.objects.create(session=SessionFactory.create(cohort=only_duplicate), enrolment=moves, mark="present")
    CertificateFactory.create(enrolment=moves)
    FeedbackFactory.create(enrolment=moves)
    SupportPaymentFactory.create(candidate=survivor, cohort=both, kind=BURSARY)
    SupportPaymentFactory.create(candidate=duplicate, cohort=both, kind=BURSARY)  # the bursary rule: stays
    SupportPaymentFactory.create(candidate=duplicate, cohort=both, kind=SupportPayment.Kind.TRANSPORT)
    SupportPaymentFactory.create(candidate=duplicate, cohort=only_duplicate, kind=BURSARY)

    candidate_merge(survivor=survivor, duplicate=duplicate, actor=staff, field_choices={})

    assert set(Enrolment.objects.filter(candidate=survivor).values_list("cohort", flat=True)) == {
        both.pk,
        only_duplicate.pk,
    }
    assert list(Enrolment.objects.filter(candidate=duplicate)) == [stays]
    # Rows hanging off the enrolment go where it goes.
    assert Attendance.objects.get().enrolment.candidate == survivor
    assert Certificate.objects.get().enrolment.candidate == survivor
    kept = SupportPayment.objects.filter(candidate=duplicate)
    assert [(p.kind, p.cohort_id) for p in kept] == [(BURSARY, both.pk)]
    assert SupportPayment.objects.filter(candidate=survivor).count() == 3
    entry = AuditEntry.objects.get(action="candidate.merge")
    assert entry.data["moved"] == {"StageChange": 1, "Enrolment": 1, "SupportPayment": 2}
    assert entry.data["left_with_merged"] == {"Enrolment": 1, "SupportPayment": 1}
