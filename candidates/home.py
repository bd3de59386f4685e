"""What candidates adds to the home pages (found by academy.discovery): a learner's unfinished profile and
the DBS step waiting for them; for staff, the DBS checks due a chase."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from academy.models import User
from academy.next_actions import NextAction
from academy.tenancy import academy_in_use_id
from candidates.permissions import can_work_on_dbs
from candidates.selectors.home import LEARNER_DBS_STEPS, dbs_chases_due_count, learner_home


def next_actions(user: User) -> list[NextAction]:
    actions: list[NextAction] = []
    if user.is_learner:
        home = learner_home(user)
        if home.dbs_status_waiting:
            title, hint = LEARNER_DBS_STEPS[home.dbs_status_waiting]
            actions.append(NextAction(title=title, href=reverse("candidates:dbs-my"), hint=hint, order=20))
        if home.steps_done < home.steps_total:
            actions.append(
                NextAction(
                    title=f"Finish your profile ({home.steps_done} of {home.steps_total} parts)",
                    href=reverse("candidates:profile"),
                    hint="It helps us find the right course and job for you.",
                    status="In progress" if home.steps_done else "Not started",
                    order=40,
                )
            )
    elif can_work_on_dbs(user):
        due = dbs_chases_due_count(today=timezone.localdate(), academy_id=academy_in_use_id(user))
        if due:
            actions.append(
                NextAction(
                    title="Chase DBS checks",
                    href=reverse("candidates:dbs-dashboard"),
                    hint="Checks in progress past the policy's first chase point (chase and overdue).",
                    status=f"{due} to chase",
                    order=25,
                )
            )
    return actions
