"""What the placements app adds to the home pages (academy.views.HomeView finds `home_context` by discovery).

Each area keeps its own function and context keys; `home_context` merges them. A provider user's figures
link to their lists when that list's URL exists (`provider_home_links`: figure -> path).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from academy.models import User
from academy.next_actions import NextAction
from academy.tenancy import academy_in_use_id
from placements.home_applications import job_applications_home_context
from placements.models import JobApplication
from placements.permissions import (
    can_approve_vacancy,
    can_view_own_job_applications,
    is_provider_user,
    job_applications_visible_to,
    vacancies_visible_to,
)
from placements.selectors.home import (
    follow_ups_due_count,
    interviews_left_this_week,
    job_offers_awaiting_reply,
    new_applicants_count,
    quarter_state,
)
from placements.selectors.provider_home import provider_home
from placements.selectors.vacancies import vacancies_awaiting_approval_count

LIST_URL_NAMES = {
    "vacancies": "placements:provider-vacancy-list",
    "applications": "placements:provider-application-list",
    "interviews": "placements:interview-list",
    "placements": "placements:work-placement-list",
    "feedback": "placements:feedback-due-list",
    "starts": "placements:job-start-list",
}


def list_links() -> dict[str, str]:
    """The list pages that exist, by figure: {"vacancies": "/provider/vacancies/", ...}."""
    links = {}
    for key, name in LIST_URL_NAMES.items():
        try:
            links[key] = reverse(name)
        except NoReverseMatch:
            continue
    return links


def provider_home_context(user: User) -> dict[str, Any]:
    """A provider user's figures (`provider_home`) and the links to their lists; nothing for other roles."""
    if not is_provider_user(user) or getattr(user, "provider_membership", None) is None:
        return {}
    return {"provider_home": provider_home(user), "provider_home_links": list_links()}


def vacancy_home_context(user: User) -> dict[str, Any]:
    """Staff: how many vacancies wait for approval (key `vacancies_awaiting_approval`)."""
    if not can_approve_vacancy(user):
        return {}
    return {"vacancies_awaiting_approval": vacancies_awaiting_approval_count(vacancies_visible_to(user))}


def quarter_home_context(user: User) -> dict[str, Any]:
    """Managers: the state of this quarter (key `quarter_state`)."""
    if not user.is_manager:
        return {}
    return {"quarter_state": quarter_state(today=timezone.localdate(), academy_id=academy_in_use_id(user))}


def home_context(user: User) -> dict[str, Any]:
    return {
        **provider_home_context(user),
        **vacancy_home_context(user),
        **job_applications_home_context(user),
        **quarter_home_context(user),
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def learner_next_actions(user: User) -> list[NextAction]:
    """Job offers to answer (one each) and referrals waiting for the learner's agreement; two queries."""
    actions = []
    for application in job_offers_awaiting_reply(user):
        vacancy = application.vacancy
        start = f" Proposed start: {application.offer_start_date:%-d %B %Y}." if application.offer_start_date else ""
        actions.append(
            NextAction(
                title=f"Reply to your job offer: {vacancy.title}, {vacancy.provider.name}",
                href=reverse("placements:offer-respond", kwargs={"public_id": application.public_id}),
                hint=f"{vacancy.provider.name} has offered you the job. Accept or decline it.{start}",
                status="Reply needed",
                order=10,
            )
        )
    waiting = job_applications_visible_to(user).filter(status=JobApplication.Status.AWAITING_CONSENT).count()
    if waiting:
        actions.append(
            NextAction(
                title="Answer the academy's job referrals",
                href=reverse("placements:my-job-applications"),
                hint="We would like to put you forward for a job. Say whether we may share your details.",
                status=f"{waiting} waiting",
                order=15,
            )
        )
    return actions


def staff_next_actions(user: User) -> list[NextAction]:
    """Vacancies to approve and follow-ups due; two queries."""
    actions = []
    to_approve = vacancies_awaiting_approval_count(vacancies_visible_to(user))
    if to_approve:
        actions.append(
            NextAction(
                title="Approve vacancies for the job board",
                href=reverse("placements:vacancy-approval-queue"),
                hint="Vacancies providers have sent for approval.",
                status=f"{to_approve} to approve",
                order=30,
            )
        )
    due = follow_ups_due_count(user, today=timezone.localdate())
    if due:
        actions.append(
            NextAction(
                title="Follow up people in work",
                href=reverse("placements:follow-ups-due"),
                hint="Sustained-employment follow-ups due by Sunday or overdue: are they still in the job?",
                status=f"{due} due",
                order=35,
            )
        )
    return actions


def provider_next_actions(user: User) -> list[NextAction]:
    """New applicants to look at and interviews left this week; two queries."""
    actions = []
    new = new_applicants_count(user)
    if new:
        actions.append(
            NextAction(
                title="Look at your new applicants",
                href=reverse("placements:provider-application-list"),
                hint=f"{new} {'person' if new == 1 else 'people'} applied or referred by the academy, "
                "not yet shortlisted or turned down.",
                status=f"{new} new",
                order=10,
            )
        )
    interviews = interviews_left_this_week(user, now=timezone.now())
    if interviews:
        actions.append(
            NextAction(
                title="Interviews this week",
                href=reverse("placements:interview-list"),
                hint=f"{_plural(interviews, 'interview')} still to hold by Sunday.",
                status=f"{interviews} this week",
                order=20,
            )
        )
    return actions


def next_actions(user: User) -> list[NextAction]:
    """What placements adds to "What to do next" (academy.next_actions), by role."""
    if can_view_own_job_applications(user):
        return learner_next_actions(user)
    if is_provider_user(user) and getattr(user, "provider_membership", None) is not None:
        return provider_next_actions(user)
    if can_approve_vacancy(user):
        return staff_next_actions(user)
    return []
