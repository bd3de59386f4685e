"""Matrix rows of the outcomes area: completion, certificates, feedback, questionnaires, support payments.

The cohort is finished (so feedback is open) and its course published, so every signed-in persona
can see the cohort: staff pages answer 403 to non-staff rather than 404. The enrolment and the
certificate are the learner persona's own, so the other learner gets 404.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.files.base import ContentFile

from courses.models import SupportPayment
from tests.courses.factories import EnrolmentFactory
from tests.courses.factories_outcomes import CertificateFactory, SupportPaymentFactory, finished_cohort
from tests.matrix import MANAGER_ONLY, STAFF_ONLY, Fixture, Objects, Row, expect, no_kwargs, public_id_of


def objects(fixture: Fixture) -> Objects:
    cohort = finished_cohort(learners=0).cohort
    enrolment = EnrolmentFactory.create(cohort=cohort, candidate=fixture("candidate"))
    certificate = CertificateFactory.create(enrolment=enrolment)
    certificate.file.save("upload", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    requested = SupportPaymentFactory.create(
        cohort=cohort, candidate=enrolment.candidate, requested_by=fixture("staff")
    )
    approved = SupportPaymentFactory.create(
        cohort=cohort, candidate=enrolment.candidate, status=SupportPayment.Status.APPROVED, amount=Decimal("20.00")
    )
    return {
        "outcomes_cohort": cohort,
        "outcomes_course": cohort.course,
        "outcomes_enrolment": enrolment,
        "outcomes_certificate": certificate,
        "outcomes_requested_payment": requested,
        "outcomes_approved_payment": approved,
    }


# The learner's own enrolment: theirs to answer (200), staff may not answer for them (403), others 404.
LEARNER_OWN = expect(404, learner=200, staff=403, manager=403)
# Staff pages about the learner's enrolment: the learner sees it is theirs but may not act (403).
STAFF_ON_ENROLMENT = expect(404, learner=403, staff=200, manager=200)


def _questionnaire(objs: Objects) -> dict[str, object]:
    return {"public_id": objs["outcomes_enrolment"].public_id, "when": "after"}


ROWS: dict[str, Row] = {
    "courses:my-enrolments": Row(no_kwargs, "get", expect(403, learner=200, other_learner=200)),
    "courses:feedback-create": Row(public_id_of("outcomes_enrolment"), "get", LEARNER_OWN),
    "courses:questionnaire": Row(_questionnaire, "get", LEARNER_OWN),
    "courses:cohort-outcomes": Row(public_id_of("outcomes_cohort"), "get", STAFF_ONLY),
    "courses:course-feedback": Row(public_id_of("outcomes_course"), "get", STAFF_ONLY),
    "courses:enrolment-complete": Row(public_id_of("outcomes_enrolment"), "get", STAFF_ON_ENROLMENT),
    "courses:certificate-create": Row(public_id_of("outcomes_enrolment"), "get", STAFF_ON_ENROLMENT),
    "courses:certificate-download": Row(
        public_id_of("outcomes_certificate"), "get", expect(404, learner=200, staff=200, manager=200)
    ),
    "courses:certificate-delete": Row(public_id_of("outcomes_certificate"), "get", STAFF_ON_ENROLMENT),
    "courses:payment-list": Row(public_id_of("outcomes_cohort"), "get", STAFF_ONLY),
    "courses:payment-create": Row(public_id_of("outcomes_cohort"), "get", STAFF_ONLY),
    # Payments are staff business: out of everyone else's scope (404); staff may not approve (403).
    "courses:payment-approvals": Row(no_kwargs, "get", MANAGER_ONLY),
    # Support outside a cohort, asked for on a person's record: the learner's own record is in their
    # scope (403), anyone else's is not (404).
    "courses:payment-create-for-learner": Row(
        lambda objs: {"public_id": objs["outcomes_enrolment"].candidate.public_id}, "get", STAFF_ON_ENROLMENT
    ),
    "courses:payment-decide": Row(
        public_id_of("outcomes_requested_payment"), "get", expect(404, staff=403, manager=200)
    ),
    "courses:payment-paid": Row(public_id_of("outcomes_approved_payment"), "get", expect(404, staff=200, manager=200)),
    "courses:bursary-list": Row(public_id_of("outcomes_cohort"), "get", STAFF_ONLY),
    # POST only; the course has no bursary, so staff are sent back to the list with the reason.
    "courses:bursary-record": Row(public_id_of("outcomes_cohort"), "post", expect(403, staff=302, manager=302)),
    # POST only, managers only; an empty form re-shows the bursary page with its errors.
    "courses:bursary-confirm": Row(public_id_of("outcomes_cohort"), "post", expect(403, manager=200)),
}
