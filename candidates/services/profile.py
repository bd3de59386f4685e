"""The learner's profile, filled in as steps that can be saved and resumed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from academy.audit import audit_log
from academy.models import User
from candidates.models import Candidate
from candidates.services.records import candidate_set_barriers, candidate_update


@dataclass(frozen=True)
class ProfileStep:
    """One step of the profile: its URL slug, what the learner sees, and the record fields it fills."""

    slug: str
    title: str
    description: str
    fields: tuple[str, ...]
    # Fields whose value shows the learner has started the step (names come from the account).
    progress_fields: tuple[str, ...]
    has_barriers: bool = False


PROFILE_STEPS: tuple[ProfileStep, ...] = (
    ProfileStep(
        slug="about-you",
        title="About you",
        description="Your name, phone number, postcode, date of birth and right to work.",
        fields=("first_name", "last_name", "phone", "postcode", "date_of_birth", "right_to_work", "source"),
        progress_fields=("phone", "postcode", "date_of_birth", "right_to_work", "source"),
    ),
    ProfileStep(
        slug="work",
        title="Work, benefits and qualifications",
        description="Whether you are working, any benefits, a Jobcentre Plus referral and your qualifications.",
        fields=(
            "employment_status",
            "months_out_of_work",
            "benefit_status",
            "jobcentre_referral",
            "work_coach_name",
            "highest_qualification",
            "caring_responsibilities",
        ),
        progress_fields=("employment_status", "benefit_status", "highest_qualification", "work_coach_name"),
    ),
    ProfileStep(
        slug="support",
        title="Support you might need",
        description="Anything that could make training or starting work harder, and what would help.",
        fields=(),
        progress_fields=(),
        has_barriers=True,
    ),
    ProfileStep(
        slug="interests",
        title="Your interests and availability",
        description="The kinds of care work you would like to do, when you can work, and driving.",
        fields=("interests", "availability", "driving_licence", "has_car"),
        progress_fields=("interests", "availability"),
    ),
)
STEPS_BY_SLUG = {step.slug: step for step in PROFILE_STEPS}


def profile_step_get(slug: str) -> ProfileStep | None:
    """The step with this slug, or None."""
    return STEPS_BY_SLUG.get(slug)


def profile_step_next(slug: str) -> ProfileStep | None:
    """The step after `slug`, or None after the last one."""
    slugs = [step.slug for step in PROFILE_STEPS]
    position = slugs.index(slug) + 1
    return PROFILE_STEPS[position] if position < len(PROFILE_STEPS) else None


def profile_step_previous(slug: str) -> ProfileStep | None:
    """The step before `slug`, or None before the first one."""
    slugs = [step.slug for step in PROFILE_STEPS]
    position = slugs.index(slug) - 1
    return PROFILE_STEPS[position] if position >= 0 else None


@transaction.atomic
def profile_step_save(
    *,
    candidate: Candidate,
    actor: User,
    step: str,
    data: dict[str, Any],
    complete: bool,
    barriers: dict[str, str] | None = None,
) -> Candidate:
    """Save one step of the learner's profile and mark it done (or not done, when saved unfinished).

    `data` holds only the step's own record fields; `barriers` (`{code: what would help}`) is for
    the support step. Changes are audited by candidate_update and candidate_set_barriers.
    """
    profile_step = STEPS_BY_SLUG.get(step)
    if profile_step is None:
        raise ValidationError(f"There is no profile step called {step}.")
    unexpected = set(data) - set(profile_step.fields)
    if unexpected:
        raise ValidationError(f"The {profile_step.title} step does not include {', '.join(sorted(unexpected))}.")
    candidate_update(candidate=candidate, actor=actor, data=data)
    if profile_step.has_barriers and barriers is not None:
        candidate_set_barriers(candidate=candidate, actor=actor, barriers=barriers)

    wanted = set(candidate.profile_steps_done) - {step} | ({step} if complete else set())
    # Kept in the steps' order, so the stored list reads like the overview.
    done = [s.slug for s in PROFILE_STEPS if s.slug in wanted]
    if done != list(candidate.profile_steps_done):
        candidate.profile_steps_done = done
        candidate.save(update_fields=["profile_steps_done", "updated_at"])
        audit_log(actor=actor, action="candidate.profile_step", obj=candidate, data={"step": step, "done": complete})
    return candidate
