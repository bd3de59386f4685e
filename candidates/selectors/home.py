"""What the candidates part of the home pages reads (candidates/home.py): a learner's profile and DBS
step, and the DBS checks staff should chase. A fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from academy.models import User
from candidates.models import Candidate, DbsCheck, DbsPolicy
from candidates.selectors.dbs import NEWEST_FIRST, dbs_current_checks
from candidates.selectors.dbs_dashboard import AMBER, RED, dbs_with_rag
from candidates.services.profile import PROFILE_STEPS

# DBS steps that wait for the learner, and what they must do.
LEARNER_DBS_STEPS: dict[str, tuple[str, str]] = {
    DbsCheck.Status.NOT_STARTED: ("Your DBS check: we need your ID", "Bring your identity documents to the academy."),
    DbsCheck.Status.CERTIFICATE_ISSUED: (
        "Your DBS check: show us your certificate",
        "Bring the certificate the DBS posted to you to the academy so we can see the original.",
    ),
}


@dataclass(frozen=True)
class LearnerHome:
    steps_done: int
    steps_total: int
    # The status of the learner's newest DBS check when it waits for them, else "".
    dbs_status_waiting: str


def learner_home(user: User) -> LearnerHome:
    """Profile steps done (of PROFILE_STEPS) and the DBS step waiting for the learner; two queries.

    Reads only: a learner without a record yet has done none of the steps."""
    candidate = Candidate.objects.filter(user=user).only("pk", "profile_steps_done").first()
    slugs = {step.slug for step in PROFILE_STEPS}
    if candidate is None:
        return LearnerHome(steps_done=0, steps_total=len(slugs), dbs_status_waiting="")
    status = candidate.dbs_checks.order_by(*NEWEST_FIRST).values_list("status", flat=True).first() or ""
    return LearnerHome(
        steps_done=len(slugs & set(candidate.profile_steps_done)),
        steps_total=len(slugs),
        dbs_status_waiting=status if status in LEARNER_DBS_STEPS else "",
    )


def dbs_chases_due_count(*, today: date, academy_id: int) -> int:
    """An academy's current checks in progress past the policy's first chase threshold (amber or red
    on the DBS dashboard); two queries (the policy, the count)."""
    checks = dbs_with_rag(dbs_current_checks(academy_id), today=today, policy=DbsPolicy.current(academy_id))
    return checks.filter(Q(rag=AMBER) | Q(rag=RED)).count()
